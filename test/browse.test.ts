/**
 * `oktalint browse`: the DevTools events → HAR conversion (events shaped as
 * Chromium 156 sends them), and the recorder driving headless Chromium
 * (Debian's `chromium` through playwright-core; skipped when it is not
 * installed) against a test app on http://localhost:P that signs in with the
 * real okta-auth-js against the Okta emulator on http://127.0.0.1:Q — another
 * site, so Okta's `sid` cookie is a third-party cookie on the app's pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RULES } from "../rules/index.js";
import { blockedCookiesOf } from "../rules/util-browser.js";
import { hopToEntry, type BrowserHarEntry, type Hop } from "../src/browse/har-entry.js";
import { InOrder, NetworkRecorder } from "../src/browse/network.js";
import { BrowseError, findBrowser, startBrowse, type BrowseSession } from "../src/browse/recorder.js";
import type { CdpEvent } from "../src/browse/cdp.js";
import type { Finding } from "../src/engine/types.js";
import { lintFile, readCapture } from "../src/index.js";
import { LiveSession } from "../src/live/session.js";
import { startOktaEmulator, type OktaEmulator } from "./emulator/okta-emulator.js";
import { startTestApp, type TestApp } from "./browse/app-server.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "dist/src/cli/main.js");
const CHROMIUM = "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);

// ---------------------------------------------------------------------------
// CDP → HAR, without a browser
// ---------------------------------------------------------------------------

const ORG = "http://127.0.0.1:9000";
const APP = "http://localhost:5173";
const SID = "102LECfy8FSe4fRrl6hrQvf8o";
const sidCookie = { name: "sid", value: SID, domain: "127.0.0.1", path: "/", expires: -1, size: 28, httpOnly: true, secure: true, session: true, sameSite: "None", priority: "Medium", sourceScheme: "Secure", sourcePort: 9000 };
const timing = (requestTime: number) => ({ requestTime, dnsStart: -1, dnsEnd: -1, connectStart: 0.5, connectEnd: 1.5, sslStart: -1, sslEnd: -1, sendStart: 2, sendEnd: 2.25, receiveHeadersEnd: 12.25 });

const ev = (method: string, params: Record<string, unknown>, sessionId = "S1"): CdpEvent => ({ method, params, sessionId });

function sent(requestId: string, url: string, at: number, extra: Record<string, unknown> = {}) {
  return ev("Network.requestWillBeSent", {
    requestId,
    loaderId: requestId,
    documentURL: `${APP}/`,
    request: { url, method: "GET", headers: { Accept: "*/*", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36" } },
    timestamp: at,
    wallTime: 1_795_000_000 + at,
    initiator: { type: "script", stack: { callFrames: [{ functionName: "main", url: `${APP}/app.js`, lineNumber: 41, columnNumber: 7 }] } },
    type: "Fetch",
    ...extra,
  });
}

/** A recorder fed by hand; bodies come from `bodies` by requestId. */
function recorder(bodies: Record<string, string> = {}, opts: { orderHoldMs?: number } = {}) {
  const entries: BrowserHarEntry[] = [];
  const asked: [string, string | undefined][] = [];
  const rec = new NetworkRecorder({
    send: async (method, params, sessionId) => {
      const id = (params as { requestId: string }).requestId;
      asked.push([`${method} ${id}`, sessionId]);
      if (method === "Network.getResponseBody" && bodies[id] !== undefined) return { body: bodies[id], base64Encoded: false };
      throw new Error("No resource with given identifier found");
    },
    onEntry: (e) => entries.push(e),
    extraInfoWaitMs: 300,
    ...opts,
  });
  return { rec, entries, asked };
}

