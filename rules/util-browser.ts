/**
 * Helpers shared by the browser/session rules (group B): one-time tokens issued
 * and redeemed across entries, Okta session cookies per host over time, the
 * browser's own cookie-blocking reports, and site/origin comparisons.
 *
 * Everything is computed in one pass over the Okta calls and cached per
 * capture, so several rules can ask without re-scanning. Nothing formats prose.
 */
import type { Capture, OktaCall } from "../src/engine/capture.js";
import type { Exchange } from "../src/model/exchange.js";
import type { HeaderList } from "../src/model/headers.js";
import { findOneTimeTokens, type OneTimeToken, type OneTimeTokenKind } from "../src/okta/credentials.js";
import { isClearingSetCookie, SESSION_COOKIE_NAMES } from "../src/okta/cookies.js";
import { pathOf } from "./util.js";
import { callError, postMessageError } from "./util-oauth.js";
import { siteOf } from "../src/model/site.js";

// ---------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------

/**
 * First value of a header (case-insensitive). A plain scan: header lists are
 * short, and a per-list index in a WeakMap costs more in garbage collection
 * than it saves on captures with many thousands of calls.
 */
export function headerValue(headers: HeaderList, name: string): string | undefined {
  const list = headers.list;
  for (let i = 0; i < list.length; i++) {
    const h = list[i]!;
    if (h.name.length === name.length && h.name.toLowerCase() === name) return h.value;
  }
  return undefined;
}

/** First value of a request header; `name` must be lower case. */
export function reqHeader(ex: Exchange, name: string): string | undefined {
  return headerValue(ex.request.headers, name);
}

/** First value of a response header; `name` must be lower case. */
export function resHeader(ex: Exchange, name: string): string | undefined {
  return headerValue(ex.response.headers, name);
}

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

/** An `/api/v1/…` path (Okta's REST API, as opposed to OAuth, IDX or the login pages). */
export function isApiV1(call: OktaCall): boolean {
  return pathOf(call).startsWith("/api/v1/");
}

/**
 * What the caller got back: `HTTP 401 E0000011`, `HTTP 0 (net::ERR_FAILED)`, `HTTP 200`; an OAuth error
 * Okta sent back to the app rather than as a status (`login_required in the redirect`, `login_required by
 * postMessage`), because that error, not the 302 or 200 that carried it, is the outcome the app sees.
 */
export function statusLine(call: OktaCall): string {
  const ex = call.exchange;
  if (ex.response.status === 0) return ex.error ? `HTTP 0 (${ex.error.slice(0, 80)})` : "HTTP 0 (no response)";
  const err = callError(call)?.oauth;
  if (err && (err.where === "query" || err.where === "fragment")) return `${err.error} in the redirect`;
  if (err && err.where === "form_post") return `${err.error} in a form_post page`;
  if (!call.errorCode && ex.response.status < 300) {
    const pm = postMessageError(ex);
    if (pm) return `${pm.error} by postMessage`;
  }
  return call.errorCode ? `HTTP ${ex.response.status} ${call.errorCode}` : `HTTP ${ex.response.status}`;
}

// ---------------------------------------------------------------------------
// Origins and sites
// ---------------------------------------------------------------------------

export { siteOf };

/** The `Origin` request header, if any. */
export function originOf(ex: Exchange): string | undefined {
  return reqHeader(ex, "origin")?.trim();
}

export type SiteRelation = "same-origin" | "same-site" | "cross-site" | "unknown";

/**
 * How the page that sent a request relates to its target: `Sec-Fetch-Site`
 * when the browser sent it (`none` counts as same-origin), else the `Origin`
 * header against the request URL.
 */
