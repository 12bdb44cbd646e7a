/**
 * Reading errors out of responses: Okta's `{errorCode, errorSummary, …}`
 * bodies, OAuth `error` / `error_description` (JSON, redirect query or
 * fragment, form_post pages, WWW-Authenticate challenges), and
 * WWW-Authenticate parsing itself. Tolerant of HTML, truncated bodies and
 * garbage: a parser that cannot find an error returns null, never throws.
 */
import type { Exchange } from "../model/exchange.js";
import { urlParams } from "../model/params.js";

/** An Okta API error body (`E0000011` style, or an OAuth error in Okta's format). */
export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink?: string;
  errorId?: string;
  /** `errorCauses[].errorSummary`, in order. */
  errorCauses: string[];
}

/** Bodies above this size are only searched near their start. */
const MAX_JSON_PARSE = 64 * 1024;

/**
 * Parse an Okta error body. Accepts JSON (with a BOM or surrounding
 * whitespace), and falls back to pattern matching for truncated JSON or JSON
 * embedded in HTML. Returns null when there is no `errorCode` string.
 */
export function parseOktaError(text: string | undefined, mimeType?: string): OktaErrorBody | null {
  if (!text || !text.includes('"errorCode"')) return null;
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  const jsonish = trimmed.startsWith("{") && (!mimeType || !/html|xml/i.test(mimeType) || trimmed.endsWith("}"));
  if (jsonish && trimmed.length <= MAX_JSON_PARSE) {
    try {
      const v: unknown = JSON.parse(trimmed);
      if (v && typeof v === "object" && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        if (typeof o.errorCode === "string" && o.errorCode !== "") {
          const out: OktaErrorBody = {
            errorCode: o.errorCode,
            errorSummary: typeof o.errorSummary === "string" ? o.errorSummary : "",
            errorCauses: causesOf(o.errorCauses),
          };
          if (typeof o.errorLink === "string" && o.errorLink) out.errorLink = o.errorLink;
          if (typeof o.errorId === "string" && o.errorId) out.errorId = o.errorId;
          return out;
        }
        return null;
      }
    } catch {
      // Fall through to pattern matching (truncated or embedded JSON).
    }
  }
  return scanOktaError(trimmed.length > MAX_JSON_PARSE ? trimmed.slice(0, MAX_JSON_PARSE) : trimmed);
}

function causesOf(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const c of v) {
    if (typeof c === "string") out.push(c);
    else if (c && typeof c === "object" && typeof (c as Record<string, unknown>).errorSummary === "string") {
      out.push((c as Record<string, string>).errorSummary as string);
    }
  }
  return out;
}

const STR = `"((?:[^"\\\\]|\\\\.)*)"`;
const fieldRe = (name: string) => new RegExp(`"${name}"\\s*:\\s*${STR}`);
const ERROR_CODE_RE = fieldRe("errorCode");
const ERROR_SUMMARY_RE = fieldRe("errorSummary");
const ERROR_LINK_RE = fieldRe("errorLink");
const ERROR_ID_RE = fieldRe("errorId");
const ERROR_CAUSES_RE = /"errorCauses"\s*:\s*\[([\s\S]*?)\]/;
const CAUSE_SUMMARY_RE = new RegExp(`"errorSummary"\\s*:\\s*${STR}`, "g");

