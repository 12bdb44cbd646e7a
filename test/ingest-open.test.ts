import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { deflateSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { openCapture, openCaptureStream } from "../src/ingest/open.js";
import { sniffCompression, sniffText } from "../src/ingest/detect.js";
import { InputError, type CaptureReader, type ReadOptions } from "../src/ingest/types.js";
import type { Exchange } from "../src/model/exchange.js";

const dir = mkdtempSync(join(tmpdir(), "oktalint-ingest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function entry(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    startedDateTime: "2024-05-01T10:00:00.000Z",
    time: 10,
    request: {
      method: "get",
      url: `https://example.okta.com/api/v1/users/${i}?expand=groups`,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: [{ name: "Accept", value: "application/json" }],
      queryString: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: "OK",
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: [{ name: "Content-Type", value: "application/json" }],
      content: { size: 9, mimeType: "application/json", text: `{"id":${i}}` },
      redirectURL: "",
      headersSize: -1,
      bodySize: 9,
    },
    cache: {},
    timings: { send: 1, wait: 8, receive: 1 },
    ...extra,
  };
}

function har(entries: unknown[], log: Record<string, unknown> = {}): string {
  return JSON.stringify(
    { log: { version: "1.2", creator: { name: "WebInspector", version: "537.36" }, ...log, entries } },
    null,
    2,
  );
}

function chunks(buf: Buffer, n: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += n) out.push(buf.subarray(i, i + n));
  return out;
}

async function readAll(reader: CaptureReader): Promise<Exchange[]> {
  const out: Exchange[] = [];
  for await (const x of reader.exchanges()) out.push(x);
  return out;
}

async function fromBytes(buf: Buffer, n = 1 << 20, opts: ReadOptions = {}): Promise<CaptureReader> {
  return openCaptureStream(Readable.from(chunks(buf, n)), "in.har", opts);
}

async function rejection(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error("expected an InputError");
}

describe("format sniffing", () => {
  it("tells compression layers apart from JSON", () => {
    expect(sniffCompression(gzipSync("{}"))).toBe("gzip");
    expect(sniffCompression(deflateSync("{}"))).toBe("zlib");
    expect(sniffCompression(Buffer.from('{"log":{}}'))).toBeNull();
    // A JSONP callback starting with x is not zlib.
    expect(sniffCompression(Buffer.from("xhr({})"))).toBeNull();
  });

  it("recognizes BOM, JSONP, tnetstrings and other text", () => {
    expect(sniffText(Buffer.from('\uFEFF {"log":1}'))).toEqual({ format: "har", skip: 4, bomLength: 3, wrappers: ["bom"], jsonp: false });
    expect(sniffText(Buffer.from('onInputData ( {"log":1});'))).toEqual({ format: "har", skip: 13, bomLength: 0, wrappers: ["jsonp"], jsonp: true });
    expect(sniffText(Buffer.from("123:4:code;3:200#}"))).toEqual({ format: "mitmproxy" });
    expect(sniffText(Buffer.from(" \n\t"))).toEqual({ format: "empty" });
    expect(sniffText(Buffer.from([0xff, 0xfe, 0x7b, 0]))).toEqual({ format: "utf16" });
    expect(sniffText(Buffer.from("[1]"))).toMatchObject({ format: "unknown" });
    expect(sniffText(Buffer.from("\n\nhello"))).toEqual({ format: "unknown", reason: "not JSON: unexpected 'h' at line 3 (byte 2)" });
  });
});

