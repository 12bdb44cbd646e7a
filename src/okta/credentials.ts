/**
 * Credentials as they appear on the wire: the `Authorization` header, JWTs,
 * SSWS API tokens, and the one-time tokens of Okta's sign-in flows
 * (sessionToken, cookieToken, stateToken, interaction_code, ...).
 *
 * Everything here is pure and cheap. Values returned by these functions are
 * raw secrets: callers must pass them through `mask.ts` before printing.
 */
import type { Exchange } from "../model/exchange.js";
import { decodeParamString, urlParams } from "../model/params.js";

// ---------------------------------------------------------------------------
// SSWS API token shape
// ---------------------------------------------------------------------------

const SSWS_SHAPE = /^00[A-Za-z0-9_-]{40}$/;

/**
 * True when `s` has the shape of an Okta SSWS API token: `00` followed by 40 of
 * `[A-Za-z0-9_-]` (42 characters). Classic `stateToken` values and some
 * `sessionToken` values share this shape, so the shape alone never proves an
 * API token: decide by where the value was found.
 */
export function isSswsTokenShape(s: string): boolean {
  return s.length === 42 && SSWS_SHAPE.test(s);
}

/** Okta OAuth client ids: `0oa` followed by 17 alphanumerics. */
export function isOktaClientId(s: string): boolean {
  return s.length === 20 && /^0oa[A-Za-z0-9]{17}$/.test(s);
}

// ---------------------------------------------------------------------------
// JWT
// ---------------------------------------------------------------------------

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** False for unsecured JWTs (`header.claims.` with an empty third part). */
  signaturePresent: boolean;
}

const B64URL = /^[A-Za-z0-9_\-+/]+={0,2}$/;

function decodeB64Json(part: string): Record<string, unknown> | null {
  if (part.length < 4 || !B64URL.test(part)) return null;
  // Node's base64url decoder accepts both alphabets and ignores padding.
  let text: string;
  try {
    text = Buffer.from(part, "base64url").toString("utf8");
  } catch {
    return null;
  }
  const t = text.trimStart();
  if (!t.startsWith("{")) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Decode a compact JWS (`header.payload.signature`) without verifying it.
 * Tolerates base64 padding and the standard base64 alphabet. Returns null for
 * anything that is not a JWT with a JSON header carrying `alg` and a JSON
 * object payload (JWEs, with five parts, return null too).
 */
export function decodeJwt(token: string): DecodedJwt | null {
  const t = token.trim();
  // A JSON object header always base64-encodes to a first character `e` ("{" = 0x7B).
  if (t.length < 16 || t.charCodeAt(0) !== 101 /* e */) return null;
  const first = t.indexOf(".");
  if (first < 0) return null;
  const second = t.indexOf(".", first + 1);
  if (second < 0 || t.indexOf(".", second + 1) >= 0) return null;
  const header = decodeB64Json(t.slice(0, first));
  if (!header || typeof header.alg !== "string") return null;
  const claims = decodeB64Json(t.slice(first + 1, second));
  if (!claims) return null;
  const sig = t.slice(second + 1);
  if (sig !== "" && !B64URL.test(sig)) return null;
  return { header, claims, signaturePresent: sig !== "" };
}

export interface JwtIssuerInfo {
  /** Origin of the issuer, e.g. `https://example.okta.com` (may be a custom URL domain). */
  orgUrl: string;
  authorizationServer: { type: "org" | "custom"; id?: string };
}

/**
 * Which Okta authorization server issued a token, from its `iss` claim:
 * `https://{org}` is the org authorization server, `https://{org}/oauth2/{id}`
 * a custom one (`default` or an `aus…` id). Null when `iss` is missing or has
 * another shape (not an Okta issuer as far as the path tells).
 */
export function jwtIssuerInfo(claims: Record<string, unknown>): JwtIssuerInfo | null {
  const iss = claims.iss;
  if (typeof iss !== "string") return null;
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "") return { orgUrl: url.origin, authorizationServer: { type: "org" } };
  const m = /^\/oauth2\/([^/]+)$/.exec(path);
  if (m?.[1]) return { orgUrl: url.origin, authorizationServer: { type: "custom", id: decodeURIComponent(m[1]) } };
  return null;
}

