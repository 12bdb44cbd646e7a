/**
 * tnetstrings, as mitmproxy writes its flow files: `<length>:<payload><type>`
 * where type is `,` bytes, `;` text, `#` int, `^` float, `!` bool, `~` null,
 * `]` list, `}` dict (alternating keys and values). A flow file is a
 * concatenation of top-level dicts, one per flow.
 *
 * Reading is two-level: `frameTnetstrings` cuts top-level values out of a
 * stream of Buffer chunks (holding at most one value plus one chunk in
 * memory), and `decodeTnetstring` decodes one framed value from a Buffer
 * without copying payloads (bytes values are views into the frame).
 */

export type TnetValue = Buffer | string | number | boolean | null | TnetValue[] | TnetDict;
export interface TnetDict {
  [key: string]: TnetValue;
}

/** A malformed or truncated tnetstring. `kind` tells the reader which one-line message to build. */
export class TnetstringError extends Error {
  constructor(
    readonly kind: "garbage" | "truncated",
    message: string,
    /** Absolute byte offset of the problem in the input. */
    readonly offset: number,
  ) {
    super(message);
    this.name = "TnetstringError";
  }
}

/** Longest length prefix accepted (mitmproxy's own reader takes at most 12 digits). */
const MAX_LENGTH_DIGITS = 12;

