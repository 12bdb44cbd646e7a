/**
 * What a live capture (the trace preload, the proxy, the browser recorder)
 * sends for each completed HTTP exchange, one JSON object per line. Producers
 * send body bytes as they went over the wire, still content-encoded; the live
 * session decodes them (src/live/entry.ts).
 */
export interface WireBody {
  /** Bytes seen on the wire (whole body, even past the limit). */
  size: number;
  /** The first `limit` bytes, base64, as they went over the wire (still gzip etc. when content-encoded). */
  base64: string;
  /** True when size > the bytes kept in base64. */
  truncated?: boolean;
}
export interface TraceRecord {
  v: 1;
  kind: "exchange";
  /** What made the call: "fetch" (global fetch / undici fetch), "undici" (undici.request/stream/dispatch), "http" (node:http/https ClientRequest), "proxy", "browser". */
  client: "fetch" | "undici" | "http" | "proxy" | "browser";
  pid: number;
  /** ISO 8601 start time of the request. */
  startedDateTime: string;
  /** Total ms from start to end of response body (or to the error). */
  time: number;
  /** ms; -1 when unknown. send = request start to request body sent; wait = to response headers; receive = to end of body. */
  timings: { send: number; wait: number; receive: number };
  request: {
    method: string;
    /** Absolute URL. */
    url: string;
    /** "HTTP/1.1", "HTTP/2" ... */
    httpVersion: string;
    /** Header lines as sent, in order, names as written. Include Host when known. */
    headers: [string, string][];
    body?: WireBody;
  };
  /** Absent when no response arrived (connection refused, reset, abort before headers). */
  response?: {
    status: number;
    statusText: string;
    httpVersion: string;
    headers: [string, string][];
    body?: WireBody;
  };
  /** Error text when the exchange failed (`connect ECONNREFUSED 127.0.0.1:1`, `aborted`, `socket hang up`), with or without a response. */
  error?: string;
  serverIPAddress?: string;
}
/** Process lifecycle, written by the trace preload. */
export interface ProcessRecord {
  v: 1;
  kind: "process";
  pid: number;
  ppid: number;
  event: "start" | "exit";
  argv?: string[];
  code?: number;
}
export type LiveRecord = TraceRecord | ProcessRecord;

/** Bytes of each body kept by default (the whole size is still counted). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