const ACCESS_TYP = new Set(["application/okta-internal-at+jwt", "at+jwt", "application/at+jwt"]);

/**
 * Whether a JWT is an access token or an ID token, from Okta's conventions:
 * access tokens carry `scp` or `cid`, `jti` `AT.…`, or `typ` `at+jwt` /
 * `application/okta-internal-at+jwt`; ID tokens carry `jti` `ID.…`, `nonce`,
 * `at_hash`, or an `aud` that is an Okta client id with no `scp`.
 */
export function jwtKind(claims: Record<string, unknown>, header: Record<string, unknown> = {}): "access" | "id" | "unknown" {
  const typ = typeof header.typ === "string" ? header.typ.toLowerCase() : "";
  if (ACCESS_TYP.has(typ)) return "access";
  const jti = typeof claims.jti === "string" ? claims.jti : "";
  if (jti.startsWith("AT.")) return "access";
  if (jti.startsWith("ID.")) return "id";
  if ("scp" in claims || "cid" in claims) return "access";
  if ("at_hash" in claims || "nonce" in claims || "c_hash" in claims) return "id";
  if (typeof claims.aud === "string" && isOktaClientId(claims.aud) && typeof claims.sub === "string" && "iss" in claims) {
    return "id";
  }
  return "unknown";
}

/** Scopes of an access token: Okta's `scp` array (or space-separated string), else RFC 9068 `scope`. */
export function jwtScopes(claims: Record<string, unknown>): string[] {
  const v = claims.scp ?? claims.scope;
  if (Array.isArray(v)) return v.filter((s): s is string => typeof s === "string");
  if (typeof v === "string") return v.split(/\s+/).filter(Boolean);
  return [];
}

/** True when the token is DPoP-bound (`cnf.jkt` present). */
export function isDpopBound(claims: Record<string, unknown>): boolean {
  const cnf = claims.cnf;
  return cnf !== null && typeof cnf === "object" && typeof (cnf as Record<string, unknown>).jkt === "string";
}

// ---------------------------------------------------------------------------
// Authorization header
// ---------------------------------------------------------------------------

export type SchemeKey = "ssws" | "bearer" | "dpop" | "basic" | "other" | "none";
export type TokenKind = "ssws-token" | "jwt" | "opaque" | "basic-credentials" | "empty";

export type AuthorizationProblemCode =
  | "quoted"
  | "whitespace"
  | "doubled-scheme"
  | "missing-scheme"
  | "unknown-scheme"
  | "lowercase-scheme"
  | "scheme-colon"
  | "header-name-in-value"
  | "jwt-with-ssws"
  | "api-token-as-bearer"
  | "invalid-basic"
  | "dpop-token-as-bearer"
  | "bearer-token-as-dpop"
  | "id-token-as-bearer"
  | "empty-token";

export interface AuthorizationProblem {
  code: AuthorizationProblemCode;
  /** `error`: the credential as sent is malformed or in the wrong scheme; `info`: legal but unusual. */
  level: "error" | "info";
  /** Specific, secret-free explanation. */
  detail: string;
}

export interface AuthorizationInfo {
  /** The header value exactly as captured (a secret: mask before printing). */
  raw: string;
  /** The scheme as written (`Bearer`, `bearer`, `SSWS`...); empty when there is none. */
  scheme: string;
  schemeKey: SchemeKey;
  /**
   * The credential after the scheme, trimmed, with a repeated scheme and
   * surrounding quotes removed (`problems` records what was removed).
   */
  token: string;
  tokenKind: TokenKind;
  jwt?: DecodedJwt;
  /**
   * Basic credentials: the user part only; the password is never kept.
   * `clientIdOnly`: base64 of a bare identifier with no colon and no secret,
   * which is how a public OAuth client (okta-auth-js's revoke and introspect
   * for an SPA) names itself at the endpoints that take client authentication.
   */
  basic?: BasicCredential;
  problems: AuthorizationProblem[];
}

