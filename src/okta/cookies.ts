/**
 * Okta's cookies: which ones carry a sign-in session, which engine uses which,
 * and small helpers rules need (is a cookie present, set, or cleared).
 * Facts from shared/okta/token-cookie-browser-facts.md §6.
 */
import type { RequestCookie, SetCookie } from "../model/cookies.js";

export type OktaCookieRole =
  /** Authenticates an Okta sign-in session. */
  | "session"
  /** Identifies a known device; never authenticates on its own. */
  | "device"
  /** Server-side plumbing (load balancing, servlet session). */
  | "server"
  /** Helpers of Okta's end-user UI. */
  | "ui"
  /** Set by okta-auth-js on the application's own domain, not Okta's. */
  | "app-domain";

export interface OktaCookieInfo {
  name: string;
  role: OktaCookieRole;
  /** Which engine uses it, where that matters. */
  engine: "classic" | "identity-engine" | "both";
  /** Our short description. */
  meaning: string;
  /** False when Okta documents nothing about it (seen in captures only). */
  documented: boolean;
}

const info = (
  name: string,
  role: OktaCookieRole,
  engine: OktaCookieInfo["engine"],
  documented: boolean,
  meaning: string,
): OktaCookieInfo => ({ name, role, engine, documented, meaning });

/** Known Okta cookie names (case-sensitive) and what each means. */
export const OKTA_SESSION_COOKIES: Readonly<Record<string, OktaCookieInfo>> = Object.freeze({
  sid: info(
    "sid",
    "session",
    "classic",
    true,
    "Classic Engine session id. Set on the Okta domain by /login/sessionCookieRedirect (or sign-in); authenticates browser calls such as /api/v1/sessions/me and /api/v1/users/me. Identity Engine does not use it.",
  ),
  idx: info(
    "idx",
    "session",
    "identity-engine",
    true,
    "Identity Engine session cookie; replaces sid. Authenticates browser calls on the Okta domain.",
  ),
  DT: info(
    "DT",
    "device",
    "both",
    true,
    "Device token for known-device checks and “Keep me signed in”. Identifies the browser, not a session: a DT cookie alone does not sign anyone in.",
  ),
  JSESSIONID: info("JSESSIONID", "server", "both", false, "Okta's server-side servlet session; not a sign-in session."),
  t: info("t", "server", "both", false, "Undocumented Okta cookie (observed values like `sea`); not a sign-in session."),
  oktaStateToken: info("oktaStateToken", "ui", "classic", false, "Classic end-user UI helper holding the sign-in transaction's state token."),
  autolaunch_triggered: info("autolaunch_triggered", "ui", "classic", false, "Classic end-user dashboard helper."),
  ext_name: info("ext_name", "ui", "classic", false, "Classic end-user UI helper."),
  enduser_version: info("enduser_version", "ui", "classic", false, "Classic end-user dashboard version helper."),
  "okta-oauth-nonce": info("okta-oauth-nonce", "app-domain", "both", true, "okta-auth-js: the OIDC nonce of a redirect in progress (on the app's domain)."),
  "okta-oauth-state": info("okta-oauth-state", "app-domain", "both", true, "okta-auth-js: the OAuth state of a redirect in progress (on the app's domain)."),
  "okta-oauth-redirect-params": info("okta-oauth-redirect-params", "app-domain", "both", true, "okta-auth-js: parameters of a redirect in progress (on the app's domain)."),
  "okta-oauth-token": info("okta-oauth-token", "app-domain", "both", true, "okta-auth-js: tokens stored in a cookie (on the app's domain)."),
});

/** Names of the cookies that authenticate an Okta session: `sid` (Classic) and `idx` (Identity Engine). */
export const SESSION_COOKIE_NAMES = ["sid", "idx"] as const;
export type SessionCookieName = (typeof SESSION_COOKIE_NAMES)[number];

/** What Okta knows about a cookie name, or undefined. */
export function oktaCookieInfo(name: string): OktaCookieInfo | undefined {
  return Object.hasOwn(OKTA_SESSION_COOKIES, name) ? OKTA_SESSION_COOKIES[name] : undefined;
}

/** True for a cookie value that carries nothing (`""`, `""` in quotes, `deleted`). */
export function isEmptyCookieValue(value: string): boolean {
  const v = value.trim();
  return v === "" || v === '""' || v === "deleted";
}

/**
 * Session cookies present in a request's cookies, in order `sid`, `idx`
 * (only those with a non-empty value).
 */
export function oktaSessionCookies(cookies: readonly RequestCookie[]): SessionCookieName[] {
  const out: SessionCookieName[] = [];
  for (const name of SESSION_COOKIE_NAMES) {
    if (cookies.some((c) => c.name === name && !isEmptyCookieValue(c.value))) out.push(name);
  }
  return out;
}

/** Which engine a session cookie belongs to. */
export function sessionCookieEngine(name: SessionCookieName): "classic" | "identity-engine" {
  return name === "sid" ? "classic" : "identity-engine";
}

/**
 * True when a Set-Cookie removes the cookie: empty value, `Max-Age` ≤ 0, or an
 * `Expires` in the past relative to `now` (Okta clears `sid` with
 * `sid=""; Expires=Thu, 01-Jan-1970 00:00:10 GMT`).
 */
export function isClearingSetCookie(c: SetCookie, now: number = Date.now()): boolean {
  if (isEmptyCookieValue(c.value)) return true;
  if (c.maxAge !== undefined && c.maxAge <= 0) return true;
  if (c.expires) {
    let t = Date.parse(c.expires);
    if (!Number.isFinite(t)) t = Date.parse(c.expires.replace(/-/g, " "));
    if (Number.isFinite(t) && t <= now) return true;
  }
  return false;
}

export interface SessionCookieChange {
  name: SessionCookieName;
  action: "set" | "cleared";
  cookie: SetCookie;
}

/** Session cookies (`sid`, `idx`) that a response sets or clears. */
export function sessionCookieChanges(setCookies: readonly SetCookie[], now: number = Date.now()): SessionCookieChange[] {
  const out: SessionCookieChange[] = [];
  for (const c of setCookies) {
    if (c.name !== "sid" && c.name !== "idx") continue;
    out.push({ name: c.name, action: isClearingSetCookie(c, now) ? "cleared" : "set", cookie: c });
  }
  return out;
}

/** True when a device token cookie (`DT`) is sent. It identifies the device, not a session. */
export function hasDeviceTokenCookie(cookies: readonly RequestCookie[]): boolean {
  return cookies.some((c) => c.name === "DT" && !isEmptyCookieValue(c.value));
}
