/**
 * Every HAR in the shared corpus of real captures: each is either read (exact
 * entry counts, producer, normalized values per producer, validation notes
 * with their paths) or is one of the known non-HARs and rejected with one
 * clear line. Skipped when the corpus folder is absent.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openCapture } from "../src/ingest/open.js";
import { InputError, type CaptureReader } from "../src/ingest/types.js";
import type { Exchange, ValidationNote } from "../src/model/exchange.js";

const corpus = fileURLToPath(new URL("../../shared/har-corpus/", import.meta.url));
const present = existsSync(corpus);

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (!name.endsWith(".mitm") && !name.endsWith(".md")) out.push(p);
  }
  return out.sort();
}

interface Read {
  reader: CaptureReader;
  xs: Exchange[];
}

async function read(file: string): Promise<Read> {
  const reader = await openCapture(join(corpus, file));
  const xs: Exchange[] = [];
  for await (const x of reader.exchanges()) xs.push(x);
  return { reader, xs };
}

function note(r: Read, code: string): ValidationNote | undefined {
  return r.reader.notes.find((n) => n.code === code);
}

function codes(r: Read): string[] {
  return [...new Set(r.reader.notes.map((n) => n.code))].sort();
}

interface Expected {
  entries: number;
  producer: string;
  version?: string;
  wrappers?: string[];
  check?: (r: Read) => void;
}

const readable: Record<string, Expected> = {
  "haralyzer/humanssuck.net.har": {
    entries: 4,
    producer: "Firebug",
    version: "1.1",
    check: (r) => {
      // HAR 1.1 from Firebug, with creator written after the entries.
      expect(r.reader.meta.producer).toEqual({ name: "Firebug", version: "1.12", browser: { name: "Firefox", version: "25.0.1" } });
      expect(r.xs[0]!.source).toEqual({ offset: 244, line: 1, column: 245, jsonPath: "log.entries[0]" });
      expect(r.xs[0]!.sender).toEqual({ kind: "browser", evidence: ["User-Agent: Mozilla/5.0 (X11; Linux i686 on x86_64; rv:25.0) Gecko/2010…", "producer: Firefox"], confidence: "likely" });
      expect(note(r, "har.log.version.other")).toEqual({ code: "har.log.version.other", level: "error", path: "log.version", message: "HAR version 1.1, not 1.2 (read with HAR 1.2 rules)" });
    },
  },
  "haralyzer/missing_page.har": {
    entries: 1,
    producer: "",
    version: "",
    check: (r) => {
      // Hand-edited: the request fields were pushed into postData.
      const x = r.xs[0]!;
      expect(x.request.rawUrl).toBe("");
      expect(x.request.url).toBeNull();
      expect(x.startedAt).toBeNull();
      expect(x.response.status).toBe(200);
      expect(x.sender.kind).toBe("unknown");
      expect(note(r, "har.entry.request.url.missing")?.path).toBe("log.entries[0].request.url");
      expect(note(r, "har.log.creator.missing")?.path).toBe("log.creator");
      expect(note(r, "har.log.version.missing")?.path).toBe("log.version");
    },
  },
  "haralyzer/missing_pageref.har": { entries: 2, producer: "", version: "" },
  "harviewer/data-url.har": {
    entries: 1,
    producer: "a name",
    check: (r) => {
      const x = r.xs[0]!;
      expect(x.request.url?.protocol).toBe("data:");
      expect(x.request.method).toBe("");
      expect(x.timings).toEqual({});
      expect(x.extras).toEqual({ _phase: null, _disposition: "sync" });
      expect(note(r, "har.entry.cache.type")).toEqual({ code: "har.entry.cache.type", level: "error", path: "log.entries[0].cache", message: "expected an object, found an array" });
    },
  },
  "harviewer/from-cache.har": { entries: 1, producer: "Firebug", version: "1.1" },
  "harviewer/harp-1.har": {
    entries: 1,
    producer: "Firebug",
    version: "1.1",
    wrappers: ["jsonp"],
    check: (r) => {
      expect(r.xs[0]!.request.rawUrl).toBe("http://legoas/har/viewer/selenium/tests/simplePage.html");
      expect(r.xs[0]!.source).toMatchObject({ line: 22, column: 16 });
    },
  },
  "harviewer/images.har": {
    entries: 2,
    producer: "WebInspector",
    check: (r) => {
      const x = r.xs[0]!;
      expect(x.request.url).toBeNull();
      expect(x.request.rawUrl).toBe("/selenium/tests/hars/issue-23/poweredby_mediawiki_88x31.png");
      expect(x.request.headers.pseudo).toEqual({ path: "/static/images/poweredby_mediawiki_88x31.png", authority: "en.wikipedia.org", scheme: "https", method: "GET" });
      expect(x.request.headers.has(":path")).toBe(false);
      expect(x.response.httpVersion).toBe("");
      expect(x.response.body).toMatchObject({ mimeType: "image/png", size: 1585, encoding: "base64" });
      expect(r.xs[1]!.response.body?.text).toContain("<svg");
      expect(note(r, "har.entry.request.url.relative")?.path).toBe("log.entries[0].request.url");
    },
  },
  "harviewer/issue-61_chrome51.har": {
    entries: 27,
    producer: "WebInspector",
    check: (r) => {
      expect(note(r, "har.entry.request.cookies.expires.type")?.message).toBe("expected a string, found null");
    },
  },
  "harviewer/issue-61_firefox47.har": { entries: 23, producer: "Firefox", version: "1.1" },
  "harviewer/issue-61_ie11.fiddler.har": {
    entries: 11,
    producer: "Fiddler",
    wrappers: ["bom"],
    check: (r) => {
      const x = r.xs[0]!;
      expect(x.request.rawUrl).toBe("http://gitgrimbo.github.io/harviewer/issue-62/");
      expect(x.request.cookies).toEqual([{ name: "previewCols", value: "url%20status%20size%20timeline" }]);
      // 7-digit fractional seconds.
      expect(x.startedAt).toBe(Date.parse("2016-06-28T20:42:02.722Z"));
      expect(x.sender.kind).toBe("browser");
      expect(r.reader.notes).toEqual([]);
    },
  },
  "harviewer/missing-content-type.har": {
    entries: 1,
    producer: "WebInspector",
    check: (r) => {
      expect(note(r, "har.entry.response.content.mimeType.missing")?.path).toBe("log.entries[0].response.content.mimeType");
    },
  },
  "harviewer/no-headers.har": { entries: 1, producer: "WebInspector" },
  "harviewer/post-empty-post-data.har": { entries: 1, producer: "Firefox", version: "1.1" },
  "harviewer/rss.har": {
    entries: 1,
    producer: "WebInspector",
    check: (r) => {
      expect(r.xs[0]!.request.httpVersion).toBe("");
      expect(r.xs[0]!.request.headers.pseudo["authority"]).toBeDefined();
    },
  },
  "harviewer/svg.base64.har": {
    entries: 1,
    producer: "WebInspector",
    check: (r) => {
      // base64 SVG is text: decoded.
      const body = r.xs[0]!.response.body!;
      expect(body.encoding).toBeUndefined();
      expect(body.text).toMatch(/<svg/);
    },
  },
  "mitmproxy/chrome.har": {
    entries: 3,
    producer: "WebInspector",
    check: (r) => {
      const [a, b, c] = r.xs as [Exchange, Exchange, Exchange];
      expect([a.request.httpVersion, b.request.httpVersion, c.request.httpVersion]).toEqual(["HTTP/2", "", "HTTP/3"]);
      expect(a.request.headers.pseudo).toEqual({ authority: "mitmproxy.org", method: "GET", path: "/", scheme: "https" });
      expect(a.request.headers.list.some((h) => h.name.startsWith(":"))).toBe(false);
      expect(b.response.status).toBe(0);
      expect(b.error).toBe("net::ERR_INTERNET_DISCONNECTED");
      expect(b.serverIPAddress).toBeUndefined();
      expect(a.extras).toMatchObject({ _priority: "VeryHigh", _resourceType: "document" });
      expect(a.sender.kind).toBe("browser");
      expect(a.sender.evidence).toContain("Sec-Fetch-Mode: navigate");
      expect(note(r, "har.entry.pageref.unknown")).toEqual({ code: "har.entry.pageref.unknown", level: "error", path: "log.entries[2].pageref", message: 'no page with id "page_2" in log.pages' });
      expect(note(r, "har.entry.headers.pseudo")?.path).toBe("log.entries[0].request.headers[0]");
      expect(note(r, "har.custom-field")).toMatchObject({ level: "info", repeated: 2 });
    },
  },
  "mitmproxy/compressed.zhar": {
    entries: 2,
    producer: "mitmproxy exporthar",
    wrappers: ["zlib"],
    check: (r) => {
      expect(r.xs[0]!.request.rawUrl).toBe("https://example.com/");
      expect(r.xs[0]!.response.body?.text).toMatch(/^<!doctype html>/);
      expect(r.xs[0]!.sender).toEqual({ kind: "server", evidence: ["User-Agent: curl/7.86.0"], confidence: "certain" });
      expect(r.xs[0]!.startedAt).toBe(Date.parse("2023-07-25T10:42:01.726Z"));
    },
  },
  "mitmproxy/firefox.har": {
    entries: 14,
    producer: "Firefox",
    check: (r) => {
      // Firefox 111 writes `timings: {}` and `headersSize: null` for cached entries.
      expect(r.xs[1]!.timings).toEqual({});
      expect(r.xs[1]!.response.body).toEqual({ mimeType: "image/png", size: -1, omitted: "absent" });
      expect(r.xs[0]!.request.httpVersion).toBe("HTTP/3");
      expect(note(r, "har.entry.timings.send.missing")?.path).toBe("log.entries[1].timings.send");
      expect(note(r, "har.entry.request.headersSize.type")).toMatchObject({ path: "log.entries[1].request.headersSize", message: "expected a number, found null" });
    },
  },
  "mitmproxy/head-content-length.har": { entries: 1, producer: "Firefox" },
  "mitmproxy/insomnia.har": {
    entries: 1,
    producer: "Insomnia REST Client",
    check: (r) => {
      expect(r.xs[0]!.sender).toEqual({ kind: "server", evidence: ["producer: Insomnia REST Client with no browser headers"], confidence: "likely" });
      expect(r.xs[0]!.request.body).toBeUndefined();
      expect(r.xs[0]!.comment).toBe("mitmproxy");
      expect(note(r, "har.entry.request.unknown-field")?.path).toBe("log.entries[0].request.settingEncodeUrl");
    },
  },
  "mitmproxy/invalid_content_encoding.har": { entries: 1, producer: "mitmproxy" },
  "mitmproxy/postdata.har": {
    entries: 1,
    producer: "WebInspector",
    check: (r) => {
      expect(r.xs[0]!.request.method).toBe("POST");
      expect(r.xs[0]!.request.body).toMatchObject({ mimeType: "text/plain;charset=UTF-8", size: 1310 });
      expect(r.xs[0]!.request.body?.text).toMatch(/^\{"metadata":/);
    },
  },
  "mitmproxy/savehar_corrupted_gzip_body.har": { entries: 1, producer: "mitmproxy" },
  "mitmproxy/savehar_diff_data.har": { entries: 5, producer: "mitmproxy" },
  "mitmproxy/savehar_error_log.har": {
    entries: 2,
    producer: "mitmproxy",
    check: (r) => {
      const x = r.xs[0]!;
      expect(x.response.status).toBe(0);
      expect(x.response.httpVersion).toBe("");
      expect(x.response.body).toBeUndefined();
      expect(x.error).toBe("Multiple exceptions: [Errno 60] Connect call failed ('123.58.180.8', 80), [Errno 60] Connect call failed ('123.58.180.7', 80)");
      expect(x.sender).toEqual({ kind: "server", evidence: ["User-Agent: Wget/1.21.4"], confidence: "certain" });
      // Microsecond dates with +00:00.
      expect(x.startedAt).toBe(Date.parse("2023-07-25T11:03:15.216Z"));
      expect(r.xs[1]!.request.body?.params).toEqual([
        { name: "key1", value: "value1" },
        { name: "key2", value: "value2" },
      ]);
      expect(note(r, "har.entry.response.content.size.missing")).toEqual({
        code: "har.entry.response.content.size.missing",
        level: "error",
        path: "log.entries[0].response.content.size",
        message: "required field response.content.size is missing",
      });
    },
  },
  "mitmproxy/savehar_event_stream.har": { entries: 2, producer: "mitmproxy" },
  "mitmproxy/savehar_successful_log.har": { entries: 2, producer: "mitmproxy" },
  "mitmproxy/savehar_websocket.har": {
    entries: 3,
    producer: "mitmproxy",
    check: (r) => {
      const x = r.xs[0]!;
      expect(x.response.status).toBe(101);
      expect(Array.isArray(x.extras["_webSocketMessages"])).toBe(true);
      expect(x.extras["_webSocketMessageCount"]).toBe((x.extras["_webSocketMessages"] as unknown[]).length);
      expect(x.sender.evidence[0]).toBe("Origin: https://www.piesocket.com");
    },
  },
  "mitmproxy/with-bom.har": {
    entries: 1,
    producer: "WebInspector",
    wrappers: ["bom"],
    check: (r) => {
      expect(r.xs[0]!.request.method).toBe("POST");
      expect(r.xs[0]!.source?.offset).toBeGreaterThan(3);
    },
  },
  "mswjs-source/empty.har": { entries: 0, producer: "WebInspector" },
  "mswjs-source/response-binary.har": {
    entries: 1,
    producer: "WebInspector",
    check: (r) => {
      expect(r.xs[0]!.response.body).toMatchObject({ mimeType: "image/jpg", size: 10422, encoding: "base64" });
      expect(r.xs[0]!.response.body?.text?.startsWith("/9j/")).toBe(true);
    },
  },
  "mswjs-source/response-compressed.har": { entries: 1, producer: "WebInspector" },
  "mswjs-source/response-cookies.har": {
    entries: 1,
    producer: "WebInspector",
    check: (r) => {
      expect(r.xs[0]!.response.setCookies).toEqual([{ name: "secret-token", value: "abc-123", path: "/" }]);
    },
  },
  "mswjs-source/response-status-101.har": { entries: 1, producer: "WebInspector" },
  "mswjs-source/ws-polling.har": { entries: 4, producer: "WebInspector" },
  "playwright/har-fulfill.har": { entries: 5, producer: "Playwright" },
  "playwright/har-redirect.har": {
    entries: 3,
    producer: "Playwright",
    check: (r) => {
      expect(r.xs.map((x) => x.response.status)).toEqual([301, 301, 200]);
      expect(r.xs[0]!.response.redirectURL).toBe("http://www.theverge.com/");
      expect(r.xs[0]!.response.setCookies[0]).toMatchObject({ name: "vmidv1", domain: "theverge.com", secure: true, sameSite: "Lax" });
      expect(r.xs[0]!.sender.evidence.at(-1)).toBe("producer: Playwright (chromium)");
    },
  },
  "playwright/har-sha1.har": {
    entries: 1,
    producer: "Playwright",
    check: (r) => {
      // Body stored in a side file (`_file`): not in the HAR.
      expect(r.xs[0]!.response.body).toEqual({ mimeType: "text/html", size: 12, omitted: "absent" });
    },
  },
  "playwright/har-unstable-network.har": {
    entries: 2,
    producer: "Playwright",
    check: (r) => {
      expect(r.xs[0]!.response.status).toBe(0);
      expect(note(r, "har.entry.timings.negative")?.path).toBe("log.entries[0].timings.send");
    },
  },
  "playwright/har-url-matcher.har": { entries: 5, producer: "Playwright" },
};

const rejected: Record<string, string> = {
  "harviewer/not-json.har": "not valid JSON: expected ',' or '}' but found 'x' at line 8 column 5 (byte 110)",
  "mitmproxy/brokenfile.har": "not valid JSON: expected ',' or '}' but found '\"' at line 5 column 1 (byte 22)",
  "harviewer/not-valid.har": 'not a HAR: "log" has no "entries" array (its keys: version, creator, browser)',
  "haralyzer/single_entry.har": "looks like a single HAR entry, not a whole HAR (it has request/response at the top level; a HAR has log.entries)",
  "mitmproxy/har_extractor.har": 'not a HAR: no "log" at the top level (top-level keys: test_response); a HAR is nested under "test_response"',
};

describe.skipIf(!present)("HAR corpus", () => {
  const files = present ? walk(corpus).map((f) => relative(corpus, f)) : [];

  it("knows every HAR file in the corpus", () => {
    const known = new Set([...Object.keys(readable), ...Object.keys(rejected)]);
    expect(files.filter((f) => !known.has(f))).toEqual([]);
    expect([...known].filter((f) => !files.includes(f))).toEqual([]);
  });

  for (const [file, exp] of Object.entries(readable)) {
    it(`reads ${file}`, async () => {
      const r = await read(file);
      expect(r.xs).toHaveLength(exp.entries);
      expect(r.xs.map((x) => x.index)).toEqual([...Array(exp.entries).keys()]);
      expect(r.reader.meta.format).toBe("har");
      expect(r.reader.meta.producer.name).toBe(exp.producer);
      expect(r.reader.meta.version).toBe(exp.version ?? "1.2");
      expect(r.reader.meta.wrappers).toEqual(exp.wrappers ?? []);
      for (const x of r.xs) {
        expect(x.source?.jsonPath).toBe(`log.entries[${x.index}]`);
        for (const n of Object.values(x.timings)) expect(n).toBeGreaterThanOrEqual(0);
      }
      // Every note points into the file and uses a stable code.
      for (const n of r.reader.notes) {
        expect(n.code).toMatch(/^har\.[\w.-]+$/);
        expect(n.path).toMatch(/^log(\.|\[|$)/);
        expect(["error", "info"]).toContain(n.level);
      }
      exp.check?.(r);
    });
  }

  for (const [file, reason] of Object.entries(rejected)) {
    it(`rejects ${file}`, async () => {
      let error: unknown;
      try {
        await read(file);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).reason).toBe(reason);
      expect((error as InputError).message).toBe(`${join(corpus, file)}: ${reason}`);
    });
  }

  it("collects the notes of each producer's quirks", async () => {
    expect(codes(await read("mitmproxy/savehar_error_log.har"))).toEqual([
      "har.custom-field",
      "har.entry.request.postData.text-and-params",
      "har.entry.response.content.mimeType.missing",
      "har.entry.response.content.size.missing",
    ]);
    expect(codes(await read("harviewer/issue-61_firefox47.har"))).toEqual(["har.log.version.other"]);
    expect(codes(await read("playwright/har-url-matcher.har"))).toEqual([]);
  });
});
