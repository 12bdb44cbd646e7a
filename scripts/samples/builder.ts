/**
 * A small builder for realistic sample captures: Chrome-style browser exports
 * and server-side traffic recorded by a proxy. Every token here is fake but has
 * the shape of the real thing, so the readers and rules see what they would see
 * in a customer's capture. Output is deterministic: same script, same bytes.
 */
import { createHash } from "node:crypto";

export type HeaderInit = Record<string, string | string[]> | [string, string][];

export interface BodySpec {
  mimeType: string;
  text: string;
}

export interface EntrySpec {
  method: string;
  url: string;
  status: number;
  statusText?: string;
  /** Request headers beyond the ones the sender style adds. */
  headers?: HeaderInit;
  responseHeaders?: HeaderInit;
  body?: BodySpec | Record<string, unknown>;
  /** Form body fields (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  response?: BodySpec | Record<string, unknown>;
  /** Who sends it: a browser page on `origin` (Chrome headers) or a server (Node SDK user agent). */
  /** `dest`: Sec-Fetch-Dest when not the mode's usual one (`iframe` for a navigation in a frame). */
  from: { browser: string; mode?: "cors" | "navigate" | "no-cors"; dest?: string } | { server: string };
  /** Milliseconds after the capture's start. */
  at: number;
  comment?: string;
  /** Set `false` to leave the response Okta headers out (e.g. a non-Okta host). */
  okta?: boolean;
  /** Fields merged into the HAR entry as written (`_error`, `_blockedCookies`, ...). */
  extra?: Record<string, unknown>;
}

export interface CaptureSpec {
  /** `chrome` writes a WebInspector export; `proxy` a mitmproxy savehar-style file. */
  producer: "chrome" | "proxy";
  start: string;
  comment?: string;
  /** Write it as Chrome's "HAR (sanitized)" export: no Cookie, Set-Cookie or Authorization headers anywhere. */
  sanitized?: boolean;
  entries: EntrySpec[];
}

const SANITIZED_HEADERS = new Set(["cookie", "set-cookie", "authorization"]);

