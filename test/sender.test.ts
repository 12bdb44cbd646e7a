import http from "node:http";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openCapture } from "../src/ingest/open.js";
import { HeaderList } from "../src/model/headers.js";
import { detectSender, isBrowserUserAgent, isToolUserAgent } from "../src/model/sender.js";
import type { ProducerInfo } from "../src/model/exchange.js";

const h = (pairs: Record<string, string>) => HeaderList.from(Object.entries(pairs).map(([name, value]) => ({ name, value })));
const none: ProducerInfo = { name: "", version: "" };
const chrome: ProducerInfo = { name: "WebInspector", version: "537.36" };
const firefox: ProducerInfo = { name: "Firefox", version: "111.0", browser: { name: "Firefox", version: "111.0" } };
const mitmproxy: ProducerInfo = { name: "mitmproxy", version: "10.1.1" };
const fiddler: ProducerInfo = { name: "Fiddler", version: "4.6.2.2" };
const playwright: ProducerInfo = { name: "Playwright", version: "1.40", browser: { name: "chromium", version: "120" } };
const insomnia: ProducerInfo = { name: "Insomnia REST Client", version: "2022.1.1" };

const CHROME_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

describe("detectSender", () => {
  it("calls a browser request a browser's, from Origin and Sec-Fetch headers", () => {
    const s = detectSender(
      h({ Origin: "https://app.example.com", "Sec-Fetch-Mode": "cors", "sec-fetch-site": "cross-site", "User-Agent": CHROME_UA }),
      mitmproxy,
    );
    expect(s).toEqual({
      kind: "browser",
      evidence: [
        "Origin: https://app.example.com",
        "Sec-Fetch-Site: cross-site",
        "Sec-Fetch-Mode: cors",
        "User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit…",
      ],
      confidence: "certain",
    });
  });

  it("calls an SDK request a server's even when a browser-recording proxy captured it", () => {
    const ua = "okta-sdk-nodejs/8.1.0 node/20.20.2 linux/6.1.0 with a very long tail that goes on";
    expect(`${ua.slice(0, 59)}…`).toBe("okta-sdk-nodejs/8.1.0 node/20.20.2 linux/6.1.0 with a very …");
    expect(detectSender(h({ "User-Agent": ua, Authorization: "SSWS 00abc" }), mitmproxy)).toEqual({
      kind: "server",
      evidence: [`User-Agent: ${ua.slice(0, 59)}…`],
      confidence: "certain",
    });
  });

  it("recognizes common non-browser clients", () => {
    for (const ua of [
      "undici",
      "node",
      "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
      "axios/1.6.2",
      "got (https://github.com/sindresorhus/got)",
      "python-requests/2.31.0",
      "curl/8.4.0",
      "Wget/1.21.4",
      "Java/17.0.2",
      "Apache-HttpClient/4.5.13 (Java/17)",
      "okhttp/4.12.0",
      "Go-http-client/2.0",
      "PostmanRuntime/7.36.0",
      "insomnia/2023.5.8",
      "okta-auth-js/8.0.1 node/20.20.2",
    ]) {
      expect(isToolUserAgent(ua), ua).toBe(true);
      expect(isBrowserUserAgent(ua), ua).toBe(false);
      expect(detectSender(h({ "User-Agent": ua }), chrome).kind, ua).toBe("server");
    }
  });

  it("recognizes browser User-Agents, headless ones included", () => {
    for (const ua of [
      CHROME_UA,
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:109.0) Gecko/20100101 Firefox/111.0",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
      "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; .NET CLR 2.0.50727)",
    ]) {
      expect(isBrowserUserAgent(ua), ua).toBe(true);
      expect(isToolUserAgent(ua), ua).toBe(false);
    }
    expect(detectSender(h({ "User-Agent": CHROME_UA }), none)).toEqual({
      kind: "browser",
      evidence: ["User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit…"],
      confidence: "likely",
    });
  });

  it("falls back to the producer and _initiator when the request has no telling headers", () => {
    expect(detectSender(h({}), chrome, { _initiator: { type: "script" } })).toEqual({
      kind: "browser",
      evidence: ["_initiator: script", "producer: WebInspector"],
      confidence: "likely",
    });
    expect(detectSender(h({}), firefox)).toEqual({ kind: "browser", evidence: ["producer: Firefox"], confidence: "likely" });
    expect(detectSender(h({}), playwright)).toEqual({ kind: "browser", evidence: ["producer: Playwright (chromium)"], confidence: "likely" });
    expect(detectSender(h({}), { name: "", version: "", browser: { name: "Safari", version: "4" } })).toEqual({ kind: "browser", evidence: ["producer: Safari"], confidence: "likely" });
  });

  it("calls requests recorded by a proxy or API tool with no browser hints a server's", () => {
    expect(detectSender(h({ Accept: "*/*" }), fiddler)).toEqual({ kind: "server", evidence: ["producer: Fiddler with no browser headers"], confidence: "likely" });
    expect(detectSender(h({ "User-Agent": "MyApp/1.0" }), mitmproxy)).toEqual({
      kind: "server",
      evidence: ["producer: mitmproxy with no browser headers", "User-Agent: MyApp/1.0"],
      confidence: "likely",
    });
    expect(detectSender(h({}), insomnia).kind).toBe("server");
  });

  it("lets request headers decide over a proxy producer", () => {
    expect(detectSender(h({ "Sec-Fetch-Dest": "document" }), fiddler)).toEqual({ kind: "browser", evidence: ["Sec-Fetch-Dest: document"], confidence: "certain" });
  });

  it("says unknown when there is nothing to go on", () => {
    expect(detectSender(h({ Accept: "application/json" }), none)).toEqual({ kind: "unknown", evidence: [] });
    expect(detectSender(h({ "User-Agent": "MyApp/1.0" }), { name: "Custom exporter", version: "1" })).toEqual({ kind: "unknown", evidence: [] });
  });
});

