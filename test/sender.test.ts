import { describe, expect, it } from "vitest";
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
    });
  });

  it("calls an SDK request a server's even when a browser-recording proxy captured it", () => {
    const ua = "okta-sdk-nodejs/8.1.0 node/20.20.2 linux/6.1.0 with a very long tail that goes on";
    expect(`${ua.slice(0, 59)}…`).toBe("okta-sdk-nodejs/8.1.0 node/20.20.2 linux/6.1.0 with a very …");
    expect(detectSender(h({ "User-Agent": ua, Authorization: "SSWS 00abc" }), mitmproxy)).toEqual({
      kind: "server",
      evidence: [`User-Agent: ${ua.slice(0, 59)}…`],
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
    });
  });

  it("falls back to the producer and _initiator when the request has no telling headers", () => {
    expect(detectSender(h({}), chrome, { _initiator: { type: "script" } })).toEqual({
      kind: "browser",
      evidence: ["_initiator: script", "producer: WebInspector"],
    });
    expect(detectSender(h({}), firefox)).toEqual({ kind: "browser", evidence: ["producer: Firefox"] });
    expect(detectSender(h({}), playwright)).toEqual({ kind: "browser", evidence: ["producer: Playwright (chromium)"] });
    expect(detectSender(h({}), { name: "", version: "", browser: { name: "Safari", version: "4" } })).toEqual({ kind: "browser", evidence: ["producer: Safari"] });
  });

  it("calls requests recorded by a proxy or API tool with no browser hints a server's", () => {
    expect(detectSender(h({ Accept: "*/*" }), fiddler)).toEqual({ kind: "server", evidence: ["producer: Fiddler with no browser headers"] });
    expect(detectSender(h({ "User-Agent": "MyApp/1.0" }), mitmproxy)).toEqual({
      kind: "server",
      evidence: ["producer: mitmproxy with no browser headers", "User-Agent: MyApp/1.0"],
    });
    expect(detectSender(h({}), insomnia).kind).toBe("server");
  });

  it("lets request headers decide over a proxy producer", () => {
    expect(detectSender(h({ "Sec-Fetch-Dest": "document" }), fiddler)).toEqual({ kind: "browser", evidence: ["Sec-Fetch-Dest: document"] });
  });

  it("says unknown when there is nothing to go on", () => {
    expect(detectSender(h({ Accept: "application/json" }), none)).toEqual({ kind: "unknown", evidence: [] });
    expect(detectSender(h({ "User-Agent": "MyApp/1.0" }), { name: "Custom exporter", version: "1" })).toEqual({ kind: "unknown", evidence: [] });
  });
});
