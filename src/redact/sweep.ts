/**
 * The second pass of redaction: every secret value collected anywhere in the
 * file (first pass) is replaced wherever it occurs, in every encoding it can
 * take in a HAR: raw, JSON-escaped (also `\/`), URL-encoded (`%2F` and `+`,
 * upper and lower case hex), HTML-entity-escaped. Bodies in base64 and JSON
 * inside JSON strings are reached by the caller (decoded first), so they are
 * covered too.
 *
 * Markers only use `[A-Za-z0-9._-]`, so the marker of a value is the same in
 * every encoding: an occurrence is replaced by the marker as is.
 *
 * The scan is one pass over the text per string, with a 2-character filter
 * (a 64 Ki bitmap) before any lookup, so texts holding none of the values
 * cost little more than reading them.
 */

/** Values shorter than this are only masked where they were found, never searched for elsewhere. */
export const MIN_SWEEP = 8;
/** Prefix length of the lookup index. */
const K = 6;
/** Up to this many distinct prefixes, texts are searched with indexOf, one prefix at a time. */
const FEW = 12;
/** Up to this many spellings, raw bytes are searched with Buffer#includes (memmem) without decoding them. */
const FEW_BYTES = 16;
/** Values not worth searching for: words and literals that occur everywhere. */
const TRIVIAL = /^(?:true|false|null|undefined|deleted|[a-z]{1,11}|[0-9]{1,9}|https?:\/\/[^/]*\/?)$/i;

function htmlEscape(s: string, hex: boolean): string {
  return s.replace(/[&<>"'/=+]/g, (c) => {
    if (c === "&") return "&amp;";
    if (c === "<") return "&lt;";
    if (c === ">") return "&gt;";
    if (c === '"') return "&quot;";
    const code = c.charCodeAt(0);
    return hex ? `&#x${code.toString(16).toUpperCase()};` : `&#${code};`;
  });
}

/** Every spelling of `v` that can appear in a HAR's text. */
export function variantsOf(v: string): string[] {
  const out = new Set<string>([v]);
  const json = JSON.stringify(v).slice(1, -1);
  out.add(json);
  out.add(json.replace(/\//g, "\\/"));
  // Non-ASCII escaped as \uXXXX (some producers write ASCII-only JSON).
  out.add(json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  let uri: string;
  try {
    uri = encodeURIComponent(v);
  } catch {
    uri = v;
  }
  out.add(uri);
  out.add(uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  out.add(uri.replace(/%20/g, "+"));
  // Form encoding of the HTML spec also encodes `~` `!` `'` `(` `)` `*`.
  out.add(uri.replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, "+"));
  // Encoded twice (a URL inside a parameter of a URL).
  out.add(encodeURIComponent(uri));
  // encodeURI keeps `/`, `+`, `=`, `:`.
  try {
    out.add(encodeURI(v));
  } catch {
    /* lone surrogate */
  }
  out.add(htmlEscape(v, false));
  out.add(htmlEscape(v, true));
  out.add(v.replace(/&/g, "&amp;"));
  return [...out];
}

function pairKey(a: number, b: number): number {
  return ((a & 0xff) << 8) | (b & 0xff);
}

export class Sweeper {
  /** Spelling → marker. */
  private readonly spellings = new Map<string, string>();
  /** First K characters → spellings, longest first. */
  private readonly index = new Map<string, string[]>();
  private readonly first = new Uint8Array(65536);
  /** Distinct values added. */
  values = 0;
  /** Occurrences replaced so far. */
  hits = 0;
  private bytes: Buffer[] | null = null;

  get size(): number {
    return this.spellings.size;
  }

  /** Is `v` worth searching for everywhere? */
  static sweepable(v: string): boolean {
    return v.length >= MIN_SWEEP && !TRIVIAL.test(v) && v.trim() === v;
  }

  /** Search for `value` everywhere; replace it by `marker`. */
  add(value: string, marker: string): void {
    if (!Sweeper.sweepable(value)) return;
    this.values++;
    for (const s of variantsOf(value)) {
      if (s.length < MIN_SWEEP || this.spellings.has(s)) continue;
      this.spellings.set(s, marker);
      const k = s.slice(0, K);
      let list = this.index.get(k);
      if (!list) this.index.set(k, (list = []));
      list.push(s);
      if (list.length > 1) list.sort((a, b) => b.length - a.length);
      this.first[pairKey(s.charCodeAt(0), s.charCodeAt(1))] = 1;
    }
  }

  private at(s: string, i: number): string | undefined {
    if (!this.first[pairKey(s.charCodeAt(i), s.charCodeAt(i + 1))]) return undefined;
    const list = this.index.get(s.substr(i, K));
    if (!list) return undefined;
    for (const v of list) if (s.startsWith(v, i)) return v;
    return undefined;
  }

  /** With few distinct prefixes, String#indexOf (vectorised in V8) finds them faster than a scan by character. */
  private fewPrefixes(): string[] | null {
    return this.index.size <= FEW ? [...this.index.keys()] : null;
  }

  /** The next position at or after `from` where a spelling starts (-1: none). */
  private next(s: string, from: number, prefixes: string[] | null): number {
    if (prefixes) {
      let best = -1;
      for (const p of prefixes) {
        let i = s.indexOf(p, from);
        while (i >= 0 && this.at(s, i) === undefined) i = s.indexOf(p, i + 1);
        if (i >= 0 && (best < 0 || i < best)) best = i;
      }
      return best;
    }
    const end = s.length - MIN_SWEEP;
    for (let i = from; i <= end; i++) if (this.at(s, i) !== undefined) return i;
    return -1;
  }

  /** Does the UTF-8 text in `b` hold any spelling (`undefined`: too many spellings to ask the bytes, ask the text)? */
  hasBytes(b: Buffer): boolean | undefined {
    if (this.spellings.size === 0) return false;
    if (this.spellings.size > FEW_BYTES) return undefined;
    if (this.bytes === null || this.bytes.length !== this.spellings.size) this.bytes = [...this.spellings.keys()].map((s) => Buffer.from(s, "utf8"));
    for (const s of this.bytes) if (b.indexOf(s) >= 0) return true;
    return false;
  }

  /** Does `s` hold any spelling of any value? */
  has(s: string): boolean {
    if (this.spellings.size === 0 || s.length < MIN_SWEEP) return false;
    return this.next(s, 0, this.fewPrefixes()) >= 0;
  }

  /** `s` with every spelling of every value replaced by its marker (`s` itself when none occurs). */
  replace(s: string): string {
    if (this.spellings.size === 0 || s.length < MIN_SWEEP) return s;
    const prefixes = this.fewPrefixes();
    let parts: string[] | null = null;
    let last = 0;
    for (let i = this.next(s, 0, prefixes); i >= 0; i = this.next(s, last, prefixes)) {
      const v = this.at(s, i)!;
      (parts ??= []).push(s.slice(last, i), this.spellings.get(v)!);
      this.hits++;
      last = i + v.length;
    }
    if (parts === null) return s;
    parts.push(s.slice(last));
    return parts.join("");
  }
}
