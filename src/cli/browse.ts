/**
 * `oktalint browse <url>`: open the app in Chromium (the system's chromium or
 * Chrome), record every request of every page and popup through the DevTools
 * protocol, and lint as the user signs in. Ends when the browser (or its last
 * page) is closed, at --timeout, or on Ctrl-C.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import kleur from "kleur";
import { BrowseError, startBrowse, type BrowseSession, type BrowserHarEntry } from "../browse/recorder.js";
import type { LiveSession } from "../live/session.js";
import { maskUrl } from "../okta/mask.js";
import { EXIT_FINDINGS, EXIT_USAGE, packageVersion, printError, raiseExitCode } from "./io.js";
import { LivePrinter, addLiveOptions, finishLive, openLiveSession, resolveSettings, type LiveCliOptions } from "./live.js";

interface BrowseCliOptions extends LiveCliOptions {
  headed?: boolean;
  browser?: string;
  timeout?: number;
  thirdPartyCookies?: "allow" | "block";
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0) throw new InvalidArgumentError("expected a number of seconds greater than 0");
  return n;
}

function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`not a URL: '${value}' (expected e.g. http://localhost:3000)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new InvalidArgumentError(`expected an http(s) URL, got '${value}'`);
  return url.href;
}

export function registerBrowse(program: Command): void {
  const cmd = program
    .command("browse")
    .description("open your app in Chromium and lint every request of every page and popup while you sign in; ends when you close the browser")
    .argument("<url>", "the app's URL, e.g. http://localhost:3000", parseUrl)
    .option("--headed", "show the browser window, to sign in yourself (default: headless)")
    .option("--browser <path>", "Chromium or Chrome to run (default: $CHROME_PATH, else chromium, chromium-browser, google-chrome or google-chrome-stable on PATH)")
    .option("--timeout <seconds>", "end the session after this many seconds", parseSeconds)
    .addOption(new Option("--third-party-cookies <mode>", "allow or block third-party cookies in the fresh profile (default: the browser's own setting)").choices(["allow", "block"]));
  addLiveOptions(cmd).action(async (url: string, opts: BrowseCliOptions, command: Command) => {
    const live = await resolveSettings(opts, command);
    if (!live) return;
    const label = `browse ${maskUrl(url)}`;
    const out = process.stdout;
    const printer = new LivePrinter(out, live.config);
    const log = (line: string) => printer.log(`oktalint browse: ${line}`);

    // Entries can come before startBrowse returns (the app's first page), while the
    // browser's version (for the HAR's log.browser) is known only once it runs.
    let session: LiveSession | undefined;
    const early: BrowserHarEntry[] = [];
    const onEntry = (entry: BrowserHarEntry) => {
      if (session) session.addEntry(entry);
      else early.push(entry);
    };

    let browse: BrowseSession;
    try {
      browse = await startBrowse({
        url,
        ...(opts.headed ? { headed: true } : {}),
        ...(opts.browser ? { browserPath: opts.browser } : {}),
        ...(opts.timeout ? { timeoutMs: opts.timeout * 1000 } : {}),
        ...(opts.thirdPartyCookies ? { thirdPartyCookies: opts.thirdPartyCookies } : {}),
        onEntry,
        onLog: log,
      });
    } catch (e) {
      printError(e instanceof BrowseError ? e.message : `cannot start the browser: ${(e as Error).message}`);
      raiseExitCode(EXIT_USAGE);
      return;
    }

    session = openLiveSession(opts, live, { label, producer: { name: "oktalint browse", version: packageVersion(), browser: browse.browser } }, printer);
    if (!session) {
      await browse.close();
      return;
    }
    for (const entry of early.splice(0)) session.addEntry(entry);
    const running = session;
    if (!opts.headed && !opts.timeout) log(kleur.dim("headless with no --timeout: Ctrl-C ends the session (--headed to sign in yourself)"));

    const stop = () => void browse.close();
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    const reason = await browse.done;
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    if (reason === "timeout") log(`--timeout ${opts.timeout} s reached`);

    const result = running.close();
    const { fails } = await finishLive(result, label, opts, live, out);
    if (fails) raiseExitCode(EXIT_FINDINGS);
  });
}
