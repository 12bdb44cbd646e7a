/**
 * Open a capture file (or stdin) and return a streaming reader.
 *
 * The format is sniffed from the content, never from the name: gzip and zlib
 * (mitmproxy's `.zhar`) are decompressed as streams, a UTF-8 BOM and a JSONP
 * (HARP) wrapper are undone, and what remains must be a HAR's JSON object
 * or a mitmproxy flow dump (concatenated tnetstrings).
 * Every wrapper undone is listed in `meta.wrappers`.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { SNIFF_BYTES, sniffCompression, sniffText } from "./detect.js";
import { readHar } from "./har/reader.js";
import { readMitmproxy } from "./mitmproxy/reader.js";
import { InputError, type CaptureReader, type ReadOptions } from "./types.js";

/** Internal knobs (tests use tiny chunks to exercise chunk boundaries). */
export interface InternalReadOptions extends ReadOptions {
  /** Read chunk size for files (default 1 MiB). */
  chunkSize?: number;
}

const DEFAULT_CHUNK = 1024 * 1024;
/** Files up to this size are read in one call instead of streamed. */
const SMALL_FILE = 4 * 1024 * 1024;

/**
 * A pull-based view of a chunk stream that lets us look at the first bytes
 * and then hand on everything (including what was looked at).
 */
class Peekable implements AsyncIterable<Buffer> {
  private readonly it: AsyncIterator<Buffer>;
  private readonly head: Buffer[] = [];
  private done = false;

  constructor(source: AsyncIterable<Buffer | Uint8Array | string>) {
    const inner = source[Symbol.asyncIterator]();
    this.it = {
      next: async () => {
        const r = await inner.next();
        if (r.done) return { done: true, value: undefined };
        const v = r.value;
        return { done: false, value: typeof v === "string" ? Buffer.from(v, "utf8") : Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength) };
      },
      ...(inner.return ? { return: async () => (await inner.return!(), { done: true as const, value: undefined }) } : {}),
    };
  }

  /**
   * At least `n` bytes from the start (fewer at end of input), or fewer as
   * soon as `enough` says what has arrived settles the question: on a live
   * pipe the next bytes may come only when the next flow completes.
   */
  async peek(n: number, enough?: (head: Buffer) => boolean): Promise<Buffer> {
    let have = this.head.reduce((s, b) => s + b.length, 0);
    while (have < n && !this.done && !(enough && have > 0 && enough(this.joined()))) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      if (r.value.length === 0) continue;
      this.head.push(r.value);
      have += r.value.length;
    }
    return this.joined();
  }

  private joined(): Buffer {
    if (this.head.length > 1) this.head.splice(0, this.head.length, Buffer.concat(this.head));
    return this.head[0] ?? Buffer.alloc(0);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    let finished = this.done;
    try {
      while (this.head.length > 0) yield this.head.shift()!;
      while (!finished) {
        const r = await this.it.next();
        if (r.done) finished = true;
        else yield r.value;
      }
    } finally {
      // Stopped early (or failed): release the underlying stream.
      if (!finished) await this.it.return?.();
    }
  }
}

/** The first bytes already tell the format (a compression header, a JSON object or a tnetstring length): no need to wait for SNIFF_BYTES. */
function settled(head: Buffer, compressed: boolean): boolean {
  if (!compressed && sniffCompression(head)) return true;
  const format = sniffText(head).format;
  return format === "har" || format === "mitmproxy";
}

/** Pipe byte chunks through a zlib transform, as an async iterable of its output. */
function decompress(source: AsyncIterable<Buffer>, kind: "gzip" | "zlib", chunkSize: number): AsyncIterable<Buffer> {
  const size = Math.max(64 * 1024, chunkSize);
  const z = kind === "gzip" ? createGunzip({ chunkSize: size }) : createInflate({ chunkSize: size });
  // pipeline() propagates source errors to the consumer and closes the source when the consumer stops early.
  pipeline(Readable.from(source, { objectMode: false }), z, () => {});
  return z;
}

/**
 * Open a capture from a stream of bytes (a file stream, stdin, or anything
 * that yields Buffers). `path` is used in messages and in `meta.path`.
 */
export async function openCaptureStream(
  input: Readable | AsyncIterable<Buffer | Uint8Array | string>,
  path: string,
  opts: InternalReadOptions = {},
): Promise<CaptureReader> {
  try {
    return await open(input, path, opts);
  } catch (err) {
    // Nothing will read the rest: release the input (file handle, stdin).
    if (typeof (input as Readable).destroy === "function") (input as Readable).destroy();
    throw err;
  }
}

async function open(
  input: Readable | AsyncIterable<Buffer | Uint8Array | string>,
  path: string,
  opts: InternalReadOptions,
): Promise<CaptureReader> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  const wrappers: string[] = [];
  let source = new Peekable(input as AsyncIterable<Buffer>);
  let head: Buffer;
  try {
    head = await source.peek(SNIFF_BYTES, (h) => settled(h, false));
  } catch (err) {
    throw readError(path, err);
  }
  const compression = sniffCompression(head);
  if (compression) {
    wrappers.push(compression);
    source = new Peekable(decompress(source, compression, chunkSize));
    try {
      head = await source.peek(SNIFF_BYTES, (h) => settled(h, true));
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new InputError(path, `${compression} data is corrupt: ${msg}`);
    }
  }
  const text = sniffText(head);
  switch (text.format) {
    case "har":
      return readHar(source, { path, wrappers: [...wrappers, ...text.wrappers], skip: text.skip, bomLength: text.bomLength, jsonp: text.jsonp }, opts);
    case "mitmproxy":
      return readMitmproxy(source, { path, wrappers }, opts);
    case "empty":
      throw new InputError(path, head.length === 0 ? (compression ? `input is empty (after ${compression} decompression)` : "input is empty") : "input contains only whitespace");
    case "utf16":
      throw new InputError(path, "the file is UTF-16 encoded; save it as UTF-8 (HAR files are UTF-8)");
    case "unknown":
      throw new InputError(path, text.reason);
  }
}

function readError(path: string, err: unknown): InputError {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case "ENOENT":
      return new InputError(path, "no such file");
    case "EACCES":
    case "EPERM":
      return new InputError(path, "permission denied");
    case "EISDIR":
      return new InputError(path, "is a directory, not a capture file");
    default:
      return new InputError(path, `cannot read: ${e instanceof Error ? e.message.split("\n")[0] : String(err)}`);
  }
}

/**
 * Open a capture file for streaming. `path === "-"` reads stdin.
 * Throws InputError (one clear line) when the input is not a readable HAR.
 */
export async function openCapture(path: string, opts: InternalReadOptions = {}): Promise<CaptureReader> {
  if (path === "-") {
    if (process.stdin.isTTY) throw new InputError("-", "stdin is a terminal; pipe a capture into it or pass a file path");
    return openCaptureStream(process.stdin, "-", opts);
  }
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw readError(path, Object.assign(new Error("is a directory"), { code: "EISDIR" }));
    size = st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw readError(path, err);
  }
  // A small file is one read: no stream, no chunk buffers (linting many small captures is I/O-latency bound).
  if (size <= SMALL_FILE && opts.chunkSize === undefined) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw readError(path, err);
    }
    return openCaptureStream(Readable.from([bytes]), path, opts);
  }
  const stream = createReadStream(path, { highWaterMark: opts.chunkSize ?? DEFAULT_CHUNK });
  return openCaptureStream(stream, path, opts);
}
