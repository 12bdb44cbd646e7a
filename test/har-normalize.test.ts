import { describe, expect, it } from "vitest";
import { normalizeEntry, normalizeHttpVersion, isTextualMime } from "../src/ingest/har/normalize.js";
import { NoteSink, validateEntry, parseHarDate } from "../src/ingest/har/validate.js";
import type { ProducerInfo, ValidationNote } from "../src/model/exchange.js";

const chrome: ProducerInfo = { name: "WebInspector", version: "537.36" };
const mitm: ProducerInfo = { name: "mitmproxy", version: "10.1.1" };

function norm(raw: unknown, producer: ProducerInfo = chrome) {
  return normalizeEntry(raw, 0, undefined, { producer });
}

function notes(raw: unknown, pageIds?: Set<string>): ValidationNote[] {
  const sink = new NoteSink();
  validateEntry(raw, "log.entries[0]", sink, pageIds ? { pageIds } : {});
  return sink.notes;
}

const base = {
  startedDateTime: "2024-05-01T10:00:00.000Z",
  time: 5,
  request: {
    method: "GET",
    url: "https://dev-1.okta.com/api/v1/sessions/me",
    httpVersion: "HTTP/1.1",
    cookies: [],
    headers: [],
    queryString: [],
    headersSize: -1,
    bodySize: 0,
  },
  response: {
    status: 200,
    statusText: "OK",
    httpVersion: "HTTP/1.1",
    cookies: [],
    headers: [],
    content: { size: 0, mimeType: "" },
    redirectURL: "",
    headersSize: -1,
    bodySize: 0,
  },
  cache: {},
  timings: { send: 0, wait: 5, receive: 0 },
};

function withReq(req: object, rest: object = {}) {
  return { ...base, request: { ...base.request, ...req }, ...rest };
}
function withRes(res: object, rest: object = {}) {
  return { ...base, response: { ...base.response, ...res }, ...rest };
}

