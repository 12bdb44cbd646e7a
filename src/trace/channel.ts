/**
 * The oktalint side of `oktalint trace`: a FIFO that every traced process
 * (the command, its Node children, their worker threads) writes records to
 * through the preload (src/trace/preload.cts), and the decoder for its frames.
 *
 * Frame format, one per write(2), each at most PIPE_BUF bytes so that writes
 * from different processes never interleave inside a frame:
 *
 *     <pid>.<threadId> <more:1|0> <payload bytes>\n
 *
 * A record is the concatenation of the payloads of consecutive frames with
 * the same key, the last one marked `0`: one JSON line (JSON.stringify output
 * has no raw newline, so the payload never contains "\n"). Pieces are split
 * on byte boundaries, so bytes are joined per key before decoding UTF-8.
 */
import { execFileSync } from "node:child_process";
import { constants, existsSync, openSync, readSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { LiveRecord } from "../live/record.js";

/** Path of the FIFO the preload writes to; tracing is off without it. */
export const TRACE_FIFO_ENV = "OKTALINT_TRACE_FIFO";
/** Bytes of each body the preload keeps (default 1 MiB); the full size is always counted. */
export const TRACE_BODY_LIMIT_ENV = "OKTALINT_TRACE_BODY_LIMIT";
/** Largest frame, in bytes: writes up to this size to a pipe are atomic on Linux. */
export const PIPE_BUF = 4096;

export interface TraceChannel {
  /** The FIFO path to put in OKTALINT_TRACE_FIFO (see traceEnv). */
  path: string;
  /** Every record, in arrival order. Single consumer; ends after close(). */
  records: AsyncIterable<LiveRecord>;
  /** Stops reading, ends `records` after what is already in the pipe, removes the FIFO and its directory. */
  close(): Promise<void>;
}

/** Absolute path of the compiled preload (dist/src/trace/preload.cjs), from the compiled or the source location of this module. */
export function preloadPath(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = join(dirname(here), "preload.cjs");
  if (here.endsWith(".js") || existsSync(sibling)) return sibling;
  // Running from src/trace/channel.ts (tests): the build output lives under dist/.
  return resolve(dirname(here), "../../dist/src/trace/preload.cjs");
}

/**
 * The environment for a traced command: `base` plus the FIFO path and the
 * preload appended to any NODE_OPTIONS it already has (quoted, as Node's
 * NODE_OPTIONS parser expects for paths with spaces).
 */
export function traceEnv(base: NodeJS.ProcessEnv, fifo: string, options: { bodyLimit?: number } = {}): NodeJS.ProcessEnv {
  const quoted = `"${preloadPath().replace(/["\\]/g, "\\$&")}"`;
  const existing = base.NODE_OPTIONS?.trim();
  const env: NodeJS.ProcessEnv = {
    ...base,
    NODE_OPTIONS: existing ? `${existing} --require ${quoted}` : `--require ${quoted}`,
    [TRACE_FIFO_ENV]: fifo,
  };
  if (options.bodyLimit !== undefined) env[TRACE_BODY_LIMIT_ENV] = String(options.bodyLimit);
  return env;
}

/** Splits one record into frames (what the preload writes); exported for tests and other producers. */
export function encodeFrames(key: string, record: LiveRecord): Buffer[] {
  const payload = Buffer.from(JSON.stringify(record), "utf8");
  const room = PIPE_BUF - Buffer.byteLength(`${key} 0 \n`);
  const frames: Buffer[] = [];
  let offset = 0;
  do {
    const end = Math.min(offset + room, payload.length);
    frames.push(Buffer.concat([Buffer.from(`${key} ${end < payload.length ? 1 : 0} `), payload.subarray(offset, end), Buffer.from("\n")]));
    offset = end;
  } while (offset < payload.length);
  return frames;
}

const KEY = /^\d+\.\d+$/;
const SPACE = 0x20;
const NEWLINE = 0x0a;

/**
 * Reassembles records from a byte stream of frames. Lines that are not
 * frames, frames longer than PIPE_BUF, and payloads that are not a record
 * are skipped.
 */
export class FrameDecoder {
  /** Bytes of the current, unfinished line. */
  private line: Buffer[] = [];
  private lineLength = 0;
  /** Set when the current line outgrew a frame: drop bytes until the next newline. */
  private discarding = false;
  /** Payload pieces of each key's unfinished record. */
  private readonly pieces = new Map<string, Buffer[]>();

  push(chunk: Buffer): LiveRecord[] {
    const records: LiveRecord[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      const tail = chunk.subarray(start, newline);
      if (!this.discarding && this.lineLength + tail.length < PIPE_BUF) {
        const line = this.line.length === 0 ? tail : Buffer.concat([...this.line, tail]);
        const record = this.frame(line);
        if (record) records.push(record);
      }
      this.line = [];
      this.lineLength = 0;
      this.discarding = false;
      start = newline + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0 && !this.discarding) {
      if (this.lineLength + rest.length >= PIPE_BUF) {
        this.discarding = true;
        this.line = [];
        this.lineLength = 0;
      } else {
        this.line.push(Buffer.from(rest));
        this.lineLength += rest.length;
      }
    }
    return records;
  }

  /** Keys with a record begun but not finished (a writer that died mid-record). */
  get unfinished(): string[] {
    return [...this.pieces.keys()];
  }

  private frame(line: Buffer): LiveRecord | undefined {
    const keyEnd = line.indexOf(SPACE);
    if (keyEnd <= 0 || line[keyEnd + 2] !== SPACE) return undefined;
    const key = line.toString("latin1", 0, keyEnd);
    const more = line[keyEnd + 1];
    if (!KEY.test(key) || (more !== 0x30 && more !== 0x31)) return undefined;
    const parts = this.pieces.get(key) ?? [];
    parts.push(Buffer.from(line.subarray(keyEnd + 3)));
    if (more === 0x31) {
      this.pieces.set(key, parts);
      return undefined;
    }
    this.pieces.delete(key);
    return parseRecord(Buffer.concat(parts).toString("utf8"));
  }
}

function parseRecord(text: string): LiveRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { v, kind } = value as { v?: unknown; kind?: unknown };
  return v === 1 && (kind === "exchange" || kind === "process") ? (value as LiveRecord) : undefined;
}