export interface BasicCredential {
  /** `client_id` (or user name) as decoded. */
  user: string;
  /** A non-empty password (client secret) follows the colon. */
  hasPassword: boolean;
  /** No colon at all: the credential is a bare client id (a public client identifying itself), not `client_id:client_secret`. */
  clientIdOnly?: true;
}

const KNOWN_SCHEMES: Record<string, SchemeKey> = { ssws: "ssws", bearer: "bearer", dpop: "dpop", basic: "basic" };
const CANONICAL: Record<string, string> = { ssws: "SSWS", bearer: "Bearer", dpop: "DPoP", basic: "Basic" };

/** Parse an `Authorization` (or `Proxy-Authorization`) header value and report how it is malformed. */
export function parseAuthorization(value: string): AuthorizationInfo {
  const problems: AuthorizationProblem[] = [];
  const add = (code: AuthorizationProblemCode, level: "error" | "info", detail: string) => {
    if (!problems.some((p) => p.code === code)) problems.push({ code, level, detail });
  };

  if (/[\r\n]/.test(value)) {
    add("whitespace", "error", "The value contains a line break; the token was probably read from a file or variable with its trailing newline.");
  } else if (value !== value.trim()) {
    add("whitespace", "error", "The value has leading or trailing whitespace; trim the token before building the header.");
  }

  let rest = value.trim();
  if (/^(?:proxy-)?authorization\s*:/i.test(rest)) {
    add("header-name-in-value", "error", "The value starts with the header name (`Authorization: …`); the name was pasted into the value.");
    rest = rest.replace(/^(?:proxy-)?authorization\s*:\s*/i, "");
  }

  const result: AuthorizationInfo = { raw: value, scheme: "", schemeKey: "none", token: "", tokenKind: "empty", problems };
  if (rest === "") {
    add("empty-token", "error", "The Authorization header is empty.");
    return result;
  }

  const m = /^(\S+)(\s*)([\s\S]*)$/.exec(rest);
  let word = m?.[1] ?? rest;
  const gap = m?.[2] ?? "";
  let after = m?.[3] ?? "";

  let colon = false;
  if (word.endsWith(":") && KNOWN_SCHEMES[word.slice(0, -1).toLowerCase()]) {
    colon = true;
    word = word.slice(0, -1);
  }
  const key = KNOWN_SCHEMES[word.toLowerCase()];

  if (key) {
    result.scheme = word;
    result.schemeKey = key;
    if (colon) add("scheme-colon", "error", `The scheme is followed by a colon (\`${word}: …\`); write \`${CANONICAL[key]} <token>\`.`);
    if (word !== CANONICAL[key]) {
      add(
        "lowercase-scheme",
        "info",
        `The scheme is written \`${word}\`. Schemes are case-insensitive in HTTP, but Okta documents it as \`${CANONICAL[key]}\`; some proxies and libraries compare it case-sensitively.`,
      );
    }
    if (gap.length > 1 || /[\t\r\n]/.test(gap)) add("whitespace", "error", "More than one space (or a tab/newline) separates the scheme from the token.");
  } else if (after === "") {
    // A bare credential: no scheme at all.
    result.schemeKey = "none";
    after = word;
    add("missing-scheme", "error", "The header holds a bare credential with no scheme; Okta expects `SSWS <api token>`, `Bearer <access token>` or `DPoP <access token>`.");
  } else {
    result.scheme = word;
    result.schemeKey = "other";
    add("unknown-scheme", "error", `The scheme \`${word.slice(0, 20)}\` is not one Okta accepts (SSWS, Bearer, DPoP, or Basic at OAuth endpoints).`);
  }

  let token = after.trim();
  // Doubled scheme: `Bearer Bearer …`, `SSWS SSWS …`, `Bearer SSWS …`.
  const dm = /^(\S+?):?\s+([\s\S]*)$/.exec(token);
  if (dm?.[1] && KNOWN_SCHEMES[dm[1].toLowerCase()] && result.schemeKey !== "none") {
    const inner = dm[1];
    add("doubled-scheme", "error", `The scheme appears twice (\`${result.scheme} ${inner} …\`); the second \`${inner}\` is sent as part of the token.`);
    token = (dm[2] ?? "").trim();
  }

  const q = token[0];
  if ((q === '"' || q === "'") && token.length >= 2) {
    add("quoted", "error", "The token is wrapped in quotes; the quotes are sent as part of the credential.");
    token = token.slice(1, token.endsWith(q) ? -1 : undefined).trim();
  } else if (token.length >= 2 && (token.endsWith('"') || token.endsWith("'"))) {
    add("quoted", "error", "The token ends with a stray quote character.");
    token = token.slice(0, -1);
  }
  if (/\s/.test(token)) add("whitespace", "error", "The token contains whitespace; only one token may follow the scheme.");

  result.token = token;
  if (token === "") {
    add("empty-token", "error", `The \`${result.scheme}\` scheme is followed by no token (an unset variable?).`);
    result.tokenKind = "empty";
    return result;
  }

  if (result.schemeKey === "basic") {
    result.tokenKind = "basic-credentials";
    const decoded = decodeBasic(token);
    if (decoded) result.basic = decoded;
    else add("invalid-basic", "error", "The Basic credential is not base64 of `user:password`.");
    return result;
  }

  if (isSswsTokenShape(token)) {
    result.tokenKind = "ssws-token";
    if (result.schemeKey === "bearer" || result.schemeKey === "dpop") {
      add(
        "api-token-as-bearer",
        "error",
        `An SSWS API token (42 characters, starting \`00\`) is sent with the \`${result.scheme}\` scheme; API tokens only work as \`SSWS <token>\`.`,
      );
    }
    return result;
  }

  const jwt = decodeJwt(token);
  if (jwt) {
    result.tokenKind = "jwt";
    result.jwt = jwt;
    if (result.schemeKey === "ssws") {
      add("jwt-with-ssws", "error", "A JWT (an OAuth access or ID token) is sent with the `SSWS` scheme; Okta answers 401 E0000011. Send access tokens as `Bearer <token>` (or `DPoP` when DPoP-bound).");
    } else if (result.schemeKey === "bearer" || result.schemeKey === "dpop") {
      const bound = isDpopBound(jwt.claims);
      if (result.schemeKey === "bearer" && bound) {
        add("dpop-token-as-bearer", "error", "The access token is DPoP-bound (`cnf.jkt`) but sent with the `Bearer` scheme; it must be sent as `DPoP <token>` with a `DPoP` proof header.");
      } else if (result.schemeKey === "dpop" && !bound && jwtKind(jwt.claims, jwt.header) === "access") {
        add("bearer-token-as-dpop", "error", "The `DPoP` scheme is used with an access token that is not DPoP-bound (no `cnf.jkt`); send it as `Bearer <token>`.");
      }
      if (jwtKind(jwt.claims, jwt.header) === "id") {
        add("id-token-as-bearer", "error", "The token is an ID token (it proves a sign-in to the client), not an access token; APIs expect an access token.");
      }
    }
    return result;
  }

  result.tokenKind = "opaque";
  return result;
}

