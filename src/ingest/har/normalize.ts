/**
 * Lenient HAR entry → Exchange. Accepts whatever real producers write (see
 * validate.ts for how deviations are reported) and never throws on a field's
 * shape: a missing or mistyped field becomes an empty / unknown value.
 */
import { isUtf8 } from "node:buffer";
import { HeaderList, type Header } from "../../model/headers.js";
import { parseCookieHeader, parseSetCookie, splitSetCookieHeader, type RequestCookie, type SetCookie } from "../../model/cookies.js";
import type { Body, Exchange, ProducerInfo, SourceLocation, Timings } from "../../model/exchange.js";
import { detectSender } from "../../model/sender.js";
import type { BodyInfo, BodyPolicy } from "../types.js";
import { parseHarDate } from "./validate.js";

type Obj = Record<string, unknown>;

const EMPTY_OBJ: Obj = Object.freeze({}) as Obj;
const EMPTY_HEADERS = new HeaderList();

function obj(v: unknown): Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : EMPTY_OBJ;
}

function str(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

function optStr(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function num(v: unknown, fallback: number): number {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

/** Name/value pairs from an array of `{name, value}` or an object `{name: value}`. */
export function pairs(v: unknown): { name: string; value: string }[] {
  if (Array.isArray(v)) {
    const out: { name: string; value: string }[] = [];
    for (const item of v) {
      if (item === null || typeof item !== "object") continue;
      const o = item as Obj;
      out.push({ name: str(o["name"]), value: str(o["value"]) });
    }
    return out;
  }
  if (v !== null && typeof v === "object") {
    const out: { name: string; value: string }[] = [];
    for (const [name, value] of Object.entries(v as Obj)) {
      // `{name: value}` or `{name: {value, ...}}`
      out.push({ name, value: value !== null && typeof value === "object" ? str((value as Obj)["value"]) : str(value) });
    }
    return out;
  }
  return [];
}

function headerList(v: unknown): HeaderList {
  if (v === undefined || v === null) return EMPTY_HEADERS;
  const list: Header[] = pairs(v);
  return list.length === 0 ? EMPTY_HEADERS : HeaderList.from(list);
}

/** `HTTP/1.1`, `HTTP/2`, `HTTP/3`, `HTTP/1.0`; "" when unknown. */
export function normalizeHttpVersion(v: unknown): string {
  if (typeof v !== "string") return "";
  const s = v.trim().toLowerCase();
  if (s === "" || s === "unknown") return "";
  if (s === "h2" || s === "h2c" || s === "http/2" || s === "http/2.0" || s === "spdy/3.1") return "HTTP/2";
  if (s === "h3" || s.startsWith("h3-") || s === "http/3" || s === "http/3.0" || s === "quic") return "HTTP/3";
  const m = /^http\/(\d)(?:\.(\d))?$/.exec(s);
  if (m) {
    if (m[1] === "2") return "HTTP/2";
    if (m[1] === "3") return "HTTP/3";
    return `HTTP/${m[1]}.${m[2] ?? "0"}`;
  }
  return v.trim();
}

const TEXTUAL_MIME =
  /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|ecmascript|x-javascript|x-www-form-urlencoded|graphql|jwt|x-ndjson|ld\+json|problem\+json|yaml|x-yaml|soap\+xml)\b|image\/svg\+xml)/i;

/** Is a body of this MIME type text (so base64 should be decoded)? */
export function isTextualMime(mimeType: string): boolean {
  return TEXTUAL_MIME.test(mimeType.trim());
}

function isFormMime(mimeType: string): boolean {
  return /^application\/x-www-form-urlencoded\b/i.test(mimeType.trim());
}

function formParams(text: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [name, value] of new URLSearchParams(text)) out.push({ name, value });
  return out;
}

function base64Size(text: string): number {
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((text.replace(/\s+/g, "").length * 3) / 4) - pad);
}

function timings(v: unknown): Timings {
  const t = obj(v);
  const out: Timings = {};
  for (const k of ["blocked", "dns", "connect", "ssl", "send", "wait", "receive"] as const) {
    const n = t[k];
    if (typeof n === "number" && Number.isFinite(n) && n >= 0) out[k] = n;
  }
  return out;
}

function requestCookies(v: unknown, headers: HeaderList): RequestCookie[] {
  const fromHar = pairs(v);
  if (fromHar.length > 0) return fromHar;
  const out: RequestCookie[] = [];
  for (const value of headers.getAll("Cookie")) out.push(...parseCookieHeader(value));
  return out;
}