// ---------------------------------------------------------------------------
// What real clients send, measured on this machine (Node 20.20, undici 7.30, axios 1.21, node-fetch 2.7,
// openid-client 6.8, okta-auth-js 8.0.1, okta-sdk-nodejs 8.1.0) against a loopback server, and what
// browsers send (Chrome and Firefox from the HAR corpus, Safari 17 on iOS).
// ---------------------------------------------------------------------------

const fromPairs = (pairs: [string, string][]) => HeaderList.from(pairs.map(([name, value]) => ({ name, value })));

/** Request headers as each server-side client sent them (values as received). */
const SERVER_CLIENTS: Record<string, [string, string][]> = {
  "Node 20 global fetch": [["host", "127.0.0.1:37041"], ["connection", "keep-alive"], ["accept", "*/*"], ["accept-language", "*"], ["sec-fetch-mode", "cors"], ["user-agent", "node"], ["accept-encoding", "gzip, deflate"]],
  "undici 7 fetch": [["host", "127.0.0.1:37041"], ["connection", "keep-alive"], ["accept", "*/*"], ["accept-language", "*"], ["sec-fetch-mode", "cors"], ["user-agent", "undici"], ["accept-encoding", "gzip, deflate"]],
  "Node fetch with a User-Agent of the app's own": [["accept", "*/*"], ["accept-language", "*"], ["sec-fetch-mode", "cors"], ["user-agent", "acme-backend/2.3"]],
  "Node fetch with its own UA and languages": [["accept", "application/json"], ["accept-language", "en-US"], ["sec-fetch-mode", "cors"], ["user-agent", "acme-backend/2.3"]],
  axios: [["Accept", "application/json, text/plain, */*"], ["User-Agent", "axios/1.21.1"], ["Accept-Encoding", "gzip, compress, deflate, br"], ["Host", "127.0.0.1:37041"], ["Connection", "keep-alive"]],
  "node-fetch 2": [["Accept", "*/*"], ["User-Agent", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)"], ["Accept-Encoding", "gzip,deflate"], ["Host", "127.0.0.1:37041"], ["Connection", "keep-alive"]],
  "openid-client 6 (client credentials)": [["accept", "application/json"], ["content-type", "application/x-www-form-urlencoded;charset=UTF-8"], ["user-agent", "openid-client/v6.8.9"], ["accept-language", "*"], ["sec-fetch-mode", "cors"], ["accept-encoding", "gzip, deflate"]],
  "oauth4webapi 3": [["accept", "application/json"], ["user-agent", "oauth4webapi/v3.8.9"], ["accept-language", "*"], ["sec-fetch-mode", "cors"]],
  "okta-auth-js 8 in Node (revoke)": [["Accept", "application/json"], ["Content-Type", "application/x-www-form-urlencoded"], ["X-Okta-User-Agent-Extended", "okta-auth-js/8.0.1 nodejs/20.20.2"], ["Authorization", "Basic MG9hMWFiY2RFRkdIMjM0NWlqa2w="], ["accept-language", "*"], ["sec-fetch-mode", "cors"], ["user-agent", "node"]],
  "okta-sdk-nodejs 8": [["Authorization", "SSWS 00abcdefghijabcdefghijabcdefghijabcdefghij"], ["User-Agent", "@okta/okta-sdk-nodejs/8.1.0 node/20.20.2 linux/6.18.44"], ["Accept", "application/json, */*;q=0.8"], ["Host", "127.0.0.1:37041"]],
  "okta-sdk-java": [["User-Agent", "okta-sdk-java/20.0.0 spring-boot/3.2.0 java/17.0.9 Linux/6.1"], ["Accept", "application/json"]],
  "okta-sdk-python": [["User-Agent", "okta-sdk-python/2.9.5 python/3.11.6 Linux/6.1"]],
  "okta-sdk-golang": [["User-Agent", "okta-sdk-golang/2.20.0 golang/go1.21.5 linux/amd64"]],
  "okta-sdk-dotnet": [["User-Agent", "okta-sdk-dotnet/7.0.0 runtime/.NET-8.0.0 os/Linux"]],
  "java.net.http": [["User-Agent", "Java-http-client/17.0.9"]],
  "python-requests": [["User-Agent", "python-requests/2.31.0"], ["Accept", "*/*"]],
  "Go net/http": [["User-Agent", "Go-http-client/2.0"]],
};

/** Request headers of real browser requests. */
const BROWSERS: Record<string, [string, string][]> = {
  // mswjs-source/response-cookies.har (Chrome 93, a cross-site fetch)
  "Chrome fetch": [["accept", "*/*"], ["accept-language", "en-US,en;q=0.9"], ["origin", "http://localhost:3000"], ["sec-ch-ua", '"Chromium";v="93", " Not;A Brand";v="99"'], ["sec-ch-ua-mobile", "?0"], ["sec-ch-ua-platform", '"macOS"'], ["sec-fetch-dest", "empty"], ["sec-fetch-mode", "cors"], ["sec-fetch-site", "cross-site"], ["user-agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/93.0.4577.82 Safari/537.36"]],
  // mitmproxy/firefox.har (Firefox 111, a script load)
  "Firefox script": [["accept", "*/*"], ["accept-language", "en-US,en;q=0.5"], ["referer", "https://mitmproxy.org/"], ["sec-fetch-dest", "script"], ["sec-fetch-mode", "no-cors"], ["sec-fetch-site", "same-origin"], ["user-agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:109.0) Gecko/20100101 Firefox/111.0"]],
  // Safari 17 (iOS): Sec-Fetch-Site/Mode/Dest since Safari 16.4, no client hints
  "Safari fetch": [["accept", "application/json"], ["origin", "https://app.example.com"], ["sec-fetch-site", "cross-site"], ["sec-fetch-mode", "cors"], ["sec-fetch-dest", "empty"], ["accept-language", "en-US,en;q=0.9"], ["user-agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"]],
  // okta-auth-js 8 in a page (an SPA's revoke): the browser's own headers, the SDK's extended agent
  "okta-auth-js in Chrome": [["accept", "application/json"], ["authorization", "Basic MG9hMWFiY2RFRkdIMjM0NWlqa2w="], ["content-type", "application/x-www-form-urlencoded"], ["origin", "https://app.example.com"], ["sec-fetch-dest", "empty"], ["sec-fetch-mode", "cors"], ["sec-fetch-site", "cross-site"], ["x-okta-user-agent-extended", "okta-auth-js/8.0.1"], ["user-agent", CHROME_UA]],
};

describe("detectSender on what real clients send", () => {
  for (const [name, headers] of Object.entries(SERVER_CLIENTS)) {
    it(`${name} is a server`, () => {
      const s = detectSender(fromPairs(headers), mitmproxy);
      expect(s.kind).toBe("server");
      expect(s.confidence).toBe(name === "Node fetch with its own UA and languages" ? "likely" : "certain");
    });
  }
  for (const [name, headers] of Object.entries(BROWSERS)) {
    it(`${name} is a browser`, () => {
      expect(detectSender(fromPairs(headers), mitmproxy)).toMatchObject({ kind: "browser", confidence: "certain" });
    });
  }

  it("does not take Node's Sec-Fetch-Mode: cors for a browser's, and says why", () => {
    expect(detectSender(fromPairs(SERVER_CLIENTS["Node 20 global fetch"]!), none)).toEqual({
      kind: "server",
      evidence: [
        "User-Agent: node",
        "Accept-Language: * (Node.js fetch's default; browsers send the user's languages)",
        "Sec-Fetch-Mode: cors without Sec-Fetch-Site/Dest (Node.js fetch adds it)",
      ],
      confidence: "certain",
    });
    expect(detectSender(fromPairs(SERVER_CLIENTS["Node fetch with its own UA and languages"]!), none)).toEqual({
      kind: "server",
      evidence: ["Sec-Fetch-Mode: cors without Sec-Fetch-Site/Dest (Node.js fetch adds it; browsers send all three)"],
      confidence: "likely",
    });
  });

  it("weighs server code that sets Origin or a browser User-Agent against what the client cannot hide", () => {
    // Server code that sets Origin (to pass a Trusted Origin check) through Node's fetch.
    const origin = detectSender(fromPairs([["origin", "https://app.example.com"], ["accept-language", "*"], ["sec-fetch-mode", "cors"], ["user-agent", "node"]]), none);
    expect(origin).toMatchObject({ kind: "server", confidence: "certain" });
    // A browser User-Agent copied into a Node fetch call.
    expect(detectSender(fromPairs([["user-agent", CHROME_UA], ["accept-language", "*"], ["sec-fetch-mode", "cors"]]), none)).toMatchObject({ kind: "server", confidence: "certain" });
    // A server that forwards a page's headers (sec-ch-ua, Sec-Fetch-Site) but names itself.
    expect(detectSender(fromPairs([["sec-fetch-site", "cross-site"], ["sec-fetch-dest", "empty"], ["sec-fetch-mode", "cors"], ["user-agent", "axios/1.21.1"]]), none)).toMatchObject({
      kind: "server",
      confidence: "likely",
    });
    // Origin and a browser UA with nothing else: a browser, likely (an http:// page gets no Sec-Fetch headers).
    expect(detectSender(fromPairs([["origin", "http://intranet.example"], ["user-agent", CHROME_UA]]), none)).toMatchObject({ kind: "browser", confidence: "likely" });
  });

  it("honours the sender a live source recorded in the entry (_oktalint)", () => {
    const nodeFetch = fromPairs(SERVER_CLIENTS["Node 20 global fetch"]!);
    const chromeHeaders = fromPairs(BROWSERS["Chrome fetch"]!);
    const trace: ProducerInfo = { name: "oktalint trace", version: "0.1.0" };
    expect(detectSender(chromeHeaders, trace, { _oktalint: { source: "trace", sender: "server", client: "fetch", pid: 4242 } })).toEqual({
      kind: "server",
      evidence: ["traced Node.js process 4242 (fetch)"],
      confidence: "certain",
    });
    expect(detectSender(nodeFetch, { name: "oktalint browse", version: "0.1.0" }, { _oktalint: { source: "browse", sender: "browser" } })).toEqual({
      kind: "browser",
      evidence: ["recorded in the browser by oktalint browse"],
      confidence: "certain",
    });
    // The proxy does not know: the headers decide.
    expect(detectSender(chromeHeaders, { name: "oktalint proxy", version: "0.1.0" }, { _oktalint: { source: "proxy" } })).toMatchObject({ kind: "browser", confidence: "certain" });
    // A trace HAR written before `_oktalint` existed: `_client` tells.
    expect(detectSender(h({}), trace, { _client: "http", _pid: 7 })).toEqual({ kind: "server", evidence: ["traced Node.js process 7 (node:http)"], confidence: "certain" });
  });
});

const corpus = fileURLToPath(new URL("../../shared/har-corpus/", import.meta.url));

describe.skipIf(!existsSync(corpus))("detectSender on the real captures of the corpus", () => {
  const kinds = async (file: string) => {
    const reader = await openCapture(corpus + file);
    const out: string[] = [];
    for await (const x of reader.exchanges()) out.push(`${x.sender.kind}/${x.sender.confidence ?? "-"}`);
    return out;
  };
  it("calls every request of modern Chrome, Firefox and Playwright exports a browser's, certainly", async () => {
    for (const file of ["mitmproxy/chrome.har", "mswjs-source/response-cookies.har", "playwright/har-redirect.har"]) {
      const ks = await kinds(file);
      expect(ks.length, file).toBeGreaterThan(0);
      // Requests with Sec-Fetch/sec-ch-ua are certain; the odd one without (a redirect hop, a cached entry) is still a browser's.
      expect(ks.filter((k) => !k.startsWith("browser/")), file).toEqual([]);
      expect(ks.filter((k) => k === "browser/certain").length, file).toBeGreaterThan(0);
    }
    const firefox = await kinds("mitmproxy/firefox.har");
    expect(firefox.every((k) => k.startsWith("browser/"))).toBe(true);
  });
  it("calls curl through mitmproxy a server", async () => {
    expect(await kinds("mitmproxy/savehar_successful_log.har")).toEqual(["server/certain", "server/certain"]);
  });
});

describe("detectSender on clients run against a loopback server", () => {
  it("calls each Node.js client a server, from the headers it really sends", async () => {
    const require = createRequire(import.meta.url);
    const seen: { probe: string; headers: [string, string][] }[] = [];
    const server = http.createServer((req, res) => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      seen.push({ probe: String(req.headers["x-probe"] ?? req.url), headers });
      req.resume();
      req.on("end", () => {
        res.setHeader("content-type", "application/json");
        res.end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      await (await fetch(`${base}/fetch`)).text();
      const undici = require("undici") as typeof import("undici");
      await (await undici.fetch(`${base}/undici-fetch`)).text();
      const axios = require("axios") as { get(url: string): Promise<unknown> };
      await axios.get(`${base}/axios`);
      const nodeFetch = require("node-fetch") as (url: string) => Promise<{ text(): Promise<string> }>;
      await (await nodeFetch(`${base}/node-fetch`)).text();
      await new Promise<void>((resolve) => http.get(`${base}/node-http`, (res) => res.resume().on("end", resolve)));
    } finally {
      server.close();
    }
    const verdict = Object.fromEntries(seen.map((s) => [s.probe.slice(1), `${detectSender(fromPairs(s.headers), none).kind}`]));
    expect(verdict).toEqual({ fetch: "server", "undici-fetch": "server", axios: "server", "node-fetch": "server", "node-http": "unknown" });
    // The fact behind the issue: Node's fetch sends Sec-Fetch-Mode (and Accept-Language: *), never Sec-Fetch-Site/Dest.
    const fetchHeaders = new Map(seen.find((s) => s.probe === "/fetch")!.headers.map(([n, v]) => [n.toLowerCase(), v]));
    expect(fetchHeaders.get("sec-fetch-mode")).toBe("cors");
    expect(fetchHeaders.get("accept-language")).toBe("*");
    expect(fetchHeaders.has("sec-fetch-site") || fetchHeaders.has("sec-fetch-dest")).toBe(false);
  });
});

describe("detectSender on partial captures", () => {
  it("calls a lone Sec-Fetch-Mode next to a browser User-Agent a browser, only possible", () => {
    expect(detectSender(fromPairs([["user-agent", CHROME_UA], ["origin", "https://app.example.com"], ["sec-fetch-mode", "cors"]]), none)).toEqual({
      kind: "browser",
      evidence: ["Origin: https://app.example.com", `User-Agent: ${CHROME_UA.slice(0, 59)}…`],
      confidence: "possible",
    });
  });
});