export function siteRelation(ex: Exchange): SiteRelation {
  const sfs = reqHeader(ex, "sec-fetch-site")?.trim().toLowerCase();
  if (sfs === "same-origin" || sfs === "none") return "same-origin";
  if (sfs === "same-site") return "same-site";
  if (sfs === "cross-site") return "cross-site";
  const origin = originOf(ex);
  const target = ex.request.url;
  if (!origin || !target || origin === "null") return origin === "null" ? "cross-site" : "unknown";
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return "unknown";
  }
  if (o.origin === target.origin) return "same-origin";
  return siteOf(o.hostname) === siteOf(target.hostname) ? "same-site" : "cross-site";
}

/** `navigate` for top-level and frame navigations, `cors`, `no-cors` …; undefined when the browser did not say. */
export function fetchMode(ex: Exchange): string | undefined {
  return reqHeader(ex, "sec-fetch-mode")?.trim().toLowerCase();
}

/** A top-level navigation (a page load, a form post, a redirect followed by the window): always first-party. */
export function isTopLevelNavigation(ex: Exchange): boolean {
  const mode = fetchMode(ex);
  if (mode === "navigate") {
    const dest = reqHeader(ex, "sec-fetch-dest")?.trim().toLowerCase();
    return dest === undefined || dest === "document";
  }
  if (mode !== undefined) return false;
  const type = ex.extras["_resourceType"];
  return type === "document";
}

/**
 * True when the browser evidence includes a header only browsers send (Origin, Sec-Fetch-*, sec-ch-ua), or the
 * request carries one (a recording that names its sender, such as oktalint browse's, lists no header evidence).
 */
export function hasBrowserOnlyHeaders(ex: Exchange): boolean {
  if (ex.sender.evidence.some((e) => /^(Origin|Sec-Fetch-|sec-ch-ua)/i.test(e))) return true;
  return ex.sender.kind === "browser" && ["sec-fetch-site", "sec-fetch-dest", "sec-fetch-user", "sec-ch-ua"].some((h) => reqHeader(ex, h) !== undefined);
}

// ---------------------------------------------------------------------------
// One-time tokens across entries
// ---------------------------------------------------------------------------

/** The one-time tokens these rules follow. */
export type TrackedTokenKind = "sessionToken" | "cookieToken" | "stateToken";
const TRACKED: ReadonlySet<OneTimeTokenKind> = new Set(["sessionToken", "cookieToken", "stateToken", "sessionRedirectToken"]);

/** Lifetime of a sessionToken when the response does not say (Okta documents five minutes). */
export const SESSION_TOKEN_LIFETIME_MS = 5 * 60 * 1000;
/** Tolerance for the second resolution of `Date` and `expiresAt`. */
const CLOCK_TOLERANCE_MS = 1000;

export interface TokenSighting {
  call: OktaCall;
  /** The raw value (a secret: mask before printing). */
  value: string;
  kind: OneTimeTokenKind;
  where: OneTimeToken["where"];
  /** Parameter name or JSON path inside the body. */
  path: string;
}

export interface TrackedToken {
  /** Raw value: a secret, mask it before printing. */
  value: string;
  /** The name it was issued (or first seen) under. */
  kind: TrackedTokenKind;
  /** The first response that carried it. */
  issued?: TokenSighting;
  /** Every sighting, responses and requests, in capture order. */
  sightings: TokenSighting[];
}

export interface TokenIndex {
  /** Tokens by value. */
  byValue: ReadonlyMap<string, TrackedToken>;
  /** Every tracked sighting per call (responses and requests). */
  sightingsOf(call: OktaCall): readonly TokenSighting[];
}

const tokenIndexCache = new WeakMap<Capture, TokenIndex>();

function trackedKind(kind: OneTimeTokenKind): TrackedTokenKind {
  return kind === "sessionRedirectToken" ? "sessionToken" : (kind as TrackedTokenKind);
}

/**
 * Index of the sessionTokens, cookieTokens and stateTokens of a capture: where
 * each was issued (response bodies and redirects) and where it was sent back
 * (query strings and bodies). Cached per capture.
 */
