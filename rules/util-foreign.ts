/**
 * Helpers for the rules that follow Okta's tokens to hosts that are not
 * Okta's (the app's own APIs and websockets, third parties). Everything here
 * returns data; secrets only leave through src/okta/mask.ts.
 */
import type { ForeignCall } from "../src/engine/capture.js";
import type { CarriedToken } from "../src/engine/tokens.js";
import type { Report } from "../src/engine/types.js";
import { maskText } from "../src/okta/mask.js";
import { headerPath } from "./util.js";

/** `GET https://api.example.com/api/messages`: method, origin and path (no query: it may hold the token). */
export function foreignLine(fc: ForeignCall): string {
  const req = fc.exchange.request;
  const url = req.url;
  const where = url ? `${url.protocol}//${url.host}${url.pathname}` : req.rawUrl.replace(/[?#].*$/, "");
  return `${req.method} ${where}`;
}

/** The API's `WWW-Authenticate` answer, when it gave one (masked, shortened). */
export function challengeOf(fc: ForeignCall): string | undefined {
  const www = fc.exchange.response.headers.get("www-authenticate");
  if (www === undefined) return undefined;
  const v = maskText(www.trim());
  return v.length > 200 ? `${v.slice(0, 200)}…` : v;
}

/** The `error` of a Bearer challenge (`invalid_token`, `insufficient_scope`), if any. */
export function challengeError(fc: ForeignCall): string | undefined {
  const www = fc.exchange.response.headers.get("www-authenticate");
  return www ? /\berror="?([a-z_]+)"?/i.exec(www)?.[1] : undefined;
}

/** The `error_description` of a Bearer challenge, if any. */
export function challengeDescription(fc: ForeignCall): string | undefined {
  const www = fc.exchange.response.headers.get("www-authenticate");
  const d = www ? /\berror_description="([^"]*)"/i.exec(www)?.[1] : undefined;
  return d === undefined ? undefined : maskText(d);
}

/** What the host answered: `HTTP 401, WWW-Authenticate: Bearer error="invalid_token"`, `HTTP 200`, `no response`. */
export function foreignOutcome(fc: ForeignCall): string {
  const status = fc.exchange.response.status;
  if (status === 0) return "no response";
  const www = challengeOf(fc);
  return www ? `HTTP ${status}, WWW-Authenticate: ${www}` : `HTTP ${status}`;
}

export function rejected(fc: ForeignCall): boolean {
  const s = fc.exchange.response.status;
  return s === 401 || s === 403;
}

export function accepted(fc: ForeignCall): boolean {
  const s = fc.exchange.response.status;
  return s >= 200 && s < 400;
}

/** The Okta token a call carried in its Authorization header (Bearer, DPoP), if any. */
export function bearerToken(fc: ForeignCall): CarriedToken | undefined {
  const auth = fc.authorization;
  if (!auth || (auth.schemeKey !== "bearer" && auth.schemeKey !== "dpop")) return undefined;
  return fc.tokens.find((t) => t.position === "header" && t.name === "authorization" && t.value === auth.token);
}

/** The fields of a report that locate a foreign call's Authorization header. */
export function atForeign(fc: ForeignCall): Pick<Report, "foreign" | "path"> {
  const p = headerPath(fc.exchange, "request", "authorization");
  return p ? { foreign: fc, path: p } : { foreign: fc };
}

/** ` The same happens on 3 more calls (entries 4, 9, 12).` */
export function foreignRepeat(what: string, rest: readonly ForeignCall[]): string {
  if (rest.length === 0) return "";
  const shown = rest.slice(0, 5).map((c) => c.exchange.index);
  const more = rest.length > 5 ? `, … ${rest.length - 5} more` : "";
  return ` The same ${what} was sent on ${rest.length} more call${rest.length === 1 ? "" : "s"} (entr${rest.length === 1 ? "y" : "ies"} ${shown.join(", ")}${more}).`;
}

export function foreignRelated(rest: readonly ForeignCall[], extra: readonly (number | undefined)[] = []): number[] {
  const out = new Set<number>();
  for (const e of extra) if (e !== undefined) out.add(e);
  for (const c of rest.slice(0, 50)) out.add(c.exchange.index);
  return [...out].sort((a, b) => a - b);
}

/** `an access token`, `an ID token`, `a refresh token`, `an Okta JWT`. */
export function tokenLabel(kind: CarriedToken["kind"]): string {
  return kind === "access" ? "an access token" : kind === "id" ? "an ID token" : kind === "refresh" ? "a refresh token" : "an Okta-issued JWT";
}

/** `the Authorization header`, `the URL query (access_token)`, `the cookie okta-token-storage`, `the request body`. */
export function positionLabel(t: CarriedToken): string {
  switch (t.position) {
    case "header":
      return t.name === "authorization" ? "the Authorization header" : `the ${t.name} header`;
    case "query":
      return `the URL query (${t.name})`;
    case "fragment":
      return `the URL fragment (${t.name})`;
    case "cookie":
      return `the cookie ${t.name}`;
    case "body":
      return t.name === "body" ? "the request body" : `the request body (${t.name})`;
  }
}
