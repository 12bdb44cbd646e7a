/**
 * `oktalint browse`: open the app in Chromium and record every request of
 * every page, popup, frame and worker while the user signs in.
 *
 * Playwright (playwright-core, with the system's Chromium or Chrome — never
 * a downloaded browser) launches and drives the browser; the recording goes
 * through a DevTools connection of our own to the same browser (see cdp.ts
 * for why). That connection auto-attaches to every new target — page, popup,
 * cross-site iframe, worker — and enables its Network domain before the
 * target's requests go out (see TargetTracker for how that is made sure).
 */
import { accessSync, constants as fsConstants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, isAbsolute, join, resolve } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { maskUrl } from "../okta/mask.js";
import { CdpConnection, type CdpEvent } from "./cdp.js";
import type { CdpRequest } from "./cdp-types.js";
import type { BrowserHarEntry } from "./har-entry.js";
import { DEFAULT_BODY_LIMIT, NetworkRecorder } from "./network.js";

export type { BrowserHarEntry } from "./har-entry.js";

export interface BrowseOptions {
  /** The app's URL (http or https). */
  url: string;
  /** Show the browser window (default: headless). */
  headed?: boolean;
  /** Chromium or Chrome executable (default: CHROME_PATH, else the first of chromium, chromium-browser, google-chrome, google-chrome-stable on PATH). */
  browserPath?: string;
  /** End the session after this long. */
  timeoutMs?: number;
  /**
   * Third-party cookies in the fresh profile: "allow" or "block" (the
   * browser's cookie setting, so blocked cookies are reported as
   * `UserPreferences`). Default: the browser's own default.
   */
  thirdPartyCookies?: "allow" | "block";
  /** Largest response body kept, in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Each completed request/response hop, as a HAR 1.2 entry. */
  onEntry(entry: BrowserHarEntry): void;
  /** Progress lines (browser started, navigation failed …), never findings. */
  onLog?(line: string): void;
}

export interface BrowseSession {
  /**
   * Resolves once the recording is over and every entry has been passed to
   * onEntry: "closed" when the user closed the browser (or its last page) or
   * close() was called, "timeout" when timeoutMs ran out.
   */
  done: Promise<"closed" | "timeout">;
  /** End the session now (closes the browser); resolves when `done` has. */
  close(): Promise<void>;
  /** The browser, for the HAR `log.browser` field: `{ name: "Chromium", version: "156.0.8078.108" }`. */
  browser: { name: string; version: string };
  /** The browser context (every page and popup is in it). */
  context: BrowserContext;
  /** The page that opened the app. */
  page: Page;
}

/** A problem that ends `browse` before it starts, told in one line. */
export class BrowseError extends Error {
  override name = "BrowseError";
}

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** Targets whose requests are recorded. Page-level auto-attach also brings their iframes and workers. */
const RECORDED = new Set(["page", "iframe", "worker", "shared_worker", "service_worker"]);

/** At the end, how long requests still in flight may take to finish. */
const DRAIN_MS = 1000;

/** Largest POST body Chrome puts in requestWillBeSent. */
const MAX_POST_DATA = 1024 * 1024;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser to run: `explicit` (--browser), else CHROME_PATH, else the first known name on PATH. */
export function findBrowser(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) {
    const path = isAbsolute(explicit) || explicit.includes("/") ? resolve(explicit) : which(explicit, env);
    if (!path || !existsSync(path)) throw new BrowseError(`browser not found: ${explicit} (--browser)`);
    if (!isExecutable(path)) throw new BrowseError(`browser is not executable: ${path} (--browser)`);
    return path;
  }
  const fromEnv = env["CHROME_PATH"];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new BrowseError(`CHROME_PATH=${fromEnv} is not an executable; fix it or pass --browser PATH`);
    return fromEnv;
  }
  for (const name of CANDIDATES) {
    const path = which(name, env);
    if (path) return path;
  }
  throw new BrowseError(`no Chromium or Chrome found on PATH (looked for ${CANDIDATES.join(", ")}): install one (apt-get install chromium) or pass --browser PATH`);
}

function which(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env["PATH"] ?? "").split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    if (isExecutable(path)) return path;
  }
  return undefined;
}

/** A fresh profile; the cookie setting goes in its Preferences before the browser reads them. */
function makeProfile(thirdPartyCookies: BrowseOptions["thirdPartyCookies"]): string {
  const dir = mkdtempSync(join(tmpdir(), "oktalint-browse-"));
  const prefs: Record<string, unknown> = {
    // No "save this password?" bubble over the app while the user signs in.
    credentials_enable_service: false,
    profile: { password_manager_enabled: false } as Record<string, unknown>,
  };
  // Chrome's cookie controls: 0 allows third-party cookies, 1 blocks them.
  if (thirdPartyCookies) (prefs["profile"] as Record<string, unknown>)["cookie_controls_mode"] = thirdPartyCookies === "block" ? 1 : 0;
  mkdirSync(join(dir, "Default"));
  writeFileSync(join(dir, "Default", "Preferences"), JSON.stringify(prefs));
  return dir;
}