export function tokenIndex(capture: Capture): TokenIndex {
  const cached = tokenIndexCache.get(capture);
  if (cached) return cached;
  const byValue = new Map<string, TrackedToken>();
  const perCall = new Map<OktaCall, TokenSighting[]>();
  for (const call of capture.calls) {
    const found = findOneTimeTokens(call.exchange);
    if (found.length === 0) continue;
    const list: TokenSighting[] = [];
    for (const t of found) {
      if (!TRACKED.has(t.kind)) continue;
      const s: TokenSighting = { call, value: t.value, kind: t.kind, where: t.where, path: t.path };
      list.push(s);
      let rec = byValue.get(t.value);
      if (!rec) byValue.set(t.value, (rec = { value: t.value, kind: trackedKind(t.kind), sightings: [] }));
      else if (rec.kind === "sessionToken" && t.kind === "cookieToken") rec.kind = "cookieToken";
      const isResponse = t.where === "response.body" || t.where === "response.redirect";
      if (isResponse && !rec.issued) {
        rec.issued = s;
        if (t.kind !== "sessionRedirectToken") rec.kind = trackedKind(t.kind);
      }
      rec.sightings.push(s);
    }
    if (list.length) perCall.set(call, list);
  }
  const index: TokenIndex = { byValue, sightingsOf: (call) => perCall.get(call) ?? [] };
  tokenIndexCache.set(capture, index);
  return index;
}

/** True for a sighting in what the client sent (query string or body). */
export function isRequestSighting(s: TokenSighting): boolean {
  return s.where === "request.query" || s.where === "request.body";
}

/** `POST /api/v1/sessions`: creates a server-side session from a sessionToken; sets no browser cookie. */
export function isCreateSession(call: OktaCall): boolean {
  return call.exchange.request.method === "POST" && pathOf(call).replace(/\/+$/, "") === "/api/v1/sessions";
}

export type RedemptionKind = "authorize" | "session-cookie-redirect" | "token-redirect" | "api-session" | "app-link" | "other";

/** Where a request sighting of a one-time token redeems it. */
export function redemptionKind(call: OktaCall): RedemptionKind {
  if (isCreateSession(call)) return "api-session";
  const path = pathOf(call);
  if (/^\/oauth2\/(?:[^/]+\/)?v1\/authorize$/.test(path)) return "authorize";
  if (/^\/login\/sessionCookieRedirect$/i.test(path)) return "session-cookie-redirect";
  if (/^\/login\/token\/redirect$/i.test(path)) return "token-redirect";
  if (/^\/(?:home|app)\//.test(path)) return "app-link";
  return "other";
}

function parseTime(s: string): number | undefined {
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * When a token issued by this response stops working, in the capture's clock:
 * the response's top-level `expiresAt` measured against its `Date` header (so
 * a skewed client clock does not matter), else five minutes for a sessionToken.
 * Undefined when the capture has no timestamps or nothing is known.
 */
export function deadlineOf(issued: TokenSighting, kind: TrackedTokenKind): number | undefined {
  const ex = issued.call.exchange;
  if (ex.startedAt === null) return undefined;
  const topLevel = issued.where === "response.body" && /^\$\.[A-Za-z]+$/.test(issued.path);
  if (topLevel) {
    const text = ex.response.body?.text;
    const m = text ? /"expiresAt"\s*:\s*"([^"]{10,40})"/.exec(text) : null;
    const expires = m?.[1] ? parseTime(m[1]) : undefined;
    if (expires !== undefined) {
      const date = resHeader(ex, "date");
      const serverNow = date ? parseTime(date) : undefined;
      if (serverNow !== undefined) return ex.startedAt + Math.max(0, expires - serverNow) + CLOCK_TOLERANCE_MS;
      return Math.max(expires, ex.startedAt) + CLOCK_TOLERANCE_MS;
    }
  }
  return kind === "sessionToken" ? ex.startedAt + SESSION_TOKEN_LIFETIME_MS + CLOCK_TOLERANCE_MS : undefined;
}

/** `45 s`, `4 min 12 s`, `2 h 3 min`: to the second below an hour (one-time token ages and lifetimes). */
export function formatSecondsDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

