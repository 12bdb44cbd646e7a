/**
 * Streaming redaction of a HAR file, in two passes over the file. The first
 * collects every secret value (credential positions and shapes, see
 * redactor.ts); the second masks each of them wherever it occurs, in every
 * encoding (sweep.ts), so a value first seen in entry 90 is also masked where
 * entry 3 echoed it. Standard input is spooled to a temporary file to be read
 * twice.
 *
 * In each pass, the byte-level splitter hands out each
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
import { createReadStream, createWriteStream } from "node:fs";
import { lstat, mkdtemp, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline as pipelineAsync } from "node:stream/promises";
import { Readable, pipeline } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { SNIFF_BYTES, sniffCompression, sniffText } from "../ingest/detect.js";
import { HarSplitter, SplitError } from "../ingest/har/splitter.js";
import { InputError } from "../ingest/types.js";
import { MarkerMap } from "./markers.js";
import { Redactor, type SecretFinding } from "./redactor.js";
import { Sweeper } from "./sweep.js";

export interface RedactOptions {
  /** HMAC key for markers (default: random per run). Tests pass a fixed key. */
  key?: Buffer;
  /** Read chunk size (default 1 MiB). */
  chunkSize?: number;
  /** Keep entries that cannot be parsed, masked byte-wise (default: replaced by a placeholder). */
  keepUnparsed?: boolean;
}

/** An entry whose JSON cannot be parsed. */
export interface UnparsedEntry {
  /** Index in `log.entries`. */
  entry: number;
  /** What JSON.parse said. */
  error: string;
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
  /** Entries that could not be parsed: replaced by a placeholder, or kept masked byte-wise with `keepUnparsed`. */
  unparsed: UnparsedEntry[];
}