/** Chrome writes its DevTools port and browser path to the profile once it listens. */
async function devtoolsEndpoint(profile: string, timeoutMs = 10_000): Promise<string> {
  const file = join(profile, "DevToolsActivePort");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const [port, path] = readFileSync(file, "utf8").split("\n");
      if (port && path) return `ws://127.0.0.1:${port.trim()}${path.trim()}`;
    } catch {
      // Not written yet.
    }
    if (Date.now() > deadline) throw new BrowseError("the browser did not open its DevTools port (DevToolsActivePort never appeared)");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function loadPlaywright(): Promise<typeof import("playwright-core")> {
  try {
    return await import("playwright-core");
  } catch {
    throw new BrowseError("oktalint browse needs the playwright-core package: npm install playwright-core");
  }
}

interface AttachedToTarget {
  sessionId: string;
  targetInfo: { targetId: string; type: string; url: string };
  waitingForDebugger: boolean;
}

interface RequestPaused {
  requestId: string;
  request: CdpRequest;
  resourceType?: string;
  networkId?: string;
}

/** How long a request may be held while the recording of its target is being set up. */
const HOLD_LIMIT_MS = 2000;

/**
 * Enables the Network domain of every target as it appears, and feeds the
 * Network events to the recorder.
 *
 * Pausing new targets (`waitForDebuggerOnStart`) is not enough on its own: a
 * paused target resumes on the first client's word, and Playwright, attached
 * to the same targets, resumes popups as soon as it has set them up — often
 * before our `Network.enable` is through, and a loopback server can answer the
 * popup's first request in that gap. So every request is also held at the
 * browser level (`Fetch.enable` on the browser target) until every target
 * attached so far is set up. Chrome announces a new target to us before any
 * of its requests, so a popup's first request waits for its recording. Its
 * `requestWillBeSent` may still have gone out before: the recorder rebuilds
 * that hop from the held request and the events that follow.
 */
class TargetTracker {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly conn: CdpConnection,
    private readonly recorder: NetworkRecorder,
  ) {
    conn.onEvent((e) => this.onEvent(e));
  }

  /** Until every target attached so far is set up. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private onEvent(e: CdpEvent): void {
    if (e.method === "Target.attachedToTarget") {
      const p = this.attach(e.params as unknown as AttachedToTarget);
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    } else if (e.method.startsWith("Network.")) {
      this.recorder.handle(e);
    } else if (e.method === "Fetch.requestPaused" && e.sessionId === undefined) {
      void this.release(e.params as unknown as RequestPaused);
    }
  }

  private async release(p: RequestPaused): Promise<void> {
    if (p.networkId) this.recorder.noteRequest(p.networkId, p.request, p.resourceType);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.settled(), new Promise((r) => (timer = setTimeout(r, HOLD_LIMIT_MS)))]);
    clearTimeout(timer);
    await this.conn.send("Fetch.continueRequest", { requestId: p.requestId }).catch(() => undefined);
  }

  private async attach(a: AttachedToTarget): Promise<void> {
    const send = (method: string, params: object = {}) => this.conn.send(method, params, a.sessionId);
    const type = a.targetInfo.type;
    // A target can close while it is being set up: every step may fail.
    if (RECORDED.has(type)) {
      await send("Network.enable", { maxPostDataSize: MAX_POST_DATA }).catch(() => undefined);
      if (type === "page" || type === "iframe") {
        // Cross-site iframes and workers of this page: paused until their Network domain is on too.
        await send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }).catch(() => undefined);
      }
    }
    if (a.waitingForDebugger) await send("Runtime.runIfWaitingForDebugger").catch(() => undefined);
  }
}

const BASE_ARGS = [
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  // Our own DevTools connection (loopback, random port, this profile only).
  "--remote-debugging-port=0",
];

async function launch(executablePath: string, profile: string, headless: boolean): Promise<BrowserContext> {
  const { chromium } = await loadPlaywright();
  try {
    return await chromium.launchPersistentContext(profile, {
      executablePath,
      headless,
      args: [...BASE_ARGS, ...(headless ? ["--headless", "--disable-gpu"] : [])],
      // Ctrl-C is the caller's to handle (close() records what is in flight and prints the summary);
      // Playwright's own handler would kill the browser and exit the process first.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      ...(headless ? { viewport: { width: 1280, height: 900 } } : { viewport: null }),
    });
  } catch (e) {
    const first = ((e as Error).message ?? String(e)).split("\n")[0];
    throw new BrowseError(`cannot start ${executablePath}: ${first}`);
  }
}

interface Recording {
  cdp: CdpConnection;
  tracker: TargetTracker;
  recorder: NetworkRecorder;
  /** `Chrome/156.0.8078.108` → `156.0.8078.108`. */
  version: string;
}

