/**
 * Byte-level HAR splitter: walks the structure of a (possibly huge) HAR over a
 * stream of Buffer chunks and hands out each element of `log.entries` as its
 * own bytes, so that only one entry at a time is ever parsed with JSON.parse.
 *
 * It understands just enough JSON to do that: strings (with escapes, skipped
 * with Buffer.indexOf), nesting of `{}`/`[]`, and the two object levels it
 * cares about (the top-level object and `log`). Entry bytes are validated by
 * JSON.parse later; the top-level structure is checked here.
 *
 * Positions are counted in the decompressed byte stream: `offset` is the byte
 * offset of the entry's `{`, `line`/`column` are 1-based, and columns count
 * bytes (they equal characters unless the line holds non-ASCII text before the
 * entry; on line 1 the UTF-8 BOM is not counted).
 *
 * `log` fields other than `entries` (version, creator, browser, pages, comment)
 * are parsed as they come and reported through `onLogField`, in file order:
 * usually before the entries, but a producer may write them after; the caller
 * decides what to do with late metadata.
 */

import { describeByte } from "../detect.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const NL = 0x0a;
const COMMA = 0x2c;
const COLON = 0x3a;
const EMPTY = Buffer.alloc(0);

/** Largest value we try to decode into one JS string (V8's limit is ~512 MiB of UTF-16 / 1 GiB latin1). */
const MAX_VALUE_BYTES = 500 * 1024 * 1024;
/** Values of unknown top-level keys are kept up to this size to explain what the file is. */
const HINT_CAPTURE_BYTES = 1024 * 1024;

/** The element of `log.entries` that was split out. */
export interface SplitEntry {
  /** Position in the `log.entries` array. */
  arrayIndex: number;
  /** Raw bytes of the element (an object, normally; other JSON values are passed through). */
  bytes: Buffer;
  /** Absolute byte offset of the first byte of the element. */
  offset: number;
  line: number;
  column: number;
}

/** Why the input could not be read further. `kind` lets the reader phrase the message. */
export class SplitError extends Error {
  constructor(
    readonly kind: "syntax" | "truncated" | "shape" | "too-large",
    message: string,
  ) {
    super(message);
    this.name = "SplitError";
  }
}

export type LogFieldName = "version" | "creator" | "browser" | "pages" | "comment";

export interface SplitterOptions {
  /** Bytes at the start to skip (BOM, JSONP prefix). */
  skip?: number;
  /** UTF-8 BOM length at the start: line 1 columns are counted after it. */
  bomLength?: number;
  /** Accept a JSONP trailer `)` `;` after the top-level object. */
  jsonp?: boolean;
  /** Called for each known `log` field as soon as it has been read. */
  onLogField?: (name: LogFieldName, value: unknown) => void;
  /** Called for each other key of `log` (the value is skipped). */
  onUnknownLogKey?: (name: string) => void;
}

/** A summary of what was seen, for explaining inputs that are not HARs. */
export interface Shape {
  topKeys: string[];
  /** JSON type of the top-level `log` value, when there is one. */
  logType?: string;
  logKeys: string[];
  /** JSON type of `log.entries`, when there is one. */
  entriesType?: string;
  /** Top-level keys whose (small) value is an object holding a `log.entries` array. */
  nestedHar: string[];
  entryCount: number;
  /** The top-level object was closed (the whole value was read). */
  complete: boolean;
}

const ESCAPE_PENDING = -1;
const NO_ESCAPE_PENDING = -2;
const NOT_FOUND = -3;
/** Strings are walked byte by byte for this long before switching to indexOf. */
const SHORT_STRING = 24;

/**
 * Index of the closing quote of a string whose body starts at `j` (the byte
 * before `j` is never an unconsumed backslash), or, when the chunk ends first,
 * ESCAPE_PENDING (the chunk ends in an odd run of backslashes, so the next
 * chunk's first byte is escaped) or NO_ESCAPE_PENDING.
 */
function findQuote(buf: Buffer, j: number): number {
  for (;;) {
    const q = buf.indexOf(QUOTE, j);
    if (q < 0) {
      const len = buf.length;
      let k = len - 1;
      while (k >= j && buf[k] === BACKSLASH) k--;
      return ((len - 1 - k) & 1) === 1 ? ESCAPE_PENDING : NO_ESCAPE_PENDING;
    }
    let k = q - 1;
    while (k >= j && buf[k] === BACKSLASH) k--;
    if (((q - 1 - k) & 1) === 0) return q;
    j = q + 1;
  }
}

