import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { openCapture, openCaptureStream } from "../src/ingest/open.js";
import { InputError, type CaptureReader, type ReadOptions } from "../src/ingest/types.js";
import type { Exchange } from "../src/model/exchange.js";
import { TnetstringError, decodeTnetstring, frameTnetstrings, type TnetFrame } from "../src/ingest/mitmproxy/tnetstring.js";

// ---------- a small tnetstring encoder for synthetic flows ----------
type V = Buffer | string | number | boolean | null | V[] | { [k: string]: V } | { float: number };
function enc(v: V): Buffer {
  const wrap = (payload: Buffer, type: string) => Buffer.concat([Buffer.from(`${payload.length}:`), payload, Buffer.from(type)]);
  if (v === null) return wrap(Buffer.alloc(0), "~");
  if (Buffer.isBuffer(v)) return wrap(v, ",");
  if (typeof v === "string") return wrap(Buffer.from(v, "utf8"), ";");
  if (typeof v === "number") return wrap(Buffer.from(String(v)), "#");
  if (typeof v === "boolean") return wrap(Buffer.from(String(v)), "!");
  if (Array.isArray(v)) return wrap(Buffer.concat(v.map(enc)), "]");
  if ("float" in v && typeof v.float === "number" && Object.keys(v).length === 1) return wrap(Buffer.from(String(v.float)), "^");
  return wrap(Buffer.concat(Object.entries(v as Record<string, V>).flatMap(([k, x]) => [enc(k), enc(x)])), "}");
}
const b = (s: string) => Buffer.from(s, "utf8");
const f = (n: number): V => ({ float: n });

function httpFlow(over: { request?: Record<string, V>; response?: Record<string, V> | null; flow?: Record<string, V> } = {}): Buffer {
  const request: Record<string, V> = {
    host: "example.okta.com",
    port: 443,
    method: b("GET"),
    scheme: b("https"),
    authority: b(""),
    path: b("/api/v1/users/me?expand=x"),
    http_version: b("HTTP/1.1"),
    headers: [[b("Host"), b("example.okta.com")], [b("Cookie"), b("sid=abc; DT=1")], [b("Accept"), b("application/json")]],
    content: b(""),
    trailers: null,
    timestamp_start: f(1700000000.5),
    timestamp_end: f(1700000000.501),
    ...over.request,
  };
  const response: Record<string, V> | null =
    over.response === null
      ? null
      : {
          http_version: b("HTTP/1.1"),
          status_code: 200,
          reason: b("OK"),
          headers: [[b("Content-Type"), b("application/json")], [b("Set-Cookie"), b("sid=new; Path=/; HttpOnly; Secure")]],
          content: b('{"id":"00u1"}'),
          trailers: null,
          timestamp_start: f(1700000000.6),
          timestamp_end: f(1700000000.602),
          ...over.response,
        };
  return enc({
    type: "http",
    version: 18,
    id: "flow-1",
    error: null,
    client_conn: { id: "c1", address: ["127.0.0.1", 50000], sockname: ["127.0.0.1", 8080] },
    server_conn: { id: "s1", address: ["example.okta.com", 443], ip_address: ["10.1.2.3", 443], timestamp_start: f(1700000000.1), timestamp_tcp_setup: f(1700000000.2), timestamp_tls_setup: f(1700000000.3) },
    request,
    response,
    websocket: null,
    comment: "",
    marked: "",
    ...over.flow,
  });
}