/**
 * A bare client id as public clients send it in Basic: one printable word with
 * no colon. An API token or a JWT base64-encoded on its own is not a client id.
 */
function isBareClientId(text: string): boolean {
  return /^[\x21-\x39\x3b-\x7e]{1,128}$/.test(text) && !isSswsTokenShape(text) && decodeJwt(text) === null;
}

/**
 * Decode `base64(user:password)`. Also `base64(client_id)` with no colon:
 * okta-auth-js authenticates a public client (no secret) at /revoke and
 * /introspect that way, and Okta accepts it; it is marked `clientIdOnly`.
 * Null for anything else (not base64, binary, whitespace, a token).
 */
function decodeBasic(token: string): BasicCredential | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) return null;
  const text = Buffer.from(token, "base64").toString("utf8");
  // Reject binary garbage: Basic credentials are printable text.
  if (text.includes("\uFFFD") || /[\x00-\x1f\x7f]/.test(text)) return null;
  const i = text.indexOf(":");
  if (i < 0) return isBareClientId(text) ? { user: text, hasPassword: false, clientIdOnly: true } : null;
  return { user: text.slice(0, i), hasPassword: i < text.length - 1 };
}

// ---------------------------------------------------------------------------
// One-time tokens in requests and responses
// ---------------------------------------------------------------------------