/** Where scanChunk is inside a composite value; kept across chunks. */
interface ScanState {
  depth: number;
  /** 0 outside a string, 1 inside one, 2 inside one with the next byte escaped. */
  str: 0 | 1 | 2;
  line: number;
  /** Absolute offset where the current line starts. */
  lineStart: number;
  /** Absolute offset of the chunk's first byte. */
  base: number;
}

/**
 * Scan a composite value in one chunk from `i`. Returns the index just past
 * its closing bracket, or -1 when the chunk ends first (state kept in `st`).
 * This is the hot loop: it sees every byte outside strings; short strings are
 * walked inline and long ones (bodies) skipped with indexOf.
 */
function scanChunk(buf: Buffer, i: number, st: ScanState): number {
  const len = buf.length;
  let depth = st.depth;
  let line = st.line;
  let lineStart = st.lineStart;
  const base = st.base;
  if (st.str !== 0) {
    // Continue a string from the previous chunk.
    const j = st.str === 2 ? i + 1 : i;
    if (j > len) {
      st.str = 2;
      return -1;
    }
    const q = findQuote(buf, j);
    if (q < 0) {
      st.str = q === ESCAPE_PENDING ? 2 : 1;
      return -1;
    }
    st.str = 0;
    i = q + 1;
  }
  while (i < len) {
    const c = buf[i]!;
    if (c === QUOTE) {
      let j = i + 1;
      const lim = j + SHORT_STRING < len ? j + SHORT_STRING : len;
      let q = NOT_FOUND;
      while (j < lim) {
        const d = buf[j]!;
        if (d === QUOTE) {
          q = j;
          break;
        }
        j += d === BACKSLASH ? 2 : 1;
      }
      if (q === NOT_FOUND) {
        if (j > len) q = ESCAPE_PENDING;
        else if (j === len) q = NO_ESCAPE_PENDING;
        else q = findQuote(buf, j);
      }
      if (q < 0) {
        st.str = q === ESCAPE_PENDING ? 2 : 1;
        st.depth = depth;
        st.line = line;
        st.lineStart = lineStart;
        return -1;
      }
      i = q;
    } else if (c === LBRACE || c === LBRACKET) {
      depth++;
    } else if (c === RBRACE || c === RBRACKET) {
      if (--depth === 0) {
        st.depth = 0;
        st.line = line;
        st.lineStart = lineStart;
        return i + 1;
      }
    } else if (c === NL) {
      line++;
      lineStart = base + i + 1;
    }
    i++;
  }
  st.depth = depth;
  st.line = line;
  st.lineStart = lineStart;
  return -1;
}

function typeOfByte(c: number): string {
  if (c === LBRACE) return "an object";
  if (c === LBRACKET) return "an array";
  if (c === QUOTE) return "a string";
  if (c === 0x74 || c === 0x66) return "a boolean";
  if (c === 0x6e) return "null";
  return "a number";
}

export class HarSplitter {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Absolute offset of buf[0]. */
  private base = 0;
  private line = 1;
  /** Absolute offset where the current line starts. */
  private lineStart = 0;
  private eof = false;
  /** Bytes still to skip at the start of the input (BOM, JSONP prefix). */
  private pendingSkip = 0;
  private readonly src: AsyncIterator<Buffer>;
  private readonly opts: SplitterOptions;
  private readonly scan: ScanState = { depth: 0, str: 0, line: 1, lineStart: 0, base: 0 };
  readonly shape: Shape = { topKeys: [], logKeys: [], nestedHar: [], entryCount: 0, complete: false };

  constructor(src: AsyncIterator<Buffer> | AsyncIterable<Buffer>, opts: SplitterOptions = {}) {
    this.src = Symbol.asyncIterator in src ? (src as AsyncIterable<Buffer>)[Symbol.asyncIterator]() : src;
    this.opts = opts;
    this.pendingSkip = opts.skip ?? 0;
    this.lineStart = opts.bomLength ?? 0;
  }

  /** Bytes consumed so far (absolute position in the decompressed input). */
  get bytesRead(): number {
    return this.base + Math.min(this.pos, this.buf.length);
  }

  /** Stop reading and release the input. */
  async close(): Promise<void> {
    this.eof = true;
    try {
      await this.src.return?.();
    } catch {
      // Closing a failed stream may throw again; nothing left to release.
    }
  }

  /** Human location of the current position. */
  where(): string {
    const abs = this.base + this.pos;
    return `line ${this.line} column ${abs - this.lineStart + 1} (byte ${abs})`;
  }