// ---------------------------------------------------------------------------
// Okta session cookies per host, over time (browser traffic only)
// ---------------------------------------------------------------------------

export interface CookieState {
  /**
   * The live session cookie the browser should hold for this host before this call, if the capture shows one:
   * set by a response (`crossSite` when that response answered a cross-site request, whose cookies a browser
   * that blocks third-party cookies refuses) or sent by an earlier request.
   */
  session?: { name: string; since: number; how: "set" | "sent"; crossSite: boolean };
  /** The last entry that proves the browser holds some Okta cookie for this host: sent in a request, or set in a first-party response (and not cleared since). */
  anyCookieAt?: number;
  /** Okta cleared its session cookie at this entry (sign-out) and the browser has held no Okta cookie for this host since. */
  cleared?: number;
}

export interface CookieTimeline {
  /** State before a browser call to an Okta endpoint that takes the session cookie (empty for other calls). */
  before(call: OktaCall): CookieState;
  /** Hosts for which a cross-site request from a page carried an Okta session cookie (third-party cookies work there). */
  crossSiteCookiesSeen: ReadonlySet<string>;
}

const timelineCache = new WeakMap<Capture, CookieTimeline>();
const SESSION_NAMES: ReadonlySet<string> = new Set(SESSION_COOKIE_NAMES);

/**
 * Follows, per Okta host, which Okta cookies a browser holds: set by
 * `Set-Cookie` (and not cleared since) or sent in a request. Server traffic
 * is ignored: a server's responses never reach the browser's cookie jar.
 */
export function cookieTimeline(capture: Capture): CookieTimeline {
  const cached = timelineCache.get(capture);
  if (cached) return cached;
  const hosts = new Map<string, CookieState>();
  const states = new Map<OktaCall, CookieState>();
  const crossSite = new Set<string>();
  // Per host, the Okta cookies the browser holds (name → the entry that last showed it).
  const heldBy = new Map<string, Map<string, number>>();
  for (const call of capture.calls) {
    const ex = call.exchange;
    if (ex.sender.kind !== "browser") continue;
    const host = call.host.host;
    let cur = hosts.get(host);
    if (!cur) hosts.set(host, (cur = {}));
    let held = heldBy.get(host);
    if (!held) heldBy.set(host, (held = new Map()));
    // Snapshots only where a rule asks: calls to endpoints that take the session cookie.
    if (call.classification.accepts.includes("session-cookie")) states.set(call, { ...cur });
    const sent = call.credential.sessionCookies[0];
    const cookies = ex.request.cookies;
    const setCookies = ex.response.setCookies;
    if (cookies.length === 0 && setCookies.length === 0) continue;
    const thirdParty = siteRelation(ex) === "cross-site" && !isTopLevelNavigation(ex);
    for (const c of cookies) if (c.value.trim() !== "") held.set(c.name, ex.index);
    if (cookies.some((c) => c.value.trim() !== "")) {
      cur.anyCookieAt = ex.index;
      delete cur.cleared;
    }
    if (sent) {
      if (!cur.session || cur.session.name !== sent || cur.session.crossSite) cur.session = { name: sent, since: ex.index, how: "sent", crossSite: false };
      if (thirdParty) crossSite.add(host);
    }
    if (setCookies.length === 0) continue;
    const now = ex.startedAt ?? Date.now();
    for (const c of setCookies) {
      if (c.domain && !(host === c.domain || host.endsWith("." + c.domain))) continue;
      const clearing = isClearingSetCookie(c, now);
      if (clearing) {
        // A cookie the browser no longer holds proves nothing about the calls after it.
        held.delete(c.name);
        const last = Math.max(-1, ...held.values());
        if (last >= 0) cur.anyCookieAt = last;
        else delete cur.anyCookieAt;
      } else if (!thirdParty) {
        held.set(c.name, ex.index);
        cur.anyCookieAt = ex.index;
        delete cur.cleared;
      }
      if (!SESSION_NAMES.has(c.name)) continue;
      if (clearing) {
        if (cur.session?.name === c.name) delete cur.session;
        if (held.size === 0) cur.cleared = ex.index;
      } else {
        delete cur.cleared;
        // The browser's own word (oktalint browse): a cookie set by a cross-site response that it did not
        // refuse is in its jar, the same as one set first-party.
        cur.session = { name: c.name, since: ex.index, how: "set", crossSite: thirdParty && !keptByBrowser(ex, c.name) };
      }
    }
  }
  const timeline: CookieTimeline = {
    before: (call) => states.get(call) ?? {},
    crossSiteCookiesSeen: crossSite,
  };
  timelineCache.set(capture, timeline);
  return timeline;
}