function describe(c: number | undefined): string {
  if (c === undefined) return "end of input";
  if (c >= 0x21 && c <= 0x7e) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, "0")}`;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Decode one tnetstring at `pos` of `buf`; `base` is the absolute offset of
 * `buf[0]` (for messages). Returns the value and the position after it.
 */
export function decodeTnetstring(buf: Buffer, pos = 0, base = 0): { value: TnetValue; end: number } {
  let i = pos;
  let n = 0;
  const digitsStart = i;
  while (i < buf.length && buf[i]! >= 0x30 && buf[i]! <= 0x39) {
    n = n * 10 + (buf[i]! - 0x30);
    i++;
  }
  if (i === digitsStart) throw new TnetstringError("garbage", `expected a tnetstring length, found ${describe(buf[i])}`, base + i);
  if (i - digitsStart > MAX_LENGTH_DIGITS) throw new TnetstringError("garbage", "tnetstring length has too many digits", base + digitsStart);
  if (i >= buf.length) throw new TnetstringError("truncated", "input ends inside a tnetstring length", base + i);
  if (buf[i] !== 0x3a) throw new TnetstringError("garbage", `expected ':' after a tnetstring length, found ${describe(buf[i])}`, base + i);
  const start = i + 1;
  const end = start + n;
  if (end >= buf.length) {
    throw new TnetstringError("truncated", `a ${n}-byte tnetstring ends after ${Math.max(0, buf.length - start)} bytes`, base + digitsStart);
  }
  const type = buf[end]!;
  const payload = buf.subarray(start, end);
  switch (type) {
    case 0x2c /* , */:
      return { value: payload, end: end + 1 };
    case 0x3b /* ; */:
      return { value: payload.toString("utf8"), end: end + 1 };
    case 0x23 /* # */: {
      const s = payload.toString("latin1");
      if (!/^-?\d+$/.test(s)) throw new TnetstringError("garbage", `invalid integer ${JSON.stringify(s.slice(0, 20))}`, base + start);
      return { value: Number(s), end: end + 1 };
    }
    case 0x5e /* ^ */: {
      const s = payload.toString("latin1");
      const v = Number(s);
      if (s.trim() === "" || (Number.isNaN(v) && s !== "nan" && s !== "NaN")) {
        throw new TnetstringError("garbage", `invalid float ${JSON.stringify(s.slice(0, 20))}`, base + start);
      }
      return { value: v, end: end + 1 };
    }
    case 0x21 /* ! */: {
      const s = payload.toString("latin1");
      if (s !== "true" && s !== "false") throw new TnetstringError("garbage", `invalid boolean ${JSON.stringify(s.slice(0, 20))}`, base + start);
      return { value: s === "true", end: end + 1 };
    }
    case 0x7e /* ~ */:
      if (n !== 0) throw new TnetstringError("garbage", "a null tnetstring must be empty", base + start);
      return { value: null, end: end + 1 };
    case 0x5d /* ] */: {
      const list: TnetValue[] = [];
      let k = start;
      while (k < end) {
        const r = decodeTnetstring(buf.subarray(0, end + 0), k, base);
        list.push(r.value);
        k = r.end;
      }
      return { value: list, end: end + 1 };
    }
    case 0x7d /* } */: {
      const dict: TnetDict = Object.create(null) as TnetDict;
      const inner = buf.subarray(0, end);
      let k = start;
      while (k < end) {
        const key = decodeTnetstring(inner, k, base);
        if (key.end >= end) throw new TnetstringError("garbage", "a dict key has no value", base + k);
        const v = decodeTnetstring(inner, key.end, base);
        const kv = key.value;
        const name = typeof kv === "string" ? kv : Buffer.isBuffer(kv) ? kv.toString("utf8") : typeof kv === "number" ? String(kv) : null;
        if (name === null) throw new TnetstringError("garbage", "a dict key must be bytes, text or a number", base + k);
        dict[name] = v.value;
        k = v.end;
      }
      return { value: dict, end: end + 1 };
    }
    default:
      throw new TnetstringError("garbage", `unknown tnetstring type ${describe(type)}`, base + end);
  }
}

/** One top-level value cut out of the stream. */
export interface TnetFrame {
  /** Absolute byte offset of its first length digit. */
  offset: number;
  /** The whole value, `<length>:<payload><type>`. */
  bytes: Buffer;
  /** 1-based line and column (in bytes) of its first byte, counting newlines in the input so far. */
  line: number;
  column: number;
}

/**
 * Cut top-level tnetstrings out of a chunk stream. Whitespace between values
 * is skipped (mitmproxy writes none, but a hand-joined file may have some).
 * Throws TnetstringError for a broken length prefix or a value cut short.
 * `onBytes` is told how many bytes have been consumed after each frame.
 */
export async function* frameTnetstrings(source: AsyncIterable<Buffer>, onBytes?: (consumed: number) => void): AsyncGenerator<TnetFrame, void, undefined> {
  let pending: Buffer[] = [];
  let pendingLen = 0;
  /** Absolute offset of pending[0][0]. */
  let base = 0;
  let need = 0; // total bytes of the current frame, once its prefix is known (0: unknown)
  let frames = 0;
  let line = 1;
  /** Absolute offset where the current line starts. */
  let lineStart = 0;

  const flat = (): Buffer => {
    if (pending.length > 1) pending = [Buffer.concat(pending, pendingLen)];
    return pending[0] ?? Buffer.alloc(0);
  };
  const drop = (k: number): void => {
    const b = flat().subarray(k);
    pending = b.length > 0 ? [b] : [];
    pendingLen = b.length;
    base += k;
  };

  /** Try to cut frames from what is buffered; returns false when more input is needed. */
  function* cut(final: boolean): Generator<TnetFrame, void, undefined> {
    for (;;) {
      if (need === 0) {
        const b = flat();
        let i = 0;
        while (i < b.length && isSpace(b[i]!)) {
          if (b[i] === 0x0a) {
            line++;
            lineStart = base + i + 1;
          }
          i++;
        }
        if (i > 0) drop(i);
        const c = flat();
        if (c.length === 0) return;
        let j = 0;
        let n = 0;
        while (j < c.length && j <= MAX_LENGTH_DIGITS && c[j]! >= 0x30 && c[j]! <= 0x39) {
          n = n * 10 + (c[j]! - 0x30);
          j++;
        }
        if (j === 0) {
          throw new TnetstringError("garbage", `expected a flow (a tnetstring length) at byte ${base}, found ${describe(c[0])}`, base);
        }
        if (j > MAX_LENGTH_DIGITS) throw new TnetstringError("garbage", `tnetstring length at byte ${base} has too many digits`, base);
        if (j === c.length) {
          if (final) throw new TnetstringError("truncated", `input ends inside the length of flows[${frames}] (byte ${base})`, base);
          return;
        }
        if (c[j] !== 0x3a) {
          throw new TnetstringError("garbage", `expected ':' after the tnetstring length at byte ${base}, found ${describe(c[j])} at byte ${base + j}`, base + j);
        }
        need = j + 1 + n + 1;
      }
      if (pendingLen < need) {
        if (final) {
          throw new TnetstringError(
            "truncated",
            `flows[${frames}] (byte ${base}) ends after ${pendingLen} of its ${need} bytes`,
            base,
          );
        }
        return;
      }
      const b = flat();
      const bytes = b.subarray(0, need);
      const offset = base;
      const at = { line, column: offset - lineStart + 1 };
      for (let k = bytes.indexOf(0x0a); k >= 0; k = bytes.indexOf(0x0a, k + 1)) {
        line++;
        lineStart = offset + k + 1;
      }
      pending = b.length > need ? [b.subarray(need)] : [];
      pendingLen = b.length - need;
      base += need;
      need = 0;
      frames++;
      onBytes?.(base);
      yield { offset, bytes, line: at.line, column: at.column };
    }
  }

  for await (const chunk of source) {
    if (chunk.length === 0) continue;
    pending.push(chunk);
    pendingLen += chunk.length;
    // While a large frame is incomplete, do not re-concatenate on every chunk.
    if (need !== 0 && pendingLen < need) continue;
    yield* cut(false);
  }
  yield* cut(true);
}