export type OneTimeTokenKind =
  | "sessionToken"
  | "cookieToken"
  /** The `token` parameter of /login/sessionCookieRedirect: a sessionToken or a cookieToken. */
  | "sessionRedirectToken"
  | "stateToken"
  | "stateHandle"
  | "interaction_handle"
  | "interaction_code"
  | "authorization_code"
  | "activationToken"
  | "recoveryToken";

export type OneTimeTokenLocation = "request.query" | "request.body" | "response.body" | "response.redirect";

export interface OneTimeToken {
  kind: OneTimeTokenKind;
  /** The raw value (a secret: mask before printing). */
  value: string;
  where: OneTimeTokenLocation;
  /**
   * Where inside: a parameter name for query strings and form bodies (`#name`
   * for a redirect fragment), a JSON path for JSON bodies (`$.sessionToken`),
   * and for a URL inside JSON the path plus the parameter (`$.cookieTokenUrl?token`).
   */
  path: string;
}

/** JSON keys and query/form parameters that carry one-time tokens under their own name. */
const NAMED_KEYS: Record<string, OneTimeTokenKind> = {
  sessionToken: "sessionToken",
  cookieToken: "cookieToken",
  stateToken: "stateToken",
  stateHandle: "stateHandle",
  interaction_handle: "interaction_handle",
  interaction_code: "interaction_code",
  activationToken: "activationToken",
  recoveryToken: "recoveryToken",
};
const NAMED_KEY_RE = /"(?:sessionToken|cookieToken|stateToken|stateHandle|interaction_handle|interaction_code|activationToken|recoveryToken)"\s*:/;
/** JSON string values that may be URLs carrying tokens in their query string. */
const URL_KEY_RE = /"(?:cookieTokenUrl|redirectUrl|href|url|redirect_uri|location)"\s*:\s*"https?:[^"]*[?&#](?:token|sessionToken|cookieToken|stateToken|code|interaction_code)=/i;

/** Bodies larger than this are not parsed for tokens (Okta flow responses are small). */
const MAX_BODY_SCAN = 256 * 1024;

/**
 * Find Okta one-time tokens in an exchange: request query and body (form or
 * JSON), response body (JSON, including URLs such as `cookieTokenUrl` and
 * `redirectUrl`), and the redirect `Location`. The kind comes from the name
 * the value was found under (and, for `token` / `code`, the endpoint), never
 * from the value's shape.
 */
export function findOneTimeTokens(ex: Exchange): OneTimeToken[] {
  const out: OneTimeToken[] = [];
  const push = (kind: OneTimeTokenKind, value: string, where: OneTimeTokenLocation, path: string) => {
    if (value === "" || value === "null") return;
    if (out.some((t) => t.kind === kind && t.value === value && t.where === where && t.path === path)) return;
    out.push({ kind, value, where, path });
  };

  const req = ex.request;
  const reqPath = req.url?.pathname ?? pathOf(req.rawUrl);

  // Request query string.
  const query = req.query.length ? req.query : urlParams(req.rawUrl, "query");
  const queryKinds = paramKinds(reqPath, query, false);
  for (const p of query) {
    const kind = queryKinds(p.name);
    if (kind) push(kind, p.value, "request.query", p.name);
  }

  // Request body.
  const body = req.body;
  if (body) {
    const form = formParams(body.mimeType, body.params, body.text);
    if (form) {
      const kinds = paramKinds(reqPath, form, true);
      for (const p of form) {
        const kind = kinds(p.name);
        if (kind) push(kind, p.value, "request.body", p.name);
      }
    } else if (body.text) {
      scanJson(body.text, "request.body", push);
    }
  }

  // Response body.
  const resBody = ex.response.body;
  if (resBody?.text) scanJson(resBody.text, "response.body", push);

  // Redirect target.
  const location = ex.response.redirectURL || ex.response.headers.get("location");
  if (location) scanRedirect(location, push);

  return out;
}

type Push = (kind: OneTimeTokenKind, value: string, where: OneTimeTokenLocation, path: string) => void;

function pathOf(url: string): string {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/?#]*)?([^?#]*)/i.exec(url);
  return m?.[1] ?? "";
}

function formParams(
  mimeType: string,
  params: { name: string; value: string }[] | undefined,
  text: string | undefined,
): { name: string; value: string }[] | null {
  if (params && params.length) return params;
  if (text && /x-www-form-urlencoded/i.test(mimeType)) return decodeParamString(text.trim());
  return null;
}

/**
 * The kind of a query/form parameter: named keys everywhere; `token` at
 * /login/sessionCookieRedirect; `code` only where it is an authorization code
 * (an OAuth redirect with `state`, or a token request with
 * `grant_type=authorization_code`).
 */
function paramKinds(
  path: string,
  params: { name: string; value: string }[],
  isBody: boolean,
): (name: string) => OneTimeTokenKind | undefined {
  const names = new Set(params.map((p) => p.name));
  const grant = params.find((p) => p.name === "grant_type")?.value;
  const codeIsAuthCode = isBody ? grant === "authorization_code" : names.has("state") && !names.has("error");
  const sessionRedirect = /\/login\/sessionCookieRedirect$/i.test(path);
  return (name) => {
    const k = NAMED_KEYS[name];
    if (k) return k;
    if (name === "token" && sessionRedirect) return "sessionRedirectToken";
    if (name === "code" && codeIsAuthCode) return "authorization_code";
    return undefined;
  };
}

function scanRedirect(location: string, push: Push): void {
  if (!location.includes("?") && !location.includes("#")) return;
  const lpath = pathOf(location);
  const q = urlParams(location, "query");
  const qk = paramKinds(lpath, q, false);
  for (const p of q) {
    const kind = qk(p.name);
    if (kind) push(kind, p.value, "response.redirect", p.name);
  }
  const f = urlParams(location, "fragment");
  const fk = paramKinds(lpath, f, false);
  for (const p of f) {
    const kind = fk(p.name);
    if (kind) push(kind, p.value, "response.redirect", "#" + p.name);
  }
}

function scanJson(text: string, where: OneTimeTokenLocation, push: Push): void {
  if (text.length > MAX_BODY_SCAN) return;
  // Cheap substring checks first; the regexes only run on bodies that may hold tokens.
  const named = (text.includes('Token"') || text.includes('stateHandle"') || text.includes('interaction_')) && NAMED_KEY_RE.test(text);
  const urls = (text.includes("oken=") || text.includes("code=")) && URL_KEY_RE.test(text);
  if (!named && !urls) return;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return;
  }
  walk(root, "$", 0);

  function walk(v: unknown, path: string, depth: number): void {
    if (depth > 32 || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
      return;
    }
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      const p = /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
      if (typeof val === "string") {
        const kind = NAMED_KEYS[k];
        if (kind) push(kind, val, where, p);
        else if (urls && /^https?:/i.test(val) && (val.includes("?") || val.includes("#"))) scanUrlValue(val, p);
      } else if (val && typeof val === "object") {
        walk(val, p, depth + 1);
      }
    }
  }

  function scanUrlValue(url: string, path: string): void {
    const upath = pathOf(url);
    for (const part of ["query", "fragment"] as const) {
      const ps = urlParams(url, part);
      const kinds = paramKinds(upath, ps, false);
      for (const p of ps) {
        const kind = kinds(p.name);
        if (kind) push(kind, p.value, where, `${path}${part === "query" ? "?" : "#"}${p.name}`);
      }
    }
  }
}