export interface CheckResult {
  path: string;
  entries: number;
  /** Every value that still looks secret (the first 10 000; `count` has them all). */
  findings: SecretFinding[];
  count: number;
  /** Entries that could not be parsed (each also counts as a finding: it cannot be proven clean). */
  unparsed: UnparsedEntry[];
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
const GAP_TRIGGER = /[?#@]|eyJ|00[A-Za-z0-9_-]{40}|-----BEGIN|\/(?:welcome|signin|reset|authn|activate)|password|secret|token|cookie|kty|<input/i;

function gapText(gap: Buffer, r: Redactor): Buffer {
  if (gap.length === 0) return gap;
  const text = gap.toString("utf8");
  const sweep = r.sweeper !== null && r.sweeper.size > 0 && r.sweeper.has(text);
  if (!sweep && !GAP_TRIGGER.test(text)) return gap;
  let changed = false;
  const out = text.replace(STRING_LITERAL, (lit) => {
    let s: string;
    try {
      s = JSON.parse(lit) as string;
    } catch {
      return lit;
    }
    let rep = r.string(s, { entry: -1, path: "$.log" });
    if (sweep) rep = r.sweeper!.replace(rep);
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

interface WalkState {
  /** Pass 1 writes, pass 2 reads: which entries (in file order) held a secret. */
  flags: Uint8Array;
  unparsed: UnparsedEntry[];
  keepUnparsed: boolean;
}

const TEXTUAL = /json|text|javascript|ecmascript|xml|html|form|graphql|csv|multipart/i;

const BASE64 = Buffer.from('"base64"');
const MIME_KEY = Buffer.from('"mimeType"');

/** Could a base64 body of this entry hold text? Read from the bytes around each `"mimeType"`, without decoding the entry. */
function textualBase64(bytes: Buffer): boolean {
  for (let i = bytes.indexOf(MIME_KEY); i >= 0; i = bytes.indexOf(MIME_KEY, i + MIME_KEY.length)) {
    const m = /^"mimeType"\s*:\s*"([^"]*)"/.exec(bytes.toString("latin1", i, i + 200));
    if (m && (m[1] === "" || TEXTUAL.test(m[1]!) || /octet-stream/i.test(m[1]!))) return true;
  }
  return false;
}


/** Could this entry hold a collected value (raw, or in a base64 body that may be text)? */
function mayHoldCollected(bytes: Buffer, r: Redactor): boolean {
  const sw = r.sweeper;
  if (!sw || sw.size === 0) return false;
  const inBytes = sw.hasBytes(bytes);
  if (inBytes === true) return true;
  const hasBase64 = bytes.indexOf(BASE64) >= 0 && textualBase64(bytes);
  if (inBytes === false) return hasBase64;
  return hasBase64 || sw.has(bytes.toString("utf8"));
}

/**
 * What JSON.parse said, without the piece of the entry V8 quotes in its message
 * (`Unexpected token 'N', ..."sid=abc…"... is not valid JSON`): that piece can be a secret.
 */
function parseErrorText(err: unknown): string {
  const msg = err instanceof Error ? err.message.split("\n")[0]! : String(err);
  const tok = /^Unexpected token '(.)'/.exec(msg);
  if (tok) return `unexpected '${tok[1]}'`;
  const pos = /^(.*?) in JSON at position (\d+)/.exec(msg);
  if (pos && !/["`]/.test(pos[1]!)) return `${pos[1]} at character ${pos[2]}`;
  return /["`]/.test(msg) ? "not valid JSON" : msg;
}

function placeholder(index: number): string {
  return JSON.stringify({ _oktalint: `entry ${index} could not be parsed as JSON; oktalint redact removed it (--keep-unparsed keeps it, masked byte-wise)` });
}

async function walk(path: string, r: Redactor, sink: Sink | null, chunkSize: number, state: WalkState): Promise<{ entries: number; changed: number; bytesIn: number }> {
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
      const n = entries - 1;
      const before = r.found;
      // Pass 2: an entry the first pass found clean and that holds no collected value is copied without parsing.
      if (sink && n < state.flags.length && state.flags[n] === 0 && !mayHoldCollected(e.bytes, r)) {
        await sink(e.bytes);
        continue;
      }
      const text = e.bytes.toString("utf8");
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        // Never copied through: masked byte-wise (kept only on request), else replaced by a placeholder.
        const message = parseErrorText(err);
        if (!sink || r.mode === "check") {
          state.unparsed.push({ entry: e.arrayIndex, error: message });
          r.bytewise(text, { entry: e.arrayIndex, path: `$.log.entries[${e.arrayIndex}]` });
          if (!sink) {
            r.found++;
            r.findings.push({ entry: e.arrayIndex, path: `$.log.entries[${e.arrayIndex}]`, reason: `the entry cannot be parsed (${message}): it cannot be checked`, value: "(not parsed)" });
            markFlag(state, n);
          }
          continue;
        }
        state.unparsed.push({ entry: e.arrayIndex, error: message });
        changed++;
        await sink(state.keepUnparsed ? r.bytewise(text, { entry: e.arrayIndex, path: `$.log.entries[${e.arrayIndex}]` }) : placeholder(e.arrayIndex));
        continue;
      }
      const didChange = r.entry(parsed, e.arrayIndex);
      if (!sink && r.found !== before) markFlag(state, n);
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

function markFlag(state: WalkState, n: number): void {
  if (n >= state.flags.length) {
    const grown = new Uint8Array(Math.max(1024, n * 2));
    grown.set(state.flags);
    state.flags = grown;
  }
  state.flags[n] = 1;
}

/** Standard input, spooled to a temporary file so that it can be read twice. */
async function spoolStdin(): Promise<{ path: string; done: () => Promise<void> }> {
  if (process.stdin.isTTY) throw new InputError("-", "stdin is a terminal; pipe a capture into it or pass a file path");
  const dir = await mkdtemp(join(tmpdir(), "oktalint-redact-"));
  const path = join(dir, "stdin.har");
  await pipelineAsync(process.stdin, createWriteStream(path));
  return { path, done: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Where the output goes. A regular file (or a new one) is written to a
 * temporary file beside it and renamed at the end, so a failed run leaves no
 * half-written file. A device, FIFO, socket or symlink is written through
 * (`-o /dev/stdout`, `-o /dev/null`, a named pipe, a link to a file): it is
 * never replaced by a renamed file.
 */
async function outputTarget(output: string): Promise<"stdout" | "through" | "rename"> {
  // Standard output by name: written to the stream itself (a socket or pipe cannot always be reopened by path).
  if (output === "-" || output === "/dev/stdout" || output === "/dev/fd/1" || output === "/proc/self/fd/1") return "stdout";
  try {
    const st = await lstat(output);
    return st.isFile() ? "rename" : st.isDirectory() ? Promise.reject(new InputError(output, "the output is a directory")) : "through";
  } catch (err) {
    if (err instanceof InputError) throw err;
    return "rename";
  }
}

/** Is this output path the terminal's standard output or another stream that is not a file (a summary then goes to stderr)? */
export async function outputIsStream(output: string): Promise<boolean> {
  if (output === "-") return true;
  try {
    const st = await lstat(output);
    return !st.isFile();
  } catch {
    return false;
  }
}

/**
 * Redact `input` into `output` (`-` for stdout): two passes over the input
 * (stdin is spooled to a temporary file first). Throws InputError for
 * unreadable input.
 */
export async function redactFile(input: string, output: string, opts: RedactOptions = {}): Promise<RedactSummary> {
  const spooled = input === "-" ? await spoolStdin() : null;
  try {
    return await redactTwice(spooled?.path ?? input, input, output, opts);
  } finally {
    await spooled?.done();
  }
}

async function redactTwice(source: string, input: string, output: string, opts: RedactOptions): Promise<RedactSummary> {
  const chunkSize = opts.chunkSize ?? MiB;
  // Pass 1: collect.
  const collector = new Redactor("check");
  const state: WalkState = { flags: new Uint8Array(1024), unparsed: [], keepUnparsed: opts.keepUnparsed === true };
  try {
    await walk(source, collector, null, chunkSize, state);
  } catch (err) {
    throw input === source ? err : retarget(err, input);
  }
  state.unparsed = [];
  // Pass 2: mask.
  const markers = new MarkerMap(opts.key);
  const r = new Redactor("redact", markers);
  const sweeper = new Sweeper();
  for (const [value, kind] of collector.collected) {
    const m = kind === 2 ? (markers.basic(value) ?? markers.marker(value)) : markers.marker(value, kind === 1);
    sweeper.add(value, m);
  }
  r.sweeper = sweeper;
  const target = await outputTarget(output);
  const toStdout = target === "stdout";
  const tmp = target === "rename" ? `${output}.oktalint-${process.pid}-${Date.now()}.tmp` : "";
  const stream = toStdout ? process.stdout : createWriteStream(target === "rename" ? tmp : output, { highWaterMark: 4 * MiB });
  let bytesOut = 0;
  let failed: Error | undefined;
  if (!toStdout) stream.on("error", (e: Error) => (failed ??= e));
  const writeError = (e: Error) => {
    const code = (e as NodeJS.ErrnoException).code;
    return new InputError(output, `cannot write: ${code === "EACCES" || code === "EPERM" ? "permission denied" : code === "ENOENT" ? "no such directory" : e.message.split("\n")[0]}`);
  };
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
    let res;
    try {
      res = await walk(source, r, sink, chunkSize, state);
    } catch (err) {
      throw input === source ? err : retarget(err, input);
    }
    if (!toStdout) {
      await new Promise<void>((resolve, reject) => (stream as NodeJS.WritableStream).end(() => (failed ? reject(failed) : resolve())));
      if (target === "rename") await rename(tmp, output);
    }
    return {
      entries: res.entries,
      changedEntries: res.changed,
      replaced: r.found + sweeper.hits,
      distinct: markers.count,
      bytesIn: res.bytesIn,
      bytesOut,
      unparsed: state.unparsed,
    };
  } catch (err) {
    if (!toStdout) {
      (stream as NodeJS.WritableStream).end();
      if (tmp) await rm(tmp, { force: true });
    }
    if (err === failed && err instanceof Error) throw writeError(err);
    throw err;
  }
}

function retarget(err: unknown, input: string): unknown {
  return err instanceof InputError ? new InputError(input, err.reason) : err;
}

/** Find every value in `input` that still looks secret. Throws InputError for unreadable input. */
export async function checkFile(input: string, opts: RedactOptions = {}): Promise<CheckResult> {
  const r = new Redactor("check");
  const state: WalkState = { flags: new Uint8Array(1024), unparsed: [], keepUnparsed: false };
  const res = await walk(input, r, null, opts.chunkSize ?? MiB, state);
  return { path: input, entries: res.entries, findings: r.findings, count: r.found, unparsed: state.unparsed };
}
