/**
 * A live record (bytes as they went over the wire) becomes a HAR 1.2 entry:
 * bodies decoded from their content-encoding and kept as text when textual,
 * cookies and query parsed, timings in HAR's terms. The live session lints the
 * entry through the same normalizer as a HAR file, so `--har` output and the
 * live findings agree.
 */
import zlib from "node:zlib";
import { isTextualMime } from "../ingest/har/normalize.js";
import { parseCookieHeader, parseSetCookie, splitSetCookieHeader } from "../model/cookies.js";
import type { TraceRecord, WireBody } from "./record.js";

export interface HarNameValue {
  name: string;
  value: string;
}

/** The HAR entry shape oktalint writes (a subset of HAR 1.2 plus `_` extensions). */
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: { mimeType: string; text: string; _truncated?: boolean; _encoding?: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: Record<string, unknown>[];
    headers: HarNameValue[];
    content: { size: number; compression?: number; mimeType: string; text?: string; encoding?: string; _truncated?: boolean };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; send: number; wait: number; receive: number };
  serverIPAddress?: string;
  _error?: string;
  [extension: `_${string}`]: unknown;
}

function headerValue(headers: readonly [string, string][], name: string): string | undefined {
  for (const [n, v] of headers) if (n.toLowerCase() === name) return v;
  return undefined;
}

const decodeOpts = { finishFlush: zlib.constants.Z_SYNC_FLUSH };

/** Undo a content-encoding. A truncated body decodes as far as it goes; an unknown encoding stays as it is. */
export function decodeContent(bytes: Buffer, encoding: string | undefined): { bytes: Buffer; decoded: boolean } {
  const codings = (encoding ?? "")
    .toLowerCase()
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "" && c !== "identity");
  let out = bytes;
  // Codings are listed in the order they were applied: undo them last first.
  for (const coding of codings.reverse()) {
    try {
      if (coding === "gzip" || coding === "x-gzip") out = zlib.gunzipSync(out, decodeOpts);
      else if (coding === "br") out = zlib.brotliDecompressSync(out, { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
      else if (coding === "deflate") {
        // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
        try {
          out = zlib.inflateSync(out, decodeOpts);
        } catch {
          out = zlib.inflateRawSync(out, decodeOpts);
        }
      } else return { bytes, decoded: false };
    } catch {
      return { bytes, decoded: false };
    }
  }
  return { bytes: out, decoded: codings.length > 0 };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Text when the type is textual (or untyped and valid UTF-8), base64 otherwise. */
function asText(bytes: Buffer, mimeType: string): { text: string; encoding?: "base64" } {
  if (bytes.length === 0) return { text: "" };
  const typed = mimeType !== "";
  if (!typed || isTextualMime(mimeType)) {
    try {
      return { text: utf8.decode(bytes) };
    } catch {
      // Not UTF-8 after all (or cut inside a character): keep the bytes.
      if (typed) return { text: bytes.toString("latin1") };
    }
  }
  return { text: bytes.toString("base64"), encoding: "base64" };
}

interface DecodedBody {
  text: string;
  encoding?: "base64";
  size: number;
  wireSize: number;
  truncated: boolean;
  contentEncoding?: string;
}

function decodeBody(body: WireBody | undefined, headers: readonly [string, string][], mimeType: string): DecodedBody | undefined {
  if (!body) return undefined;
  const wire = Buffer.from(body.base64, "base64");
  const contentEncoding = headerValue(headers, "content-encoding");
  const { bytes, decoded } = decodeContent(wire, contentEncoding);
  const out: DecodedBody = {
    ...asText(bytes, mimeType),
    size: body.truncated ? Math.max(bytes.length, body.size) : bytes.length,
    wireSize: body.size,
    truncated: body.truncated === true,
  };
  if (contentEncoding !== undefined && !decoded) out.contentEncoding = contentEncoding;
  return out;
}

const pairs = (headers: readonly [string, string][]): HarNameValue[] => headers.map(([name, value]) => ({ name, value }));

function queryOf(url: string): HarNameValue[] {
  const q = url.indexOf("?");
  if (q < 0) return [];
  const hash = url.indexOf("#", q);
  const out: HarNameValue[] = [];
  for (const [name, value] of new URLSearchParams(url.slice(q + 1, hash < 0 ? undefined : hash))) out.push({ name, value });
  return out;
}

function harSetCookies(headers: readonly [string, string][]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== "set-cookie") continue;
    for (const line of splitSetCookieHeader(value)) {
      const c = parseSetCookie(line);
      if (!c) continue;
      const har: Record<string, unknown> = { name: c.name, value: c.value };
      if (c.path !== undefined) har["path"] = c.path;
      if (c.domain !== undefined) har["domain"] = c.domain;
      if (c.expires !== undefined) har["expires"] = c.expires;
      if (c.httpOnly) har["httpOnly"] = true;
      if (c.secure) har["secure"] = true;
      if (c.sameSite !== undefined) har["sameSite"] = c.sameSite;
      out.push(har);
    }
  }
  return out;
}