// ---------------------------------------------------------------------------
// Cookies the browser reported blocked
// ---------------------------------------------------------------------------

export interface BlockedCookie {
  /** `request`: not sent with this request; `response`: a Set-Cookie the browser refused. */
  side: "request" | "response";
  name: string;
  reasons: string[];
  /** JSON path of the report inside the entry. */
  path: string;
}

function cookieNameOf(item: Record<string, unknown>): string | undefined {
  const cookie = item["cookie"];
  if (cookie && typeof cookie === "object") {
    const name = (cookie as Record<string, unknown>)["name"];
    if (typeof name === "string") return name;
  }
  const line = item["cookieLine"];
  if (typeof line === "string") {
    const eq = line.indexOf("=");
    return (eq < 0 ? line : line.slice(0, eq)).trim();
  }
  return undefined;
}

function reasonsOf(item: Record<string, unknown>): string[] {
  const r = item["blockedReasons"];
  if (Array.isArray(r)) return r.filter((x): x is string => typeof x === "string" && x !== "");
  return [];
}

/**
 * True when the browser recorded which cookies it considered for the request
 * (`_associatedCookies`, written by `oktalint browse` from the DevTools
 * protocol) and there were none: not even blocked ones. A browser that holds
 * Okta's session cookie considers it for every credentialed request to Okta,
 * sent or blocked, so an empty list proves the request was made without
 * credentials (fetch's default `credentials: "same-origin"` across origins).
 */
/**
 * True when the browser recorded its cookie decisions for this exchange (the
 * `_blockedCookies` that `oktalint browse` writes)
 * and did not refuse the cookie `name` this response set: the browser kept it.
 */
export function keptByBrowser(ex: Exchange, name: string): boolean {
  const mark = ex.extras["_oktalint"] as { source?: unknown } | null | undefined;
  // browse records every Set-Cookie the browser refused (`_blockedCookies`), from the same event that shows the header.
  if (mark === null || typeof mark !== "object" || mark.source !== "browse") return false;
  return !blockedCookiesOf(ex).some((b) => b.side === "response" && b.name === name);
}

export function browserConsideredNoCookies(ex: Exchange): boolean {
  const list = ex.extras["_associatedCookies"];
  return Array.isArray(list) && list.length === 0;
}

/**
 * Cookies the browser itself reported as blocked, from Chrome DevTools
 * Protocol data kept in the entry: `_associatedCookies` (request cookies, each
 * `{ cookie: { name, … }, blockedReasons: [...] }`) and `_blockedCookies`
 * (refused Set-Cookie lines, `{ cookieLine | cookie, blockedReasons }`).
 * Only names and reasons are returned: never a cookie value.
 */
export function blockedCookiesOf(ex: Exchange): BlockedCookie[] {
  const out: BlockedCookie[] = [];
  const scan = (key: string, side: BlockedCookie["side"]) => {
    const list = ex.extras[key];
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      if (!item || typeof item !== "object") return;
      const rec = item as Record<string, unknown>;
      const reasons = reasonsOf(rec);
      const name = cookieNameOf(rec);
      if (reasons.length === 0 || !name) return;
      out.push({ side, name, reasons, path: `${key}[${i}]` });
    });
  };
  scan("_associatedCookies", "request");
  scan("_blockedCookies", "response");
  return out;
}