describe("openCaptureStream / openCapture", () => {
  const text = har([entry(0), entry(1), entry(2)]);

  for (const n of [1, 7, 64, 1 << 20]) {
    it(`reads plain, gzip, zlib, BOM and JSONP input the same way (${n}-byte chunks)`, async () => {
      const variants: [Buffer, string[]][] = [
        [Buffer.from(text), []],
        [gzipSync(text), ["gzip"]],
        [deflateSync(text), ["zlib"]],
        [Buffer.from(`\uFEFF${text}`), ["bom"]],
        [Buffer.from(`onInputData(${text});\n`), ["jsonp"]],
        [gzipSync(`\uFEFFcb(${text})`), ["gzip", "bom", "jsonp"]],
      ];
      for (const [buf, wrappers] of variants) {
        const reader = await fromBytes(buf, n);
        expect(reader.meta).toEqual({
          path: "in.har",
          format: "har",
          version: "1.2",
          producer: { name: "WebInspector", version: "537.36" },
          wrappers,
        });
        const xs = await readAll(reader);
        expect(xs.map((x) => x.request.url?.pathname)).toEqual(["/api/v1/users/0", "/api/v1/users/1", "/api/v1/users/2"]);
      }
    });
  }

  it("reports source positions in the decompressed stream", async () => {
    const xs = await readAll(await fromBytes(gzipSync(text), 5));
    const buf = Buffer.from(text);
    const starts: number[] = [];
    for (let i = buf.indexOf('{\n        "startedDateTime"'); i >= 0; i = buf.indexOf('{\n        "startedDateTime"', i + 1)) starts.push(i);
    expect(starts).toHaveLength(3);
    expect(xs.map((x) => x.source?.offset)).toEqual(starts);
    expect(xs.map((x) => x.source?.line)).toEqual(starts.map((o) => text.slice(0, o).split("\n").length));
    expect(xs[0]!.source).toEqual({ offset: starts[0], line: 9, column: 7, jsonPath: "log.entries[0]" });
  });

  it("reads files with a tiny chunk size and counts bytes read", async () => {
    const path = join(dir, "plain.har");
    writeFileSync(path, text);
    const reader = await openCapture(path, { chunkSize: 3 } as ReadOptions);
    expect(await readAll(reader)).toHaveLength(3);
    expect(reader.bytesRead).toBe(Buffer.byteLength(text));
  });

  it("reads a .zhar-style zlib file from disk", async () => {
    const path = join(dir, "x.zhar");
    writeFileSync(path, deflateSync(text));
    const reader = await openCapture(path);
    expect(reader.meta.wrappers).toEqual(["zlib"]);
    expect(await readAll(reader)).toHaveLength(3);
  });

  it("makes meta available at open and fills it in later when creator follows the entries", async () => {
    const late = JSON.stringify({ log: { entries: [entry(0)], version: "1.2", creator: { name: "Late", version: "9" }, browser: { name: "Firefox", version: "1" } } });
    const reader = await fromBytes(Buffer.from(late), 16);
    expect(reader.meta.version).toBe("");
    expect(reader.meta.producer).toEqual({ name: "", version: "" });
    const xs = await readAll(reader);
    expect(xs).toHaveLength(1);
    expect(reader.meta.version).toBe("1.2");
    expect(reader.meta.producer).toEqual({ name: "Late", version: "9", browser: { name: "Firefox", version: "1" } });
    expect(reader.notes).toEqual([]);
  });

  it("rejects what is not a HAR with one clear line", async () => {
    const cases: [Buffer, string][] = [
      [Buffer.alloc(0), "input is empty"],
      [Buffer.from("  \n "), "input contains only whitespace"],
      [gzipSync(""), "input is empty (after gzip decompression)"],
      [Buffer.from("hello"), "not JSON: unexpected 'h' at line 1 (byte 0)"],
      [Buffer.from("[{}]"), 'not a HAR: the JSON value is an array, not an object with a "log"'],
      [Buffer.from("<html></html>"), "not a HAR: the input looks like XML or HTML"],
      [Buffer.from("2048:4:type;4:http,"), "truncated: flows[0] (byte 0) ends after 19 of its 2054 bytes (0 flows read before it)"],
      [Buffer.from([0xff, 0xfe, 0x7b, 0x00]), "the file is UTF-16 encoded; save it as UTF-8 (HAR files are UTF-8)"],
      [Buffer.from(JSON.stringify(entry(0))), "looks like a single HAR entry, not a whole HAR (it has request/response at the top level; a HAR has log.entries)"],
      [Buffer.from('{"log":{"version":"1.2"'), "truncated: input ends after log.version"],
    ];
    for (const [buf, reason] of cases) {
      const err = await rejection(fromBytes(buf, 3).then(readAll));
      expect(err.reason).toBe(reason);
      expect(err.message).toBe(`in.har: ${reason}`);
      expect(err.message).not.toContain("\n");
    }
  });

  it("reports missing files and directories", async () => {
    expect((await rejection(openCapture(join(dir, "nope.har")))).reason).toBe("no such file");
    expect((await rejection(openCapture(dir))).reason).toBe("is a directory, not a capture file");
  });

  it("yields the entries before a break, then throws from the iterator", async () => {
    const full = Buffer.from(text);
    const cut = full.subarray(0, full.indexOf("users/2") + 3);
    const reader = await fromBytes(cut, 11);
    const seen: number[] = [];
    let error: unknown;
    try {
      for await (const x of reader.exchanges()) seen.push(x.index);
    } catch (err) {
      error = err;
    }
    expect(seen).toEqual([0, 1]);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).reason).toMatch(/^truncated: input ends inside a string inside log\.entries\[2\] \(which starts at line \d+ column 7\) after 2 complete entries$/);
  });

  it("locates invalid JSON inside an entry without echoing its content", async () => {
    const bad = text.replace('"statusText": "OK"', '"statusText": "OK" "secret": "SSWS 00abcdef"');
    const reader = await fromBytes(Buffer.from(bad), 100);
    const seen: number[] = [];
    const err = await rejection(
      (async () => {
        for await (const x of reader.exchanges()) seen.push(x.index);
      })(),
    );
    expect(seen).toEqual([]);
    const at = bad.indexOf('"secret"');
    const line = bad.slice(0, at).split("\n").length;
    const column = at - bad.lastIndexOf("\n", at);
    expect(err.reason).toBe(`not valid JSON in log.entries[0] at line ${line} column ${column} (byte ${at}): Expected ',' or '}' after property value (0 entries read before it)`);
    expect(err.message).not.toContain("SSWS");
  });

  it("reports corrupt gzip data after the entries it could read", async () => {
    const gz = gzipSync(har(Array.from({ length: 200 }, (_, i) => entry(i))));
    const broken = gz.subarray(0, gz.length - 40);
    const reader = await fromBytes(broken, 512);
    let count = 0;
    const err = await rejection(
      (async () => {
        for await (const _ of reader.exchanges()) count++;
      })(),
    );
    expect(count).toBeGreaterThan(100);
    expect(err.reason).toMatch(/^(gzip data is corrupt or truncated \(after \d+ entries\): unexpected end of file|truncated: input ends .*)$/);
  });

  it("can be stopped early and iterated only once", async () => {
    const reader = await fromBytes(Buffer.from(text), 8);
    for await (const x of reader.exchanges()) {
      expect(x.index).toBe(0);
      break;
    }
    await expect(async () => {
      for await (const _ of reader.exchanges()) {
        // never reached
      }
    }).rejects.toThrow("only be iterated once");
  });
});

