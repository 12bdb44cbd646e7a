import type { HeaderList } from "./headers.js";
import type { RequestCookie, SetCookie } from "./cookies.js";

/** Who sent a request, as far as the capture lets us tell. */
export type SenderKind = "browser" | "server" | "unknown";

/** How sure the sender is: `certain` (the recorder knew, or headers only a browser sends), `likely` (weighed evidence), `possible`. */
export type SenderConfidence = "certain" | "likely" | "possible";

export interface Sender {
  kind: SenderKind;
  /** Human-readable reasons, e.g. `Origin: https://app.example.com`, `Sec-Fetch-Site: cross-site`, `producer: Firefox`. */
  evidence: string[];
  /** Absent for `unknown`. */
  confidence?: SenderConfidence;
}

/** A request or response body. `text` is absent when the reader's policy dropped it. */
export interface Body {
  mimeType: string;
  /** Size in bytes as the producer reported it (or the decoded text length), -1 if unknown. */
  size: number;
  /** The body text (decoded from base64 when it is textual), when kept. */
  text?: string;
  /** `base64` when `text` is still base64 (binary content). */
  encoding?: string;
  /** Form fields (`application/x-www-form-urlencoded` or HAR `postData.params`). */
  params?: { name: string; value: string }[];
  /** Why the text is absent: the producer left it out, or the read policy dropped it. */
  omitted?: "absent" | "policy";
}

export interface ExchangeRequest {
  method: string;
  /** The URL as written in the capture. */
  rawUrl: string;
  /** Parsed URL, or null when the capture has a relative or malformed URL. */
  url: URL | null;
  httpVersion: string;
  headers: HeaderList;
  cookies: RequestCookie[];
  query: { name: string; value: string }[];
  body?: Body;
}

export interface ExchangeResponse {
  /** HTTP status; 0 when no response was received (network error, blocked, aborted). */
  status: number;
  statusText: string;
  httpVersion: string;
  headers: HeaderList;
  setCookies: SetCookie[];
  body?: Body;
  /** Redirect target (`Location`, or HAR `redirectURL`), when there is one. */
  redirectURL?: string;
}

export interface Timings {
  blocked?: number;
  dns?: number;
  connect?: number;
  ssl?: number;
  send?: number;
  wait?: number;
  receive?: number;
}

/** Where an exchange sits in its source file. */
export interface SourceLocation {
  /** Byte offset of the entry's opening `{` in the (decompressed) input. */
  offset: number;
  /** 1-based line and column of that `{`. */
  line: number;
  column: number;
  /** JSON path of the entry, e.g. `log.entries[12]`. */
  jsonPath: string;
}

/** One request/response pair, whatever producer wrote it. */
export interface Exchange {
  /** 0-based position in the capture. */
  index: number;
  /** Start time in ms since the epoch, or null when the capture has none or an invalid one. */
  startedAt: number | null;
  /** Total time in ms (-1 when unknown). */
  time: number;
  request: ExchangeRequest;
  response: ExchangeResponse;
  timings: Timings;
  sender: Sender;
  serverIPAddress?: string;
  /** Error text from the producer (`_error`, mitmproxy error flows, Chrome's failed requests). */
  error?: string;
  pageref?: string;
  /** The entry's free-text `comment`, if any. */
  comment?: string;
  /** Producer-specific `_` fields on the entry that downstream code may use (e.g. `_initiator`, `_resourceType`, `_blockedCookies`). */
  extras: Record<string, unknown>;
  source?: SourceLocation;
}

/** A deviation from HAR 1.2 (or another input format) found while reading. */
export interface ValidationNote {
  /** Stable code, e.g. `har.timings.negative`, `har.cookies.not-array`. */
  code: string;
  /** `error` for a spec violation that `validate --strict` fails on; `info` for producer extensions that HAR allows. */
  level: "error" | "info";
  /** JSON path into the file, e.g. `log.entries[12].response.content.size`. */
  path: string;
  message: string;
  /** How many more times the same code was seen (notes are aggregated past a few per code). */
  repeated?: number;
}

export interface ProducerInfo {
  /** `log.creator.name` (e.g. `WebInspector`, `Firefox`, `mitmproxy`, `Fiddler`, `Playwright`). */
  name: string;
  version: string;
  /** `log.browser`, when present. */
  browser?: { name: string; version: string };
}

/** Metadata of a capture, known once its header has been read. */
export interface CaptureMeta {
  /** Path or `-` for stdin. */
  path: string;
  format: "har" | "mitmproxy" | "ndjson";
  /** Format version (HAR `log.version`, mitmproxy flow version). */
  version: string;
  producer: ProducerInfo;
  /** Compression / wrapping that was undone: `zlib`, `gzip`, `bom`, `jsonp`. */
  wrappers: string[];
}
