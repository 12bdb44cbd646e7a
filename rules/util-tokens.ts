/**
 * Helpers shared by the credential rules (group A): authorization-scheme,
 * custom-as-token-on-management-api, missing-scope, missing-admin-role,
 * management-call-without-credentials, id-token-as-access-token, expired-token.
 *
 * Everything here reads the classified capture and returns data; secrets only
 * leave through src/okta/mask.ts.
 */
import type { Capture, OktaCall } from "../src/engine/capture.js";
import type { Report } from "../src/engine/types.js";
import type { Exchange } from "../src/model/exchange.js";
import type { Classification } from "../src/okta/catalog.js";
import type { DecodedJwt } from "../src/okta/credentials.js";
import { jwtIssuerInfo, jwtKind, jwtScopes } from "../src/okta/credentials.js";
import { maskSecret } from "../src/okta/mask.js";
import { errorOf, headerPath, pathOf, requestLineOf } from "./util.js";

/** What Okta answered, for messages and evidence: `HTTP 401 E0000011`, `HTTP 403 insufficient_scope`, `no response`. */
export function outcomeOf(call: OktaCall): string {
  const status = call.exchange.response.status;
  if (status === 0) return "no response";
  const err = errorOf(call);
  if (!err) return `HTTP ${status}`;
  // An OAuth error sent back in the redirect is the outcome, not the 302 that carried it.
  if (err.oauth && (err.oauth.where === "query" || err.oauth.where === "fragment") && !err.okta) return `${err.oauth.error} in the redirect`;
  const codes = [err.okta?.errorCode, err.oauth?.error].filter((c): c is string => !!c);
  return `HTTP ${status} ${[...new Set(codes)].join(" / ")}`.trim();
}

/** The `path` field of a report for the Authorization header, when there is one. */
export function authorizationPath(ex: Exchange): { path?: string } {
  const p = headerPath(ex, "request", "authorization");
  return p ? { path: p } : {};
}

/** The scheme as sent, for evidence: `Bearer`, `bearer`, `SSWS` (or `(no scheme)`). */
function schemeLabel(scheme: string): string {
  return scheme === "" ? "(no scheme)" : scheme;
}

/** `Authorization: Bearer eyJr…Q2w (812 chars)`: short, masked, with the scheme as written. */
export function authEvidence(scheme: string, token: string): string {
  return `Authorization: ${schemeLabel(scheme)} ${maskSecret(token)}`.replace(/ {2,}/g, " ");
}

const SHOWN_CLAIMS = ["iss", "aud", "cid", "scp", "exp"] as const;

/**
 * A one-line, secret-free summary of a JWT's identifying claims:
 * `iss=https://acme.okta.com/oauth2/default aud=api://default cid=0oa… scp=[openid profile] exp=2026-11-21T10:00:00Z`.
 * Personal claims (sub of a user, email, name) are never shown.
 */
export function jwtSummary(jwt: DecodedJwt): string {
  const parts: string[] = [];
  const c = jwt.claims;
  for (const k of SHOWN_CLAIMS) {
    const v = c[k];
    if (v === undefined) continue;
    if (k === "scp") {
      parts.push(`scp=[${jwtScopes(c).join(" ")}]`);
    } else if (k === "exp" && typeof v === "number") {
      parts.push(`exp=${isoSeconds(v * 1000)}`);
    } else if (typeof v === "string") {
      parts.push(`${k}=${v.length > 80 ? v.slice(0, 60) + "…" : v}`);
    } else if (Array.isArray(v)) {
      parts.push(`${k}=[${v.filter((x) => typeof x === "string").join(" ")}]`);
    }
  }
  if (typeof c.sub === "string" && c.sub === c.cid) parts.push("sub=cid (service app)");
  return `JWT claims: ${parts.join(" ")}`;
}

/** `2026-11-21T10:00:00Z` */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `3 s`, `12 min`, `2 h 5 min`, `3 days`: rounded, sign ignored (how long ago a JWT expired, how long it lived). */
export function formatCoarseDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

