/**
 * Streaming redaction of a HAR file: the byte-level splitter hands out each
 * entry's bytes with their offsets; the bytes between entries (the log
 * header, `pages`, separators, the trailer) are copied verbatim (only JSON
 * strings there that hold a secret are rewritten), and each entry is parsed,
 * redacted and written back. An entry without secrets is written as its
 * original bytes; a changed one is re-serialised in the entry's own layout
 * (compact or indented). Memory stays bounded by the largest entry.
 *
 * Compressed input (gzip, zlib `.zhar`) is decompressed; the output is plain
 * UTF-8 HAR text. A BOM or JSONP wrapper is kept as it was.
 */
import { createReadStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { Readable, pipeline } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { SNIFF_BYTES, sniffCompression, sniffText } from "../ingest/detect.js";
import { HarSplitter, SplitError } from "../ingest/har/splitter.js";
import { InputError } from "../ingest/types.js";
import { MarkerMap } from "./markers.js";
import { Redactor, type SecretFinding } from "./redactor.js";

export interface RedactOptions {
  /** HMAC key for markers (default: random per run). Tests pass a fixed key. */
  key?: Buffer;
  /** Read chunk size (default 1 MiB). */
  chunkSize?: number;
}

export interface RedactSummary {
  entries: number;
  /** Entries that held at least one secret. */
  changedEntries: number;
  /** Secret values replaced (each occurrence). */
  replaced: number;
  /** Distinct secrets (distinct markers). */
  distinct: number;
  bytesIn: number;
  bytesOut: number;
}

export interface CheckResult {
  path: string;
  entries: number;
  /** Every value that still looks secret (the first 10 000; `count` has them all). */
  findings: SecretFinding[];
  count: number;
}

const MiB = 1024 * 1024;

/** Wrap an async iterable so that it can be peeked at and re-read from the start. */
async function peekable(src: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const it = src[Symbol.asyncIterator]();
  const got: Buffer[] = [];
  let have = 0;
  let done = false;
  while (have < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
    if (b.length === 0) continue;
    got.push(b);
    have += b.length;
  }
  const head = got.length === 1 ? got[0]! : Buffer.concat(got);
  const rest: AsyncIterable<Buffer> = {
    async *[Symbol.asyncIterator]() {
      let finished = done;
      try {
        yield* got;
        while (!finished) {
          const r = await it.next();
          if (r.done) finished = true;
          else yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
        }
      } finally {
        if (!finished) await it.return?.();
      }
    },
  };
  return { head, rest };
}

function readError(path: string, err: unknown): InputError {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ENOENT") return new InputError(path, "no such file");
  if (e?.code === "EACCES" || e?.code === "EPERM") return new InputError(path, "permission denied");
  if (e?.code === "EISDIR") return new InputError(path, "is a directory, not a capture file");
  return new InputError(path, `cannot read: ${e instanceof Error ? e.message.split("\n")[0] : String(err)}`);
}

interface Opened {
  source: AsyncIterable<Buffer>;
  skip: number;
  bomLength: number;
  jsonp: boolean;
}

/** Open a file (or `-` for stdin) as decompressed HAR bytes; InputError when it is not a HAR. */
async function openBytes(path: string, chunkSize: number): Promise<Opened> {
  let raw: AsyncIterable<Buffer>;
  if (path === "-") {
    if (process.stdin.isTTY) throw new InputError("-", "stdin is a terminal; pipe a capture into it or pass a file path");
    raw = process.stdin as AsyncIterable<Buffer>;
  } else {
    try {
      const st = await stat(path);
      if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    } catch (err) {
      throw readError(path, err);
    }
    raw = createReadStream(path, { highWaterMark: chunkSize });
  }
  let p;
  try {
    p = await peekable(raw, SNIFF_BYTES);
  } catch (err) {
    throw readError(path, err);
  }
  let { head, rest } = p;
  const compression = sniffCompression(head);
  if (compression) {
    const z = compression === "gzip" ? createGunzip({ chunkSize: Math.max(64 * 1024, chunkSize) }) : createInflate({ chunkSize: Math.max(64 * 1024, chunkSize) });
    pipeline(Readable.from(rest, { objectMode: false }), z, () => {});
    try {
      ({ head, rest } = await peekable(z, SNIFF_BYTES));
    } catch (err) {
      throw new InputError(path, `${compression} data is corrupt: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const text = sniffText(head);
  switch (text.format) {
    case "har":
      return { source: rest, skip: text.skip, bomLength: text.bomLength, jsonp: text.jsonp };
    case "mitmproxy":
      throw new InputError(path, "mitmproxy flow files are not supported yet");
    case "empty":
      throw new InputError(path, head.length === 0 ? "input is empty" : "input contains only whitespace");
    case "utf16":
      throw new InputError(path, "the file is UTF-16 encoded; save it as UTF-8 (HAR files are UTF-8)");
    case "unknown":
      throw new InputError(path, text.reason);
  }
}

function splitError(path: string, err: unknown): unknown {
  if (err instanceof SplitError) {
    if (err.kind === "truncated" && err.message !== "input is empty") return new InputError(path, `truncated: ${err.message}`);
    return new InputError(path, err.message);
  }
  if (err instanceof InputError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.code && /^Z_/.test(e.code)) return new InputError(path, `compressed data is corrupt: ${e.message}`);
  return err;
}

/**
 * Feeds the splitter and keeps the bytes it has not yet been told to drop, so
 * that the gaps between entries can be copied verbatim.
 */
class Tee {
  private chunks: Buffer[] = [];
  /** Absolute offset of chunks[0][0]. */
  private base = 0;
  /** Absolute offset of the end of what was read. */
  private end = 0;

  constructor(private readonly src: AsyncIterable<Buffer>) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    for await (const c of this.src) {
      this.chunks.push(c);
      this.end += c.length;
      yield c;
    }
  }

  /** Bytes from `from` to `to` (absolute); everything before `to` is then released. */
  take(from: number, to: number): Buffer {
    const pieces: Buffer[] = [];
    let pos = this.base;
    for (const c of this.chunks) {
      const s = Math.max(from, pos);
      const e = Math.min(to, pos + c.length);
      if (e > s) pieces.push(c.subarray(s - pos, e - pos));
      pos += c.length;
      if (pos >= to) break;
    }
    this.release(to);
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  }

  /** Release every chunk that ends at or before `to`. */
  release(to: number): void {
    while (this.chunks.length > 0 && this.base + this.chunks[0]!.length <= to) {
      this.base += this.chunks.shift()!.length;
    }
  }

  get readEnd(): number {
    return this.end;
  }
}

/** JSON string literals in the bytes between entries. */
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;

/** Redact (or check) the JSON strings of a gap between entries; the other bytes are kept. */
function gapText(gap: Buffer, r: Redactor): Buffer {
  if (gap.length === 0) return gap;
  const text = gap.toString("utf8");
  if (!/[?#]|eyJ|00[A-Za-z0-9_-]{40}/.test(text)) return gap;
  let changed = false;
  const out = text.replace(STRING_LITERAL, (lit) => {
    let s: string;
    try {
      s = JSON.parse(lit) as string;
    } catch {
      return lit;
    }
    const rep = r.string(s, { entry: -1, path: "$.log" });
    if (rep === s) return lit;
    changed = true;
    return JSON.stringify(rep);
  });
  return changed ? Buffer.from(out, "utf8") : gap;
}

/** Serialise a changed entry in the layout of the original bytes. */
function serialize(entry: unknown, original: Buffer, column: number): string {
  const nl = original.indexOf(0x0a);
  if (nl < 0 || nl > 4096) return JSON.stringify(entry);
  // The first key's indentation, relative to the entry's own column, is the indent unit.
  let i = nl + 1;
  let ws = "";
  while (i < original.length && (original[i] === 0x20 || original[i] === 0x09)) ws += String.fromCharCode(original[i++]!);
  const baseIndent = " ".repeat(Math.max(0, column - 1));
  const unit = ws.startsWith(baseIndent) && ws.length > baseIndent.length ? ws.slice(baseIndent.length) : ws || "  ";
  const crlf = nl > 0 && original[nl - 1] === 0x0d;
  let s = JSON.stringify(entry, null, unit);
  if (baseIndent) s = s.replace(/\n/g, `\n${baseIndent}`);
  if (crlf) s = s.replace(/\n/g, "\r\n");
  return s;
}

type Sink = (b: Buffer | string) => Promise<void>;

async function walk(path: string, r: Redactor, sink: Sink | null, chunkSize: number): Promise<{ entries: number; changed: number; bytesIn: number }> {
  const opened = await openBytes(path, chunkSize);
  const tee = new Tee(opened.source);
  const splitter = new HarSplitter(tee, { skip: opened.skip, bomLength: opened.bomLength, jsonp: opened.jsonp });
  let written = 0;
  let entries = 0;
  let changed = 0;
  try {
    for await (const e of splitter.entries()) {
      entries++;
      const gap = tee.take(written, e.offset);
      if (sink) await sink(gapText(gap, r));
      else gapText(gap, r);
      written = e.offset + e.bytes.length;
      tee.release(written);
      let parsed: unknown;
      try {
        parsed = JSON.parse(e.bytes.toString("utf8"));
      } catch {
        // Broken entry JSON: copied as is (validate reports it); its strings are still scanned.
        if (sink) await sink(gapText(e.bytes, r));
        else gapText(e.bytes, r);
        continue;
      }
      const didChange = r.entry(parsed, e.arrayIndex);
      if (didChange) changed++;
      if (sink) await sink(didChange ? serialize(parsed, e.bytes, e.column) : e.bytes);
    }
  } catch (err) {
    await splitter.close();
    throw splitError(path, err);
  }
  const tail = tee.take(written, tee.readEnd);
  if (sink) await sink(gapText(tail, r));
  else gapText(tail, r);
  return { entries, changed, bytesIn: tee.readEnd };
}

/**
 * Redact `input` into `output` (`-` for stdout). The output is written to a
 * temporary file beside it and renamed at the end, so a failed run leaves no
 * half-written file. Throws InputError for unreadable input.
 */
export async function redactFile(input: string, output: string, opts: RedactOptions = {}): Promise<RedactSummary> {
  const markers = new MarkerMap(opts.key);
  const r = new Redactor("redact", markers);
  const toStdout = output === "-";
  const tmp = toStdout ? "" : `${output}.oktalint-${process.pid}-${Date.now()}.tmp`;
  const stream = toStdout ? process.stdout : createWriteStream(tmp, { highWaterMark: 4 * MiB });
  let bytesOut = 0;
  let failed: Error | undefined;
  if (!toStdout) stream.on("error", (e: Error) => (failed ??= e));
  const sink: Sink = (b) =>
    new Promise<void>((resolve, reject) => {
      if (failed) return reject(failed);
      const len = typeof b === "string" ? Buffer.byteLength(b) : b.length;
      if (len === 0) return resolve();
      bytesOut += len;
      if (stream.write(b)) resolve();
      else stream.once("drain", () => (failed ? reject(failed) : resolve()));
    });
  try {
    const res = await walk(input, r, sink, opts.chunkSize ?? MiB);
    if (!toStdout) {
      await new Promise<void>((resolve, reject) => (stream as NodeJS.WritableStream).end(() => (failed ? reject(failed) : resolve())));
      await rename(tmp, output);
    }
    return { entries: res.entries, changedEntries: res.changed, replaced: r.found, distinct: markers.count, bytesIn: res.bytesIn, bytesOut };
  } catch (err) {
    if (!toStdout) {
      (stream as NodeJS.WritableStream).end();
      await rm(tmp, { force: true });
    }
    throw err;
  }
}

/** Find every value in `input` that still looks secret. Throws InputError for unreadable input. */
export async function checkFile(input: string, opts: RedactOptions = {}): Promise<CheckResult> {
  const r = new Redactor("check");
  const res = await walk(input, r, null, opts.chunkSize ?? MiB);
  return { path: input, entries: res.entries, findings: r.findings, count: r.found };
}
