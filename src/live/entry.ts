/**
 * A live record (bytes as they went over the wire) becomes a HAR 1.2 entry:
 * bodies decoded from their content-encoding and kept as text when textual,
 * cookies and query parsed, timings in HAR's terms. The live session lints the
 * entry through the same normalizer as a HAR file, so `--har` output and the
 * live findings agree.
 */
import zlib from "node:zlib";
import { isTextualMime } from "../ingest/har/normalize.js";
import { harHeader, harNoResponse, harQueryString, harRequestCookies, harSetCookies, type HarEntry, type HarNameValue } from "./har.js";
import type { TraceRecord, WireBody } from "./record.js";
import type { OktalintEntryMark } from "../model/sender.js";

export type { HarEntry } from "./har.js";

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

function decodeBody(body: WireBody | undefined, headers: readonly HarNameValue[], mimeType: string): DecodedBody | undefined {
  if (!body) return undefined;
  const wire = Buffer.from(body.base64, "base64");
  const contentEncoding = harHeader(headers, "content-encoding");
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

/** HAR's send/wait/receive must not be negative: an unknown phase counts as 0. */
const phase = (ms: number): number => (ms >= 0 ? Math.round(ms * 1000) / 1000 : 0);

/**
 * Who recorded the entry and, when the recorder knows, who sent it: a call
 * traced inside a Node.js process is a server's whatever its headers say
 * (Node's fetch adds `Sec-Fetch-Mode: cors`); the proxy records whatever
 * client came through it, so its entries leave the sender to the headers.
 * The reader honours it, so `lint` of the HAR gives the live findings.
 */
export function entryMark(record: Pick<TraceRecord, "client" | "pid">): OktalintEntryMark {
  if (record.client === "proxy") return { source: "proxy" };
  if (record.client === "browser") return { source: "browse", sender: "browser" };
  return { source: "trace", sender: "server", client: record.client, pid: record.pid };
}

/** Turn one live record into a HAR 1.2 entry. */
export function recordToEntry(record: TraceRecord): HarEntry {
  const req = record.request;
  const reqHeaders = pairs(req.headers);
  const reqType = harHeader(reqHeaders, "content-type") ?? "";
  const entry: HarEntry = {
    startedDateTime: record.startedDateTime,
    time: phase(record.time),
    request: {
      method: req.method,
      url: req.url,
      httpVersion: req.httpVersion,
      cookies: harRequestCookies(reqHeaders),
      headers: reqHeaders,
      queryString: harQueryString(req.url),
      headersSize: -1,
      bodySize: req.body ? req.body.size : 0,
    },
    response: harNoResponse(""),
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, send: phase(record.timings.send), wait: phase(record.timings.wait), receive: phase(record.timings.receive) },
  };
  const reqBody = decodeBody(req.body, reqHeaders, reqType);
  if (reqBody && (reqBody.wireSize > 0 || reqBody.text !== "")) {
    const postData: NonNullable<HarEntry["request"]["postData"]> = { mimeType: reqType, text: reqBody.text };
    if (reqBody.encoding) postData._encoding = reqBody.encoding;
    if (reqBody.truncated) postData._truncated = true;
    entry.request.postData = postData;
  }
  const res = record.response;
  if (res) {
    const headers = pairs(res.headers);
    const mimeType = harHeader(headers, "content-type") ?? "";
    const body = decodeBody(res.body, headers, mimeType);
    entry.response = {
      status: res.status,
      statusText: res.statusText,
      httpVersion: res.httpVersion,
      cookies: harSetCookies(headers),
      headers,
      content: { size: body?.size ?? 0, mimeType },
      redirectURL: harHeader(headers, "location") ?? "",
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
  entry._oktalint = entryMark(record);
  return entry;
}