/** An unbounded single-consumer queue exposed as an async iterable. */
class RecordQueue implements AsyncIterable<LiveRecord> {
  private readonly items: LiveRecord[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<LiveRecord>) => void) | null = null;
  private ended = false;

  add(record: LiveRecord): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: record, done: false });
    } else {
      this.items.push(record);
    }
  }

  end(): void {
    this.ended = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  private next(): Promise<IteratorResult<LiveRecord>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head++] as LiveRecord;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<LiveRecord> {
    return { next: () => this.next() };
  }
}

/**
 * Creates the FIFO and starts reading it. It is opened read-write and
 * non-blocking, so that writers never block in open() (a reader exists from
 * now on), the reader never sees EOF when a writer closes, and reads are
 * event-driven through a net.Socket on the descriptor.
 */
export async function openTraceChannel(): Promise<TraceChannel> {
  const dir = await mkdtemp(join(tmpdir(), "oktalint-trace-"));
  const path = join(dir, "trace.fifo");
  let fd: number;
  try {
    execFileSync("mkfifo", ["-m", "600", path], { stdio: "ignore" });
    fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const decoder = new FrameDecoder();
  const queue = new RecordQueue();
  const accept = (chunk: Buffer): void => {
    for (const record of decoder.push(chunk)) queue.add(record);
  };
  const socket = new Socket({ fd, readable: true, writable: false });
  socket.on("data", accept);
  // A read error ends the stream; close() still drains and cleans up.
  socket.on("error", () => undefined);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // In order: what the socket read but has not emitted yet (in flowing mode
      // read() emits it as 'data'), then what is still in the kernel's pipe buffer.
      while (socket.readableLength > 0 && socket.read() !== null) continue;
      drain(fd, accept);
      socket.destroy();
      queue.end();
      await rm(dir, { recursive: true, force: true });
    })();
    return closing;
  };
  return { path, records: queue, close };
}

/** Reads a non-blocking descriptor until it would block. */
function drain(fd: number, accept: (chunk: Buffer) => void): void {
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    let read: number;
    try {
      read = readSync(fd, buffer, 0, buffer.length, null);
    } catch {
      return; // EAGAIN: empty; EBADF: already closed.
    }
    if (read <= 0) return;
    accept(Buffer.from(buffer.subarray(0, read)));
  }
}