  /** Load the next non-empty chunk (the current one must be fully consumed). */
  private async fill(): Promise<boolean> {
    if (this.eof) return false;
    for (;;) {
      const r = await this.src.next();
      if (r.done) {
        this.eof = true;
        this.base += this.buf.length;
        this.buf = EMPTY;
        this.pos = 0;
        return false;
      }
      const chunk = r.value;
      if (chunk.length === 0) continue;
      this.base += this.buf.length;
      this.buf = chunk;
      this.pos = 0;
      if (this.pendingSkip > 0) {
        const n = Math.min(this.pendingSkip, chunk.length);
        this.pendingSkip -= n;
        this.pos = n;
        for (let i = chunk.indexOf(NL); i >= 0 && i < n; i = chunk.indexOf(NL, i + 1)) {
          this.line++;
          this.lineStart = this.base + i + 1;
        }
        if (n === chunk.length) continue;
      }
      return true;
    }
  }

  /** Skip whitespace; returns the next byte (not consumed) or -1 at end of input. */
  private async peek(): Promise<number> {
    for (;;) {
      const buf = this.buf;
      const len = buf.length;
      let i = this.pos;
      while (i < len) {
        const c = buf[i]!;
        if (c === 0x20 || c === 0x09 || c === 0x0d) i++;
        else if (c === NL) {
          i++;
          this.line++;
          this.lineStart = this.base + i;
        } else {
          this.pos = i;
          return c;
        }
      }
      this.pos = i;
      if (!(await this.fill())) return -1;
    }
  }

  private syntax(expected: string, got: number, context: string): SplitError {
    if (got < 0) return new SplitError("truncated", `input ends ${context}`);
    return new SplitError("syntax", `not valid JSON: expected ${expected} but found ${describeByte(got)} at ${this.where()}`);
  }

  /**
   * Scan one JSON value starting at the current (non-whitespace) byte.
   * With `keep`, returns its bytes (up to `keepLimit` bytes; null when longer).
   */
  private async scanValue(keep: boolean, context: string, keepLimit = MAX_VALUE_BYTES): Promise<Buffer | null> {
    const first = this.buf[this.pos]!;
    if (first === LBRACE || first === LBRACKET) return this.scanComposite(keep, context, keepLimit);
    if (first === QUOTE) return this.scanString(keep, context);
    return this.scanScalar(keep);
  }

  /** Scan `{...}` or `[...]` by nesting depth; JSON.parse of the bytes checks the rest. */
  private async scanComposite(keep: boolean, context: string, keepLimit: number): Promise<Buffer | null> {
    const pieces: Buffer[] = [];
    let kept = 0;
    let keeping = keep;
    const st = this.scan;
    st.depth = 0;
    st.str = 0;
    st.line = this.line;
    st.lineStart = this.lineStart;
    st.base = this.base;
    let start = this.pos;
    for (;;) {
      const buf = this.buf;
      const end = scanChunk(buf, this.pos, st);
      this.line = st.line;
      this.lineStart = st.lineStart;
      if (end >= 0) {
        this.pos = end;
        if (!keeping) return null;
        const last = buf.subarray(start, end);
        if (pieces.length === 0) return last;
        pieces.push(last);
        const total = kept + last.length;
        if (total > keepLimit) return null;
        return Buffer.concat(pieces, total);
      }
      if (keeping) {
        kept += buf.length - start;
        if (kept > keepLimit) {
          keeping = false;
          pieces.length = 0;
        } else pieces.push(start === 0 ? buf : buf.subarray(start));
      }
      this.pos = buf.length;
      if (!(await this.fill())) {
        throw new SplitError("truncated", st.str !== 0 ? `input ends inside a string ${context}` : `input ends ${context}`);
      }
      st.base = this.base;
      start = this.pos;
    }
  }

  /** Scan a string value starting at its opening quote. */
  private async scanString(keep: boolean, context: string): Promise<Buffer | null> {
    const pieces: Buffer[] = [];
    let buf = this.buf;
    let start = this.pos;
    let q = findQuote(buf, this.pos + 1);
    while (q < 0) {
      if (keep) pieces.push(buf.subarray(start, buf.length));
      this.pos = buf.length;
      if (!(await this.fill())) throw new SplitError("truncated", `input ends inside a string ${context}`);
      buf = this.buf;
      start = 0;
      if (q === ESCAPE_PENDING && buf.length === 1) {
        q = NO_ESCAPE_PENDING;
        continue;
      }
      q = findQuote(buf, q === ESCAPE_PENDING ? 1 : 0);
    }
    this.pos = q + 1;
    if (!keep) return null;
    const last = buf.subarray(start, q + 1);
    if (pieces.length === 0) return last;
    pieces.push(last);
    return Buffer.concat(pieces);
  }

