/**
 * Helpers shared by the OAuth-protocol rules (group C): request parameters of
 * /authorize and /token calls, client authentication, scopes, redirect
 * targets and the authorization server a call talks to. Everything is pure and
 * cheap; values returned here may be secrets and must be masked before they
 * reach a finding.
 */
import type { OktaCall } from "../src/engine/capture.js";
import type { Exchange } from "../src/model/exchange.js";
import { decodeJwt, isOktaClientId, type DecodedJwt } from "../src/okta/credentials.js";
import { maskSecret, maskToken } from "../src/okta/mask.js";
import { decodeParamPart, decodeParamString, urlParams, type Param } from "../src/model/params.js";
import type { ExchangeError } from "../src/okta/errors.js";
import { authOf, errorOf } from "./util.js";

/** Where a parameter was found: the URL query, the form (or JSON) body, or a redirect target. */
export type ParamSource = "query" | "body";

export interface LocatedParam extends Param {
  source: ParamSource;
  /** JSON path inside the entry: `request.queryString[2]`, `request.postData.params[1]`, `request.postData`. */
  path: string;
}

/**
 * Query parameters of the request, decoded from the URL itself (producers
 * disagree on whether HAR `queryString` values are percent-decoded), else the
 * HAR `queryString` decoded once.
 */
export function queryOf(ex: Exchange): Param[] {
  const cached = queryCache.get(ex);
  if (cached) return cached;
  const out = computeQuery(ex);
  queryCache.set(ex, out);
  return out;
}

const queryCache = new WeakMap<Exchange, Param[]>();

function computeQuery(ex: Exchange): Param[] {
  const fromUrl = urlParams(ex.request.rawUrl, "query");
  if (fromUrl.length > 0 || ex.request.query.length === 0) return fromUrl;
  return ex.request.query.map((p) => ({ name: decodeParamPart(p.name), value: decodeParamPart(p.value) }));
}

const bodyCache = new WeakMap<Exchange, Param[] | null>();

/**
 * Parameters of the request body: form fields (`application/x-www-form-urlencoded`
 * or HAR `postData.params`), or the top-level string fields of a JSON object body
 * (clients that wrongly send JSON to /token). Null when there is no body or the
 * capture left its text out.
 */
export function bodyParamsOf(ex: Exchange): Param[] | null {
  const cached = bodyCache.get(ex);
  if (cached !== undefined) return cached;
  let out: Param[] | null = null;
  const body = ex.request.body;
  if (body) {
    const text = body.text;
    if (text !== undefined && /x-www-form-urlencoded/i.test(body.mimeType)) out = decodeParamString(text.trim());
    else if (body.params && body.params.length > 0) out = body.params.map((p) => ({ name: decodeParamPart(p.name), value: decodeParamPart(p.value) }));
    else if (text !== undefined) {
      const t = text.trim();
      if (t.startsWith("{") && t.length <= 64 * 1024) {
        try {
          const v: unknown = JSON.parse(t);
          if (v && typeof v === "object" && !Array.isArray(v)) {
            out = [];
            for (const [name, value] of Object.entries(v as Record<string, unknown>)) {
              if (typeof value === "string") out.push({ name, value });
            }
          }
        } catch {
          out = null;
        }
      } else if (/^[\w.\-%]+=/.test(t) && !t.includes("\n")) {
        // A form body sent with a wrong or missing Content-Type.
        out = decodeParamString(t);
      } else if (t === "") out = [];
    }
  }
  bodyCache.set(ex, out);
  return out;
}

const paramsCache = new WeakMap<Exchange, LocatedParam[]>();

/** Query and body parameters together, each with its JSON path inside the entry (computed once per exchange). */
export function requestParams(ex: Exchange): LocatedParam[] {
  const cached = paramsCache.get(ex);
  if (cached) return cached;
  const out: LocatedParam[] = [];
  const query = queryOf(ex);
  const harQuery = ex.request.query.length === query.length;
  for (let i = 0; i < query.length; i++) {
    const p = query[i]!;
    out.push({ name: p.name, value: p.value, source: "query", path: harQuery ? `request.queryString[${i}]` : "request.url" });
  }
  const body = bodyParamsOf(ex);
  if (body) {
    const harParams = ex.request.body?.params?.length === body.length;
    for (let i = 0; i < body.length; i++) {
      const p = body[i]!;
      out.push({ name: p.name, value: p.value, source: "body", path: harParams ? `request.postData.params[${i}]` : "request.postData" });
    }
  }
  paramsCache.set(ex, out);
  return out;
}

export function paramValue(params: readonly Param[], name: string): string | undefined {
  return params.find((p) => p.name === name)?.value;
}

export function findParam<P extends Param>(params: readonly P[], name: string): P | undefined {
  return params.find((p) => p.name === name);
}

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

