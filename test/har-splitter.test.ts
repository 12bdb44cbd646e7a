import { describe, expect, it } from "vitest";
import { HarSplitter, SplitError, type SplitEntry } from "../src/ingest/har/splitter.js";

/** Split a buffer into chunks of `n` bytes (the last one shorter). */
function chunked(buf: Buffer, n: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += n) out.push(buf.subarray(i, i + n));
  return out;
}

async function* source(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}

async function split(buf: Buffer, n: number, opts: ConstructorParameters<typeof HarSplitter>[1] = {}) {
  const fields: [string, unknown][] = [];
  const s = new HarSplitter(source(chunked(buf, n)), { ...opts, onLogField: (name, value) => fields.push([name, value]) });
  const entries: SplitEntry[] = [];
  let error: unknown;
  try {
    for await (const e of s.entries()) entries.push({ ...e, bytes: Buffer.from(e.bytes) });
  } catch (err) {
    error = err;
  }
  return { entries, fields, error, splitter: s };
}

/** Line and column (1-based, bytes) of a byte offset, counted independently. */
function lineCol(buf: Buffer, offset: number): [number, number] {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return [line, offset - lineStart + 1];
}

// Strings full of things a naive splitter trips over.
const tricky = [
  { request: { url: "https://x.test/a?b={c}&d=[e]", method: "GET" }, response: { content: { text: "}}]]{{[[" } } },
  { request: { url: "https://x.test/\"quoted\"", method: "POST" }, response: { content: { text: 'a \\" b \\\\" c "' } } },
  { request: { url: "https://x.test/ü✓", method: "GET" }, response: { content: { text: "Zoë ✓ 😀 \u0000 \u001f end\\" } } },
  { request: { url: "https://x.test/\\\\", method: "GET" }, response: { content: { text: "\\".repeat(7) + '"' + "x".repeat(300) } } },
  { empty: {}, arr: [[], [{}], "]"], n: -1.5e3, t: true, f: false, z: null },
];

function harText(entries: unknown[], pretty: boolean): string {
  return JSON.stringify(
    { log: { version: "1.2", creator: { name: "Test", version: "1" }, pages: [], entries } },
    null,
    pretty ? 2 : undefined,
  );
}