/** Describe who minted a JWT, for messages: `the org authorization server (https://acme.okta.com)` … */
export function issuerLabel(claims: Record<string, unknown>): string {
  const info = jwtIssuerInfo(claims);
  const iss = typeof claims.iss === "string" ? claims.iss : "";
  if (!info) return iss ? `the issuer ${iss}` : "an unknown issuer (no iss claim)";
  if (info.authorizationServer.type === "org") return `the org authorization server (${iss})`;
  return `the custom authorization server \`${info.authorizationServer.id ?? "?"}\` (${iss})`;
}

/** What a JWT is, for messages: `an access token`, `an ID token`, `a JWT`. */
export function jwtKindLabel(jwt: DecodedJwt): string {
  const k = jwtKind(jwt.claims, jwt.header);
  return k === "access" ? "an access token" : k === "id" ? "an ID token" : "a JWT";
}

// ---------------------------------------------------------------------------
// Where tokens were issued in the capture
// ---------------------------------------------------------------------------

export type IssuedField = "access_token" | "id_token" | "refresh_token";

export interface Issuance {
  /** Entry of the token response (or the redirect carrying the token). */
  entry: number;
  field: IssuedField;
  /** `POST /oauth2/default/v1/token` */
  endpoint: string;
  /** The `scope` the response reported, or the scopes requested in its request. */
  scope?: string;
  /** Scopes requested in the token (or authorize) request, when visible. */
  requestedScope?: string;
  /** Other tokens the same response returned. */
  siblings: IssuedField[];
  /** The `token_type` of the response (`Bearer`, `DPoP`). */
  tokenType?: string;
}

const issuanceCache = new WeakMap<Capture, Map<string, Issuance>>();
const TOKEN_PATH = /\/v1\/token$/;
const FIELDS: readonly IssuedField[] = ["access_token", "id_token", "refresh_token"];

function requestedScopeOf(ex: Exchange): string | undefined {
  const body = ex.request.body;
  const fromForm = body?.params?.find((p) => p.name === "scope")?.value;
  if (fromForm !== undefined) return fromForm;
  if (body?.text && /x-www-form-urlencoded/i.test(body.mimeType)) {
    const v = new URLSearchParams(body.text).get("scope");
    if (v !== null) return v;
  }
  return ex.request.query.find((p) => p.name === "scope")?.value;
}

/**
 * Tokens handed out inside the capture, by raw value: token endpoint responses
 * (`/oauth2/v1/token`, `/oauth2/{id}/v1/token`) and implicit-flow redirects
 * carrying `#access_token=` / `#id_token=`. Built once per capture, only from
 * the few calls that can issue tokens.
 */
export function issuedTokens(capture: Capture): Map<string, Issuance> {
  let map = issuanceCache.get(capture);
  if (map) return map;
  map = new Map();
  for (const call of capture.calls) {
    const ex = call.exchange;
    const path = pathOf(call);
    if (TOKEN_PATH.test(path) && ex.response.status >= 200 && ex.response.status < 300) {
      const text = ex.response.body?.text;
      if (!text || !text.includes("_token")) continue;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        continue;
      }
      if (!json || typeof json !== "object" || Array.isArray(json)) continue;
      const o = json as Record<string, unknown>;
      const present = FIELDS.filter((f) => typeof o[f] === "string" && o[f] !== "");
      const requested = requestedScopeOf(ex);
      for (const f of present) {
        const iss: Issuance = { entry: ex.index, field: f, endpoint: requestLineOf(call), siblings: present.filter((x) => x !== f) };
        if (typeof o.scope === "string") iss.scope = o.scope;
        if (requested !== undefined) iss.requestedScope = requested;
        if (typeof o.token_type === "string") iss.tokenType = o.token_type;
        if (!map.has(o[f] as string)) map.set(o[f] as string, iss);
      }
      continue;
    }
    const location = ex.response.redirectURL || ex.response.headers.get("location");
    if (location && location.includes("_token=")) {
      const hash = location.indexOf("#");
      const q = location.indexOf("?");
      const part = hash >= 0 ? location.slice(hash + 1) : q >= 0 ? location.slice(q + 1) : "";
      const params = new URLSearchParams(part);
      const present = FIELDS.filter((f) => (params.get(f) ?? "") !== "");
      for (const f of present) {
        const iss: Issuance = { entry: ex.index, field: f, endpoint: requestLineOf(call), siblings: present.filter((x) => x !== f) };
        const scope = params.get("scope") ?? requestedScopeOf(ex);
        if (scope) iss.scope = scope;
        const requested = requestedScopeOf(ex);
        if (requested !== undefined) iss.requestedScope = requested;
        const tt = params.get("token_type");
        if (tt) iss.tokenType = tt;
        const v = params.get(f)!;
        if (!map.has(v)) map.set(v, iss);
      }
    }
  }
  issuanceCache.set(capture, map);
  return map;
}