/** Blocking reasons that come from the page being on another site than Okta (third-party context). */
export const THIRD_PARTY_REASONS: ReadonlySet<string> = new Set([
  "ThirdPartyPhaseout",
  "ThirdPartyBlockedInFirstPartySet",
  "UserPreferences",
  "SameSiteNoneInsecure",
  "SameSiteStrict",
  "SameSiteLax",
  "SameSiteUnspecifiedTreatedAsLax",
  "SchemefulSameSiteStrict",
  "SchemefulSameSiteLax",
  "SchemefulSameSiteUnspecifiedTreatedAsLax",
  "SamePartyFromCrossPartyContext",
]);

/** What each Chrome blocking reason means, in a few words. */
export const BLOCK_REASON_MEANING: Readonly<Record<string, string>> = {
  ThirdPartyPhaseout: "the browser blocks third-party cookies",
  ThirdPartyBlockedInFirstPartySet: "third-party cookies are blocked even within a related website set",
  UserPreferences: "the user's settings block third-party cookies",
  SameSiteNoneInsecure: "the cookie is SameSite=None without Secure",
  SameSiteStrict: "the cookie is SameSite=Strict and the request is cross-site",
  SameSiteLax: "the cookie is SameSite=Lax and the request is a cross-site subresource",
  SameSiteUnspecifiedTreatedAsLax: "the cookie has no SameSite attribute, treated as Lax, and the request is cross-site",
  SchemefulSameSiteStrict: "the cookie is SameSite=Strict and the request crosses http/https",
  SchemefulSameSiteLax: "the cookie is SameSite=Lax and the request crosses http/https",
  SchemefulSameSiteUnspecifiedTreatedAsLax: "the cookie has no SameSite attribute and the request crosses http/https",
  SamePartyFromCrossPartyContext: "the cookie is SameParty and the request comes from outside the party",
  SecureOnly: "the cookie is Secure and the request used http://",
  NotOnPath: "the cookie's Path does not cover this URL",
  DomainMismatch: "the cookie's Domain does not cover this host",
  PortMismatch: "the cookie belongs to another port",
  SchemeMismatch: "the cookie was set over another scheme",
  NameValuePairExceedsMaxSize: "the cookie is too large",
  AnonymousContext: "the request was made in an anonymous (credentials-less) context",
  SyntaxError: "the Set-Cookie line is malformed",
  SchemeNotSupported: "cookies are not supported for this URL scheme",
  OverwriteSecure: "a non-secure cookie may not overwrite a Secure one",
  InvalidDomain: "the Domain attribute does not match the host",
  InvalidPrefix: "the __Secure-/__Host- prefix rules are not met",
  DisallowedCharacter: "the cookie contains a disallowed character",
  NoCookieContent: "the Set-Cookie line is empty",
  UnknownError: "the browser gave no specific reason",
};

/** `ThirdPartyPhaseout (the browser blocks third-party cookies)`. */
export function describeReasons(reasons: readonly string[]): string {
  return reasons.map((r) => (BLOCK_REASON_MEANING[r] ? `${r} (${BLOCK_REASON_MEANING[r]})` : r)).join(", ");
}

/** Blocked reports about Okta's session cookies (`sid`, `idx`). */
export function blockedSessionCookies(ex: Exchange): BlockedCookie[] {
  return blockedCookiesOf(ex).filter((b) => SESSION_NAMES.has(b.name));
}

// ---------------------------------------------------------------------------
// CORS
// ---------------------------------------------------------------------------