function chunks(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

async function open(buf: Buffer, opts: ReadOptions & { chunk?: number } = {}): Promise<CaptureReader> {
  return openCaptureStream(Readable.from(chunks(buf, opts.chunk ?? 64 * 1024)), "in.mitm", opts);
}

async function readAll(r: CaptureReader): Promise<Exchange[]> {
  const xs: Exchange[] = [];
  for await (const x of r.exchanges()) xs.push(x);
  return xs;
}

async function collect(r: CaptureReader): Promise<{ xs: Exchange[]; err: InputError | undefined }> {
  const xs: Exchange[] = [];
  try {
    for await (const x of r.exchanges()) xs.push(x);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { xs, err: e };
  }
  return { xs, err: undefined };
}

async function frames(parts: Buffer[]): Promise<TnetFrame[]> {
  const out: TnetFrame[] = [];
  for await (const fr of frameTnetstrings((async function* () { yield* parts; })())) out.push({ ...fr, bytes: Buffer.from(fr.bytes) });
  return out;
}

// ---------- tnetstring ----------
describe("decodeTnetstring", () => {
  it("decodes every type", () => {
    expect(decodeTnetstring(b("5:hello,")).value).toEqual(b("hello"));
    expect(decodeTnetstring(b("0:,")).value).toEqual(Buffer.alloc(0));
    expect(decodeTnetstring(b("4:h\u00e9h;")).value).toBe("h\u00e9h");
    expect(decodeTnetstring(b("3:-42#")).value).toBe(-42);
    expect(decodeTnetstring(b("17:1690281721.845797^")).value).toBe(1690281721.845797);
    expect(decodeTnetstring(b("4:true!")).value).toBe(true);
    expect(decodeTnetstring(b("5:false!")).value).toBe(false);
    expect(decodeTnetstring(b("0:~")).value).toBe(null);
    expect(decodeTnetstring(b("0:]")).value).toEqual([]);
    expect(decodeTnetstring(b("0:}")).value).toEqual({});
    expect(decodeTnetstring(b("3:abc,rest")).end).toBe(6);
  });

  it("decodes nested lists and dicts with bytes and text keys", () => {
    const v = decodeTnetstring(enc({ a: [1, [b("x"), null], { float: 1.5 }], b: { c: true } })).value;
    expect(v).toEqual({ a: [1, [b("x"), null], 1.5], b: { c: true } });
    // bytes keys (Python 2 era dumps) become strings
    expect(decodeTnetstring(b("8:1:k,1:1#}")).value).toEqual({ k: 1 });
  });

  it("rejects malformed values with a position", () => {
    const err = (s: string) => {
      try {
        decodeTnetstring(b(s));
      } catch (e) {
        expect(e).toBeInstanceOf(TnetstringError);
        const t = e as TnetstringError;
        return `${t.kind}@${t.offset}: ${t.message}`;
      }
      return "no error";
    };
    expect(err("x:")).toBe("garbage@0: expected a tnetstring length, found 'x'");
    expect(err("3;abc,")).toBe("garbage@1: expected ':' after a tnetstring length, found ';'");
    expect(err("3:abcX")).toBe("garbage@5: unknown tnetstring type 'X'");
    expect(err("2:1x#")).toBe('garbage@2: invalid integer "1x"');
    expect(err("3:yes!")).toBe('garbage@2: invalid boolean "yes"');
    expect(err("1:x~")).toBe("garbage@2: a null tnetstring must be empty");
    expect(err("4:1:k,}")).toBe("garbage@2: a dict key has no value");
    expect(err("9:abc,")).toBe("truncated@0: a 9-byte tnetstring ends after 4 bytes");
    expect(err("12")).toBe("truncated@2: input ends inside a tnetstring length");
    // a child that claims more than its parent holds
    expect(err("6:9:abc,]")).toMatch(/^truncated@2: a 9-byte tnetstring/);
  });
});

describe("frameTnetstrings", () => {
  const one = enc({ n: 1, s: b("line1\nline2") });
  const two = enc({ n: 2, l: [b("x")] });
  const all = Buffer.concat([one, two]);

  it("frames concatenated values at every chunk boundary (1-byte chunks and every 2-way split)", async () => {
    const expected = [
      { offset: 0, bytes: one, line: 1, column: 1 },
      { offset: one.length, bytes: two, line: 2, column: one.length - one.indexOf(0x0a) },
    ];
    expect(await frames(chunks(all, 1))).toEqual(expected);
    for (let i = 0; i <= all.length; i++) expect(await frames([all.subarray(0, i), all.subarray(i)])).toEqual(expected);
  });

  it("skips whitespace between values and counts its newlines", async () => {
    const got = await frames([Buffer.concat([one, b("\r\n  "), two, b("\n")])]);
    expect(got.map((x) => [x.offset, x.line, x.column])).toEqual([[0, 1, 1], [one.length + 4, 3, 3]]);
  });

  it("reports truncation and garbage with the flow index and byte", async () => {
    await expect(frames([all.subarray(0, all.length - 1)])).rejects.toThrow(`flows[1] (byte ${one.length}) ends after ${two.length - 1} of its ${two.length} bytes`);
    await expect(frames([Buffer.concat([one, b("12")])])).rejects.toThrow(`input ends inside the length of flows[1] (byte ${one.length})`);
    await expect(frames([Buffer.concat([one, b("{}")])])).rejects.toThrow(`expected a flow (a tnetstring length) at byte ${one.length}, found '{'`);
    await expect(frames([b("12x")])).rejects.toThrow("expected ':' after the tnetstring length at byte 0, found 'x' at byte 2");
  });
});

// ---------- reader ----------
describe("mitmproxy reader", () => {
  it("reads an HTTP flow into an Exchange", async () => {
    const r = await open(httpFlow());
    expect(r.meta).toEqual({ path: "in.mitm", format: "mitmproxy", version: "18", producer: { name: "mitmproxy", version: "" }, wrappers: [] });
    const [x, ...rest] = await readAll(r);
    expect(rest).toEqual([]);
    expect(x!.index).toBe(0);
    expect(x!.request.method).toBe("GET");
    expect(x!.request.rawUrl).toBe("https://example.okta.com/api/v1/users/me?expand=x");
    expect(x!.request.url?.pathname).toBe("/api/v1/users/me");
    expect(x!.request.query).toEqual([{ name: "expand", value: "x" }]);
    expect(x!.request.httpVersion).toBe("HTTP/1.1");
    expect(x!.request.headers.get("accept")).toBe("application/json");
    expect(x!.request.cookies).toEqual([{ name: "sid", value: "abc" }, { name: "DT", value: "1" }]);
    expect(x!.request.body).toBeUndefined();
    expect(x!.response.status).toBe(200);
    expect(x!.response.statusText).toBe("OK");
    expect(x!.response.body).toEqual({ mimeType: "application/json", size: 13, text: '{"id":"00u1"}' });
    expect(x!.response.setCookies).toMatchObject([{ name: "sid", value: "new", path: "/", httpOnly: true, secure: true }]);
    expect(x!.startedAt).toBe(1700000000500);
    expect(x!.serverIPAddress).toBe("10.1.2.3");
    expect(x!.timings.connect).toBeCloseTo(100, 3);
    expect(x!.timings.ssl).toBeCloseTo(100, 3);
    expect(x!.timings.send).toBeCloseTo(1, 3);
    expect(x!.timings.wait).toBeCloseTo(99, 3);
    expect(x!.timings.receive).toBeCloseTo(2, 3);
    expect(x!.time).toBeCloseTo(302, 3);
    expect(x!.extras).toEqual({ _flowId: "flow-1" });
    expect(x!.source).toEqual({ offset: 0, line: 1, column: 1, jsonPath: "flows[0]" });
    expect(r.notes).toEqual([]);
    expect(r.bytesRead).toBe(httpFlow().length);
  });

  it("same result with 1-byte chunks, and through gzip", async () => {
    const buf = Buffer.concat([httpFlow(), httpFlow({ request: { method: b("POST") } })]);
    const a = await readAll(await open(buf));
    const c = await readAll(await open(buf, { chunk: 1 }));
    expect(c).toEqual(a);
    const gz = await open(gzipSync(buf));
    expect(gz.meta.wrappers).toEqual(["gzip"]);
    expect((await readAll(gz)).map((x) => x.request.method)).toEqual(["GET", "POST"]);
    // connect/ssl only on the first flow of a server connection
    expect(a[1]!.timings.connect).toBeUndefined();
    expect(a[1]!.source).toEqual({ offset: httpFlow().length, line: 1, column: httpFlow().length + 1, jsonPath: "flows[1]" });
  });

  it("error flows have status 0 and the error message", async () => {
    const [x] = await readAll(await open(httpFlow({ response: null, flow: { error: { msg: "Connection refused", timestamp: f(1700000000.7) } } })));
    expect(x!.response.status).toBe(0);
    expect(x!.response.body).toBeUndefined();
    expect(x!.error).toBe("Connection refused");
  });

  it("decodes gzip, deflate and br bodies, notes zstd and undecodable ones", async () => {
    const json = '{"ok":true}';
    const mk = (ce: string, content: Buffer) =>
      httpFlow({ response: { headers: [[b("Content-Type"), b("application/json")], [b("Content-Encoding"), b(ce)]], content } });
    const buf = Buffer.concat([
      mk("gzip", gzipSync(json)),
      mk("deflate", deflateSync(json)),
      mk("br", brotliCompressSync(json)),
      mk("zstd", b("\x28\xb5\x2f\xfdzz")),
      mk("gzip", b("not gzip")),
    ]);
    const r = await open(buf);
    const xs = await readAll(r);
    expect(xs.map((x) => x.response.body?.text)).toEqual([json, json, json, Buffer.from("\x28\xb5\x2f\xfdzz").toString("base64"), b("not gzip").toString("base64")]);
    expect(xs.map((x) => x.response.body?.encoding)).toEqual([undefined, undefined, undefined, "base64", "base64"]);
    expect(xs[0]!.response.body?.size).toBe(gzipSync(json).length);
    expect(r.notes.map((n) => [n.code, n.level, n.path])).toEqual([
      ["mitmproxy.body.zstd", "info", "flows[3].response.content"],
      ["mitmproxy.body.undecodable", "info", "flows[4].response.content"],
    ]);
  });

  it("applies the body policy like the HAR reader", async () => {
    const seen: string[] = [];
    const r = await open(
      httpFlow({ request: { method: b("POST"), content: b("a=1&b=two"), headers: [[b("Content-Type"), b("application/x-www-form-urlencoded")]] } }),
      { keepBody: (i) => (seen.push(`${i.which} ${i.method} ${i.host} ${i.mimeType} ${i.size}`), i.which === "request") },
    );
    const [x] = await readAll(r);
    expect(seen).toEqual(["request POST example.okta.com application/x-www-form-urlencoded 9", "response POST example.okta.com application/json 13"]);
    expect(x!.request.body).toEqual({ mimeType: "application/x-www-form-urlencoded", size: 9, text: "a=1&b=two", params: [{ name: "a", value: "1" }, { name: "b", value: "two" }] });
    expect(x!.response.body).toEqual({ mimeType: "application/json", size: 13, omitted: "policy" });
  });

  it("counts websocket messages and skips non-HTTP flows with one note", async () => {
    const ws = httpFlow({
      response: { status_code: 101, reason: b("Switching Protocols"), headers: [], content: b("") },
      flow: { websocket: { messages: [[1, true, b("hi"), f(1700000001)], [2, false, b("\x00\x01"), f(1700000002)]], close_code: 1000 } },
    });
    const tcp = enc({ type: "tcp", version: 18, id: "t", messages: [] });
    const dns = enc({ type: "dns", version: 19, id: "d" });
    const r = await open(Buffer.concat([tcp, ws, tcp, dns]));
    const xs = await readAll(r);
    expect(xs).toHaveLength(1);
    expect(xs[0]!.index).toBe(0);
    expect(xs[0]!.source?.jsonPath).toBe("flows[1]");
    expect(xs[0]!.extras).toEqual({
      _flowId: "flow-1",
      _resourceType: "websocket",
      _webSocketMessageCount: 2,
      _webSocketMessages: [
        { type: "send", time: 1700000001, opcode: 1, data: "hi" },
        { type: "receive", time: 1700000002, opcode: 2, data: "AAE=" },
      ],
    });
    expect(r.notes).toContainEqual({ code: "mitmproxy.flows.skipped", level: "info", path: "flows", message: "skipped 2 tcp flows, 1 dns flow (only HTTP flows become exchanges)" });
    // frames dropped by the policy, the count stays
    const [y] = await readAll(await open(ws, { keepBody: () => false }));
    expect(y!.extras["_webSocketMessageCount"]).toBe(2);
    expect(y!.extras["_webSocketMessages"]).toBeUndefined();
  });

  it("reads a newer flow version best-effort with an info note", async () => {
    const r = await open(httpFlow({ flow: { version: 99, brand_new: [1, 2] } }));
    expect(r.meta.version).toBe("99");
    expect(await readAll(r)).toHaveLength(1);
    expect(r.notes).toEqual([
      { code: "mitmproxy.version.newer", level: "info", path: "flows[0].version", message: "flow format version 99 is newer than the newest known (21); read best-effort" },
    ]);
  });

  it("reads the version 20+ connection layout (peername) and HTTP/2 authority", async () => {
    const [x] = await readAll(
      await open(
        httpFlow({
          request: { http_version: b("HTTP/2.0"), authority: b("id.example.com:8443"), headers: [[b("accept"), b("*/*")]] },
          flow: { version: 21, server_conn: { id: "s", peername: ["2001:db8::1", 8443], ip_address: null, address: ["id.example.com", 8443] } },
        }),
      ),
    );
    expect(x!.request.rawUrl).toBe("https://id.example.com:8443/api/v1/users/me?expand=x");
    expect(x!.request.httpVersion).toBe("HTTP/2");
    expect(x!.serverIPAddress).toBe("2001:db8::1");
  });

  it("reads old layouts: no authority, text fields, httpversion/code/msg/body, tuple versions, pre-2.0 address dicts", async () => {
    const old = enc({
      type: "http",
      version: [0, 13],
      error: null,
      server_conn: { address: { address: ["old.example.com", 80] }, ip_address: { address: ["192.0.2.7", 80] } },
      request: { host: b("old.example.com"), port: 8080, method: "post", scheme: "http", path: "/x", httpversion: [1, 0], headers: [["Content-Type", "text/plain"]], body: b("hello"), timestamp_start: f(1400000000) },
      response: { httpversion: [1, 1], code: 302, msg: "Found", headers: [[b("Location"), b("/y")]], body: b("") },
    });
    const r = await open(old);
    expect(r.meta.version).toBe("0.13");
    const [x] = await readAll(r);
    expect(x!.request.method).toBe("POST");
    expect(x!.request.rawUrl).toBe("http://old.example.com:8080/x");
    expect(x!.request.httpVersion).toBe("HTTP/1.0");
    expect(x!.request.body).toEqual({ mimeType: "text/plain", size: 5, text: "hello" });
    expect(x!.response).toMatchObject({ status: 302, statusText: "Found", httpVersion: "HTTP/1.1", redirectURL: "/y", body: { mimeType: "", size: 0 } });
    expect(x!.serverIPAddress).toBe("192.0.2.7");
    expect(x!.startedAt).toBe(1400000000000);
    expect(x!.time).toBe(0);
  });

  it("CONNECT flows get mitmproxy's https://authority/ URL", async () => {
    const [x] = await readAll(await open(httpFlow({ request: { method: b("CONNECT"), authority: b("example.okta.com:443"), path: b("") } })));
    expect(x!.request.rawUrl).toBe("https://example.okta.com:443/");
  });

  it("yields the flows before a truncation, then one-line InputErrors", async () => {
    const good = httpFlow();
    const cut = Buffer.concat([good, good.subarray(0, 100)]);
    const { xs, err } = await collect(await open(cut, { chunk: 7 }));
    expect(xs).toHaveLength(1);
    expect(err?.message).toBe(`in.mitm: truncated: flows[1] (byte ${good.length}) ends after 100 of its ${good.length} bytes (1 flow read before it)`);

    const g = await collect(await open(Buffer.concat([good, b("<html>")])));
    expect(g.xs).toHaveLength(1);
    expect(g.err?.message).toBe(`in.mitm: not a valid flow file: expected a flow (a tnetstring length) at byte ${good.length}, found '<' (1 flow read before it)`);

    const inner = enc({ type: "http", version: 18, request: b("x") });
    const broken = Buffer.from(inner);
    broken[broken.length - 2] = 0x58; // the value's type byte → 'X'
    const h = await collect(await open(Buffer.concat([good, broken])));
    expect(h.xs).toHaveLength(1);
    expect(h.err?.message).toBe(`in.mitm: not a valid flow file: flows[1] is broken at byte ${good.length + broken.length - 2}: unknown tnetstring type 'X' (1 flow read before it)`);
    expect(h.err?.message).not.toContain("\n");

    const notDict = await collect(await open(enc([1, 2])));
    expect(notDict.err?.message).toBe("in.mitm: flows[0] (byte 0) is not a flow: a flow is a tnetstring dict (0 flows read before it)");

    await expect(open(b("2048:4:type;4:http,"))).rejects.toThrow("in.mitm: truncated: flows[0] (byte 0) ends after 19 of its 2054 bytes (0 flows read before it)");
  });
});

// ---------- fixtures: native flows vs mitmproxy's own HAR export ----------
const corpus = fileURLToPath(new URL("../../shared/har-corpus/mitmproxy/", import.meta.url));
const nativeDir = `${corpus}native-flows/`;
const fixtures = existsSync(nativeDir) ? readdirSync(nativeDir).filter((n) => n.endsWith(".mitm")).sort() : [];

async function readFile(path: string): Promise<{ r: CaptureReader; xs: Exchange[] }> {
  const r = await openCapture(path);
  return { r, xs: await readAll(r) };
}

const bodyBytes = (body: { text?: string; encoding?: string }) =>
  body.encoding === "base64" ? Buffer.from(body.text ?? "", "base64") : Buffer.from(body.text ?? "", "utf8");
/** Same bytes; or ours is base64 of bytes the export wrote as latin-1 text. */
function sameBody(ours: { text?: string; encoding?: string }, theirs: { text?: string; encoding?: string }): boolean {
  const bytes = bodyBytes(ours);
  if (bytes.equals(bodyBytes(theirs))) return true;
  return ours.encoding === "base64" && theirs.encoding === undefined && bytes.toString("latin1") === theirs.text;
}
const pairsOf = (x: Exchange["request"]["headers"]) => x.list.map((h) => [h.name, h.value]);

describe.skipIf(fixtures.length === 0)("native flow fixtures", () => {
  for (const name of fixtures) {
    const base = name.replace(/\.mitm$/, "");
    const twin = `${corpus}savehar_${base}.har`;
    it(`${name} reads${existsSync(twin) ? " the same exchanges as its savehar twin" : ""}`, async () => {
      const m = await readFile(nativeDir + name);
      expect(m.r.meta.format).toBe("mitmproxy");
      expect(m.xs.length).toBeGreaterThan(0);
      expect(m.r.notes.filter((n) => n.level === "error")).toEqual([]);
      if (!existsSync(twin)) {
        // incomplete_log: four requests that never got a response (no HAR export exists for it).
        expect(m.xs.map((x) => x.response.status)).toEqual(m.xs.map(() => 0));
        return;
      }
      const h = await readFile(twin);
      expect(m.xs.length).toBe(h.xs.length);
      for (let i = 0; i < m.xs.length; i++) {
        const a = m.xs[i]!;
        const e = h.xs[i]!;
        const at = `${name} #${i}`;
        expect(a.request.method, at).toBe(e.request.method);
        expect(a.request.rawUrl, at).toBe(e.request.rawUrl);
        expect(a.request.httpVersion, at).toBe(e.request.httpVersion);
        expect(pairsOf(a.request.headers), at).toEqual(pairsOf(e.request.headers));
        expect(a.request.cookies, at).toEqual(e.request.cookies);
        expect(a.request.query, at).toEqual(e.request.query);
        expect(a.response.status, at).toBe(e.response.status);
        expect(a.response.statusText, at).toBe(e.response.statusText);
        expect(a.response.httpVersion, at).toBe(e.response.httpVersion);
        expect(pairsOf(a.response.headers), at).toEqual(pairsOf(e.response.headers));
        expect(a.response.setCookies, at).toEqual(e.response.setCookies);
        expect(a.response.redirectURL, at).toBe(e.response.redirectURL);
        expect(a.serverIPAddress, at).toBe(e.serverIPAddress);
        expect(a.startedAt, at).toBe(e.startedAt);
        expect(a.sender, at).toEqual(e.sender);
        for (const k of ["connect", "ssl", "send", "wait", "receive"] as const) {
          // The export writes 0 for a phase that never ended (no response, a cancelled stream); we leave it unknown.
          if (a.timings[k] === undefined && e.timings[k] !== undefined) expect(e.timings[k], `${at} ${k}`).toBe(0);
          else if (e.timings[k] !== undefined) expect(a.timings[k], `${at} ${k}`).toBeCloseTo(e.timings[k]!, 2);
          else expect(a.timings[k], `${at} ${k}`).toBeUndefined();
        }
        expect(a.time, at).toBeCloseTo(e.time, 2);
        expect(a.extras["_webSocketMessageCount"], at).toBe(e.extras["_webSocketMessageCount"]);
        if (Array.isArray(e.extras["_webSocketMessages"])) expect(a.extras["_webSocketMessages"], at).toEqual(e.extras["_webSocketMessages"]);
        // Request bodies: the HAR export writes postData only for POST/PUT/PATCH; we keep any non-empty body.
        // Binary bodies: we keep them as base64 where the export wrote them as text (mitmproxy's
        // get_text falls back to latin-1 for bytes that are not UTF-8: diff_data #3, a protobuf).
        if (e.request.body?.text) expect(sameBody(a.request.body!, e.request.body), `${at} request body`).toBe(true);
        // Response bodies: where both have text they match, whatever the encoding.
        const at2 = a.response.body;
        const et = e.response.body;
        expect(at2?.mimeType ?? "", at).toBe(et?.mimeType ?? "");
        if (et?.text) expect(at2?.text, `${at} response text`).toBeDefined();
        if (at2?.text !== undefined && et?.text !== undefined && et.text !== "") {
          expect(sameBody(at2, et), `${at} response body`).toBe(true);
          expect(at2.size, at).toBe(et.size); // both: the stored (encoded) size
        }
        // Errors: the HAR export writes `_error` only for flows without a response; the flow keeps it always.
        if (e.error !== undefined) expect(a.error, at).toBe(e.error);
        else if (a.error !== undefined) expect(a.response.status, at).not.toBe(0);
      }
    });
  }

  it("known differences from the HAR export are the documented ones", async () => {
    if (!fixtures.includes("event_stream.mitm")) return;
    const m = await readFile(nativeDir + "event_stream.mitm");
    const h = await readFile(`${corpus}savehar_event_stream.har`);
    // A streamed (never stored) body: the flow has content null, the HAR an empty text.
    expect(m.xs[0]!.response.body).toEqual({ mimeType: "text/event-stream; charset=utf-8", size: -1, omitted: "absent" });
    expect(h.xs[0]!.response.body?.text ?? "").toBe("");
    // The client cancelled the stream after the 200: only the flow says so.
    expect(m.xs[0]!.error).toBe("stream reset by client (CANCEL)");
    expect(h.xs[0]!.error).toBeUndefined();
    const c = await readFile(nativeDir + "corrupted_gzip_body.mitm");
    expect(c.r.notes.map((n) => n.code)).toEqual(["mitmproxy.body.undecodable"]);
    expect(c.xs[0]!.response.body?.encoding).toBe("base64");
    const d = await readFile(nativeDir + "diff_data.mitm");
    expect(d.r.notes).toEqual([{ code: "mitmproxy.flows.skipped", level: "info", path: "flows", message: "skipped 2 tcp flows (only HTTP flows become exchanges)" }]);
    expect(d.xs.map((x) => x.source?.jsonPath)).toEqual(["flows[0]", "flows[1]", "flows[2]", "flows[3]", "flows[6]"]);
  });
});

// ---------- CLI: lint gives the same Okta calls as on the twin ----------
const cli = fileURLToPath(new URL("../dist/src/cli/main.js", import.meta.url));
describe.skipIf(fixtures.length === 0 || !existsSync(cli))("oktalint lint on native flows", () => {
  const lint = (path: string) => {
    const p = spawnSync(process.execPath, [cli, "lint", "--format", "json", path], { encoding: "utf8" });
    return { status: p.status, out: JSON.parse(p.stdout) as { files: { format: string; entries: number; oktaCalls: unknown[]; oktaHosts: unknown[] }[] } };
  };
  for (const name of fixtures) {
    const twin = `${corpus}savehar_${name.replace(/\.mitm$/, "")}.har`;
    it.skipIf(!existsSync(twin))(`${name} lints like its twin`, () => {
      const a = lint(nativeDir + name);
      const e = lint(twin);
      expect(a.status).toBe(0);
      expect(e.status).toBe(0);
      expect(a.out.files[0]!.format).toBe("mitmproxy");
      expect(a.out.files[0]!.entries).toBe(e.out.files[0]!.entries);
      expect(a.out.files[0]!.oktaCalls).toEqual(e.out.files[0]!.oktaCalls);
      expect(a.out.files[0]!.oktaHosts).toEqual(e.out.files[0]!.oktaHosts);
    });
  }
});