const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** A deterministic pseudo-random string of `len` characters from `alphabet`, derived from `seed`. */
export function fakeRandom(seed: string, len: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"): string {
  let out = "";
  let counter = 0;
  while (out.length < len) {
    const digest = createHash("sha256").update(`${seed}:${counter++}`).digest();
    for (const b of digest) {
      if (out.length >= len) break;
      out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

/** An SSWS API token shape: `00` + 40 characters. */
export function fakeApiToken(seed: string): string {
  return "00" + fakeRandom(seed, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
}

/** A Classic sessionToken / cookieToken / stateToken: same `00…` 42-char shape as an API token. */
export function fakeOneTimeToken(seed: string, prefix = "20111"): string {
  return prefix + fakeRandom(seed, 42 - prefix.length);
}

const b64url = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

/** A JWT with a fake signature (never verifiable, shaped like Okta's). */
export function fakeJwt(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const h = { kid: fakeRandom(`kid${JSON.stringify(claims)}`, 43), alg: "RS256", ...header };
  return `${b64url(h)}.${b64url(claims)}.${fakeRandom(`sig${JSON.stringify(claims)}`, 342, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")}`;
}

function headerList(init: HeaderInit | undefined): { name: string; value: string }[] {
  if (!init) return [];
  if (Array.isArray(init)) return init.map(([name, value]) => ({ name, value }));
  const out: { name: string; value: string }[] = [];
  for (const [name, v] of Object.entries(init)) for (const value of Array.isArray(v) ? v : [v]) out.push({ name, value });
  return out;
}

function bodyOf(b: BodySpec | Record<string, unknown> | undefined): BodySpec | undefined {
  if (!b) return undefined;
  if (typeof (b as BodySpec).mimeType === "string" && typeof (b as BodySpec).text === "string") return b as BodySpec;
  return { mimeType: "application/json", text: JSON.stringify(b) };
}

const STATUS_TEXT: Record<number, string> = {
  200: "OK", 201: "Created", 204: "No Content", 302: "Found", 400: "Bad Request", 401: "Unauthorized",
  403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
};

function toHarEntry(spec: EntrySpec, cap: CaptureSpec, index: number) {
  const url = new URL(spec.url);
  const started = new Date(Date.parse(cap.start) + spec.at);
  const reqHeaders: { name: string; value: string }[] = [];
  const http2 = cap.producer === "chrome";
  if ("browser" in spec.from) {
    const origin = spec.from.browser;
    const mode = spec.from.mode ?? "cors";
    if (http2) {
      reqHeaders.push({ name: ":authority", value: url.host }, { name: ":method", value: spec.method }, { name: ":path", value: url.pathname + url.search }, { name: ":scheme", value: url.protocol.replace(":", "") });
    }
    reqHeaders.push({ name: "accept", value: mode === "navigate" ? "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" : "application/json" });
    if (mode === "cors" && (spec.method !== "GET" || new URL(origin).host !== url.host)) reqHeaders.push({ name: "origin", value: origin });
    reqHeaders.push(
      { name: "referer", value: origin + "/" },
      { name: "sec-ch-ua", value: '"Chromium";v="131", "Not_A Brand";v="24"' },
      { name: "sec-ch-ua-mobile", value: "?0" },
      { name: "sec-ch-ua-platform", value: '"Linux"' },
      { name: "sec-fetch-dest", value: spec.from.dest ?? (mode === "navigate" ? "document" : "empty") },
      { name: "sec-fetch-mode", value: mode },
      { name: "sec-fetch-site", value: new URL(origin).host === url.host ? "same-origin" : "cross-site" },
      { name: "user-agent", value: CHROME_UA },
    );
  } else {
    reqHeaders.push(
      { name: "Host", value: url.host },
      { name: "User-Agent", value: spec.from.server },
      { name: "Accept", value: "application/json" },
    );
  }
  reqHeaders.push(...headerList(spec.headers));
  let postData: { mimeType: string; text: string; params?: { name: string; value: string }[] } | undefined;
  if (spec.form) {
    const text = new URLSearchParams(spec.form).toString();
    postData = { mimeType: "application/x-www-form-urlencoded", text, params: Object.entries(spec.form).map(([name, value]) => ({ name, value })) };
  } else {
    postData = bodyOf(spec.body);
  }
  if (postData) reqHeaders.push({ name: http2 ? "content-type" : "Content-Type", value: postData.mimeType });

  const resBody = bodyOf(spec.response);
  const resHeaders: { name: string; value: string }[] = [];
  if (spec.okta !== false) {
    resHeaders.push(
      { name: "date", value: started.toUTCString() },
      { name: "server", value: "nginx" },
      { name: "x-okta-request-id", value: fakeRandom(`req${index}${spec.url}`, 27) },
      { name: "x-rate-limit-limit", value: "600" },
      { name: "x-rate-limit-remaining", value: String(599 - index) },
      { name: "x-rate-limit-reset", value: String(Math.floor(started.getTime() / 1000) + 60) },
      { name: "strict-transport-security", value: "max-age=315360000; includeSubDomains" },
    );
  }
  if (resBody) resHeaders.push({ name: "content-type", value: resBody.mimeType + (resBody.mimeType.includes("json") ? ";charset=UTF-8" : "") });
  resHeaders.push(...headerList(spec.responseHeaders));
  const location = resHeaders.find((h) => h.name.toLowerCase() === "location")?.value ?? "";
  const wait = 80 + (index * 37) % 120;

  const entry: Record<string, unknown> = {
    startedDateTime: started.toISOString(),
    time: wait + 12,
    request: {
      method: spec.method,
      url: spec.url,
      httpVersion: http2 ? "http/2.0" : "HTTP/1.1",
      headers: reqHeaders,
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      cookies: [],
      headersSize: -1,
      bodySize: postData ? Buffer.byteLength(postData.text) : 0,
      ...(postData ? { postData } : {}),
    },
    response: {
      status: spec.status,
      statusText: spec.statusText ?? (http2 ? "" : STATUS_TEXT[spec.status] ?? ""),
      httpVersion: http2 ? "http/2.0" : "HTTP/1.1",
      headers: resHeaders,
      cookies: [],
      content: { size: resBody ? Buffer.byteLength(resBody.text) : 0, mimeType: resBody?.mimeType ?? "x-unknown", ...(resBody ? { text: resBody.text } : {}) },
      redirectURL: location,
      headersSize: -1,
      bodySize: resBody ? Buffer.byteLength(resBody.text) : 0,
    },
    cache: {},
    timings: { blocked: 1.2, dns: -1, ssl: -1, connect: -1, send: 0.3, wait, receive: 10.5 },
    serverIPAddress: "203.0.113.10",
  };
  if (cap.producer === "chrome") {
    entry["_initiator"] = "browser" in spec.from && spec.from.mode !== "navigate" ? { type: "script" } : { type: "other" };
    entry["_priority"] = "High";
    entry["_resourceType"] = "browser" in spec.from && spec.from.mode === "navigate" ? "document" : "fetch";
    entry["connection"] = "443";
    entry["pageref"] = "page_1";
  }
  if (spec.comment) entry["comment"] = spec.comment;
  if (spec.extra) Object.assign(entry, spec.extra);
  if (cap.sanitized) {
    const req = entry["request"] as { headers: { name: string }[] };
    const res = entry["response"] as { headers: { name: string }[] };
    req.headers = req.headers.filter((h) => !SANITIZED_HEADERS.has(h.name.toLowerCase()));
    res.headers = res.headers.filter((h) => !SANITIZED_HEADERS.has(h.name.toLowerCase()));
  }
  return entry;
}

/** The whole HAR document for a capture spec. */
export function buildHar(cap: CaptureSpec): Record<string, unknown> {
  const entries = cap.entries.map((e, i) => toHarEntry(e, cap, i));
  const log: Record<string, unknown> =
    cap.producer === "chrome"
      ? {
          version: "1.2",
          creator: { name: "WebInspector", version: "537.36" },
          pages: [{ startedDateTime: cap.start, id: "page_1", title: "https://app.example.com/", pageTimings: { onContentLoad: 412.5, onLoad: 618.2 } }],
          entries,
        }
      : { version: "1.2", creator: { name: "mitmproxy", version: "10.4.2", comment: "mitmproxy version 10.4.2" }, pages: [], entries };
  if (cap.comment) log["comment"] = cap.comment;
  return { log };
}