/** The `Access-Control-Request-Headers` of a preflight, lower-cased, split. */
export function requestedHeaders(ex: Exchange): string[] {
  if (reqHeader(ex, "access-control-request-headers") === undefined) return [];
  const v = ex.request.headers.getAll("access-control-request-headers").join(",");
  return v
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** A CORS preflight: OPTIONS with `Access-Control-Request-Method`. */
export function isPreflight(ex: Exchange): boolean {
  return ex.request.method === "OPTIONS" && reqHeader(ex, "access-control-request-method") !== undefined;
}

/** How far a preflight's recorded start may fall after its request's (Chromium timestamps a preflight after its own request). */
const PREFLIGHT_SKEW_MS = 2000;
/** The longest a request may start after its preflight and still be the one it cleared. */
const PREFLIGHT_WINDOW_MS = 60_000;

export interface CorsPairs {
  /** The request a preflight cleared (or failed to clear), when the capture has it. */
  requestOf(preflight: OktaCall): OktaCall | undefined;
  /** The preflight sent for a request, when the capture has it. */
  preflightOf(request: OktaCall): OktaCall | undefined;
}

const corsPairsCache = new WeakMap<Capture, CorsPairs>();

/**
 * Pairs each CORS preflight with the request it was sent for: same URL, the
 * method it announced (`Access-Control-Request-Method`), the same `Origin`,
 * and the nearest start time, whichever of the two comes first in the file
 * (Chrome exports sometimes list a preflight after its request). A request
 * sent under a cached preflight has none; a preflight whose request never
 * went out (and was not recorded) has none. Without timestamps, file order
 * decides: the request right before or after. Computed once per capture.
 */
export function corsPairs(capture: Capture): CorsPairs {
  const cached = corsPairsCache.get(capture);
  if (cached) return cached;
  type Side = { pre: OktaCall[]; req: OktaCall[] };
  const byKey = new Map<string, Side>();
  const side = (key: string): Side => {
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { pre: [], req: [] }));
    return s;
  };
  for (const call of capture.calls) {
    const ex = call.exchange;
    if (isPreflight(ex)) {
      const method = reqHeader(ex, "access-control-request-method")!.trim().toUpperCase();
      side(`${method} ${ex.request.rawUrl}`).pre.push(call);
    } else if (ex.request.method !== "OPTIONS" && ex.sender.kind !== "server") {
      side(`${ex.request.method} ${ex.request.rawUrl}`).req.push(call);
    }
  }
  const requestOf = new Map<OktaCall, OktaCall>();
  const preflightOf = new Map<OktaCall, OktaCall>();
  for (const { pre, req } of byKey.values()) {
    if (pre.length === 0 || req.length === 0) continue;
    // Origins must agree where both show one (a request without Origin in the export may still be the one).
    const byOrigin = new Map<string, OktaCall[]>();
    for (const p of pre) {
      const o = originOf(p.exchange) ?? "";
      let list = byOrigin.get(o);
      if (!list) byOrigin.set(o, (list = []));
      list.push(p);
    }
    for (const [origin, pres] of byOrigin) {
      const reqs = req.filter((r) => {
        const o = originOf(r.exchange);
        return (o === undefined || origin === "" || o === origin) && !preflightOf.has(r);
      });
      const timed = [...pres, ...reqs].every((c) => c.exchange.startedAt !== null);
      const at = (c: OktaCall): number => (timed ? c.exchange.startedAt! : c.exchange.index);
      const skew = timed ? PREFLIGHT_SKEW_MS : 3;
      const window = timed ? PREFLIGHT_WINDOW_MS : Number.POSITIVE_INFINITY;
      const order = (a: OktaCall, b: OktaCall) => at(a) - at(b) || a.exchange.index - b.exchange.index;
      pres.sort(order);
      reqs.sort(order);
      // Greedy in time order: each preflight takes the earliest request not taken yet that starts no earlier than
      // `skew` before it and within the window after it.
      let j = 0;
      for (const p of pres) {
        while (j < reqs.length && at(reqs[j]!) < at(p) - skew) j++;
        const r = reqs[j];
        if (r === undefined || at(r) > at(p) + window) continue;
        requestOf.set(p, r);
        preflightOf.set(r, p);
        j++;
      }
    }
  }
  const pairs: CorsPairs = { requestOf: (c) => requestOf.get(c), preflightOf: (c) => preflightOf.get(c) };
  corsPairsCache.set(capture, pairs);
  return pairs;
}
