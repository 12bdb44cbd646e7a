/**
 * Format sniffing from the first bytes of an input, never from its name.
 *
 * Two layers are told apart: a compression layer (gzip, zlib — mitmproxy's
 * `.zhar` is raw zlib deflate) and, once decompressed, the text layer (UTF-8
 * BOM, JSONP/HARP wrapper, a JSON object, a mitmproxy tnetstring flow dump).
 */

export type Compression = "gzip" | "zlib";

/** What the decompressed bytes look like. */
export type TextSniff =
  | {
      format: "har";
      /** Bytes to skip before the JSON value starts (BOM and `callback(` prefix). */
      skip: number;
      /** Length of the UTF-8 BOM at the start (0 or 3): column numbers on line 1 start after it. */
      bomLength: number;
      /** Wrappers found at the start: `bom`, `jsonp`. */
      wrappers: string[];
      /** The JSON value is wrapped in `callback( ... )` and the trailer must be accepted. */
      jsonp: boolean;
    }
  | { format: "mitmproxy" }
  | { format: "empty" }
  | { format: "utf16" }
  | { format: "unknown"; reason: string };

/** How many bytes the sniffers want to see (less is fine at end of input). */
export const SNIFF_BYTES = 512;

/** Detect gzip (1f 8b) or a zlib stream header (CMF 0x78 with a valid FCHECK, no preset dictionary). */
export function sniffCompression(head: Uint8Array): Compression | null {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head.length >= 2) {
    const cmf = head[0]!;
    const flg = head[1]!;
    // CM = 8 (deflate), window size <= 32K, header checksum, FDICT unset.
    if ((cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0 && (flg & 0x20) === 0) {
      return "zlib";
    }
  }
  return null;
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isIdentStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2e;
}

/**
 * Sniff the text layer of decompressed input from its first bytes (give it at
 * least SNIFF_BYTES when the input has that many).
 */
export function sniffText(head: Uint8Array): TextSniff {
  let i = 0;
  const wrappers: string[] = [];
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    return { format: "utf16" };
  }
  let bomLength = 0;
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    i = 3;
    bomLength = 3;
    wrappers.push("bom");
  }
  while (i < head.length && isSpace(head[i])) i++;
  if (i >= head.length) return { format: "empty" };
  const c = head[i]!;
  if (c === 0x7b /* { */) return { format: "har", skip: i, bomLength, wrappers, jsonp: false };
  if (c >= 0x30 && c <= 0x39) {
    // tnetstring: `<length>:<payload><type>`; JSON never has a number followed by ':'.
    let j = i;
    while (j < head.length && j - i < 12 && head[j]! >= 0x30 && head[j]! <= 0x39) j++;
    if (head[j] === 0x3a /* : */) return { format: "mitmproxy" };
  }
  if (isIdentStart(c)) {
    // JSONP / HARP: `callbackName({...});`
    let j = i + 1;
    while (j < head.length && isIdentPart(head[j]!)) j++;
    while (j < head.length && isSpace(head[j])) j++;
    if (head[j] === 0x28 /* ( */) {
      let k = j + 1;
      while (k < head.length && isSpace(head[k])) k++;
      if (head[k] === 0x7b) {
        wrappers.push("jsonp");
        return { format: "har", skip: j + 1, bomLength, wrappers, jsonp: true };
      }
    }
  }
  if (c === 0x5b /* [ */) return { format: "unknown", reason: "not a HAR: the JSON value is an array, not an object with a \"log\"" };
  if (c === 0x3c /* < */) return { format: "unknown", reason: "not a HAR: the input looks like XML or HTML" };
  return {
    format: "unknown",
    reason: `not JSON: unexpected ${describeByte(c)} at line ${lineOf(head, i)} (byte ${i})`,
  };
}

function lineOf(head: Uint8Array, pos: number): number {
  let line = 1;
  for (let k = 0; k < pos; k++) if (head[k] === 0x0a) line++;
  return line;
}

/** A byte as a short human description: `'x'` for printable ASCII, `byte 0x1b` otherwise. */
export function describeByte(c: number): string {
  if (c >= 0x21 && c <= 0x7e) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, "0")}`;
}
