import type { HeaderList } from "../model/headers.js";
import type { CaptureMeta, Exchange, ValidationNote } from "../model/exchange.js";

/** What a body-keeping policy is told about a body before the reader decides to keep its text. */
export interface BodyInfo {
  which: "request" | "response";
  method: string;
  url: string;
  /** Lower-case host of the request URL ("" when the URL is relative). */
  host: string;
  mimeType: string;
  /** Size in bytes (text length when the producer gave none). */
  size: number;
  requestHeaders: HeaderList;
  /** Empty for request bodies of a response-less entry. */
  responseHeaders: HeaderList;
}

/** Decides whether a body's text is kept. Readers know nothing of Okta: the library passes this in. */
export type BodyPolicy = (info: BodyInfo) => boolean;

export interface ReadOptions {
  /** Keep body text only where this says so (default: keep everything). */
  keepBody?: BodyPolicy;
  /** Notes of one code past this many are counted, not listed (default 20). */
  maxNotesPerCode?: number;
}

/** An open capture: metadata first, then exchanges one by one with bounded memory. */
export interface CaptureReader {
  readonly meta: CaptureMeta;
  /** Validation notes; grows while `exchanges()` is iterated. */
  readonly notes: ValidationNote[];
  /** Iterate the exchanges in file order. Throws InputError (after yielding what was readable) on a broken file. */
  exchanges(): AsyncIterable<Exchange>;
  /** Bytes consumed so far (of the decompressed input). */
  readonly bytesRead: number;
}

/** Unreadable or unsupported input: the CLI prints `message` as one line and exits 2. */
export class InputError extends Error {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = "InputError";
    this.file = file;
    this.reason = reason;
  }
}