  /** Scan a number / true / false / null up to the next delimiter (JSON.parse judges it later). */
  private async scanScalar(keep: boolean): Promise<Buffer | null> {
    const pieces: Buffer[] = [];
    for (;;) {
      const buf = this.buf;
      const start = this.pos;
      let i = start;
      while (i < buf.length) {
        const c = buf[i]!;
        if (c === COMMA || c === RBRACE || c === RBRACKET || c === 0x20 || c === NL || c === 0x0d || c === 0x09 || c === 0x29) {
          this.pos = i;
          if (!keep) return null;
          pieces.push(buf.subarray(start, i));
          return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
        }
        i++;
      }
      if (keep) pieces.push(buf.subarray(start, buf.length));
      this.pos = buf.length;
      if (!(await this.fill())) return keep ? Buffer.concat(pieces) : null;
    }
  }

  /** Read an object key (current byte is `"`) and the following `:`. */
  private async readKey(context: string): Promise<string> {
    const bytes = (await this.scanString(true, context))!;
    let key: string;
    try {
      key = JSON.parse(bytes.toString("utf8")) as string;
    } catch {
      throw new SplitError("syntax", `not valid JSON: bad object key ${context} at ${this.where()}`);
    }
    const c = await this.peek();
    if (c !== COLON) throw this.syntax("':'", c, `after the key "${key}" ${context}`);
    this.pos++;
    const v = await this.peek();
    if (v < 0) throw new SplitError("truncated", `input ends after the key "${key}" ${context}`);
    return key;
  }

  private parseKept(bytes: Buffer, what: string): unknown {
    try {
      return JSON.parse(bytes.toString("utf8"));
    } catch (err) {
      throw new SplitError("syntax", `not valid JSON in ${what}: ${jsonErrorText(err)}`);
    }
  }

  /**
   * Walk the whole input, yielding every element of `log.entries`. Throws
   * SplitError on broken or truncated input (after yielding what came before),
   * and a "shape" SplitError at the end when the JSON is fine but is not a HAR.
   */
  async *entries(): AsyncGenerator<SplitEntry, void, undefined> {
    const shape = this.shape;
    let c = await this.peek();
    if (c < 0) throw new SplitError("truncated", "input is empty");
    if (c !== LBRACE) throw this.syntax("'{'", c, "at the start");
    this.pos++;
    let sawLog = false;
    for (let first = true; ; first = false) {
      c = await this.peek();
      if (c === RBRACE && first) {
        this.pos++;
        break;
      }
      if (c !== QUOTE) throw this.syntax(first ? "a key or '}'" : "a key", c, "inside the top-level object");
      const key = await this.readKey("in the top-level object");
      shape.topKeys.push(key);
      c = this.buf[this.pos]!;
      if (key === "log" && !sawLog) {
        sawLog = true;
        shape.logType = typeOfByte(c);
        if (c === LBRACE) yield* this.logObject();
        else await this.scanValue(false, "in the value of \"log\"");
      } else {
        const kept = await this.scanValue(true, `in the value of "${key}"`, HINT_CAPTURE_BYTES);
        if (kept && kept[0] === LBRACE) {
          try {
            const v = JSON.parse(kept.toString("utf8")) as { log?: { entries?: unknown } };
            if (v && typeof v === "object" && v.log && Array.isArray(v.log.entries)) shape.nestedHar.push(key);
          } catch {
            // Broken JSON inside an unknown key: reported as a syntax error only if it matters (it does not here).
          }
        }
      }
      c = await this.peek();
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      if (c === RBRACE) {
        this.pos++;
        break;
      }
      throw this.syntax("',' or '}'", c, `after the value of "${key}"`);
    }
    shape.complete = true;
    // Trailer: whitespace, and for JSONP `)` and an optional `;`.
    c = await this.peek();
    if (this.opts.jsonp) {
      if (c !== 0x29) throw this.syntax("')' closing the JSONP callback", c, "before the JSONP ')'");
      this.pos++;
      c = await this.peek();
      if (c === 0x3b) {
        this.pos++;
        c = await this.peek();
      }
    }
    if (c >= 0) throw new SplitError("syntax", `not valid JSON: unexpected content after the end of the HAR at ${this.where()}`);
    if (shape.entriesType === "an array") return;
    throw new SplitError("shape", describeShape(shape));
  }