/** The call's parsed error, only looked up when capture building found one (most calls have none). */
export function callError(call: OktaCall): ExchangeError | null {
  return call.errorCode === undefined ? null : errorOf(call);
}

export function isAuthorizeCall(call: OktaCall): boolean {
  return call.classification.operationId === "oauth.authorize";
}

export function isTokenCall(call: OktaCall): boolean {
  return call.classification.operationId === "oauth.token";
}

/** `the org authorization server` / `the custom authorization server "default"`. */
export function serverLabel(call: OktaCall): string {
  const as = call.classification.authorizationServer;
  if (!as) return "the authorization server";
  if (as.type === "org") return "the org authorization server";
  return as.id ? `the custom authorization server "${as.id}"` : "a custom authorization server";
}

/** The redirect target of a response (`Location` or HAR `redirectURL`), with its JSON path. */
export function redirectOf(ex: Exchange): { url: string; path: string } | undefined {
  if (ex.response.redirectURL) return { url: ex.response.redirectURL, path: "response.redirectURL" };
  // Only redirects carry a Location worth reading (and the header scan is the costly part).
  const status = ex.response.status;
  if (status < 300 || status >= 400) return undefined;
  const location = ex.response.headers.get("location");
  if (location !== undefined) return { url: location, path: `response.headers[${ex.response.headers.sourceIndexOf("location")}]` };
  return undefined;
}

/** Split a `scope` / `response_type` value into its words. */
export function words(value: string | undefined): string[] {
  return value ? value.split(/[\s+]+/).filter(Boolean) : [];
}

/** Display a client id: Okta client ids (`0oa…`) are public; anything else is shortened. */
export function clientLabel(id: string | undefined): string {
  if (!id) return "(no client_id)";
  if (isOktaClientId(id)) return id;
  return id.length <= 40 ? id : `${id.slice(0, 24)}… (${id.length} chars)`;
}

// ---------------------------------------------------------------------------
// Client authentication
// ---------------------------------------------------------------------------

export type ClientAuthKind =
  /** `Authorization: Basic base64(client_id:client_secret)` */
  | "client_secret_basic"
  /** `client_secret` in the form body */
  | "client_secret_post"
  /** `client_secret` in the URL query */
  | "client_secret_query"
  /** `client_assertion` signed with the client secret (HS256/384/512) */
  | "client_secret_jwt"
  /** `client_assertion` signed with a private key */
  | "private_key_jwt";

export interface ClientAuth {
  kind: ClientAuthKind;
  /** Masked evidence for this credential. */
  evidence: string;
  /** JSON path inside the entry. */
  path?: string;
  /** The client id it names, when it shows one (Basic user, assertion `iss`/`sub`). */
  clientId?: string;
  assertion?: DecodedJwt;
}

/**
 * Every client credential a request presents (usually one; Okta rejects more
 * than one with `invalid_request`), on the endpoints that authenticate clients
 * (/token, /introspect, /revoke, /par, ...) and /authorize. Basic credentials
 * elsewhere count only when the user is an Okta client id.
 */
export function clientAuthsOf(call: OktaCall): ClientAuth[] {
  const ex = call.exchange;
  const out: ClientAuth[] = [];
  const auth = authOf(call);
  // Where a client credential means client authentication: the OAuth endpoints that take it (and /authorize, where a
  // secret has no business at all). A client_secret field elsewhere (registering a client) is data, not authentication.
  const clientAuthEndpoint = call.classification.accepts.includes("client-auth") || isAuthorizeCall(call);
  // Basic with a client id and no secret (`base64(client_id)`, or `client_id:`) is a public client naming itself, not a credential.
  const idOnly = auth?.basic !== undefined && !auth.basic.hasPassword;
  if (auth?.schemeKey === "basic" && !idOnly && (clientAuthEndpoint || (auth.basic && isOktaClientId(auth.basic.user)))) {
    const user = auth.basic?.user;
    const i = ex.request.headers.sourceIndexOf("authorization");
    // A client id is public; any other user name may identify a person and stays hidden.
    const shown =
      user === undefined
        ? maskSecret(auth.token)
        : `${isOktaClientId(user) ? user : maskSecret(user)}:${auth.basic?.hasPassword ? "•••" : "(no password)"} (decoded)`;
    const a: ClientAuth = { kind: "client_secret_basic", evidence: `Authorization: Basic ${shown}` };
    if (i >= 0) a.path = `request.headers[${i}]`;
    if (user !== undefined && isOktaClientId(user)) a.clientId = user;
    out.push(a);
  }
  if (!clientAuthEndpoint) return out;
  const params = requestParams(ex);
  for (const p of params) {
    if (p.name === "client_secret" && p.value !== "") {
      out.push({
        kind: p.source === "query" ? "client_secret_query" : "client_secret_post",
        evidence: `client_secret=${maskSecret(p.value)} (${p.source === "query" ? "URL query" : "request body"})`,
        path: p.path,
      });
    }
  }
  const assertion = findParam(params, "client_assertion");
  if (assertion && assertion.value !== "") {
    const jwt = decodeJwt(assertion.value);
    const alg = typeof jwt?.header.alg === "string" ? jwt.header.alg : "";
    const a: ClientAuth = {
      kind: /^HS/i.test(alg) ? "client_secret_jwt" : "private_key_jwt",
      evidence: `client_assertion=${maskToken(assertion.value)}`,
      path: assertion.path,
    };
    const iss = jwt?.claims.iss;
    if (typeof iss === "string") a.clientId = iss;
    if (jwt) a.assertion = jwt;
    out.push(a);
  }
  return out;
}

