/**
 * mitmproxy flow dict (decoded tnetstring) → Exchange.
 *
 * Lenient like the HAR normalizer: a missing or mistyped field becomes an
 * empty / unknown value, never an exception. Field differences between flow
 * format versions that are absorbed here (mitmproxy keeps its serialized
 * state names stable and migrates old files in `io/compat.py`):
 *
 * - versions ≤ 18 (mitmproxy ≤ 10.0, incl. Debian's 8.1.1): the client
 *   address is `client_conn.address`, the server's resolved IP
 *   `server_conn.ip_address`, its local address `server_conn.source_address`;
 *   from 19/20 on these are `peername` / `sockname` (the old keys are null).
 *   Both are read; very old files have `{address: [host, port]}` wrappers.
 * - `request.authority` exists from version 9 on (empty for HTTP/1 origin-form
 *   requests); before that the Host header or `host`/`port` make the URL.
 * - `request.host` is text in current files, bytes in older ones; method,
 *   scheme, path, http_version, reason and header pairs are bytes (text in
 *   some older files): both are accepted.
 * - Pre-1.0 dumps: `httpversion` as a [major, minor] list, `code`/`msg`
 *   instead of `status_code`/`reason`, `body` instead of `content`.
 * - `version` is an int from 4 on and a [major, minor(, patch)] list before.
 * - WebSocket messages live in `flow.websocket.messages` (version 13+, as
 *   `[opcode, from_client, content, timestamp]`); older files wrote separate
 *   `websocket` flows, which are counted and skipped like tcp/udp/dns flows.
 * - `marked` is a bool in old files and a string (an emoji) in newer ones;
 *   `comment` and `timestamp_created` are absent in old files.
 * - A response is null when none was received; `flow.error.msg` then says why.
 *
 * Bodies: `content` is stored as received (still content-encoded); it is
 * decoded (gzip, x-gzip, deflate, br; `identity` is a no-op) when the body
 * policy keeps it. zstd cannot be decoded on Node 20 and is kept as base64
 * with a note. `size` is the stored (encoded) byte length, as mitmproxy's
 * own HAR export reports it.
 */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { isUtf8 } from "node:buffer";
import { HeaderList, type Header } from "../../model/headers.js";
import { parseCookieHeader, parseSetCookie, splitSetCookieHeader, type RequestCookie, type SetCookie } from "../../model/cookies.js";
import type { Body, Exchange, ProducerInfo, SourceLocation, Timings } from "../../model/exchange.js";
import { detectSender } from "../../model/sender.js";
import type { BodyInfo, BodyPolicy } from "../types.js";
import { isTextualMime, normalizeHttpVersion } from "../har/normalize.js";
import type { TnetDict, TnetValue } from "./tnetstring.js";

/** Things worth a validation note, reported back to the reader. */
export type FlowIssue =
  | { code: "mitmproxy.body.zstd"; which: "request" | "response" }
  | { code: "mitmproxy.body.undecodable"; which: "request" | "response"; encoding: string; reason: string }
  | { code: "mitmproxy.body.unknown-encoding"; which: "request" | "response"; encoding: string };

export interface FlowContext {
  producer: ProducerInfo;
  keepBody?: BodyPolicy;
  /** Server connection ids already seen: connect/ssl time counts on a connection's first flow only (as mitmproxy's HAR export does). */
  serversSeen: Set<string>;
  issue(issue: FlowIssue): void;
}

const EMPTY: TnetDict = Object.freeze(Object.create(null)) as TnetDict;

function dict(v: TnetValue | undefined): TnetDict {
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v) && !Buffer.isBuffer(v) ? v : EMPTY;
}

/** Bytes or text as a string (bytes as UTF-8, as mitmproxy decodes header and URL bytes). */
export function text(v: TnetValue | undefined): string {
  if (typeof v === "string") return v;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

function num(v: TnetValue | undefined): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function bytesOf(v: TnetValue | undefined): Buffer | null {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === "string") return Buffer.from(v, "utf8");
  return null;
}

/** `[host, port]`, `{address: [host, port]}` (pre-2.0) → host. */
function addressHost(v: TnetValue | undefined): string {
  if (Array.isArray(v)) return text(v[0]);
  const d = dict(v);
  if (d !== EMPTY && "address" in d) return addressHost(d["address"]);
  return "";
}