describe("body policy", () => {
  const withBodies = har([
    entry(0, {
      request: {
        ...(entry(0)["request"] as object),
        method: "POST",
        postData: { mimeType: "application/x-www-form-urlencoded", text: "username=a%40b.c&password=hunter2" },
      },
    }),
    entry(1, {
      response: {
        ...(entry(1)["response"] as object),
        content: { size: 4, mimeType: "image/png", text: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString("base64"), encoding: "base64" },
      },
    }),
    entry(2, {
      response: {
        ...(entry(2)["response"] as object),
        content: { size: 11, mimeType: "application/json; charset=utf-8", text: Buffer.from('{"ok":"✓"}').toString("base64"), encoding: "base64" },
      },
    }),
  ]);

  it("keeps every body by default and decodes textual base64", async () => {
    const xs = await readAll(await fromBytes(Buffer.from(withBodies)));
    expect(xs[0]!.request.body).toEqual({
      mimeType: "application/x-www-form-urlencoded",
      size: 33,
      text: "username=a%40b.c&password=hunter2",
      params: [
        { name: "username", value: "a@b.c" },
        { name: "password", value: "hunter2" },
      ],
    });
    expect(xs[1]!.response.body).toEqual({ mimeType: "image/png", size: 4, text: "iVBORw==", encoding: "base64" });
    expect(xs[2]!.response.body).toEqual({ mimeType: "application/json; charset=utf-8", size: 11, text: '{"ok":"✓"}' });
  });

  it("asks the policy about each body and drops text (and params) it refuses", async () => {
    const asked: string[] = [];
    const reader = await fromBytes(Buffer.from(withBodies), 1 << 20, {
      keepBody: (info) => {
        asked.push(`${info.which} ${info.method} ${info.host} ${info.mimeType} ${info.size} ${info.requestHeaders.get("accept")} ${info.responseHeaders.get("content-type")}`);
        return info.which === "response" && info.mimeType.startsWith("application/json");
      },
    });
    const xs = await readAll(reader);
    expect(asked).toEqual([
      "request POST example.okta.com application/x-www-form-urlencoded 33 application/json application/json",
      "response POST example.okta.com application/json 9 application/json application/json",
      "response GET example.okta.com image/png 4 application/json application/json",
      "response GET example.okta.com application/json; charset=utf-8 11 application/json application/json",
    ]);
    expect(xs[0]!.request.body).toEqual({ mimeType: "application/x-www-form-urlencoded", size: 33, omitted: "policy" });
    expect(xs[0]!.response.body).toEqual({ mimeType: "application/json", size: 9, text: '{"id":0}' });
    expect(xs[1]!.response.body).toEqual({ mimeType: "image/png", size: 4, omitted: "policy" });
    expect(xs[2]!.response.body?.text).toBe('{"ok":"✓"}');
  });

  it("keeps only a count of WebSocket messages the policy refuses", async () => {
    const ws = [
      { type: "send", time: 1, opcode: 1, data: "hello" },
      { type: "receive", time: 2, opcode: 1, data: "world!" },
    ];
    const doc = Buffer.from(har([entry(0, { _webSocketMessages: ws, _resourceType: "websocket" })]));
    const dropped = await readAll(await fromBytes(doc, 1 << 20, { keepBody: () => false }));
    expect(dropped[0]!.extras).toEqual({ _resourceType: "websocket", _webSocketMessageCount: 2 });
    const kept = await readAll(await fromBytes(doc));
    expect(kept[0]!.extras).toEqual({ _resourceType: "websocket", _webSocketMessages: ws, _webSocketMessageCount: 2 });
  });
});

