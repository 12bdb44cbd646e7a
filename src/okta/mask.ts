/**
 * Secret masking: the one place every output (reporters, evidence snippets,
 * the CLI, trace logs) goes through before printing a credential.
 *
 * Rules:
 *  - values under 12 characters are fully hidden: `••• (6 chars)`;
 *  - longer values show at most a quarter of their characters, and never more
 *    than the first 4 and last 3: `00Ab…X9z (42 chars)`;
 *  - JWTs show their header and claims (personal claims masked), never the
 *    signature: `JWT {"alg":"RS256"} . {"iss":"…","scp":["…"]} (signature removed)`;
 *  - masking only ever hides more; unknown input passes through unchanged only
 *    when nothing in it looks like a secret.
 */
import { isEmptyCookieValue } from "./cookies.js";
import { decodeJwt, isOktaClientId, isSswsTokenShape, parseAuthorization } from "./credentials.js";
import { splitSetCookieHeader } from "../model/cookies.js";
import { decodeParamPart } from "../model/params.js";

const DOTS = "•••";
const ELLIPSIS = "…";

function chars(value: string): string[] | null {
  // Fast path for ASCII (every token we meet); code points otherwise.
  return /^[\x00-\x7f]*$/.test(value) ? null : Array.from(value);
}

/**
 * A JWT in one line: `eyJr… (JWT, exp 2026-11-21T11:00:00Z)`. Its length and
 * last characters are not shown: they change when a capture is redacted (the
 * signature becomes a marker) and say nothing a reader can use, while `exp`
 * (or `iat`) survives redaction, tells two tokens apart and dates the token.
 */
function maskJwtShort(value: string): string | null {
  if (value.length < 16 || !value.startsWith("eyJ")) return null;
  const jwt = decodeJwt(value);
  if (!jwt) return null;
  const when = (key: "exp" | "iat") => {
    const v = jwt.claims[key];
    return typeof v === "number" && Number.isFinite(v) && Math.abs(v) < 1e11 ? `, ${key} ${new Date(v * 1000).toISOString().replace(".000Z", "Z")}` : undefined;
  };
  return `${value.slice(0, 4)}${ELLIPSIS} (JWT${when("exp") ?? when("iat") ?? ""}${jwt.signaturePresent ? "" : ", unsigned"})`;
}

/**
 * How many leading and trailing characters `maskSecret` shows of an n-character value (none under 12).
 * Redaction markers keep exactly these characters and the length, so a message quoting a redacted
 * value masks it as it masked the original.
 */
export function maskShown(n: number): { head: number; tail: number } {
  if (n < 12) return { head: 0, tail: 0 };
  const shown = Math.min(7, Math.floor(n / 4));
  const head = Math.min(4, Math.ceil(shown / 2));
  return { head, tail: shown - head };
}

/** Mask any secret value: `00Ab…X9z (42 chars)`, `••• (6 chars)`, `(empty)`; a JWT as `eyJr… (JWT, exp …)`. */
export function maskSecret(value: string): string {
  const short = maskJwtShort(value);
  if (short !== null) return short;
  const cp = chars(value);
  const n = cp ? cp.length : value.length;
  if (n === 0) return "(empty)";
  const count = `(${n} ${n === 1 ? "char" : "chars"})`;
  if (n < 12) return `${DOTS} ${count}`;
  const { head, tail } = maskShown(n);
  const h = cp ? cp.slice(0, head).join("") : value.slice(0, head);
  const t = cp ? cp.slice(n - tail).join("") : value.slice(n - tail);
  return `${h}${ELLIPSIS}${t} ${count}`;
}

/** Fully hide a personal value (email, name, phone): `••• (17 chars)`. */
export function maskPersonal(value: string): string {
  const n = Array.from(value).length;
  return `${DOTS} (${n} ${n === 1 ? "char" : "chars"})`;
}

/** Claims that identify a person; their values are always hidden. */
const PERSONAL_CLAIMS = new Set([
  "email",
  "name",
  "given_name",
  "family_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "phone_number",
  "address",
  "birthdate",
  "login",
  "upn",
  "unique_name",
  "username",
]);
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** Header fields of a JWK that identify the key without being bulky. */
const JWK_KEEP = new Set(["kty", "crv", "alg", "kid", "use"]);