/** Connect to the browser's DevTools port and record every target, those already open included. */
async function record(profile: string, opts: BrowseOptions): Promise<Recording> {
  const cdp = await CdpConnection.connect(await devtoolsEndpoint(profile));
  try {
    const recorder = new NetworkRecorder({
      send: (method, params, sessionId) => cdp.send(method, params, sessionId),
      onEntry: opts.onEntry,
      bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    });
    const tracker = new TargetTracker(cdp, recorder);
    const product = await cdp.send<{ product?: string }>("Browser.getVersion").then((v) => v.product ?? "", () => "");
    // Pages, popups and service/shared workers, existing and new (new ones paused until set up).
    await cdp.send("Target.setAutoAttach", {
      autoAttach: true,
      waitForDebuggerOnStart: true,
      flatten: true,
      filter: [{ type: "page" }, { type: "service_worker" }, { type: "shared_worker" }, { exclude: true }],
    });
    await tracker.settled();
    // From now on every request waits (briefly) for its target's recording: see TargetTracker.
    await cdp.send("Fetch.enable", { patterns: [{ urlPattern: "*", requestStage: "Request" }] });
    return { cdp, tracker, recorder, version: product.replace(/^[^/]*\//, "") };
  } catch (e) {
    cdp.close();
    throw e;
  }
}

/** Launch the browser, start recording, open the app. */
export async function startBrowse(opts: BrowseOptions): Promise<BrowseSession> {
  let target: URL;
  try {
    target = new URL(opts.url);
  } catch {
    throw new BrowseError(`not a URL: ${opts.url}`);
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") throw new BrowseError(`not an http(s) URL: ${opts.url}`);
  const executablePath = findBrowser(opts.browserPath);
  const log = opts.onLog ?? (() => undefined);
  const headless = !opts.headed;

  const profile = makeProfile(opts.thirdPartyCookies);
  let context: BrowserContext | undefined;
  let recording: Recording;
  try {
    context = await launch(executablePath, profile, headless);
    recording = await record(profile, opts);
  } catch (e) {
    await context?.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    throw e instanceof BrowseError ? e : new BrowseError(`cannot record the browser: ${(e as Error).message}`);
  }
  const { cdp, recorder } = recording;
  const ctx = context;
  const browser = { name: /chromium/i.test(basename(executablePath)) ? "Chromium" : "Chrome", version: recording.version };

  let resolveDone!: (reason: "closed" | "timeout") => void;
  const done = new Promise<"closed" | "timeout">((r) => (resolveDone = r));
  let ending: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const end = (reason: "closed" | "timeout"): Promise<void> => {
    ending ??= (async () => {
      if (timer) clearTimeout(timer);
      if (!cdp.isClosed) {
        // The browser is still up (timeout, close()): our event stream may lag what the page has
        // already done. A round trip delivers what is queued; then in-flight requests get a moment.
        await cdp.send("Browser.getVersion").catch(() => undefined);
        await recorder.idle(DRAIN_MS);
      }
      await recorder.stop();
      cdp.close();
      await ctx.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
      resolveDone(reason);
    })();
    return ending;
  };

  ctx.on("close", () => void end("closed"));
  cdp.onClosed(() => void end("closed"));
  const watchPage = (p: Page) =>
    p.on("close", () => {
      // The user closed the last tab: the session is over even if the browser stays up.
      if (ctx.pages().length === 0) void end("closed");
    });
  for (const p of ctx.pages()) watchPage(p);
  ctx.on("page", watchPage);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) timer = setTimeout(() => void end("timeout"), opts.timeoutMs);

  log(`recording ${browser.name} ${browser.version} (${executablePath})${headless ? ", headless" : ": sign in, then close the browser window to finish"}`);
  try {
    await page.goto(target.href, { waitUntil: "commit" });
  } catch (e) {
    // Playwright's message repeats the URL: both are shown masked (a code or token in the query).
    const shown = maskUrl(target.href);
    log(`could not open ${shown}: ${((e as Error).message ?? String(e)).split("\n")[0]!.split(target.href).join(shown)}`);
  }

  return { done, close: () => end("closed"), browser, context: ctx, page };
}