describe("validation notes", () => {
  it("aggregates notes past maxNotesPerCode into the last kept one", async () => {
    const entries = Array.from({ length: 8 }, (_, i) => entry(i, { timings: { send: -5, wait: 1, receive: 1 } }));
    const reader = await fromBytes(Buffer.from(har(entries)), 1 << 20, { maxNotesPerCode: 3 });
    await readAll(reader);
    expect(reader.notes).toEqual([
      { code: "har.entry.timings.negative", level: "error", path: "log.entries[0].timings.send", message: "send is -5; it must not be negative" },
      { code: "har.entry.timings.negative", level: "error", path: "log.entries[1].timings.send", message: "send is -5; it must not be negative" },
      { code: "har.entry.timings.negative", level: "error", path: "log.entries[2].timings.send", message: "send is -5; it must not be negative", repeated: 5 },
    ]);
  });

  it("notes each `_` field once, as info, counting repeats", async () => {
    const entries = Array.from({ length: 4 }, (_, i) => entry(i, { _priority: "High" }));
    const reader = await fromBytes(Buffer.from(har(entries)));
    await readAll(reader);
    expect(reader.notes).toEqual([
      { code: "har.custom-field", level: "info", path: "log.entries[0]._priority", message: 'producer extension field "_priority"', repeated: 3 },
    ]);
  });

  it("notes log-level problems: pages null, missing creator, unknown keys", async () => {
    const doc = JSON.stringify({ log: { version: "1.2", pages: null, foo: 1, _bar: 2, entries: [entry(0)] } });
    const reader = await fromBytes(Buffer.from(doc), 5);
    await readAll(reader);
    expect(reader.notes).toEqual([
      { code: "har.log.unknown-field", level: "error", path: "log.foo", message: '"foo" is not a HAR 1.2 field (custom fields must start with "_")' },
      { code: "har.custom-field", level: "info", path: "log._bar", message: 'producer extension field "_bar"' },
      { code: "har.log.creator.missing", level: "error", path: "log.creator", message: "required field creator is missing" },
      { code: "har.log.pages.type", level: "error", path: "log.pages", message: "expected an array, found null" },
    ]);
  });
});