function unescapeJson(s: string): string {
  if (!s.includes("\\")) return s;
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

function scanOktaError(text: string): OktaErrorBody | null {
  const code = ERROR_CODE_RE.exec(text)?.[1];
  if (!code) return null;
  const out: OktaErrorBody = {
    errorCode: unescapeJson(code),
    errorSummary: unescapeJson(ERROR_SUMMARY_RE.exec(text)?.[1] ?? ""),
    errorCauses: [],
  };
  const link = ERROR_LINK_RE.exec(text)?.[1];
  if (link) out.errorLink = unescapeJson(link);
  const id = ERROR_ID_RE.exec(text)?.[1];
  if (id) out.errorId = unescapeJson(id);
  const causes = ERROR_CAUSES_RE.exec(text)?.[1];
  if (causes) for (const m of causes.matchAll(CAUSE_SUMMARY_RE)) out.errorCauses.push(unescapeJson(m[1] ?? ""));
  return out;
}

// ---------------------------------------------------------------------------
// WWW-Authenticate
// ---------------------------------------------------------------------------

export interface AuthChallenge {
  /** The scheme as written (`Bearer`, `DPoP`, `Basic`). */
  scheme: string;
  /** Parameters by lower-cased name, quoted strings unescaped. */
  params: Record<string, string>;
  /** A token68 credential/challenge (`Negotiate abc==`), when the challenge carries one instead of params. */
  token68?: string;
}

const TCHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Parse a WWW-Authenticate (or Proxy-Authenticate) value into its challenges
 * (RFC 9110 §11.6.1): several challenges separated by commas, auth-params
 * with token or quoted-string values (backslash escapes), or a token68.
 * Malformed parts are skipped rather than failing the whole header.
 */
export function parseWwwAuthenticate(value: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  const n = value.length;
  let i = 0;
  let current: AuthChallenge | null = null;

  const skipSpaces = () => {
    while (i < n && (value[i] === " " || value[i] === "\t")) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && TCHAR.test(value[i] as string)) i++;
    return value.slice(start, i);
  };
  const readQuoted = (): string => {
    // value[i] === '"'
    i++;
    let s = "";
    while (i < n) {
      const c = value[i] as string;
      if (c === "\\" && i + 1 < n) {
        s += value[i + 1];
        i += 2;
      } else if (c === '"') {
        i++;
        break;
      } else {
        s += c;
        i++;
      }
    }
    return s;
  };

  while (i < n) {
    // Separators between params and challenges.
    while (i < n && (value[i] === "," || value[i] === " " || value[i] === "\t" || value[i] === "\r" || value[i] === "\n")) i++;
    if (i >= n) break;
    const tokStart = i;
    const tok = readToken();
    if (!tok) {
      i++; // not a token character: skip it
      continue;
    }
    const save = i;
    skipSpaces();
    if (current && value[i] === "=") {
      // auth-param
      i++;
      skipSpaces();
      let v: string;
      if (value[i] === '"') v = readQuoted();
      else {
        const start = i;
        while (i < n && value[i] !== "," && value[i] !== " " && value[i] !== "\t") i++;
        v = value.slice(start, i);
      }
      current.params[tok.toLowerCase()] = v;
      continue;
    }
    // A new challenge: `tok` is its scheme.
    i = save;
    current = { scheme: value.slice(tokStart, save), params: {} };
    out.push(current);
    skipSpaces();
    const m = TOKEN68.exec(value.slice(i));
    if (m) {
      const after = i + m[0].length;
      let j = after;
      while (j < n && (value[j] === " " || value[j] === "\t")) j++;
      // token68 only when it is all the challenge holds (`realm=x` continues, `abc==` ends).
      if (j >= n || value[j] === ",") {
        current.token68 = m[0];
        i = after;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// OAuth errors
// ---------------------------------------------------------------------------

export type OAuthErrorLocation = "json" | "query" | "fragment" | "www-authenticate" | "form_post" | "request-query";

export interface OAuthErrorInfo {
  error: string;
  description?: string;
  /** `error_uri`, when given. */
  uri?: string;
  where: OAuthErrorLocation;
  /** For `www-authenticate`: the challenge scheme and its parameters (scope, resource, realm…). */
  challenge?: AuthChallenge;
}

/** The pieces of a response that may carry an OAuth error, when there is no Exchange. */
export interface OAuthErrorSource {
  body?: string;
  mimeType?: string;
  /** Redirect target (`Location`). */
  location?: string;
  wwwAuthenticate?: string | readonly string[];
  /** URL of the request (an app callback receiving `?error=…`). */
  requestUrl?: string;
}

const OAUTH_ERROR_VALUE = /^[a-z][a-z0-9_]{1,79}$/;

function isExchange(x: Exchange | OAuthErrorSource): x is Exchange {
  return typeof (x as Exchange).request === "object" && typeof (x as Exchange).response === "object";
}

/**
 * Find an OAuth error in a response (or its pieces). In order: a JSON body
 * with `error`, a WWW-Authenticate challenge with `error`, the redirect
 * `Location` query then fragment, a `response_mode=form_post` HTML page, and
 * finally the request's own query (an app callback receiving `?error=`).
 * For an Exchange, bodies of 2xx responses above 16 KiB are not searched.
 */
export function parseOAuthError(input: Exchange | OAuthErrorSource): OAuthErrorInfo | null {
  let src: OAuthErrorSource;
  let requestQuery: { name: string; value: string }[] | undefined;
  if (isExchange(input)) {
    const body = input.response.body;
    src = {
      location: input.response.redirectURL || input.response.headers.get("location"),
      wwwAuthenticate: input.response.headers.getAll("www-authenticate"),
    };
    const text = scannableBody(input);
    if (text !== undefined) src.body = text;
    if (body?.mimeType !== undefined) src.mimeType = body.mimeType;
    requestQuery = input.request.query.length ? input.request.query : urlParams(input.request.rawUrl, "query");
  } else {
    src = input;
    if (input.requestUrl) requestQuery = urlParams(input.requestUrl, "query");
  }

  const fromJson = src.body ? oauthFromJson(src.body) : null;
  if (fromJson) return fromJson;

  const www = typeof src.wwwAuthenticate === "string" ? [src.wwwAuthenticate] : (src.wwwAuthenticate ?? []);
  for (const h of www) {
    for (const ch of parseWwwAuthenticate(h)) {
      const error = ch.params.error;
      if (error) {
        const out: OAuthErrorInfo = { error, where: "www-authenticate", challenge: ch };
        if (ch.params.error_description) out.description = ch.params.error_description;
        if (ch.params.error_uri) out.uri = ch.params.error_uri;
        return out;
      }
    }
  }

  if (src.location && src.location.includes("error=")) {
    const q = fromParams(urlParams(src.location, "query"), "query");
    if (q) return q;
    const f = fromParams(urlParams(src.location, "fragment"), "fragment");
    if (f) return f;
  }

  if (src.body && src.body.includes("error") && (!src.mimeType || /html/i.test(src.mimeType))) {
    const fp = oauthFromFormPost(src.body);
    if (fp) return fp;
  }

  if (requestQuery && requestQuery.length) {
    const names = new Set(requestQuery.map((p) => p.name));
    if (names.has("error") && (names.has("state") || names.has("error_description"))) {
      const r = fromParams(requestQuery, "request-query");
      if (r) return r;
    }
  }
  return null;
}

function oauthFromJson(text: string): OAuthErrorInfo | null {
  if (!text.includes('"error"')) return null;
  const t = text.replace(/^\uFEFF/, "").trim();
  if (!t.startsWith("{") || t.length > MAX_JSON_PARSE) return null;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return null;
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.error !== "string" || !OAUTH_ERROR_VALUE.test(o.error)) return null;
  const out: OAuthErrorInfo = { error: o.error, where: "json" };
  if (typeof o.error_description === "string") out.description = o.error_description;
  if (typeof o.error_uri === "string") out.uri = o.error_uri;
  return out;
}

function fromParams(params: { name: string; value: string }[], where: OAuthErrorLocation): OAuthErrorInfo | null {
  const error = params.find((p) => p.name === "error")?.value;
  if (!error || !OAUTH_ERROR_VALUE.test(error)) return null;
  const out: OAuthErrorInfo = { error, where };
  const d = params.find((p) => p.name === "error_description")?.value;
  if (d) out.description = d;
  const u = params.find((p) => p.name === "error_uri")?.value;
  if (u) out.uri = u;
  return out;
}

const INPUT_RE = /<input\b[^>]*>/gi;
const ATTR_RE = /\b(name|value)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/** `response_mode=form_post` pages: hidden inputs named `error` / `error_description`. */
function oauthFromFormPost(html: string): OAuthErrorInfo | null {
  if (!/name\s*=\s*["']?error["'\s>]/i.test(html)) return null;
  const params: { name: string; value: string }[] = [];
  for (const m of html.slice(0, MAX_JSON_PARSE).matchAll(INPUT_RE)) {
    let name: string | undefined;
    let value = "";
    for (const a of m[0].matchAll(ATTR_RE)) {
      const v = decodeHtml(a[2] ?? a[3] ?? a[4] ?? "");
      if (a[1]?.toLowerCase() === "name") name = v;
      else value = v;
    }
    if (name) params.push({ name, value });
  }
  return fromParams(params, "form_post");
}

/** Decode the HTML entities Okta's pages use (`&#39;`, `&#x27;`, `&quot;`, `&amp;`). */
export function decodeHtml(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (_m, e: string) => {
    const l = e.toLowerCase();
    if (l === "amp") return "&";
    if (l === "lt") return "<";
    if (l === "gt") return ">";
    if (l === "quot") return '"';
    if (l === "apos") return "'";
    const cp = l.startsWith("#x") ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10);
    return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : _m;
  });
}

/** Successful responses above this size are not searched for errors (error bodies and form_post pages are small). */
const MAX_SUCCESS_BODY_SCAN = 16 * 1024;

/** The response body text worth searching for an error, or undefined. */
function scannableBody(ex: Exchange): string | undefined {
  const text = ex.response.body?.text;
  if (text === undefined) return undefined;
  const ok = ex.response.status >= 200 && ex.response.status < 300;
  return ok && text.length > MAX_SUCCESS_BODY_SCAN ? undefined : text;
}

// ---------------------------------------------------------------------------
// Whole exchange
// ---------------------------------------------------------------------------

export interface ExchangeError {
  /** HTTP status of the response (0 when none was received). */
  status: number;
  /** The most specific code found: Okta's `errorCode`, else the OAuth `error`. */
  code: string;
  /** Okta's `errorSummary` or the OAuth `error_description`, when given. */
  summary?: string;
  okta?: OktaErrorBody;
  oauth?: OAuthErrorInfo;
}

/**
 * The error an exchange's response carries, if any: an Okta error body
 * and/or an OAuth error (both are kept when both are present, e.g. a 403
 * `E0000006` body with a `WWW-Authenticate: Bearer error="insufficient_scope"`).
 * Bodies of 2xx responses above 16 KiB are not searched.
 */
export function errorFromExchange(ex: Exchange): ExchangeError | null {
  const body = ex.response.body;
  const okta = parseOktaError(scannableBody(ex), body?.mimeType);
  const oauth = parseOAuthError(ex);
  if (!okta && !oauth) return null;
  const out: ExchangeError = { status: ex.response.status, code: okta?.errorCode ?? oauth?.error ?? "" };
  const summary = okta?.errorSummary || oauth?.description;
  if (summary) out.summary = summary;
  if (okta) out.okta = okta;
  if (oauth) out.oauth = oauth;
  return out;
}