function shortString(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, Math.floor(max * 0.6))}${ELLIPSIS} (${s.length} chars)`;
}

function maskClaimValue(key: string, v: unknown, depth: number): unknown {
  if (typeof v === "string") {
    if (PERSONAL_CLAIMS.has(key) || EMAIL_RE.test(v)) return maskPersonal(v);
    if (isSswsTokenShape(v) || decodeJwt(v)) return maskSecret(v);
    return shortString(v, 100);
  }
  if (Array.isArray(v)) {
    const items = v.slice(0, 20).map((x) => maskClaimValue(key, x, depth + 1));
    if (v.length > 20) items.push(`${ELLIPSIS} (+${v.length - 20} more)`);
    return items;
  }
  if (v !== null && typeof v === "object") {
    if (depth > 3) return `{${ELLIPSIS}}`;
    if (PERSONAL_CLAIMS.has(key)) return `{${DOTS}}`;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = maskClaimValue(k, x, depth + 1);
    return out;
  }
  return v;
}

function maskHeaderObject(header: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(header)) {
    if (k === "jwk" && v && typeof v === "object" && !Array.isArray(v)) {
      const jwk: Record<string, unknown> = {};
      for (const [jk, jv] of Object.entries(v as Record<string, unknown>)) {
        jwk[jk] = JWK_KEEP.has(jk) && typeof jv === "string" ? jv : ELLIPSIS;
      }
      out[k] = jwk;
    } else {
      out[k] = maskClaimValue(k, v, 1);
    }
  }
  return out;
}

/**
 * Show a JWT without its signature and with personal claims hidden:
 * `JWT {"alg":"RS256","kid":"k1"} . {"iss":"https://x.okta.com","scp":["okta.users.read"]} (signature removed)`.
 * Anything that does not decode as a JWT is masked with `maskSecret`.
 */
export function maskJwt(token: string): string {
  const jwt = decodeJwt(token);
  if (!jwt) return maskSecret(token);
  const header = JSON.stringify(maskHeaderObject(jwt.header));
  const claims: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(jwt.claims)) claims[k] = maskClaimValue(k, v, 1);
  return `JWT ${header} . ${JSON.stringify(claims)} ${jwt.signaturePresent ? "(signature removed)" : "(unsigned)"}`;
}

/** Mask a value that may be a JWT (shown decoded) or any other secret. */
export function maskToken(value: string): string {
  return decodeJwt(value) ? maskJwt(value) : maskSecret(value);
}

/** Show `\r`, `\n`, `\t` and other control characters visibly, so whitespace problems stay visible. */
function visibleControls(s: string): string {
  if (!/[\x00-\x1f\x7f]/.test(s)) return s;
  return s.replace(/[\x00-\x1f\x7f]/g, (c) =>
    c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

function maskBasicToken(token: string, basic: { user: string; hasPassword: boolean; clientIdOnly?: true } | undefined): string {
  if (!basic) return maskSecret(token);
  // A client id is public; any other user name may identify a person.
  const user = isOktaClientId(basic.user) ? basic.user : maskPersonal(basic.user);
  if (basic.clientIdOnly) return `${user} (client id only, no secret; decoded)`;
  return `${user}:${basic.hasPassword ? DOTS : "(no password)"} (decoded)`;
}

/**
 * Mask an Authorization header value, keeping its shape (scheme, doubled
 * scheme, quotes, whitespace) so the evidence still shows what was wrong:
 * `SSWS 00Ab…X9z (42 chars)`, `Bearer JWT {…} . {…} (signature removed)`,
 * `Basic 0oa1abcdEFGH2345ijkl:••• (decoded)`.
 */
export function maskAuthorization(value: string): string {
  const info = parseAuthorization(value);
  if (info.token === "") return visibleControls(value);
  const masked =
    info.schemeKey === "basic"
      ? maskBasicToken(info.token, info.basic)
      : info.tokenKind === "jwt"
        ? maskJwt(info.token)
        : maskSecret(info.token);
  const i = value.lastIndexOf(info.token);
  const out = i >= 0 ? value.slice(0, i) + masked + value.slice(i + info.token.length) : `${info.scheme} ${masked}`.trim();
  return visibleControls(out);
}

function maskCookieValue(value: string): string {
  return isEmptyCookieValue(value) ? value : maskSecret(value);
}

/** Mask every value of a `Cookie` header: `sid=102x…Q1 (25 chars); DT=••• (9 chars)`. Cleared values stay visible. */
export function maskCookieHeader(value: string): string {
  const parts: string[] = [];
  for (const raw of value.split(";")) {
    const piece = raw.trim();
    if (!piece) continue;
    const eq = piece.indexOf("=");
    if (eq < 0) parts.push(maskCookieValue(piece));
    else parts.push(`${piece.slice(0, eq).trim()}=${maskCookieValue(piece.slice(eq + 1).trim())}`);
  }
  return visibleControls(parts.join("; "));
}

/** Mask the value of a `Set-Cookie` header; attributes stay verbatim. Folded multi-cookie values stay one per line. */
export function maskSetCookie(value: string): string {
  return splitSetCookieHeader(value)
    .map((line) => {
      const semi = line.indexOf(";");
      const first = semi < 0 ? line : line.slice(0, semi);
      const attrs = semi < 0 ? "" : line.slice(semi);
      const eq = first.indexOf("=");
      const pair = eq < 0 ? maskCookieValue(first.trim()) : `${first.slice(0, eq).trim()}=${maskCookieValue(first.slice(eq + 1).trim())}`;
      return visibleControls(pair + attrs);
    })
    .join("\n");
}

/** Query / fragment / form parameters whose values are secrets (compared lower-case). */
const SENSITIVE_PARAMS = new Set([
  "token",
  "sessiontoken",
  "cookietoken",
  "statetoken",
  "statehandle",
  "code",
  "state",
  "nonce",
  "access_token",
  "id_token",
  "refresh_token",
  "client_secret",
  "password",
  "client_assertion",
  "code_verifier",
  "interaction_code",
  "interaction_handle",
  "activationtoken",
  "recoverytoken",
  "assertion",
  "subject_token",
  "actor_token",
  "device_code",
  "user_code",
  "otp",
  "passcode",
  "samlresponse",
  "id_token_hint",
  "login_hint",
  "api_key",
  "apikey",
  "secret",
  "x-amz-signature",
  "x-amz-security-token",
  "sig",
  "signature",
]);

function maskParamString(s: string, depth: number): string {
  if (!s.includes("=")) return s;
  return s
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair;
      const name = pair.slice(0, eq);
      const raw = pair.slice(eq + 1);
      if (raw === "") return pair;
      const value = decodeParamPart(raw);
      if (SENSITIVE_PARAMS.has(decodeParamPart(name).toLowerCase())) return `${name}=${maskToken(value)}`;
      if (isSswsTokenShape(value) || decodeJwt(value)) return `${name}=${maskToken(value)}`;
      if (depth < 3 && /^https?:\/\//i.test(value) && /[?#@]/.test(value)) {
        const inner = maskUrlAt(value, depth + 1);
        if (inner !== value) return `${name}=${inner}`;
      }
      return pair;
    })
    .join("&");
}

/**
 * Okta routes whose next path segment is a one-time token: `/welcome/<activationToken>`,
 * `/signin/reset-password/<recoveryToken>`, `/reset_password/<token>`, `/authn/recovery/token/<token>`
 * (`$1` the route, `$2` the token). Shared with `oktalint redact`.
 */
export const TOKEN_PATH_RE =
  /(\/(?:welcome|signin\/reset-password|signin\/unlock|reset_password|reset-password|authn\/recovery\/token|activate)\/)([A-Za-z0-9_~.%-]{8,})(?=$|[/?#;&"'\s<>\\])/g;

/** Path segments shaped like an SSWS token / Classic state or session token, or a JWT. */
const PATH_SECRET_RE = /(?<=\/)(?:00[A-Za-z0-9_-]{40}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)(?=$|[/?#;])/g;

function maskUrlAt(url: string, depth: number): string {
  if (url.includes("/00") || url.includes("/eyJ")) url = url.replace(PATH_SECRET_RE, (m) => maskSecret(m));
  if (url.includes("/")) url = url.replace(TOKEN_PATH_RE, (m, route: string, tok: string) => (isMaskedValue(tok) ? m : route + maskSecret(decodeParamPart(tok))));
  if (!url.includes("?") && !url.includes("#") && !url.includes("@")) return url;
  let rest = url;
  let fragment = "";
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query = "";
  const q = rest.indexOf("?");
  let hasQuery = false;
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
    hasQuery = true;
  }
  // userinfo: scheme://user:password@host
  rest = rest.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@:]*):([^/@]*)@/i, (_m, scheme: string, user: string, pw: string) =>
    pw === "" ? _m : `${scheme}${user}:${DOTS}@`,
  );
  let out = rest;
  if (hasQuery) out += "?" + maskParamString(query, depth);
  if (hash >= 0) out += "#" + maskParamString(fragment, depth);
  return out;
}

/**
 * Mask the values of sensitive query and fragment parameters (tokens, codes,
 * secrets, passwords, hints), URL passwords, and values shaped like SSWS
 * tokens or JWTs. Nested redirect URLs (`redirectUrl=https%3A…`) are masked
 * too and then shown decoded. The result is for display, not for requests.
 */
export function maskUrl(url: string): string {
  return visibleControls(maskUrlAt(url, 0));
}

/** Headers whose whole value is a secret. */
const SECRET_HEADERS = new Set([
  "x-api-key",
  "api-key",
  "apikey",
  "x-auth-token",
  "x-access-token",
  "x-csrf-token",
  "x-xsrf-token",
  "x-okta-xsrftoken",
  "x-amz-security-token",
  "x-goog-api-key",
  "private-token",
]);
const URL_HEADERS = new Set(["location", "referer", "content-location", "x-forwarded-url", "x-original-url"]);

/**
 * Mask one header by name: Authorization and Proxy-Authorization, Cookie,
 * Set-Cookie, DPoP proofs, known token headers, URLs in Location/Referer; any
 * other header passes through except for values that look like secrets.
 */
export function maskHeader(name: string, value: string): string {
  const n = name.toLowerCase();
  switch (n) {
    case "authorization":
    case "proxy-authorization":
      return maskAuthorization(value);
    case "cookie":
      return maskCookieHeader(value);
    case "set-cookie":
      return maskSetCookie(value);
    case "dpop":
      return maskToken(value.trim());
  }
  if (SECRET_HEADERS.has(n)) return maskSecret(value);
  if (URL_HEADERS.has(n)) return maskUrl(value);
  return maskText(value);
}

// ---------------------------------------------------------------------------
// Free text
// ---------------------------------------------------------------------------

/** JSON keys whose string values are secrets (matched case-insensitively). */
const SECRET_KEYS =
  "password|newPassword|oldPassword|passCode|answer|client_secret|clientSecret|secret|apiToken|api_token|token|sessionToken|cookieToken|stateToken|stateHandle|activationToken|recoveryToken|access_token|accessToken|id_token|idToken|refresh_token|refreshToken|device_code|interaction_code|interaction_handle|code_verifier|client_assertion|assertion|subject_token|actor_token|private_key|otp|SAMLResponse";
const JSON_PAIR_RE = new RegExp(`"(${SECRET_KEYS}|authorization|proxy-authorization)"(\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, "gi");
/** Okta's credential objects: `"password":{"value":"…"}`. */
const JSON_PASSWORD_VALUE_RE = /("password"\s*:\s*\{\s*"value"\s*:\s*)"((?:[^"\\]|\\.)*)"/gi;
const FORM_PAIR_RE = new RegExp(`(^|[?&#;\\s])(${SECRET_KEYS}|code)=([^&\\s#;"'<>]+)`, "gi");
const AUTH_LINE_RE = /\b((?:proxy-)?authorization)(\s*:[ \t]*)([^\r\n'"]+)/gi;
const COOKIE_LINE_RE = /\b(set-cookie|cookie)(\s*:[ \t]*)([^\r\n'"]+)/gi;
const SCHEME_RE =
  /\b(SSWS|Bearer|DPoP)([ \t]+)(?:"([^"\s]{16,})"|([^\s"',;<>]{16,}))|\b(Basic)([ \t]+)([A-Za-z0-9+/_-]{6,}={0,2})(?![A-Za-z0-9+/=_-])/gi;
const JWT_RE = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const SSWS_RE = /(?<![A-Za-z0-9_-])00[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])/g;
/** One cheap scan that rules out most texts with nothing to mask. */
const ANY_RE = new RegExp(
  `ssws|bearer|dpop|basic|authorization|eyJ|00[A-Za-z0-9_-]{40}|cookie|"(?:${SECRET_KEYS})"|(?:${SECRET_KEYS}|code)=|/(?:welcome|signin|reset|authn|activate)|://[^\\s/@]*:[^\\s/@]*@`,
  "i",
);

function isMaskedValue(s: string): boolean {
  return s.includes(ELLIPSIS) || s.includes(DOTS) || s.includes("oktalint-redacted");
}
const isMasked = (s: string) => s.includes(ELLIPSIS) || s.includes(DOTS) || s === "(empty)";
/** Escape a replacement that lands inside a JSON string literal. */
const inJsonString = (s: string) => JSON.stringify(s).slice(1, -1);

/**
 * Mask secrets inside arbitrary text (bodies, evidence snippets, curl
 * commands): `"password":"…"`-style JSON pairs, `client_secret=…`-style form
 * pairs, Cookie/Set-Cookie lines, `SSWS`/`Bearer`/`DPoP`/`Basic` credentials,
 * JWTs, and bare SSWS-shaped tokens. Returns the input unchanged (same string)
 * when nothing looks secret.
 */
export function maskText(text: string): string {
  if (text.length < 6 || !ANY_RE.test(text)) return text;
  // In a JSON document, credentials can only sit inside string literals: keep them valid.
  const first = text.trimStart()[0];
  const esc = first === "{" || first === "[" ? inJsonString : (s: string) => s;
  let out = text;
  if (out.includes('"')) {
    out = out.replace(JSON_PASSWORD_VALUE_RE, (_m, pre: string, v: string) => `${pre}"${isMasked(v) ? v : inJsonString(maskPersonal(v))}"`);
    out = out.replace(JSON_PAIR_RE, (m, key: string, sep: string, v: string) => {
      if (v === "" || isMasked(v)) return m;
      const raw = v.includes("\\") ? safeJsonUnescape(v) : v;
      const masked = /^(?:proxy-)?authorization$/i.test(key)
        ? maskAuthorization(raw)
        : /pass|answer|otp|secret/i.test(key)
          ? maskPersonal(raw)
          : maskToken(raw);
      return `"${key}"${sep}"${inJsonString(masked)}"`;
    });
  }
  if (out.includes("=")) {
    out = out.replace(FORM_PAIR_RE, (m, lead: string, key: string, v: string) => {
      if (isMasked(v)) return m;
      const raw = decodeParamPart(v);
      const masked = /pass|answer|otp|secret/i.test(key) ? maskPersonal(raw) : maskToken(raw);
      return `${lead}${key}=${esc(masked)}`;
    });
  }
  if (/authorization\s*:/i.test(out)) {
    out = out.replace(AUTH_LINE_RE, (m, name: string, sep: string, v: string) => (isMasked(v) ? m : `${name}${sep}${esc(maskAuthorization(v))}`));
  }
  if (/cookie/i.test(out)) {
    out = out.replace(COOKIE_LINE_RE, (m, name: string, sep: string, v: string) => {
      if (!v.includes("=")) return m;
      return `${name}${sep}${name.toLowerCase() === "set-cookie" ? maskSetCookie(v) : maskCookieHeader(v)}`;
    });
  }
  out = out.replace(SCHEME_RE, (m, s1: string, sp1: string, quoted: string | undefined, bare: string | undefined, s2: string, sp2: string, basic: string | undefined, offset: number, whole: string) => {
    // `name="value"` after a scheme is a challenge parameter (WWW-Authenticate), not a credential.
    const paramForm = (tok: string) => tok.endsWith("=") && whole[offset + m.length] === '"';
    if (basic !== undefined) {
      const info = parseAuthorization(`Basic ${basic}`);
      if (!info.basic && paramForm(basic)) return m;
      // Prose ("Basic authentication") is left alone: mask what decodes to user:password or looks encoded.
      if (!info.basic && !(basic.length >= 12 && /[0-9+/=]/.test(basic))) return m;
      return `${s2}${sp2}${esc(maskBasicToken(basic, info.basic))}`;
    }
    const tok = quoted ?? bare ?? "";
    if (isMasked(tok) || (bare !== undefined && paramForm(bare))) return m;
    return quoted !== undefined ? `${s1}${sp1}"${esc(maskToken(tok))}"` : `${s1}${sp1}${esc(maskToken(tok))}`;
  });
  if (out.includes("eyJ")) {
    out = out.replace(JWT_RE, (m, offset: number, whole: string) => {
      const masked = maskToken(m);
      return whole[offset - 1] === '"' ? inJsonString(masked) : esc(masked);
    });
  }
  out = out.replace(SSWS_RE, (m) => maskSecret(m));
  // Okta's one-time tokens in URL paths and passwords in URLs (a command line, a log line).
  if (out.includes("/")) out = out.replace(TOKEN_PATH_RE, (m, route: string, tok: string) => (isMaskedValue(tok) ? m : route + esc(maskSecret(decodeParamPart(tok)))));
  if (out.includes("@")) {
    out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:"'<>]*):([^\s/@"'<>]+)@/gi, (m, scheme: string, user: string, pw: string) => (isMaskedValue(pw) ? m : `${scheme}${user}:${DOTS}@`));
  }
  return out;
}

function safeJsonUnescape(v: string): string {
  try {
    return JSON.parse(`"${v}"`) as string;
  } catch {
    return v;
  }
}