// ---------------------------------------------------------------------------
// Grouping repeated findings
// ---------------------------------------------------------------------------

/**
 * A data value for a template: ` The same header was sent on 3 more calls (entries 4, 9, 12).`
 * (or ` The same happens on …` without `what`), and `` when nothing repeats.
 */
export function repeatNote(what: string | undefined, rest: readonly OktaCall[]): string {
  if (rest.length === 0) return "";
  const shown = rest.slice(0, 5).map((c) => c.exchange.index);
  const more = rest.length > 5 ? `, … ${rest.length - 5} more` : "";
  const lead = what ? `The same ${what} was sent on` : "The same happens on";
  return ` ${lead} ${rest.length} more call${rest.length === 1 ? "" : "s"} (entr${rest.length === 1 ? "y" : "ies"} ${shown.join(", ")}${more}).`;
}

/** Related entries of a group (bounded, so a finding stays small). */
export function relatedOf(rest: readonly OktaCall[], extra: readonly (number | undefined)[] = []): number[] {
  const out = new Set<number>();
  for (const e of extra) if (e !== undefined) out.add(e);
  for (const c of rest.slice(0, 50)) out.add(c.exchange.index);
  return [...out].sort((a, b) => a - b);
}

/** The fields of a report that locate the Authorization header of a call. */
export function at(call: OktaCall): Pick<Report, "call" | "path"> {
  return { call, ...authorizationPath(call.exchange) };
}

// ---------------------------------------------------------------------------
// Scopes
// ---------------------------------------------------------------------------

export type ScopeVerdict =
  | { ok: true; via: "exact" | "manage-implies-read" | "self" }
  | { ok: false; selfOnly?: string };

/**
 * Whether a token's scopes satisfy an endpoint's scopes (any one of them
 * suffices, as the catalog lists them). A `.self` variant only works on the
 * token's own user (`/users/me`, or the token's `uid` in the path). A `manage`
 * scope where the spec lists `read` is given the benefit of the doubt (the
 * docs pair read with GET and manage with writes, but say nothing about manage
 * excluding reads), so the rule stays silent then.
 */
export function scopeVerdict(required: readonly string[], have: readonly string[], call: OktaCall, claims: Record<string, unknown>): ScopeVerdict {
  const set = new Set(have);
  for (const r of required) if (set.has(r)) return { ok: true, via: "exact" };
  for (const r of required) {
    const m = /^(okta\..+)\.read$/.exec(r);
    if (m && set.has(`${m[1]}.manage`)) return { ok: true, via: "manage-implies-read" };
  }
  for (const r of required) {
    if (r.endsWith(".self")) continue;
    if (set.has(`${r}.self`)) {
      const path = pathOf(call);
      const uid = typeof claims.uid === "string" ? claims.uid : undefined;
      const segs = path.split("/");
      if (segs.includes("me") || (uid !== undefined && segs.includes(uid))) return { ok: true, via: "self" };
      return { ok: false, selfOnly: `${r}.self` };
    }
  }
  return { ok: false };
}

/**
 * Endpoints that take only org-authorization-server tokens: every management
 * operation that accepts OAuth, and the end-user /api/v1 endpoints (such as
 * /api/v1/users/me) that accept an org-AS token but no custom-AS one.
 */
export function takesOnlyOrgAsTokens(c: Classification): boolean {
  if (!c.accepts.includes("bearer-org-as") || c.accepts.includes("bearer-custom-as")) return false;
  return c.kind === "management" || c.pathTemplate?.startsWith("/api/v1/") === true;
}