/** The `client_id` a request names (form, query, Basic user or assertion issuer). */
export function clientIdOf(call: OktaCall): string | undefined {
  const params = requestParams(call.exchange);
  const direct = paramValue(params, "client_id");
  if (direct) return direct;
  for (const a of clientAuthsOf(call)) if (a.clientId) return a.clientId;
  const basic = authOf(call)?.basic;
  if (basic && !basic.hasPassword && basic.user !== "") return basic.user;
  return undefined;
}

// ---------------------------------------------------------------------------
// Scopes
// ---------------------------------------------------------------------------

/**
 * Scopes the org authorization server knows besides `okta.*`: the OpenID
 * Connect scopes and Okta's own protocol scopes (developer.okta.com/docs/api/oauth2).
 */
export const ORG_AS_SCOPES: ReadonlySet<string> = new Set([
  "openid",
  "profile",
  "email",
  "address",
  "phone",
  "offline_access",
  "groups",
  "device_sso",
  "interclient_access",
]);

/** `okta.*` scopes that custom authorization servers do grant: the MyAccount API's. */
export function isOktaApiScope(scope: string): boolean {
  return scope.startsWith("okta.") && !scope.startsWith("okta.myAccount.");
}

/** A scope the org authorization server does not know (neither OIDC, Okta protocol, nor okta.*). */
export function isCustomScope(scope: string): boolean {
  return !ORG_AS_SCOPES.has(scope) && !scope.startsWith("okta.");
}

// ---------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------

/** Where a browser request came from: the Origin, or the Referer's origin. */
export function pageOrigin(ex: Exchange): string | undefined {
  const origin = ex.request.headers.get("origin");
  if (origin && origin !== "null") return origin;
  const referer = ex.request.headers.get("referer");
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// okta_post_message answers
// ---------------------------------------------------------------------------

function unescapeJs(s: string): string {
  return s
    .replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\(['"\\/])/g, "$1");
}

const PM_ERROR = /['"]error['"]\s*:\s*['"]([a-z_]{2,80})['"]/;
const PM_DESCRIPTION = /['"]error_description['"]\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/;

/**
 * An OAuth error in an `okta_post_message` page: Okta answers /authorize in a
 * hidden iframe with a small HTML page whose script posts `{error,
 * error_description, state}` to the parent window. parseOAuthError reads
 * redirects and form_post pages, not this one.
 */
export function postMessageError(ex: Exchange): { error: string; description?: string } | undefined {
  const body = ex.response.body;
  const text = body?.text;
  if (!text || text.length > 64 * 1024 || !/html|javascript/i.test(body.mimeType) || !text.includes("postMessage")) return undefined;
  const e = PM_ERROR.exec(text);
  if (!e) return undefined;
  const d = PM_DESCRIPTION.exec(text);
  const description = d ? unescapeJs(d[1] ?? d[2] ?? "") : undefined;
  return description ? { error: e[1]!, description } : { error: e[1]! };
}

/** ` Okta answered invalid_client: "…".` — Okta's descriptions usually end with a period; never add a second one. */
export function answerSentence(error: string, description: string | undefined): string {
  if (!description) return ` Okta answered ${error}.`;
  return ` Okta answered ${error}: "${description}"${/[.!?]$/.test(description) ? "" : "."}`;
}

/** The OAuth error a response carries, wherever Okta put it (JSON, redirect query or fragment, form_post, WWW-Authenticate, okta_post_message). */
export function oauthErrorOf(call: OktaCall): { error: string; description?: string } | undefined {
  const err = callError(call);
  if (err?.oauth && (err.oauth.where !== "json" || call.exchange.response.status >= 400)) return err.oauth.description ? { error: err.oauth.error, description: err.oauth.description } : { error: err.oauth.error };
  if (err?.okta && call.exchange.response.status >= 400) return err.okta.errorSummary ? { error: err.okta.errorCode, description: err.okta.errorSummary } : { error: err.okta.errorCode };
  return postMessageError(call.exchange);
}
