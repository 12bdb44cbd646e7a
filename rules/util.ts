/**
 * Small helpers the rules share. Everything here reads the classified capture;
 * nothing formats or prints.
 */
import type { Capture, OktaCall } from "../src/engine/capture.js";
import type { Exchange } from "../src/model/exchange.js";
import type { AuthorizationInfo, DecodedJwt } from "../src/okta/credentials.js";
import { errorFromExchange, type ExchangeError } from "../src/okta/errors.js";

/** The parsed Authorization header of a call, if it sent one. */
export function authOf(call: OktaCall): AuthorizationInfo | undefined {
  return call.credential.authorization;
}

/** The decoded JWT a call presented in its Authorization header (Bearer, DPoP or wrongly SSWS). */
export function jwtOf(call: OktaCall): DecodedJwt | undefined {
  return call.credential.authorization?.jwt;
}

export function isFromBrowser(call: OktaCall): boolean {
  return call.exchange.sender.kind === "browser";
}

/** Why we believe a browser sent this request: the exchange's sender evidence plus Chrome's initiator. */
export function browserEvidenceList(ex: Exchange): string[] {
  const out = ex.sender.evidence.filter((e) => !/^producer:/.test(e));
  const initiator = ex.extras["_initiator"];
  const type = initiator && typeof initiator === "object" ? (initiator as { type?: unknown }).type : undefined;
  if (typeof type === "string" && !out.some((e) => e.startsWith("_initiator"))) out.push(`_initiator: ${type}`);
  if (out.length === 0) out.push(...ex.sender.evidence);
  return out;
}

/** The single strongest sign that a browser sent this request: `Origin: https://app.example.com`, else `Sec-Fetch-Mode: …`, else the first sender evidence. */
export function browserEvidenceLine(ex: Exchange): string {
  const origin = ex.request.headers.get("origin");
  if (origin !== undefined) return `Origin: ${origin}`;
  const mode = ex.request.headers.get("sec-fetch-mode");
  if (mode !== undefined) return `Sec-Fetch-Mode: ${mode}`;
  return ex.sender.evidence[0] ?? "sent by a browser";
}

// ---------------------------------------------------------------------------
// Paths and request lines
// ---------------------------------------------------------------------------

/**
 * The request path without query or fragment, as captured (ids and secrets
 * left in: mask before printing anything that may hold one). Falls back to
 * cutting the raw URL when it did not parse.
 */
export function pathOf(call: OktaCall): string {
  const req = call.exchange.request;
  if (req.url) return req.url.pathname;
  const raw = req.rawUrl;
  const cut = raw.search(/[?#]/);
  const noQuery = cut < 0 ? raw : raw.slice(0, cut);
  const scheme = noQuery.indexOf("://");
  if (scheme < 0) return noQuery;
  const slash = noQuery.indexOf("/", scheme + 3);
  return slash < 0 ? "/" : noQuery.slice(slash);
}

/** `GET /api/v1/users/00u1…`: the method and the path as sent (see pathOf: nothing masked). */
export function requestLineOf(call: OktaCall): string {
  return `${call.exchange.request.method} ${pathOf(call)}`;
}

/** `GET /api/v1/users/{id}`: the method and the catalog's path template (or the path as sent when the catalog has none). */
export function endpointTemplateOf(call: OktaCall): string {
  return `${call.exchange.request.method} ${call.classification.pathTemplate ?? pathOf(call)}`;
}

/** True when Okta accepted the call (2xx or 3xx). */
export function succeeded(call: OktaCall): boolean {
  const s = call.exchange.response.status;
  return s >= 200 && s < 400;
}

// ---------------------------------------------------------------------------
// Grouping repeated calls
// ---------------------------------------------------------------------------

/**
 * Group items by a key, keeping input order inside each group and groups in
 * order of first appearance. Items whose key is undefined are left out.
 */
export function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K | undefined): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(item);
  }
  return groups;
}

/**
 * Group items by a key (the same bad header sent again and again): the first
 * item of each group carries the finding, the others are `rest`. Keeps a
 * capture with thousands of identical calls to one finding per cause.
 */
export function groupFirst<T>(items: readonly T[], key: (item: T) => string): { first: T; rest: T[] }[] {
  const out: { first: T; rest: T[] }[] = [];
  for (const list of groupBy(items, key).values()) out.push({ first: list[0]!, rest: list.slice(1) });
  return out;
}

/** `request.headers[3]`: the JSON path (inside the entry) of a request or response header. */
export function headerPath(ex: Exchange, side: "request" | "response", name: string): string | undefined {
  const i = ex[side].headers.sourceIndexOf(name);
  return i < 0 ? undefined : `${side}.headers[${i}]`;
}

const errorCache = new WeakMap<Exchange, ExchangeError | null>();

/** The Okta (E0000xxx) or OAuth error of a call's response, parsed once. */
export function errorOf(call: OktaCall): ExchangeError | null {
  let e = errorCache.get(call.exchange);
  if (e === undefined) {
    e = errorFromExchange(call.exchange);
    errorCache.set(call.exchange, e);
  }
  return e;
}

/** What a capture lacks because it was exported without sensitive data (a browser export with every credential header stripped). */
export interface Sanitization {
  /** No Authorization, Cookie or Set-Cookie header anywhere, while entries do have headers. */
  sanitized: boolean;
  /** The capture carries redaction markers (oktalint's own, or a sanitizer's). */
  redacted: boolean;
  noAuthorization: boolean;
  noCookies: boolean;
  noSetCookies: boolean;
}

const sanitizationCache = new WeakMap<Capture, Sanitization>();

/** The live command that recorded this exchange (`_oktalint.source` of the entries oktalint writes), if any. */
export function oktalintSourceOf(ex: Exchange): string | undefined {
  const mark = ex.extras["_oktalint"];
  if (mark === null || typeof mark !== "object" || Array.isArray(mark)) return undefined;
  const source = (mark as { source?: unknown }).source;
  return typeof source === "string" ? source : undefined;
}

/** Every Okta call of the capture was recorded by oktalint itself (`trace`, `proxy`, `browse`): nothing was stripped on export. */
export function recordedByOktalint(capture: Capture): boolean {
  return capture.calls.length > 0 && capture.calls.every((c) => oktalintSourceOf(c.exchange) !== undefined);
}

/**
 * Whether a missing cookie or Authorization header in this capture proves
 * anything. Chrome 130+ exports "HAR (sanitized)" by default: no Cookie,
 * Set-Cookie or Authorization headers at all. Rules that need them stay silent
 * on such captures and `sanitized-capture` says why.
 */
export function sanitizationOf(capture: Capture): Sanitization {
  const cached = sanitizationCache.get(capture);
  if (cached) return cached;
  const s = capture.stats;
  // Only browser exports are sanitized this way; a server-side proxy capture
  // without credentials simply had none, and that is worth reporting. A
  // recording oktalint made itself (trace, proxy, browse) keeps every header:
  // a credential missing there was never sent.
  const enough = s.withHeaders >= 2 && s.fromBrowser > 0 && !recordedByOktalint(capture);
  const noAuthorization = enough && s.withAuthorization === 0;
  const noCookies = enough && s.withCookie === 0;
  const noSetCookies = enough && s.withSetCookie === 0;
  const result: Sanitization = {
    sanitized: noAuthorization && noCookies && noSetCookies,
    redacted: s.withRedactionMarkers > 0,
    noAuthorization,
    noCookies,
    noSetCookies,
  };
  sanitizationCache.set(capture, result);
  return result;
}