function headers(v: TnetValue | undefined): HeaderList {
  if (!Array.isArray(v) || v.length === 0) return new HeaderList();
  const list: Header[] = [];
  for (const pair of v) {
    if (Array.isArray(pair) && pair.length >= 2) list.push({ name: text(pair[0]), value: text(pair[1]) });
  }
  return HeaderList.from(list);
}

function httpVersion(part: TnetDict): string {
  const v = part["http_version"];
  if (v !== undefined && v !== null) return normalizeHttpVersion(text(v));
  const old = part["httpversion"];
  if (Array.isArray(old) && old.length >= 2) return normalizeHttpVersion(`HTTP/${text(old[0])}.${text(old[1])}`);
  return "";
}

const DEFAULT_PORT: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };

function hostPort(host: string, port: number | undefined, scheme: string): string {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return port === undefined || port === DEFAULT_PORT[scheme] ? h : `${h}:${port}`;
}

/** Split `host[:port]` / `[v6][:port]`. */
function parseAuthority(a: string): { host: string; port: number | undefined } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(a);
  if (!m) return { host: a, port: undefined };
  const host = m[1]!.startsWith("[") ? m[1]!.slice(1, -1) : m[1]!;
  return { host, port: m[2] !== undefined ? Number(m[2]) : undefined };
}

/** The URL as mitmproxy's `pretty_url` shows it: authority (or Host header) over the connection's host. */
function requestUrl(req: TnetDict, method: string, reqHeaders: HeaderList, isHttp2: boolean): string {
  const scheme = text(req["scheme"]).toLowerCase() || "http";
  const authority = text(req["authority"]);
  const host = text(req["host"]);
  const port = num(req["port"]);
  const path = text(req["path"]);
  if (method === "CONNECT") return `https://${authority || hostPort(host, port, "")}/`;
  // HTTP/2+ carries the authority pseudo-header; HTTP/1 the Host header.
  const hostHeader = isHttp2 ? authority || reqHeaders.get("Host") : reqHeaders.get("Host") ?? authority;
  let h = host;
  let p = port;
  if (hostHeader) {
    const a = parseAuthority(hostHeader);
    h = a.host;
    p = a.port ?? DEFAULT_PORT[scheme] ?? 443;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return path; // absolute-form (old regular-proxy flows)
  return `${scheme}://${hostPort(h, p, scheme)}${path.startsWith("/") || path === "*" || path === "" ? path : `/${path}`}`;
}

/** Undo Content-Encoding. Returns null when it cannot be undone. */
function decodeContent(raw: Buffer, encodingHeader: string | undefined, which: "request" | "response", ctx: FlowContext): { bytes: Buffer; decoded: boolean } {
  if (!encodingHeader || raw.length === 0) return { bytes: raw, decoded: true };
  let bytes = raw;
  // Codings apply in order; undo them last to first.
  const codings = encodingHeader.split(",").map((s) => s.trim().toLowerCase()).filter((s) => s !== "" && s !== "identity").reverse();
  for (const coding of codings) {
    try {
      if (coding === "gzip" || coding === "x-gzip") bytes = gunzipSync(bytes);
      else if (coding === "deflate") {
        // Servers send zlib-wrapped or raw deflate under this name.
        try {
          bytes = inflateSync(bytes);
        } catch {
          bytes = inflateRawSync(bytes);
        }
      } else if (coding === "br") bytes = brotliDecompressSync(bytes);
      else if (coding === "zstd") {
        ctx.issue({ code: "mitmproxy.body.zstd", which });
        return { bytes: raw, decoded: false };
      } else {
        ctx.issue({ code: "mitmproxy.body.unknown-encoding", which, encoding: coding });
        return { bytes: raw, decoded: false };
      }
    } catch (err) {
      ctx.issue({ code: "mitmproxy.body.undecodable", which, encoding: coding, reason: err instanceof Error ? err.message : String(err) });
      return { bytes: raw, decoded: false };
    }
  }
  return { bytes, decoded: true };
}

/** Body text: UTF-8 when the bytes are UTF-8 and (decoded or textual), base64 otherwise. */
function bodyText(bytes: Buffer, decoded: boolean, mimeType: string): { text: string; encoding?: string } {
  if (decoded && isUtf8(bytes) && (isTextualMime(mimeType) || !looksBinary(bytes))) return { text: bytes.toString("utf8") };
  return { text: bytes.toString("base64"), encoding: "base64" };
}

/** Control bytes other than whitespace in the first KiB: binary. */
function looksBinary(bytes: Buffer): boolean {
  const n = Math.min(bytes.length, 1024);
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) return true;
  }
  return false;
}