/** HAR's send/wait/receive must not be negative: an unknown phase counts as 0. */
const phase = (ms: number): number => (ms >= 0 ? Math.round(ms * 1000) / 1000 : 0);

/** Turn one live record into a HAR 1.2 entry. */
export function recordToEntry(record: TraceRecord): HarEntry {
  const req = record.request;
  const reqType = headerValue(req.headers, "content-type") ?? "";
  const cookieHeader = headerValue(req.headers, "cookie");
  const entry: HarEntry = {
    startedDateTime: record.startedDateTime,
    time: phase(record.time),
    request: {
      method: req.method,
      url: req.url,
      httpVersion: req.httpVersion,
      cookies: cookieHeader === undefined ? [] : parseCookieHeader(cookieHeader).map((c) => ({ name: c.name, value: c.value })),
      headers: pairs(req.headers),
      queryString: queryOf(req.url),
      headersSize: -1,
      bodySize: req.body ? req.body.size : 0,
    },
    response: {
      status: 0,
      statusText: "",
      httpVersion: "",
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: "" },
      redirectURL: "",
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, send: phase(record.timings.send), wait: phase(record.timings.wait), receive: phase(record.timings.receive) },
  };
  const reqBody = decodeBody(req.body, req.headers, reqType);
  if (reqBody && (reqBody.wireSize > 0 || reqBody.text !== "")) {
    const postData: NonNullable<HarEntry["request"]["postData"]> = { mimeType: reqType, text: reqBody.text };
    if (reqBody.encoding) postData._encoding = reqBody.encoding;
    if (reqBody.truncated) postData._truncated = true;
    entry.request.postData = postData;
  }
  const res = record.response;
  if (res) {
    const mimeType = headerValue(res.headers, "content-type") ?? "";
    const body = decodeBody(res.body, res.headers, mimeType);
    entry.response = {
      status: res.status,
      statusText: res.statusText,
      httpVersion: res.httpVersion,
      cookies: harSetCookies(res.headers),
      headers: pairs(res.headers),
      content: { size: body?.size ?? 0, mimeType },
      redirectURL: headerValue(res.headers, "location") ?? "",
      headersSize: -1,
      bodySize: body?.wireSize ?? 0,
    };
    if (body) {
      const content = entry.response.content;
      if (body.text !== "") content.text = body.text;
      if (body.encoding) content.encoding = body.encoding;
      if (body.wireSize !== body.size && body.contentEncoding === undefined) content.compression = body.size - body.wireSize;
      if (body.truncated) content._truncated = true;
    }
  }
  if (record.error !== undefined) {
    entry.response._error = record.error;
    entry._error = record.error;
  }
  if (record.serverIPAddress) entry.serverIPAddress = record.serverIPAddress;
  entry._client = record.client;
  entry._pid = record.pid;
  return entry;
}