function boolish(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

function responseCookies(v: unknown, headers: HeaderList): SetCookie[] {
  const out: SetCookie[] = [];
  for (const value of headers.getAll("Set-Cookie")) {
    for (const line of splitSetCookieHeader(value)) {
      const c = parseSetCookie(line);
      if (c) out.push(c);
    }
  }
  if (out.length > 0) return out;
  const list = Array.isArray(v)
    ? v
    : v !== null && typeof v === "object"
      ? Object.entries(v as Obj).map(([name, value]) => (value !== null && typeof value === "object" ? { name, ...(value as Obj) } : { name, value }))
      : [];
  for (const item of list) {
    if (item === null || typeof item !== "object") continue;
    const o = item as Obj;
    const c: SetCookie = { name: str(o["name"]), value: str(o["value"]) };
    const domain = optStr(o["domain"]);
    if (domain !== undefined) c.domain = domain.replace(/^\./, "").toLowerCase();
    const path = optStr(o["path"]);
    if (path !== undefined) c.path = path;
    const expires = optStr(o["expires"]);
    if (expires !== undefined) c.expires = expires;
    const httpOnly = boolish(o["httpOnly"]);
    if (httpOnly !== undefined) c.httpOnly = httpOnly;
    const secure = boolish(o["secure"]);
    if (secure !== undefined) c.secure = secure;
    const sameSite = optStr(o["sameSite"]);
    if (sameSite !== undefined) c.sameSite = sameSite;
    out.push(c);
  }
  return out;
}

/** Everything the normalizer needs besides the entry itself. */
export interface NormalizeContext {
  producer: ProducerInfo;
  keepBody?: BodyPolicy;
}

function urlOf(raw: string): URL | null {
  if (raw === "") return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * Turn one raw HAR entry into an Exchange.
 * `index` is the exchange's position in the capture; `source` where it sits in the file.
 */
export function normalizeEntry(rawEntry: unknown, index: number, source: SourceLocation | undefined, ctx: NormalizeContext): Exchange {
  const e = obj(rawEntry);
  const req = obj(e["request"]);
  const res = obj(e["response"]);

  // Request line.
  const rawUrl = str(req["url"]);
  const url = urlOf(rawUrl);
  const method = str(req["method"]).toUpperCase();
  const reqHeaders = headerList(req["headers"]);
  const resHeaders = headerList(res["headers"]);
  const host = url ? url.hostname.toLowerCase() : "";
  const policy = ctx.keepBody;
  const keep = (info: Omit<BodyInfo, "method" | "url" | "host" | "requestHeaders" | "responseHeaders">): boolean =>
    policy === undefined ||
    policy({ ...info, method, url: rawUrl, host, requestHeaders: reqHeaders, responseHeaders: resHeaders });

  // Query.
  let query = pairs(req["queryString"]);
  if (query.length === 0 && url && url.search !== "") {
    query = [];
    for (const [name, value] of url.searchParams) query.push({ name, value });
  }

  // Request body.
  let reqBody: Body | undefined;
  const postData = req["postData"];
  if (postData !== undefined && postData !== null && typeof postData === "object") {
    const pd = postData as Obj;
    const mimeType = str(pd["mimeType"]) || reqHeaders.get("Content-Type") || "";
    const text = typeof pd["text"] === "string" ? pd["text"] : undefined;
    let params = Array.isArray(pd["params"]) && pd["params"].length > 0 ? pairs(pd["params"]) : undefined;
    const bodySize = num(req["bodySize"], -1);
    const size = bodySize > 0 ? bodySize : text !== undefined && text !== "" ? Buffer.byteLength(text) : bodySize;
    reqBody = { mimeType, size };
    if (text !== undefined && text !== "") {
      if (keep({ which: "request", mimeType, size })) {
        reqBody.text = text;
        if (params === undefined && isFormMime(mimeType)) params = formParams(text);
        if (params !== undefined) reqBody.params = params;
      } else {
        reqBody.omitted = "policy";
      }
    } else if (params !== undefined) {
      if (keep({ which: "request", mimeType, size })) reqBody.params = params;
      else reqBody.omitted = "policy";
    } else if (size > 0) {
      reqBody.omitted = "absent";
    } else {
      reqBody = undefined; // an empty postData: no body
    }
  }

  // Response.
  // No response: 0 (some producers write -1, e.g. Playwright for failed requests).
  const rawStatus = num(res["status"], 0);
  const status = rawStatus > 0 ? Math.trunc(rawStatus) : 0;
  let resBody: Body | undefined;
  const content = res["content"];
  if (content !== undefined && content !== null && typeof content === "object" && !Array.isArray(content)) {
    const c = content as Obj;
    const mimeType = str(c["mimeType"]) || resHeaders.get("Content-Type") || "";
    let text = typeof c["text"] === "string" ? c["text"] : undefined;
    const encoding = optStr(c["encoding"]);
    const isBase64 = encoding !== undefined && encoding.toLowerCase() === "base64";
    const declared = num(c["size"], -1);
    const size = declared >= 0 ? declared : text === undefined ? -1 : isBase64 ? base64Size(text) : Buffer.byteLength(text);
    if (text !== undefined && text !== "") {
      resBody = { mimeType, size };
      if (keep({ which: "response", mimeType, size })) {
        if (isBase64) {
          if (isTextualMime(mimeType)) {
            const bytes = Buffer.from(text, "base64");
            if (isUtf8(bytes)) text = bytes.toString("utf8");
            else resBody.encoding = "base64";
          } else resBody.encoding = "base64";
        } else if (encoding !== undefined) resBody.encoding = encoding;
        resBody.text = text;
      } else {
        resBody.omitted = "policy";
      }
    } else if (status !== 0) {
      // No text: an empty body (size 0), or one the producer left out (Firefox, sanitized exports, `_file`).
      resBody = size === 0 ? { mimeType, size } : { mimeType, size, omitted: "absent" };
    }
  }

  const redirect = optStr(res["redirectURL"]) ?? resHeaders.get("Location");

  // `_` fields: entry level first, then request/response level ones that do not clash.
  const extras: Record<string, unknown> = {};
  for (const key in e) if (key.charCodeAt(0) === 95 /* _ */) extras[key] = e[key];
  for (const part of [req, res]) {
    for (const key in part) {
      if (key.charCodeAt(0) === 95 && key !== "_error" && key !== "_failureText" && !(key in extras)) extras[key] = part[key];
    }
  }
  // WebSocket frames (Chrome, mitmproxy savehar) can be huge: they are kept only when the
  // policy keeps this exchange's response body; a count is always kept.
  const ws = extras["_webSocketMessages"];
  if (Array.isArray(ws)) {
    extras["_webSocketMessageCount"] = ws.length;
    let bytes = 0;
    for (const m of ws) {
      const data = obj(m)["data"];
      if (typeof data === "string") bytes += data.length;
    }
    if (!keep({ which: "response", mimeType: resBody?.mimeType ?? "", size: bytes })) delete extras["_webSocketMessages"];
  }

  // Chrome and mitmproxy write `_error` on the response, Playwright `_failureText`.
  const error = optStr(res["_error"]) ?? optStr(e["_error"]) ?? optStr(res["_failureText"]);
  const ipRaw = str(e["serverIPAddress"]);
  const ip = ipRaw.startsWith("[") && ipRaw.endsWith("]") ? ipRaw.slice(1, -1) : ipRaw;

  const exchange: Exchange = {
    index,
    startedAt: parseHarDate(e["startedDateTime"]),
    time: num(e["time"], -1),
    request: {
      method,
      rawUrl,
      url,
      httpVersion: normalizeHttpVersion(req["httpVersion"]),
      headers: reqHeaders,
      cookies: requestCookies(req["cookies"], reqHeaders),
      query,
      ...(reqBody ? { body: reqBody } : {}),
    },
    response: {
      status,
      statusText: str(res["statusText"]),
      httpVersion: normalizeHttpVersion(res["httpVersion"]),
      headers: resHeaders,
      setCookies: responseCookies(res["cookies"], resHeaders),
      ...(resBody ? { body: resBody } : {}),
      ...(redirect ? { redirectURL: redirect } : {}),
    },
    timings: timings(e["timings"]),
    sender: detectSender(reqHeaders, ctx.producer, extras),
    extras,
  };
  if (ip !== "") exchange.serverIPAddress = ip;
  if (error !== undefined) exchange.error = error;
  const pageref = optStr(e["pageref"]);
  if (pageref !== undefined) exchange.pageref = pageref;
  const comment = optStr(e["comment"]);
  if (comment !== undefined) exchange.comment = comment;
  if (source) exchange.source = source;
  return exchange;
}