function requestCookies(h: HeaderList): RequestCookie[] {
  const out: RequestCookie[] = [];
  for (const v of h.getAll("Cookie")) out.push(...parseCookieHeader(v));
  return out;
}

function responseCookies(h: HeaderList): SetCookie[] {
  const out: SetCookie[] = [];
  for (const v of h.getAll("Set-Cookie")) {
    for (const line of splitSetCookieHeader(v)) {
      const c = parseSetCookie(line);
      if (c) out.push(c);
    }
  }
  return out;
}

function ms(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined ? (b - a) * 1000 : undefined;
}

/**
 * Convert one HTTP flow. `index` is the exchange's position among exchanges,
 * `source` where the flow sits in the file.
 */
export function flowToExchange(flow: TnetDict, index: number, source: SourceLocation | undefined, ctx: FlowContext): Exchange {
  const req = dict(flow["request"]);
  const resRaw = flow["response"];
  const res = dict(resRaw);
  const hasResponse = res !== EMPTY;
  const serverConn = dict(flow["server_conn"]);

  const method = text(req["method"]).toUpperCase();
  const reqHeaders = headers(req["headers"]);
  const resHeaders = hasResponse ? headers(res["headers"]) : new HeaderList();
  const reqVersion = httpVersion(req);
  const rawUrl = requestUrl(req, method, reqHeaders, reqVersion === "HTTP/2" || reqVersion === "HTTP/3");
  let url: URL | null = null;
  try {
    url = new URL(rawUrl);
  } catch {
    url = null;
  }
  const host = url ? url.hostname.toLowerCase() : "";
  const keep = (info: Pick<BodyInfo, "which" | "mimeType" | "size">): boolean =>
    ctx.keepBody === undefined ||
    ctx.keepBody({ ...info, method, url: rawUrl, host, requestHeaders: reqHeaders, responseHeaders: resHeaders });

  const query: { name: string; value: string }[] = [];
  if (url && url.search !== "") for (const [name, value] of url.searchParams) query.push({ name, value });

  // Request body: present whenever content is non-empty (any method).
  let reqBody: Body | undefined;
  const reqContent = bytesOf(req["content"] !== undefined ? req["content"] : req["body"]);
  if (reqContent === null && req["content"] === null) {
    // Body not stored (mitmproxy's streaming mode): say so only when a length was announced.
    const len = Number(reqHeaders.get("Content-Length") ?? "0");
    if (len > 0) reqBody = { mimeType: reqHeaders.get("Content-Type") ?? "", size: len, omitted: "absent" };
  } else if (reqContent !== null && reqContent.length > 0) {
    const mimeType = reqHeaders.get("Content-Type") ?? "";
    reqBody = { mimeType, size: reqContent.length };
    if (keep({ which: "request", mimeType, size: reqContent.length })) {
      const d = decodeContent(reqContent, reqHeaders.get("Content-Encoding"), "request", ctx);
      const t = bodyText(d.bytes, d.decoded, mimeType);
      reqBody.text = t.text;
      if (t.encoding !== undefined) reqBody.encoding = t.encoding;
      else if (/^application\/x-www-form-urlencoded\b/i.test(mimeType.trim())) {
        reqBody.params = [...new URLSearchParams(t.text)].map(([name, value]) => ({ name, value }));
      }
    } else reqBody.omitted = "policy";
  }

  // Response.
  const status = hasResponse ? Math.max(0, Math.trunc(num(res["status_code"]) ?? num(res["code"]) ?? 0)) : 0;
  let resBody: Body | undefined;
  if (hasResponse) {
    const mimeType = resHeaders.get("Content-Type") ?? "";
    const contentField = res["content"] !== undefined ? res["content"] : res["body"];
    const content = bytesOf(contentField);
    if (content === null) {
      resBody = { mimeType, size: -1, omitted: "absent" };
    } else if (content.length === 0) {
      resBody = { mimeType, size: 0 };
    } else {
      resBody = { mimeType, size: content.length };
      if (keep({ which: "response", mimeType, size: content.length })) {
        const d = decodeContent(content, resHeaders.get("Content-Encoding"), "response", ctx);
        const t = bodyText(d.bytes, d.decoded, mimeType);
        resBody.text = t.text;
        if (t.encoding !== undefined) resBody.encoding = t.encoding;
      } else resBody.omitted = "policy";
    }
  }

  // Timings, as mitmproxy's HAR export computes them.
  const reqStart = num(req["timestamp_start"]);
  const reqEnd = num(req["timestamp_end"]);
  const resStart = hasResponse ? num(res["timestamp_start"]) : undefined;
  const resEnd = hasResponse ? num(res["timestamp_end"]) : undefined;
  const timings: Timings = {};
  const serverId = text(serverConn["id"]);
  const tcpSetup = num(serverConn["timestamp_tcp_setup"]);
  if (tcpSetup !== undefined && (serverId === "" || !ctx.serversSeen.has(serverId))) {
    const connect = ms(num(serverConn["timestamp_start"]), tcpSetup);
    if (connect !== undefined && connect >= 0) timings.connect = connect;
    const ssl = ms(tcpSetup, num(serverConn["timestamp_tls_setup"]));
    if (ssl !== undefined && ssl >= 0) timings.ssl = ssl;
    if (serverId !== "") ctx.serversSeen.add(serverId);
  }
  const send = ms(reqStart, reqEnd);
  if (send !== undefined && send >= 0) timings.send = send;
  const wait = ms(reqEnd, resStart);
  if (wait !== undefined && wait >= 0) timings.wait = wait;
  const receive = ms(resStart, resEnd);
  if (receive !== undefined && receive >= 0) timings.receive = receive;
  let time = -1;
  if (reqStart !== undefined) {
    time = 0;
    for (const v of Object.values(timings)) time += v;
  }

  // Extras: WebSocket messages (kept only when the policy keeps the response body; a count always).
  const extras: Record<string, unknown> = {};
  const id = text(flow["id"]);
  if (id !== "") extras["_flowId"] = id;
  const ws = dict(flow["websocket"]);
  if (ws !== EMPTY) {
    extras["_resourceType"] = "websocket";
    const messages = Array.isArray(ws["messages"]) ? ws["messages"] : [];
    extras["_webSocketMessageCount"] = messages.length;
    let bytes = 0;
    for (const m of messages) if (Array.isArray(m)) bytes += bytesOf(m[2])?.length ?? 0;
    if (keep({ which: "response", mimeType: resBody?.mimeType ?? "", size: bytes })) {
      extras["_webSocketMessages"] = messages.filter(Array.isArray).map((m) => {
        const opcode = num(m[0]) ?? 1;
        const content = bytesOf(m[2]) ?? Buffer.alloc(0);
        const isText = opcode === 1 && isUtf8(content);
        return {
          type: m[1] === true ? "send" : "receive",
          time: num(m[3]) ?? 0,
          opcode,
          data: isText ? content.toString("utf8") : content.toString("base64"),
        };
      });
    }
  }

  const errorMsg = text(dict(flow["error"])["msg"]);
  const ip = addressHost(serverConn["peername"]) || addressHost(serverConn["ip_address"]);
  const location = resHeaders.get("Location");

  const exchange: Exchange = {
    index,
    startedAt: reqStart !== undefined ? Math.floor(reqStart * 1000) : null,
    time,
    request: {
      method,
      rawUrl,
      url,
      httpVersion: reqVersion,
      headers: reqHeaders,
      cookies: requestCookies(reqHeaders),
      query,
      ...(reqBody ? { body: reqBody } : {}),
    },
    response: {
      status,
      statusText: hasResponse ? text(res["reason"] !== undefined ? res["reason"] : res["msg"]) : "",
      httpVersion: hasResponse ? httpVersion(res) : "",
      headers: resHeaders,
      setCookies: hasResponse ? responseCookies(resHeaders) : [],
      ...(resBody ? { body: resBody } : {}),
      ...(location ? { redirectURL: location } : {}),
    },
    timings,
    sender: detectSender(reqHeaders, ctx.producer, extras),
    extras,
  };
  if (ip !== "") exchange.serverIPAddress = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  if (errorMsg !== "") exchange.error = errorMsg;
  const comment = text(flow["comment"]);
  if (comment !== "") exchange.comment = comment;
  if (source) exchange.source = source;
  return exchange;
}