describe("HarSplitter", () => {
  for (const pretty of [true, false]) {
    for (const n of [1, 2, 3, 5, 7, 16, 61, 4096]) {
      it(`splits tricky entries exactly (${pretty ? "pretty" : "minified"}, ${n}-byte chunks)`, async () => {
        const buf = Buffer.from(harText(tricky, pretty), "utf8");
        const { entries, fields, error } = await split(buf, n);
        expect(error).toBeUndefined();
        expect(entries.map((e) => JSON.parse(e.bytes.toString("utf8")))).toEqual(tricky);
        expect(entries.map((e) => e.arrayIndex)).toEqual([0, 1, 2, 3, 4]);
        for (const e of entries) {
          expect(buf[e.offset]).toBe(0x7b);
          expect(buf.subarray(e.offset, e.offset + e.bytes.length).equals(e.bytes)).toBe(true);
          expect([e.line, e.column]).toEqual(lineCol(buf, e.offset));
        }
        expect(fields).toEqual([
          ["version", "1.2"],
          ["creator", { name: "Test", version: "1" }],
          ["pages", []],
        ]);
      });
    }
  }

  it("reports exact offsets, lines and columns of pretty-printed entries", async () => {
    const text = '{\n  "log": {\n    "version": "1.2",\n    "entries": [\n      {"a": 1},\n      {"b": "}"}\n    ]\n  }\n}\n';
    const { entries } = await split(Buffer.from(text), 3);
    expect(entries.map(({ offset, line, column }) => ({ offset, line, column }))).toEqual([
      { offset: text.indexOf('{"a"'), line: 5, column: 7 },
      { offset: text.indexOf('{"b"'), line: 6, column: 7 },
    ]);
  });

  it("counts columns after a skipped BOM and JSONP prefix", async () => {
    const text = '\uFEFFcb({"log":{"entries":[{"x":1}]}});';
    const buf = Buffer.from(text, "utf8");
    const { entries, error } = await split(buf, 2, { skip: 6, bomLength: 3, jsonp: true });
    expect(error).toBeUndefined();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.offset).toBe(buf.indexOf('{"x"'));
    // Line 1, column counted in bytes after the BOM: `cb({"log":{"entries":[` is 22 bytes.
    expect([entries[0]!.line, entries[0]!.column]).toEqual([1, 23]);
  });

  it("yields entries that come before creator and reports late fields", async () => {
    const text = '{"log":{"entries":[{"i":0},{"i":1}],"version":"1.2","creator":{"name":"Late","version":"2"}}}';
    const { entries, fields, error } = await split(Buffer.from(text), 4);
    expect(error).toBeUndefined();
    expect(entries).toHaveLength(2);
    expect(fields.map(([k]) => k)).toEqual(["version", "creator"]);
  });

  it("yields the complete entries before a truncation, then throws", async () => {
    const full = Buffer.from(harText(tricky, true));
    // Cut inside the third entry's body text.
    const cut = full.indexOf("Zoë");
    const { entries, error } = await split(full.subarray(0, cut), 5);
    expect(entries).toHaveLength(2);
    expect(error).toBeInstanceOf(SplitError);
    expect((error as SplitError).kind).toBe("truncated");
    expect((error as SplitError).message).toMatch(/^input ends inside a string inside log\.entries\[2\] \(which starts at line \d+ column 7\) after 2 complete entries$/);
  });

  it("says how many entries were read when the input ends between entries", async () => {
    const full = harText([{ a: 1 }, { b: 2 }], false);
    const { entries, error } = await split(Buffer.from(full.slice(0, full.indexOf('{"b"') - 1)), 8);
    expect(entries).toHaveLength(1);
    expect((error as SplitError).message).toBe("input ends inside log.entries after 1 complete entries");
  });

  it("handles an escape split exactly at a chunk boundary", async () => {
    // Chunk boundary right after the backslash of `\"` and of `\\`.
    const text = '{"log":{"entries":[{"s":"a\\"}","t":"b\\\\","u":"]"}]}}';
    const buf = Buffer.from(text);
    for (let n = 1; n < buf.length; n++) {
      const { entries, error } = await split(buf, n);
      expect(error, `chunk size ${n}`).toBeUndefined();
      expect(JSON.parse(entries[0]!.bytes.toString())).toEqual({ s: 'a"}', t: "b\\", u: "]" });
    }
  });

  it("reports a syntax error with its position", async () => {
    const text = '{\n  "log": {\n    "version": "1.2"\n    oops\n  }\n}';
    const { error } = await split(Buffer.from(text), 4);
    expect((error as SplitError).kind).toBe("syntax");
    expect((error as SplitError).message).toBe("not valid JSON: expected ',' or '}' but found 'o' at line 4 column 5 (byte 38)");
  });

  it("rejects content after the HAR object", async () => {
    const { entries, error } = await split(Buffer.from('{"log":{"entries":[{"a":1}]}} trailing'), 7);
    expect(entries).toHaveLength(1);
    expect((error as SplitError).message).toBe("not valid JSON: unexpected content after the end of the HAR at line 1 column 31 (byte 30)");
  });

  it("describes JSON that is not a HAR", async () => {
    const cases: [string, string][] = [
      ['{"request":{},"response":{},"time":1}', "looks like a single HAR entry, not a whole HAR (it has request/response at the top level; a HAR has log.entries)"],
      ['{"a":1,"b":[1,2]}', 'not a HAR: no "log" at the top level (top-level keys: a, b)'],
      ['{"wrap":{"log":{"entries":[]}}}', 'not a HAR: no "log" at the top level (top-level keys: wrap); a HAR is nested under "wrap"'],
      ['{"log":[1,2]}', 'not a HAR: "log" is an array, not an object'],
      ['{"log":{"version":"1.2","creator":{}}}', 'not a HAR: "log" has no "entries" array (its keys: version, creator)'],
      ['{"log":{"entries":{}}}', "not a HAR: log.entries is an object, not an array"],
      ["{}", "not a HAR: the JSON object is empty (a HAR has log.entries)"],
    ];
    for (const [text, message] of cases) {
      const { error } = await split(Buffer.from(text), 3);
      expect((error as SplitError).kind, text).toBe("shape");
      expect((error as SplitError).message).toBe(message);
    }
  });

  it("passes non-object entries through for the reader to judge", async () => {
    const { entries } = await split(Buffer.from('{"log":{"entries":[1, "x", null, {"a":1}]}}'), 2);
    expect(entries.map((e) => e.bytes.toString())).toEqual(["1", '"x"', "null", '{"a":1}']);
  });

  it("counts bytes read", async () => {
    const buf = Buffer.from(harText([{ a: 1 }], true));
    const { splitter } = await split(buf, 10);
    expect(splitter.bytesRead).toBe(buf.length);
  });
});