describe("NetworkRecorder: one HAR entry per hop, with what DevTools HAR exports lose", () => {
  it("a redirect chain: ExtraInfo before and after the events it completes, Set-Cookie from the raw headers, the body of the last hop", async () => {
    const { rec, entries, asked } = recorder({ R1: "<!doctype html><title>app</title>" });
    const redirectUrl = `${ORG}/login/sessionCookieRedirect?token=20111abc&redirectUrl=${encodeURIComponent(APP + "/?signedIn=1")}`;
    // Chrome may announce a hop's raw request headers before the hop itself.
    rec.handle(ev("Network.requestWillBeSentExtraInfo", { requestId: "R1", associatedCookies: [], headers: { Host: "127.0.0.1:9000", Accept: "text/html", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "document" } }));
    rec.handle(sent("R1", redirectUrl, 100, { type: "Document", initiator: { type: "script" } }));
    rec.handle(ev("Network.responseReceivedExtraInfo", {
      requestId: "R1",
      blockedCookies: [],
      headers: { Location: `${APP}/?signedIn=1`, "Set-Cookie": `sid=${SID}; Path=/; Secure; HttpOnly; SameSite=None\nDT=dt-value-123; Path=/`, "x-okta-request-id": "abc" },
      statusCode: 302,
      headersText: "HTTP/1.1 302 Found\r\nLocation: http://localhost:5173/?signedIn=1\r\n\r\n",
    }));
    rec.handle(sent("R1", `${APP}/?signedIn=1`, 100.05, {
      type: "Document",
      redirectHasExtraInfo: true,
      // The redirect response as the page sees it: no Set-Cookie.
      redirectResponse: { url: redirectUrl, status: 302, statusText: "Found", headers: { Location: `${APP}/?signedIn=1` }, mimeType: "", protocol: "http/1.1", remoteIPAddress: "127.0.0.1", remotePort: 9000, connectionId: 7, timing: timing(100.001) },
    }));
    rec.handle(ev("Network.requestWillBeSentExtraInfo", { requestId: "R1", associatedCookies: [], headers: { Host: "localhost:5173", Accept: "text/html" } }));
    rec.handle(ev("Network.responseReceived", { requestId: "R1", timestamp: 100.07, type: "Document", hasExtraInfo: true, response: { url: `${APP}/?signedIn=1`, status: 200, statusText: "OK", headers: { "Content-Type": "text/html" }, mimeType: "text/html", protocol: "http/1.1", timing: timing(100.051) } }));
    rec.handle(ev("Network.dataReceived", { requestId: "R1", dataLength: 33, encodedDataLength: 33 }));
    rec.handle(ev("Network.loadingFinished", { requestId: "R1", timestamp: 100.08, encodedDataLength: 140 }, "S2"));
    // The last hop's raw response headers arrive after loadingFinished: the entry waits for them.
    await new Promise((r) => setTimeout(r, 20));
    expect(entries).toHaveLength(1);
    rec.handle(ev("Network.responseReceivedExtraInfo", { requestId: "R1", blockedCookies: [], headers: { "Content-Type": "text/html", "Content-Length": "33" }, statusCode: 200, headersText: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 33\r\n\r\n" }));
    await rec.stop();

    expect(entries).toHaveLength(2);
    const [hop0, hop1] = entries as [BrowserHarEntry, BrowserHarEntry];
    expect(hop0.request.url).toBe(redirectUrl);
    expect(hop0.request.headers).toContainEqual({ name: "Sec-Fetch-Site", value: "cross-site" });
    expect(hop0.request.queryString).toContainEqual({ name: "token", value: "20111abc" });
    expect(hop0.response.status).toBe(302);
    expect(hop0.response.statusText).toBe("Found");
    expect(hop0.response.redirectURL).toBe(`${APP}/?signedIn=1`);
    expect(hop0.response.headers.filter((h) => h.name === "Set-Cookie").map((h) => h.value)).toEqual([`sid=${SID}; Path=/; Secure; HttpOnly; SameSite=None`, "DT=dt-value-123; Path=/"]);
    expect(hop0.response.cookies).toEqual([
      { name: "sid", value: SID, path: "/", httpOnly: true, secure: true },
      { name: "DT", value: "dt-value-123", path: "/" },
    ]);
    expect(hop0.response.bodySize).toBe(0);
    expect(hop0.serverIPAddress).toBe("127.0.0.1");
    expect(hop0.connection).toBe("7");
    expect(hop0._resourceType).toBe("document");
    expect(hop0.startedDateTime).toBe(new Date((1_795_000_000 + 100) * 1000).toISOString());
    expect(hop0.timings).toEqual({ blocked: 1.5, dns: -1, connect: 1, ssl: -1, send: 0.25, wait: 10, receive: 36.75 });
    expect(hop0.time).toBe(49.5);

    expect(hop1.request.url).toBe(`${APP}/?signedIn=1`);
    expect(hop1.request.headers).toEqual([{ name: "Host", value: "localhost:5173" }, { name: "Accept", value: "text/html" }]);
    expect(hop1.response.status).toBe(200);
    expect(hop1.response.content).toEqual({ size: 33, mimeType: "text/html", text: "<!doctype html><title>app</title>" });
    const head = Buffer.byteLength("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 33\r\n\r\n");
    expect(hop1.response.headersSize).toBe(head);
    expect(hop1.response.bodySize).toBe(140 - head);
    // The body is asked of the session that reported loadingFinished (a cross-site iframe's, say) first.
    expect(asked).toEqual([["Network.getResponseBody R1", "S2"]]);
  });

  it("a CORS failure keeps the status, the error and the CORS reason; the cookies the browser considered are kept, without their values", async () => {
    const { rec, entries } = recorder();
    rec.handle(sent("R2", `${ORG}/api/v1/users/me`, 200));
    rec.handle(ev("Network.requestWillBeSentExtraInfo", {
      requestId: "R2",
      associatedCookies: [
        { cookie: sidCookie, blockedReasons: ["UserPreferences"], exemptionReason: "None" },
        { cookie: { ...sidCookie, name: "DT", value: "dt-value-123" }, blockedReasons: [], exemptionReason: "None" },
      ],
      headers: { Host: "127.0.0.1:9000", Origin: APP, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors", Cookie: "DT=dt-value-123" },
    }));
    rec.handle(ev("Network.responseReceivedExtraInfo", { requestId: "R2", blockedCookies: [], headers: { "Content-Type": "application/json" }, statusCode: 403 }));
    rec.handle(ev("Network.loadingFailed", { requestId: "R2", timestamp: 200.02, type: "Fetch", errorText: "net::ERR_FAILED", canceled: false, corsErrorStatus: { corsError: "MissingAllowOriginHeader", failedParameter: "" } }));
    await rec.stop();

    expect(entries).toHaveLength(1);
    const e = entries[0]!;
    expect(e.response.status).toBe(403);
    expect(e.response._error).toBe("net::ERR_FAILED");
    expect(e._corsError).toEqual({ corsError: "MissingAllowOriginHeader", failedParameter: "" });
    expect(e.request.cookies).toEqual([{ name: "DT", value: "dt-value-123" }]);
    const { value: _v, ...sidWithoutValue } = sidCookie;
    expect(e._associatedCookies).toEqual([
      { cookie: sidWithoutValue, blockedReasons: ["UserPreferences"] },
      { cookie: { ...sidWithoutValue, name: "DT" }, blockedReasons: [] },
    ]);
    expect(JSON.stringify(e)).not.toContain(SID);
    expect(e._initiator).toEqual({ type: "script", stack: { callFrames: [{ functionName: "main", url: `${APP}/app.js`, lineNumber: 41, columnNumber: 7 }] } });
  });

  it("a refused Set-Cookie is kept with its reasons, the value of its line masked", () => {
    const hop: Hop = {
      sent: (sent("R3", `${ORG}/idp/idx/identify`, 300).params as unknown) as Hop["sent"],
      response: { url: `${ORG}/idp/idx/identify`, status: 200, statusText: "OK", headers: {}, mimeType: "application/json", protocol: "h2" },
      responseExtra: {
        requestId: "R3",
        statusCode: 200,
        headers: { "content-type": "application/json", "set-cookie": `idx=${SID}; Path=/; Secure; HttpOnly; SameSite=None` },
        blockedCookies: [{ blockedReasons: ["UserPreferences"], cookieLine: `idx=${SID}; Path=/; Secure; HttpOnly; SameSite=None`, cookie: { ...sidCookie, name: "idx" } }],
      },
      end: { kind: "finished", timestamp: 300.01, encodedDataLength: 400 },
      dataLength: 2,
      body: { text: "{}", base64: false },
    };
    const e = hopToEntry(hop);
    expect(e.response.httpVersion).toBe("HTTP/2");
    expect(e.request.httpVersion).toBe("HTTP/2");
    expect(e._blockedCookies).toEqual([{ blockedReasons: ["UserPreferences"], cookieLine: "idx=102…f8o (25 chars); Path=/; Secure; HttpOnly; SameSite=None", cookie: (({ value: _x, ...rest }) => rest)({ ...sidCookie, name: "idx" }) }]);
    // Only the Set-Cookie header carries the value (where `oktalint redact` masks it).
    expect(JSON.stringify(e).split(SID).length - 1).toBe(2);
  });

  it("requests still in flight when the recording stops keep what arrived (raw headers, cookies considered, the response, the body the browser holds); only what is missing is marked; non-http(s) requests are not recorded", async () => {
    const asked: string[] = [];
    const entries: BrowserHarEntry[] = [];
    const rec = new NetworkRecorder({
      send: async (method, params) => {
        const id = (params as { requestId: string }).requestId;
        asked.push(`${method} ${id}`);
        // The page never read R6's body: the browser still streams it (its buffered part), and never finished the load.
        if (method === "Network.streamResourceContent" && id === "R6") return { bufferedData: Buffer.from('{"errorCode":"E00').toString("base64") };
        if (method === "Network.streamResourceContent" && id === "R7") return { bufferedData: Buffer.from('{"errorCode":"E0000007"}').toString("base64") };
        throw new Error("No data found for resource with given identifier");
      },
      onEntry: (e) => entries.push(e),
    });
    rec.handle(sent("R4", "data:text/plain,hi", 400));
    // A favicon the browser asked for on its own: no response yet.
    rec.handle(sent("R5", `${APP}/favicon.ico`, 400.5, { type: "Other" }));
    for (const [id, at] of [["R6", 401], ["R7", 402]] as const) {
      rec.handle(sent(id, `${ORG}/api/v1/sessions/me`, at));
      rec.handle(ev("Network.requestWillBeSentExtraInfo", { requestId: id, associatedCookies: [], headers: { Host: "127.0.0.1:9000", Origin: APP, "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors" } }));
      rec.handle(ev("Network.responseReceivedExtraInfo", { requestId: id, blockedCookies: [], headers: { "Content-Type": "application/json", "Content-Length": "24" }, statusCode: 404 }));
      rec.handle(ev("Network.responseReceived", { requestId: id, timestamp: at + 0.01, type: "Fetch", hasExtraInfo: true, response: { url: `${ORG}/api/v1/sessions/me`, status: 404, statusText: "Not Found", headers: { "Content-Type": "application/json", "Content-Length": "24" }, mimeType: "application/json" } }));
    }
    expect(rec.inFlight).toBe(3);
    await rec.stop();
    expect(entries.map((e) => [e.request.url, e.response.status, e.response._error])).toEqual([
      [`${APP}/favicon.ico`, 0, "unfinished: the recording stopped before the response ended"],
      [`${ORG}/api/v1/sessions/me`, 404, undefined],
      [`${ORG}/api/v1/sessions/me`, 404, undefined],
    ]);
    const [, cut, whole] = entries as [BrowserHarEntry, BrowserHarEntry, BrowserHarEntry];
    for (const e of [cut, whole]) {
      expect(e.request.headers).toContainEqual({ name: "Origin", value: APP });
      expect(e.request.headers).toContainEqual({ name: "Sec-Fetch-Mode", value: "cors" });
      expect(e._associatedCookies).toEqual([]);
    }
    expect(cut.response.content).toEqual({ size: 17, mimeType: "application/json", text: '{"errorCode":"E00', comment: "body cut short: 17 bytes had arrived when the recording stopped" });
    expect(whole.response.content).toEqual({ size: 24, mimeType: "application/json", text: '{"errorCode":"E0000007"}' });
    expect(asked).toContain("Network.getResponseBody R6");
  });

  it("a popup's first request announced before its recording was on is rebuilt from the held request and the events that followed", async () => {
    const { rec, entries } = recorder();
    rec.handle(sent("R0", `${APP}/`, 50)); // any request: the recorder learns the browser's clock from it
    const url = `${ORG}/oauth2/v1/authorize?client_id=0oa1&response_type=code&prompt=none`;
    rec.noteRequest("P1", { url, method: "GET", headers: { "Upgrade-Insecure-Requests": "1" } }, "Document");
    rec.handle(ev("Network.requestWillBeSentExtraInfo", { requestId: "P1", associatedCookies: [{ cookie: sidCookie, blockedReasons: ["UserPreferences"] }], headers: { Host: "127.0.0.1:9000", "Sec-Fetch-Mode": "navigate" } }, "POPUP"));
    rec.handle(ev("Network.responseReceivedExtraInfo", { requestId: "P1", blockedCookies: [], headers: { Location: `${APP}/callback?error=login_required` }, statusCode: 302 }, "POPUP"));
    rec.handle(sent("P1", `${APP}/callback?error=login_required`, 60.02, {
      type: "Document",
      redirectHasExtraInfo: true,
      redirectResponse: { url, status: 302, statusText: "Found", headers: {}, mimeType: "", timing: timing(60) },
    }));
    rec.handle(ev("Network.loadingFailed", { requestId: "P1", timestamp: 60.03, type: "Document", errorText: "net::ERR_ABORTED", canceled: true }, "POPUP"));
    rec.handle(ev("Network.loadingFinished", { requestId: "R0", timestamp: 50.1, encodedDataLength: 0 }));
    await rec.stop();
    const popup = entries.filter((e) => e.request.url === url);
    expect(popup).toHaveLength(1);
    const e = popup[0]!;
    expect(e.request.method).toBe("GET");
    expect(e.request.headers).toEqual([{ name: "Host", value: "127.0.0.1:9000" }, { name: "Sec-Fetch-Mode", value: "navigate" }]);
    expect(e.response.status).toBe(302);
    expect(e.response.redirectURL).toBe(`${APP}/callback?error=login_required`);
    expect(e._resourceType).toBe("document");
    expect(e._associatedCookies).toEqual([{ cookie: (({ value: _x, ...rest }) => rest)(sidCookie), blockedReasons: ["UserPreferences"] }]);
    expect(e._recovered).toMatch(/^the request was announced before its page was recorded: rebuilt from the request the browser held/);
    expect(e.startedDateTime).toBe(new Date((1_795_000_000 + 60) * 1000).toISOString());
    expect(entries.map((x) => x.request.url)).toEqual([`${APP}/`, url, `${APP}/callback?error=login_required`]);
  });

  it("entries come out in the order their requests started, unless an earlier one is held up too long", async () => {
    const { rec, entries } = recorder({}, { orderHoldMs: 150 });
    rec.handle(sent("A", `${ORG}/a`, 1));
    rec.handle(sent("B", `${ORG}/b`, 2));
    rec.handle(sent("C", `${ORG}/c`, 3));
    rec.handle(ev("Network.loadingFinished", { requestId: "B", timestamp: 2.1, encodedDataLength: 0 }));
    await new Promise((r) => setTimeout(r, 30));
    expect(entries).toHaveLength(0);
    rec.handle(ev("Network.loadingFinished", { requestId: "A", timestamp: 2.2, encodedDataLength: 0 }));
    await new Promise((r) => setTimeout(r, 30));
    expect(entries.map((e) => e.request.url)).toEqual([`${ORG}/a`, `${ORG}/b`]);
    rec.handle(sent("D", `${ORG}/d`, 4));
    rec.handle(ev("Network.loadingFinished", { requestId: "D", timestamp: 4.1, encodedDataLength: 0 }));
    // C never finishes: D goes out after the hold.
    await new Promise((r) => setTimeout(r, 250));
    expect(entries.map((e) => e.request.url)).toEqual([`${ORG}/a`, `${ORG}/b`, `${ORG}/d`]);
    await rec.stop();
    expect(entries.map((e) => e.request.url)).toEqual([`${ORG}/a`, `${ORG}/b`, `${ORG}/d`, `${ORG}/c`]);
  });

  it("InOrder: in sequence order; an item on the wire is passed after the hold, one being processed never", () => {
    const out: number[] = [];
    const order = new InOrder<number>(0, (n) => out.push(n));
    const [a, b, c, d] = [order.allocate(), order.allocate(), order.allocate(), order.allocate()];
    order.finished(a);
    order.done(c, c);
    // a is being processed (its body is on its way): c waits, however long.
    expect(out).toEqual([]);
    order.done(a, a);
    // b is still on the wire and the hold is 0: c goes past it.
    expect(out).toEqual([a, c]);
    order.done(b);
    order.done(d, d);
    expect(out).toEqual([a, c, d]);
  });
});

describe("findBrowser", () => {
  it("uses --browser, then CHROME_PATH, then PATH; says what to do when there is none", () => {
    const bin = mkdtempSync(join(tmpdir(), "oktalint-bin-"));
    try {
      expect(() => findBrowser(undefined, { PATH: bin })).toThrow(new BrowseError("no Chromium or Chrome found on PATH (looked for chromium, chromium-browser, google-chrome, google-chrome-stable): install one (apt-get install chromium) or pass --browser PATH"));
      expect(() => findBrowser("/nonexistent/chrome", { PATH: bin })).toThrow("browser not found: /nonexistent/chrome (--browser)");
      const chrome = join(bin, "google-chrome-stable");
      writeFileSync(chrome, "#!/bin/sh\n", { mode: 0o755 });
      expect(findBrowser(undefined, { PATH: `/nonexistent:${bin}` })).toBe(chrome);
      expect(findBrowser("google-chrome-stable", { PATH: bin })).toBe(chrome);
      expect(findBrowser(undefined, { PATH: "", CHROME_PATH: chrome })).toBe(chrome);
      writeFileSync(join(bin, "not-exec"), "", { mode: 0o644 });
      expect(() => findBrowser(join(bin, "not-exec"))).toThrow(`browser is not executable: ${join(bin, "not-exec")} (--browser)`);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------
// In the browser
// ---------------------------------------------------------------------------

interface Run {
  entries: BrowserHarEntry[];
  /** Findings of the live session, as they were reported. */
  live: Finding[];
  liveSession: LiveSession;
  result: Record<string, unknown>;
  session: BrowseSession;
  maskedHar: string;
}

describe.skipIf(!HAVE_CHROMIUM)(`oktalint browse in headless Chromium (${HAVE_CHROMIUM ? CHROMIUM : `skipped: ${CHROMIUM} is not installed (apt-get install chromium)`})`, () => {
  let app: TestApp;
  let okta: OktaEmulator;
  let thirdParty: Server;
  let thirdPartyUrl: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "oktalint-browse-test-"));
    app = await startTestApp();
    okta = await startOktaEmulator({ browser: { trustedOrigins: [app.origin] }, redirectUris: [`${app.origin}/callback`, `${app.origin}/logout/callback`] });
    const user = okta.users[0]!;
    app.configure({ issuer: okta.url, username: user.login, password: user.password, spaClientId: okta.spaClientId, apiToken: okta.apiToken });
    // Another site that sets a cookie from a cross-site fetch (what a browser blocking third-party cookies refuses).
    thirdParty = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": app.origin, "access-control-allow-credentials": "true", "set-cookie": "tp=tp-secret-value-0123456789; Path=/; Secure; HttpOnly; SameSite=None" });
      res.end("{}");
    });
    await new Promise<void>((resolve) => thirdParty.listen(0, "127.0.0.1", resolve));
    thirdPartyUrl = `http://127.0.0.1:${(thirdParty.address() as AddressInfo).port}/set`;
  });

  afterAll(async () => {
    await app?.close();
    await okta?.close();
    await new Promise<void>((resolve) => (thirdParty ? thirdParty.close(() => resolve()) : resolve()));
    thirdParty?.closeAllConnections();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Sign in through the test app, linting live as the browse command does, with a masked --har. */
  async function signIn(thirdPartyCookies: "allow" | "block", name: string): Promise<Run> {
    const entries: BrowserHarEntry[] = [];
    const live: Finding[] = [];
    const maskedHar = join(dir, `${name}.masked.har`);
    const liveSession = new LiveSession({
      rules: RULES,
      label: `browse ${app.origin}/`,
      producer: { name: "oktalint browse", version: "0.1.0" },
      har: { path: maskedHar },
      onFinding: (f) => live.push(f),
    });
    const session = await startBrowse({
      url: `${app.origin}/`,
      browserPath: CHROMIUM,
      thirdPartyCookies,
      onEntry: (e) => {
        entries.push(e);
        liveSession.addEntry(e, { kind: "browser", evidence: ["recorded in the browser by oktalint browse"] });
      },
    });
    await session.page.waitForFunction(() => document.title === "done", undefined, { timeout: 20_000 });
    const result = (await session.page.evaluate(() => (window as unknown as { __result: Record<string, unknown> }).__result)) ?? {};
    return { entries, live, liveSession, result, session, maskedHar };
  }

  function writeHar(entries: BrowserHarEntry[], name: string): string {
    const file = join(dir, `${name}.har`);
    writeFileSync(file, JSON.stringify({ log: { version: "1.2", creator: { name: "oktalint browse", version: "0.1.0" }, browser: { name: "Chromium", version: "156" }, entries } }, null, 1));
    return file;
  }

  const byUrl = (entries: BrowserHarEntry[], method: string, path: string) => entries.filter((e) => e.request.method === method && new URL(e.request.url).pathname === path);

  it("3rd-party cookies allowed: records the sign-in, a popup's first request, and cookie-missing names the missing credentials: \"include\"", async () => {
    const entries: BrowserHarEntry[] = [];
    const session = await startBrowse({ url: `${app.origin}/`, browserPath: CHROMIUM, thirdPartyCookies: "allow", onEntry: (e) => entries.push(e) });
    expect(session.browser.name).toBe("Chromium");
    expect(session.browser.version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await session.page.waitForFunction(() => document.title === "done", undefined, { timeout: 20_000 });
    expect(await session.page.evaluate(() => (window as unknown as { __result: unknown }).__result)).toEqual({ session: "ACTIVE", withoutCredentials: 403, withCredentials: 200 });

    // A popup straight to Okta: its very first request (the navigation) must be recorded.
    const [popup] = await Promise.all([session.context.waitForEvent("page"), session.page.evaluate((u) => void window.open(u), `${okta.url}/api/v1/sessions/me`)]);
    await popup.waitForLoadState("load");
    await popup.close();
    // The user closes the last page: the session ends.
    await session.page.close();
    expect(await session.done).toBe("closed");

    // Start order: the document, its scripts, the sign-in, the redirect that sets sid, the page it lands on…
    const paths = entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`);
    expect(paths.slice(0, 4)).toEqual(["GET /", "GET /okta-auth-js.min.js", "GET /config.js", "GET /app.js"]);
    expect(paths.indexOf("POST /api/v1/authn")).toBeLessThan(paths.indexOf("GET /login/sessionCookieRedirect"));
    expect(paths.indexOf("GET /login/sessionCookieRedirect")).toBeLessThan(paths.lastIndexOf("GET /api/v1/sessions/me"));
    expect(byUrl(entries, "OPTIONS", "/api/v1/authn")).toHaveLength(1);

    const redirect = byUrl(entries, "GET", "/login/sessionCookieRedirect")[0]!;
    expect(redirect.response.status).toBe(302);
    expect(redirect.response.redirectURL).toBe(`${app.origin}/?signedIn=1`);
    expect(redirect.response.cookies.map((c) => c.name)).toEqual(["sid"]);
    const sid = String(redirect.response.cookies[0]!["value"]);

    // The app's session check, then the popup's navigation (first-party: sid goes along).
    expect(byUrl(entries, "GET", "/api/v1/sessions/me").map((e) => [e._resourceType, e.response.status, e.request.cookies.map((c) => c.name)])).toEqual([
      ["fetch", 200, ["sid"]],
      ["document", 200, ["sid"]],
    ]);
    const [noCreds, withCreds] = byUrl(entries, "GET", "/api/v1/users/me");
    expect(noCreds!.request.cookies).toEqual([]);
    expect(noCreds!.response.status).toBe(403);
    expect(withCreds!.request.cookies).toEqual([{ name: "sid", value: sid }]);
    expect(withCreds!.response.status).toBe(200);
    expect(JSON.parse(withCreds!.response.content.text!)).toMatchObject({ profile: { login: okta.users[0]!.login } });
    // Nothing was blocked. Chrome considered sid for the credentialed calls, and no cookie at all for the other one.
    // (A request the browser makes on its own, such as /favicon.ico, may still be in flight when the page closes:
    // it has no cookie data, and nothing here depends on it.)
    expect(entries.filter((e) => e._blockedCookies || ((e._associatedCookies ?? []) as { blockedReasons: string[] }[]).some((a) => a.blockedReasons.length > 0))).toEqual([]);
    expect(noCreds!._associatedCookies).toEqual([]);
    expect(withCreds!._associatedCookies).toEqual([{ cookie: expect.objectContaining({ name: "sid", domain: "127.0.0.1" }), blockedReasons: [] }]);
    expect(JSON.stringify(entries.map((e) => e._associatedCookies))).not.toContain(sid);

    const file = writeHar(entries, "allowed");
    const { findings } = await lintFile(file);
    const cm = findings.filter((f) => f.ruleId === "cookie-missing");
    expect(cm.map((f) => [f.messageId, f.entry, f.confidence])).toEqual([["noCredentials", entries.indexOf(noCreds!), "certain"]]);
    expect(cm[0]!.message).toContain('the page must call it with credentials: "include" (fetch)');
    expect(cm[0]!.message).toContain(`sid set at entry ${entries.indexOf(redirect)}`);
    expect(findings.filter((f) => f.ruleId === "third-party-cookies-blocked")).toEqual([]);
  }, 60_000);

  it("3rd-party cookies blocked: the browser's reason (UserPreferences) reaches the finding, live and from the HAR, and survives a round trip", async () => {
    const run = await signIn("block", "blocked");
    expect(run.result).toEqual({ session: "INACTIVE", withoutCredentials: 403, withCredentials: 403 });
    // A cookie set by a cross-site fetch: refused too.
    await run.session.page.evaluate((u) => fetch(u, { credentials: "include" }).then((r) => r.status), thirdPartyUrl);
    await run.session.close();
    expect(await run.session.done).toBe("closed");
    const liveResult = run.liveSession.close();
    const { entries } = run;

    const sessionsMe = byUrl(entries, "GET", "/api/v1/sessions/me")[0]!;
    const withCreds = byUrl(entries, "GET", "/api/v1/users/me")[1]!;
    for (const e of [sessionsMe, withCreds]) {
      expect(e.request.cookies).toEqual([]);
      expect(e._associatedCookies).toEqual([{ cookie: expect.objectContaining({ name: "sid", domain: "127.0.0.1", path: "/", sameSite: "None", secure: true }), blockedReasons: ["UserPreferences"] }]);
    }
    const tp = entries.find((e) => e.request.url === thirdPartyUrl)!;
    expect(tp._blockedCookies).toEqual([{ blockedReasons: ["UserPreferences"], cookieLine: "tp=tp-…789 (26 chars); Path=/; Secure; HttpOnly; SameSite=None", cookie: expect.objectContaining({ name: "tp" }) }]);

    // The HAR: valid HAR 1.2 (`_` fields are allowed), and the reader gives the rules the same reports.
    const file = writeHar(entries, "blocked");
    const validate = spawnSync(process.execPath, [CLI, "validate", file, "--strict", "--format", "json"], { encoding: "utf8" });
    expect(validate.status, validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true, errors: 0 });
    const capture = await readCapture(file);
    const exchanges = capture.calls.map((c) => c.exchange);
    const readBack = exchanges.find((x) => x.index === entries.indexOf(withCreds));
    expect(blockedCookiesOf(readBack!)).toEqual([{ side: "request", name: "sid", reasons: ["UserPreferences"], path: "_associatedCookies[0]" }]);

    const { findings } = await lintFile(file);
    const tpc = findings.filter((f) => f.ruleId === "third-party-cookies-blocked" && f.messageId === "blockedSend");
    // Not the other site's fetch: 127.0.0.1 on another port is not the Okta that proved itself on the emulator's port.
    expect(tpc.map((f) => f.entry)).toEqual([entries.indexOf(sessionsMe), entries.indexOf(withCreds)]);
    for (const f of tpc) {
      expect(f.confidence).toBe("certain");
      expect(f.message).toContain("it reported UserPreferences (the user's settings block third-party cookies)");
      expect(f.evidence).toContain("not sent: sid (UserPreferences)");
    }
    // A blocked third-party cookie is not a missing credentials: "include"; but the call made without
    // credentials is that, for certain: Chrome considered no cookie at all for it (sid would have been
    // considered, and blocked, had the page asked for credentials).
    const noCreds = byUrl(entries, "GET", "/api/v1/users/me")[0]!;
    expect(noCreds._associatedCookies).toEqual([]);
    const cm = findings.filter((f) => f.ruleId === "cookie-missing");
    expect(cm.map((f) => [f.messageId, f.entry, f.confidence])).toEqual([["noCredentials", entries.indexOf(noCreds), "certain"]]);
    expect(cm[0]!.evidence.join("\n")).toContain("the browser considered no cookie for this request");
    expect(findings.filter((f) => f.ruleId === "third-party-cookies-blocked" && f.entry === entries.indexOf(noCreds))).toEqual([]);

    // Live: the same findings as from the file (and as from the --har it wrote, message for message); the masked HAR has no cookie value in it.
    const key = (f: Finding) => `${f.ruleId}/${f.messageId}@${f.entry}`;
    expect(run.live.map(key).sort()).toEqual(findings.map(key).sort());
    const fromHar = (await lintFile(run.maskedHar)).findings;
    const shape = (fs: readonly Finding[]) => fs.map((f) => [f.ruleId, f.severity, f.confidence, f.entry, f.message, f.symptoms.map((x) => [x.ruleId, x.entry, x.message])]);
    expect(shape(liveResult.findings)).toEqual(shape(fromHar));
    const masked = readFileSync(run.maskedHar, "utf8");
    const sid = String(byUrl(entries, "GET", "/login/sessionCookieRedirect")[0]!.response.cookies[0]!["value"]);
    expect(sid).toMatch(/^102/);
    expect(masked).not.toContain(sid);
    expect(masked).not.toContain("tp-secret-value-0123456789");
    expect(masked).not.toContain(okta.users[0]!.password);
  }, 60_000);

  /**
   * One scenario of the app under `oktalint browse`, linted live as the CLI does (entries as the
   * recorder emits them, findings withdrawn when later traffic refutes them), with its --har.
   */
  async function browseScenario(url: string, name: string, opts: { thirdPartyCookies?: "allow" | "block"; raw?: boolean } = {}) {
    const entries: BrowserHarEntry[] = [];
    const har = join(dir, `${name}.har`);
    const withdrawn: string[] = [];
    const liveSession = new LiveSession({
      rules: RULES,
      label: `browse ${url}`,
      producer: { name: "oktalint browse", version: "0.1.0", browser: { name: "Chromium", version: "156" } },
      har: { path: har, raw: opts.raw ?? false },
      onRetract: (f) => withdrawn.push(`${f.ruleId}@${f.entry}`),
    });
    const session = await startBrowse({
      url,
      browserPath: CHROMIUM,
      ...(opts.thirdPartyCookies ? { thirdPartyCookies: opts.thirdPartyCookies } : {}),
      onEntry: (e) => {
        entries.push(e);
        liveSession.addEntry(e);
      },
    });
    await session.page.waitForFunction(() => document.title === "done", undefined, { timeout: 30_000 });
    const result = (await session.page.evaluate(() => (window as unknown as { __result: Record<string, unknown> }).__result)) ?? {};
    await session.close();
    const live = liveSession.close();
    const linted = await lintFile(har);
    return { entries, result, live: live.findings, linted: linted.findings, har, withdrawn };
  }

  /** A finding as a reader sees it: rule, severity, confidence, entry, message, and its symptoms the same way. */
  const shape = (fs: readonly Finding[]) =>
    fs.map((f) => [f.ruleId, f.severity, f.confidence, f.entry, f.message, f.symptoms.map((x) => [x.ruleId, x.severity, x.entry, x.message])]);
  const problems = (fs: readonly Finding[]) => fs.filter((f) => f.severity !== "info").map((f) => `${f.ruleId} (${f.severity}) at entry ${f.entry}: ${f.message}`);

  it("a correct PKCE sign-in, session check and sign-out with revoke (okta-auth-js 8): quiet, and the live report is lint of the --har, message for message", async () => {
    // Third-party cookies allowed (this headless Chromium blocks them by default): session.exists() reads Okta's sid cross-site.
    const run = await browseScenario(`${app.origin}/?scenario=pkce`, "pkce", { thirdPartyCookies: "allow" });
    expect(run.result).toEqual({ tokens: ["accessToken", "idToken"], sessionExists: true, signedOut: true });
    const calls = run.entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`);
    for (const c of ["POST /api/v1/authn", "GET /oauth2/v1/authorize", "POST /oauth2/v1/token", "GET /api/v1/sessions/me", "POST /oauth2/v1/revoke", "GET /oauth2/v1/logout"]) expect(calls).toContain(c);
    expect(problems(run.live)).toEqual([]);
    expect(shape(run.live)).toEqual(shape(run.linted));
    // The authorization code and the tokens are masked in the --har file.
    const code = new URL(run.entries.find((e) => new URL(e.request.url).pathname === "/callback")!.request.url).searchParams.get("code")!;
    const tokenBody = JSON.parse(run.entries.find((e) => e.request.method === "POST" && e.request.url.endsWith("/oauth2/v1/token"))!.response.content.text!) as { access_token: string; id_token: string };
    const masked = readFileSync(run.har, "utf8");
    for (const secret of [code, tokenBody.access_token, tokenBody.id_token, okta.users[0]!.password]) expect(masked).not.toContain(secret);
  }, 60_000);

  it("a correct SPA calling its own API with the access token as Bearer (okta-auth-js 8, PKCE): quiet; the call is in the flow summary as \"your API\", the token masked; live = lint of the --har", async () => {
    const run = await browseScenario(`${app.origin}/?scenario=api`, "spa-api", { thirdPartyCookies: "allow" });
    expect(run.result).toEqual({ messages: 200 });
    const call = byUrl(run.entries, "GET", "/api/messages")[0]!;
    const bearer = call.request.headers.find((h) => h.name.toLowerCase() === "authorization")!.value.replace(/^Bearer /, "");
    expect(bearer).toMatch(/^eyJ/);
    expect(problems(run.live)).toEqual([]);
    expect(run.live.filter((f) => f.entry === run.entries.indexOf(call))).toEqual([]);
    expect(shape(run.live)).toEqual(shape(run.linted));
    // The flow summary: the app's API, as "your API", the access token masked.
    const capture = await readCapture(run.har);
    expect((capture.foreign ?? []).map((fc) => [fc.exchange.index, fc.role, fc.tokens.map((t) => `${t.kind} ${t.position}`)])).toEqual([[run.entries.indexOf(call), "app", ["access header"]]]);
    const out = spawnSync(process.execPath, [CLI, "lint", run.har, "--no-color"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain("Okta tokens on 1 other call (your API 1)");
    expect(out.stdout).toMatch(/ localhost:\d+\/api\/messages +your API +Bearer access token eyJ\S*… .* 200\n/);
    expect(out.stdout).not.toContain(bearer);
    expect(readFileSync(run.har, "utf8")).not.toContain(bearer);
  }, 60_000);

  it("the SPA sends the ID token as Bearer to its API, and its analytics snippet sends it to a tracker on another origin: id-token-as-access-token first, then token-to-third-party; live = lint", async () => {
    const before = app.tracked.length;
    const run = await browseScenario(`${app.origin}/?scenario=api-id-token`, "spa-id-token", { thirdPartyCookies: "allow" });
    expect(run.result).toEqual({ messages: 401, tracker: 204 });
    const api = byUrl(run.entries, "GET", "/api/messages")[0]!;
    const beacon = run.entries.find((e) => e.request.url.startsWith(`${app.trackerOrigin}/collect?`))!;
    expect(app.tracked.slice(before)).toHaveLength(1);
    const idToken = new URL(beacon.request.url).searchParams.get("id_token")!;
    expect(idToken).toMatch(/^eyJ/);
    // Both are errors: the order between them is the order the browser finished the two calls in.
    expect(problems(run.live).map((p) => p.split(":")[0]).sort()).toEqual([
      `id-token-as-access-token (error) at entry ${run.entries.indexOf(api)}`,
      `token-to-third-party (error) at entry ${run.entries.indexOf(beacon)}`,
    ]);
    const tp = run.live.find((f) => f.ruleId === "token-to-third-party")!;
    expect(tp.message).toContain(`${new URL(app.trackerOrigin).host} received an ID token`);
    expect(tp.confidence).toBe("likely");
    // The ID token in the beacon's URL is the leak itself: token-in-url is its symptom, not a second problem.
    expect(run.live.filter((f) => f.ruleId === "token-in-url")).toEqual([]);
    for (const f of run.live) expect(JSON.stringify(f)).not.toContain(idToken);
    expect(shape(run.live)).toEqual(shape(run.linted));
    const capture = await readCapture(run.har);
    expect(new Map((capture.foreign ?? []).map((fc) => [fc.exchange.index, fc.role]))).toEqual(
      new Map([
        [run.entries.indexOf(api), "app"],
        [run.entries.indexOf(beacon), "third-party"],
      ]),
    );
    expect(readFileSync(run.har, "utf8")).not.toContain(idToken);
  }, 60_000);

  it("a fetch without credentials whose body is never read: recorded with its Origin, Sec-Fetch-* and the cookies the browser considered; cookie-missing first, certain; live = lint", async () => {
    const run = await browseScenario(`${app.origin}/`, "no-credentials", { thirdPartyCookies: "allow" });
    expect(run.result).toEqual({ session: "ACTIVE", withoutCredentials: 403, withCredentials: 200 });
    const noCreds = byUrl(run.entries, "GET", "/api/v1/users/me")[0]!;
    expect(noCreds.request.headers.map((h) => h.name)).toEqual(expect.arrayContaining(["Origin", "Sec-Fetch-Mode", "Sec-Fetch-Site"]));
    expect(noCreds._associatedCookies).toEqual([]);
    expect(noCreds.response.status).toBe(403);
    expect(noCreds.response._error).toBeUndefined();
    expect(run.live[0]).toMatchObject({ ruleId: "cookie-missing", messageId: "noCredentials", confidence: "certain", entry: run.entries.indexOf(noCreds) });
    expect(problems(run.live)).toHaveLength(1);
    expect(shape(run.live)).toEqual(shape(run.linted));
  }, 60_000);

  it("embedded sign-in (sid set in the cross-site /authorize iframe, kept), then a session check without credentials: cookie-missing first, certain; the code in the iframe's page is masked; live = lint", async () => {
    const run = await browseScenario(`${app.origin}/?scenario=embedded`, "embedded", { thirdPartyCookies: "allow" });
    expect(run.result).toEqual({ tokens: ["accessToken", "idToken"], sessionCheck: 404 });
    const iframe = run.entries.find((e) => new URL(e.request.url).pathname === "/oauth2/v1/authorize")!;
    expect(iframe.request.headers).toContainEqual({ name: "Sec-Fetch-Dest", value: "iframe" });
    expect(iframe.response.cookies.map((c) => c.name)).toEqual(["sid"]);
    expect(iframe._blockedCookies).toBeUndefined();
    const check = byUrl(run.entries, "GET", "/api/v1/sessions/me").at(-1)!;
    expect(run.live[0]).toMatchObject({ ruleId: "cookie-missing", messageId: "noCredentials", confidence: "certain", entry: run.entries.indexOf(check) });
    expect(run.live[0]!.message).toContain(`sid set at entry ${run.entries.indexOf(iframe)}`);
    expect(problems(run.live)).toHaveLength(1);
    expect(shape(run.live)).toEqual(shape(run.linted));
    const code = /code: '([^']+)'/.exec(iframe.response.content.text!)![1]!;
    expect(code.length).toBeGreaterThan(20);
    expect(readFileSync(run.har, "utf8")).not.toContain(code);
  }, 60_000);

  it("an SSWS token from the page: ssws-in-browser first, certain; live = lint of the --har, message for message", async () => {
    // The masked --har: the redactor's marker of an API token keeps what a mask shows, so messages agree.
    const run = await browseScenario(`${app.origin}/?scenario=ssws`, "ssws");
    expect(run.result).toEqual({ users: 200 });
    expect(run.live[0]).toMatchObject({ ruleId: "ssws-in-browser", messageId: "browser", severity: "error", confidence: "certain" });
    expect(run.live[0]!.message).not.toContain(okta.apiToken);
    // Whatever order the preflight and its request arrive in, no "no request followed" stays.
    expect(run.live.filter((f) => f.messageId === "preflight")).toEqual([]);
    expect(shape(run.live)).toEqual(shape(run.linted));
  }, 60_000);

  it("a sign-in from an untrusted origin: untrusted-origin first, no 'use https' on loopback, no sanitized-capture (nothing was sent); live = lint", async () => {
    const run = await browseScenario(`${app.untrustedOrigin}/?scenario=untrusted`, "untrusted");
    expect(run.result).toEqual({ signIn: "failed" });
    expect(run.live[0]).toMatchObject({ ruleId: "untrusted-origin", messageId: "preflightRejected", severity: "error" });
    expect(run.live[0]!.message).toContain(`${app.untrustedOrigin} is not a Trusted Origin`);
    expect(run.live.map((f) => f.message).join("\n")).not.toMatch(/use https/);
    expect(run.live.map((f) => f.ruleId)).not.toContain("sanitized-capture");
    expect(shape(run.live)).toEqual(shape(run.linted));
  }, 60_000);

  it("ends on --timeout with everything recorded so far", async () => {
    const entries: BrowserHarEntry[] = [];
    const session = await startBrowse({ url: `${app.origin}/popup.html`, browserPath: CHROMIUM, timeoutMs: 3000, onEntry: (e) => entries.push(e) });
    expect(await session.done).toBe("timeout");
    expect(entries.map((e) => [e.request.url, e.response.status, e._resourceType])).toEqual([[`${app.origin}/popup.html`, 200, "document"]]);
    expect(session.context.pages()).toEqual([]);
  }, 30_000);

  it("the CLI: a page that cannot be opened is one log line, with a code in its URL masked", async () => {
    const code = "abcdefghijklmnopqrstuv";
    const res = spawnSync(process.execPath, [CLI, "browse", `http://127.0.0.1:9/callback?code=${code}`, "--browser", CHROMIUM, "--timeout", "2"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^oktalint browse: could not open http:\/\/127\.0\.0\.1:9\/callback\?code=abc…uv \(22 chars\): /m);
    expect(res.stdout + res.stderr).not.toContain(code);
  }, 30_000);

  it("the CLI: oktalint browse prints the findings live, then the summary, writes the masked HAR and the report, exits 1", async () => {
    const har = join(dir, "cli.har");
    const report = join(dir, "cli.json");
    const args = [CLI, "browse", `${app.origin}/`, "--browser", CHROMIUM, "--third-party-cookies", "block", "--timeout", "8", "--har", har, "-f", "json", "-o", report];
    // Not spawnSync: the app and the emulator answer from this process's event loop.
    const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, err).toBe(1);
    // Each finding was printed before the summary that ends the session.
    const summaryAt = out.search(/✖ \d+ Okta calls?: /);
    expect(summaryAt).toBeGreaterThan(0);
    expect(out.slice(0, summaryAt)).toMatch(/third-party-cookies-blocked/);
    expect(out.slice(0, summaryAt)).toMatch(/cookie-missing/);
    expect(out).toContain("UserPreferences");
    expect(out).toContain("oktalint browse: --timeout 8 s reached");
    const findings = (JSON.parse(readFileSync(report, "utf8")) as { files: { findings: { ruleId: string; confidence: string }[] }[] }).files[0]!.findings;
    expect([...new Set(findings.map((f) => f.ruleId))].sort()).toEqual(["cookie-missing", "third-party-cookies-blocked"]);
    const text = readFileSync(har, "utf8");
    expect(text).not.toContain(okta.users[0]!.password);
    const parsed = JSON.parse(text) as { log: { creator: { name: string }; browser: { name: string } } };
    expect(parsed.log.creator.name).toBe("oktalint browse");
    expect(parsed.log.browser.name).toBe("Chromium");
    expect(spawnSync(process.execPath, [CLI, "validate", "--strict", har], { encoding: "utf8" }).status).toBe(0);
  }, 60_000);
});