describe("normalizeEntry", () => {
  it("produces no notes and a clean exchange for a spec-conforming entry", () => {
    expect(notes(base)).toEqual([]);
    const x = norm(base);
    expect(x.request.method).toBe("GET");
    expect(x.request.url?.hostname).toBe("dev-1.okta.com");
    expect(x.startedAt).toBe(Date.UTC(2024, 4, 1, 10));
    expect(x.response.body).toEqual({ mimeType: "", size: 0 });
    expect(x.extras).toEqual({});
    expect(x.sender).toEqual({ kind: "browser", evidence: ["producer: WebInspector"], confidence: "likely" });
  });

  it("upper-cases methods and normalizes HTTP versions", () => {
    expect(norm(withReq({ method: "post" })).request.method).toBe("POST");
    const cases: [unknown, string][] = [
      ["HTTP/1.1", "HTTP/1.1"],
      ["http/1.0", "HTTP/1.0"],
      ["h2", "HTTP/2"],
      ["http/2.0", "HTTP/2"],
      ["HTTP/2.0", "HTTP/2"],
      ["HTTP/2", "HTTP/2"],
      ["h3", "HTTP/3"],
      ["h3-29", "HTTP/3"],
      ["HTTP/3", "HTTP/3"],
      ["unknown", ""],
      ["", ""],
      [undefined, ""],
      [2, ""],
    ];
    for (const [input, out] of cases) expect(normalizeHttpVersion(input), String(input)).toBe(out);
  });

  it("folds HTTP/2 pseudo-headers out of the header list and notes them", () => {
    const raw = withReq({
      httpVersion: "h2",
      headers: [
        { name: ":authority", value: "dev-1.okta.com" },
        { name: ":method", value: "GET" },
        { name: "accept", value: "*/*" },
      ],
    });
    const x = norm(raw);
    expect(x.request.headers.list).toEqual([{ name: "accept", value: "*/*" }]);
    expect(x.request.headers.pseudo).toEqual({ authority: "dev-1.okta.com", method: "GET" });
    expect(x.request.httpVersion).toBe("HTTP/2");
    expect(notes(raw)).toEqual([
      { code: "har.entry.httpVersion.nonstandard", level: "info", path: "log.entries[0].request.httpVersion", message: 'HTTP version written as "h2"' },
      { code: "har.entry.headers.pseudo", level: "info", path: "log.entries[0].request.headers[0]", message: "HTTP/2 pseudo-header :authority listed among the headers" },
    ]);
  });

  it("accepts timings {} and -1 timings, turning negatives into undefined", () => {
    expect(norm({ ...base, timings: {} }).timings).toEqual({});
    expect(norm({ ...base, timings: { blocked: -1, dns: -1, connect: 3, ssl: -1, send: 0, wait: 2, receive: -1 } }).timings).toEqual({ connect: 3, send: 0, wait: 2 });
    expect(notes({ ...base, timings: {} }).map((n) => [n.code, n.path])).toEqual([
      ["har.entry.timings.send.missing", "log.entries[0].timings.send"],
      ["har.entry.timings.wait.missing", "log.entries[0].timings.wait"],
      ["har.entry.timings.receive.missing", "log.entries[0].timings.receive"],
    ]);
    expect(notes({ ...base, timings: { dns: -1, send: 0, wait: -1, receive: 0 } })).toEqual([
      { code: "har.entry.timings.negative", level: "error", path: "log.entries[0].timings.wait", message: "wait is -1; it must not be negative" },
    ]);
  });

  it("accepts redirectURL null and falls back to Location", () => {
    const raw = withRes({ status: 302, redirectURL: null, headers: [{ name: "Location", value: "https://dev-1.okta.com/login" }] });
    expect(norm(raw).response.redirectURL).toBe("https://dev-1.okta.com/login");
    expect(notes(raw)).toEqual([
      { code: "har.entry.response.redirectURL.type", level: "error", path: "log.entries[0].response.redirectURL", message: "expected a string, found null" },
    ]);
    expect(norm(withRes({ redirectURL: "https://a.test/" })).response.redirectURL).toBe("https://a.test/");
    expect(norm(base).response.redirectURL).toBeUndefined();
  });

  it("reads cookies written as an object and httpOnly written as a string", () => {
    const raw = {
      ...base,
      request: { ...base.request, cookies: { sid: "abc", DT: { value: "def" } } },
      response: { ...base.response, cookies: [{ name: "sid", value: "new", httpOnly: "true", secure: "false", domain: ".Okta.com", sameSite: "Lax" }] },
    };
    const x = norm(raw);
    expect(x.request.cookies).toEqual([
      { name: "sid", value: "abc" },
      { name: "DT", value: "def" },
    ]);
    expect(x.response.setCookies).toEqual([{ name: "sid", value: "new", httpOnly: true, secure: false, domain: "okta.com", sameSite: "Lax" }]);
    expect(notes(raw).map((n) => [n.code, n.path, n.message])).toEqual([
      ["har.entry.request.cookies.type", "log.entries[0].request.cookies", "expected an array, found an object"],
      ["har.entry.response.cookies.httpOnly.type", "log.entries[0].response.cookies[0].httpOnly", 'expected a boolean, found the string "true"'],
      ["har.entry.response.cookies.secure.type", "log.entries[0].response.cookies[0].secure", 'expected a boolean, found the string "false"'],
      ["har.entry.response.cookies.unknown-field", "log.entries[0].response.cookies[0].sameSite", '"sameSite" is not a HAR 1.2 field (custom fields must start with "_")'],
    ]);
  });

  it("parses cookies from headers when the HAR lists none, preferring Set-Cookie headers", () => {
    const raw = {
      ...base,
      request: { ...base.request, headers: [{ name: "Cookie", value: "sid=abc; JSESSIONID=xyz" }] },
      response: {
        ...base.response,
        headers: [{ name: "set-cookie", value: "sid=new; Path=/; Secure; HttpOnly; SameSite=None\nDT=1; Max-Age=60" }],
        cookies: [{ name: "ignored", value: "x" }],
      },
    };
    const x = norm(raw);
    expect(x.request.cookies).toEqual([
      { name: "sid", value: "abc" },
      { name: "JSESSIONID", value: "xyz" },
    ]);
    expect(x.response.setCookies).toEqual([
      { name: "sid", value: "new", path: "/", secure: true, httpOnly: true, sameSite: "None" },
      { name: "DT", value: "1", maxAge: 60 },
    ]);
  });

  it("takes the query from queryString, else from the URL", () => {
    expect(norm(withReq({ url: "https://a.test/p?x=1&y=%20z" })).request.query).toEqual([
      { name: "x", value: "1" },
      { name: "y", value: " z" },
    ]);
    expect(norm(withReq({ url: "https://a.test/p?x=1", queryString: [{ name: "x", value: "one" }] })).request.query).toEqual([{ name: "x", value: "one" }]);
  });

  it("reads invalid and microsecond dates", () => {
    expect(norm({ ...base, startedDateTime: "NaN" }).startedAt).toBeNull();
    expect(notes({ ...base, startedDateTime: "NaN" })).toEqual([
      { code: "har.entry.startedDateTime.invalid", level: "error", path: "log.entries[0].startedDateTime", message: 'not a date: "NaN"' },
    ]);
    expect(norm({ ...base, startedDateTime: "2023-07-25T11:03:15.216374+00:00" }).startedAt).toBe(Date.UTC(2023, 6, 25, 11, 3, 15, 216));
    expect(notes({ ...base, startedDateTime: "2023-07-25T11:03:15.216374+00:00" })).toEqual([]);
    expect(parseHarDate("2023-07-25T11:03:15")).toBe(Date.UTC(2023, 6, 25, 11, 3, 15));
    expect(notes({ ...base, startedDateTime: "2023-07-25T11:03:15" })[0]?.code).toBe("har.entry.startedDateTime.format");
  });

  it("reads a mitmproxy error flow: content {}, no status, _error", () => {
    const raw = {
      ...base,
      request: { ...base.request, headers: [{ name: "User-Agent", value: "curl/8.4.0" }] },
      response: { status: 0, statusText: "", httpVersion: "", headers: [], cookies: [], content: {}, redirectURL: "", headersSize: -1, bodySize: -1, _error: "Connect call failed" },
      serverIPAddress: "",
    };
    const x = norm(raw, mitm);
    expect(x.response.status).toBe(0);
    expect(x.response.body).toBeUndefined();
    expect(x.error).toBe("Connect call failed");
    expect(x.serverIPAddress).toBeUndefined();
    expect(x.extras).toEqual({});
    expect(x.sender).toEqual({ kind: "server", evidence: ["User-Agent: curl/8.4.0"], confidence: "certain" });
    expect(notes(raw).map((n) => n.code)).toEqual(["har.entry.response.content.size.missing", "har.entry.response.content.mimeType.missing", "har.custom-field"]);
  });

  it("reads Playwright failures (status -1, _failureText) as no response", () => {
    const x = norm(withRes({ status: -1, _failureText: "net::ERR_CONNECTION_REFUSED" }));
    expect(x.response.status).toBe(0);
    expect(x.error).toBe("net::ERR_CONNECTION_REFUSED");
  });

  it("strips brackets from IPv6 server addresses", () => {
    expect(norm({ ...base, serverIPAddress: "[::1]" }).serverIPAddress).toBe("::1");
    expect(notes({ ...base, serverIPAddress: "[::1]" })).toEqual([
      { code: "har.entry.serverIPAddress.bracketed", level: "info", path: "log.entries[0].serverIPAddress", message: "IPv6 address written in brackets: [::1]" },
    ]);
  });

  it("keeps entry-level `_` fields (and request/response ones) in extras", () => {
    const raw = {
      ...base,
      _initiator: { type: "script" },
      _resourceType: "fetch",
      _fromCache: "disk",
      response: { ...base.response, _transferSize: 300, _error: null },
    };
    expect(norm(raw).extras).toEqual({ _initiator: { type: "script" }, _resourceType: "fetch", _fromCache: "disk", _transferSize: 300 });
  });

  it("reads missing headers, relative URLs and data: URLs", () => {
    const { headers: _h, ...reqNoHeaders } = base.request;
    const noHeaders = { ...base, request: reqNoHeaders };
    expect(norm(noHeaders).request.headers.size).toBe(0);
    expect(notes(noHeaders)[0]).toEqual({ code: "har.entry.request.headers.missing", level: "error", path: "log.entries[0].request.headers", message: "required field request.headers is missing" });

    const rel = norm(withReq({ url: "/api/v1/authn" }));
    expect(rel.request.url).toBeNull();
    expect(rel.request.rawUrl).toBe("/api/v1/authn");
    expect(notes(withReq({ url: "/api/v1/authn" }))[0]?.code).toBe("har.entry.request.url.relative");

    const data = norm(withReq({ url: "data:text/css,body%7B%7D" }));
    expect(data.request.url?.protocol).toBe("data:");
    expect(notes(withReq({ url: "data:text/css,body%7B%7D" }))).toEqual([]);
  });

  it("reads HAR 1.1 style entries with missing fields without throwing", () => {
    const x = norm({ request: { url: "https://a.test/" }, response: {} });
    expect(x.request).toMatchObject({ method: "", rawUrl: "https://a.test/", httpVersion: "", query: [], cookies: [] });
    expect(x.response).toMatchObject({ status: 0, statusText: "", setCookies: [] });
    expect(x.time).toBe(-1);
    expect(x.startedAt).toBeNull();
    expect(norm(null).request.rawUrl).toBe("");
  });

  it("parses form bodies into params and keeps given params", () => {
    const form = norm(withReq({ method: "POST", bodySize: 7, postData: { mimeType: "application/x-www-form-urlencoded; charset=UTF-8", text: "a=1&b=%3D" } }));
    expect(form.request.body).toEqual({ mimeType: "application/x-www-form-urlencoded; charset=UTF-8", size: 7, text: "a=1&b=%3D", params: [{ name: "a", value: "1" }, { name: "b", value: "=" }] });
    const given = norm(withReq({ method: "POST", postData: { mimeType: "multipart/form-data", params: [{ name: "f", value: "v", fileName: "x.txt" }] } }));
    expect(given.request.body).toEqual({ mimeType: "multipart/form-data", size: 0, params: [{ name: "f", value: "v" }] });
  });

  it("marks bodies the producer left out", () => {
    const x = norm(withRes({ content: { mimeType: "image/png", comment: "Response bodies are not included." } }));
    expect(x.response.body).toEqual({ mimeType: "image/png", size: -1, omitted: "absent" });
  });

  it("checks pagerefs against the pages read before the entries", () => {
    expect(notes({ ...base, pageref: "page_2" }, new Set(["page_1"]))).toEqual([
      { code: "har.entry.pageref.unknown", level: "error", path: "log.entries[0].pageref", message: 'no page with id "page_2" in log.pages' },
    ]);
    expect(notes({ ...base, pageref: "page_1" }, new Set(["page_1"]))).toEqual([]);
  });

  it("knows textual MIME types", () => {
    for (const t of ["application/json", "application/scim+json; charset=utf-8", "text/html", "application/javascript", "application/xml", "application/x-www-form-urlencoded", "image/svg+xml", "application/jwt"]) {
      expect(isTextualMime(t), t).toBe(true);
    }
    for (const t of ["image/png", "application/octet-stream", "font/woff2", ""]) expect(isTextualMime(t), t).toBe(false);
  });
});