  private async *logObject(): AsyncGenerator<SplitEntry, void, undefined> {
    const shape = this.shape;
    this.pos++; // `{`
    let sawEntries = false;
    for (let first = true; ; first = false) {
      let c = await this.peek();
      if (c === RBRACE && first) {
        this.pos++;
        return;
      }
      if (c !== QUOTE) throw this.syntax(first ? "a key or '}'" : "a key", c, "inside \"log\"");
      const key = await this.readKey("in \"log\"");
      shape.logKeys.push(key);
      c = this.buf[this.pos]!;
      if (key === "entries" && !sawEntries) {
        sawEntries = true;
        shape.entriesType = typeOfByte(c);
        if (c === LBRACKET) yield* this.entriesArray();
        else await this.scanValue(false, "in log.entries");
      } else if (key === "version" || key === "creator" || key === "browser" || key === "pages" || key === "comment") {
        const bytes = await this.scanValue(true, `in log.${key}`);
        if (bytes === null) throw new SplitError("too-large", `log.${key} is too large to read`);
        const value = this.parseKept(bytes, `log.${key}`);
        this.opts.onLogField?.(key, value);
      } else {
        await this.scanValue(false, `in log.${key}`);
        this.opts.onUnknownLogKey?.(key);
      }
      c = await this.peek();
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      if (c === RBRACE) {
        this.pos++;
        return;
      }
      throw this.syntax("',' or '}'", c, `after log.${key}`);
    }
  }

  private async *entriesArray(): AsyncGenerator<SplitEntry, void, undefined> {
    const shape = this.shape;
    this.pos++; // `[`
    let c = await this.peek();
    if (c === RBRACKET) {
      this.pos++;
      return;
    }
    for (let index = 0; ; index++) {
      if (c < 0) throw new SplitError("truncated", `input ends inside log.entries after ${index} complete entries`);
      if (c === COMMA || c === RBRACKET || c === COLON || c === RBRACE) throw this.syntax("an entry", c, `in log.entries[${index}]`);
      const offset = this.base + this.pos;
      const line = this.line;
      const column = offset - this.lineStart + 1;
      const context = `inside log.entries[${index}] (which starts at line ${line} column ${column}) after ${index} complete entries`;
      const bytes = await this.scanValue(true, context);
      if (bytes === null) throw new SplitError("too-large", `log.entries[${index}] is larger than ${MAX_VALUE_BYTES >> 20} MiB and cannot be read`);
      shape.entryCount = index + 1;
      yield { arrayIndex: index, bytes, offset, line, column };
      c = await this.peek();
      if (c === COMMA) {
        this.pos++;
        c = await this.peek();
        continue;
      }
      if (c === RBRACKET) {
        this.pos++;
        return;
      }
      if (c < 0) throw new SplitError("truncated", `input ends inside log.entries after ${index + 1} complete entries`);
      throw this.syntax("',' or ']'", c, `after log.entries[${index}]`);
    }
  }
}

/** Explain why a well-formed JSON object is not a HAR. */
export function describeShape(shape: Shape): string {
  const list = (keys: string[]): string => {
    const uniq = [...new Set(keys)];
    const shown = uniq.slice(0, 8).join(", ");
    return uniq.length > 8 ? `${shown}, ...` : shown;
  };
  const top = shape.topKeys;
  if (shape.logType === undefined) {
    if (top.includes("request") && top.includes("response")) {
      return "looks like a single HAR entry, not a whole HAR (it has request/response at the top level; a HAR has log.entries)";
    }
    if (top.length === 0) return "not a HAR: the JSON object is empty (a HAR has log.entries)";
    const nested = shape.nestedHar[0];
    const hint = nested ? `; a HAR is nested under "${nested}"` : "";
    return `not a HAR: no "log" at the top level (top-level keys: ${list(top)})${hint}`;
  }
  if (shape.logType !== "an object") return `not a HAR: "log" is ${shape.logType}, not an object`;
  if (shape.entriesType === undefined) {
    return shape.logKeys.length === 0
      ? "not a HAR: \"log\" is empty (it has no \"entries\" array)"
      : `not a HAR: "log" has no "entries" array (its keys: ${list(shape.logKeys)})`;
  }
  return `not a HAR: log.entries is ${shape.entriesType}, not an array`;
}

/** The useful part of a JSON.parse error message, without V8's echo of the input (which may hold secrets). */
export function jsonErrorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const cut = msg.search(/, ".*" is not valid JSON| in JSON at position| after JSON at position/s);
  return (cut >= 0 ? msg.slice(0, cut) : msg).replace(/\s+/g, " ").trim();
}

/** Character position from a JSON.parse error message, if it has one. */
export function jsonErrorPosition(err: unknown): number | undefined {
  const msg = err instanceof Error ? err.message : String(err);
  const m = /at position (\d+)/.exec(msg);
  return m ? Number(m[1]) : undefined;
}
