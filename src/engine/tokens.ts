/**
 * The token index: every token Okta issued in a capture, and every JWT whose
 * `iss` is an Okta org or authorization server, followed to the requests that
 * carry it on hosts that are not Okta's (the app's own APIs, websockets,
 * third parties). Tokens are indexed by a hash of their value, and only the
 * non-Okta calls that carry an Okta token are kept, so a big capture keeps
 * what the rules need and nothing else.
 */
import { createHash } from "node:crypto";
import type { Exchange } from "../model/exchange.js";
import { decodeParamString, urlParams } from "../model/params.js";
import { siteOf } from "../model/site.js";
import { decodeJwt, isOktaClientId, jwtIssuerInfo, jwtKind, parseAuthorization, type AuthorizationInfo, type DecodedJwt } from "../okta/credentials.js";

/** What kind of Okta token a value is. */
export type OktaTokenKind = "access" | "id" | "refresh" | "jwt";
/** Where a request carried a token. */
export type TokenPosition = "header" | "query" | "fragment" | "body" | "cookie";

/** An Okta token a request carried (the raw value: mask before printing). */
export interface CarriedToken {
  kind: OktaTokenKind;
  position: TokenPosition;
  /** Header, parameter or cookie name (`authorization`, `access_token`, `okta-token-storage`). */
  name: string;
  value: string;
  /** The decoded JWT (unverified), when the token is one. */
  jwt?: DecodedJwt;
  /** Entry whose response issued the token, when the capture shows it. */
  issuedAt?: number;
  /** The issuer's origin (`https://acme.okta.com`), for JWTs. */
  issuerOrigin?: string;
}

/** How oktalint decided whose host a call went to. */
export type HostRole = "app" | "third-party";

/** A call to a host that is not Okta's, carrying an Okta token. */
export interface ForeignCall {
  exchange: Exchange;
  /** Lower-case host name (no port). */
  host: string;
  /** Host and port as sent (`api.example.com`, `127.0.0.1:8081`). */
  authority: string;
  /** The parsed Authorization header, when there is one. */
  authorization?: AuthorizationInfo;
  tokens: CarriedToken[];
  /** Whose host this is (decided over the whole capture; see `decideRoles`). */
  role: HostRole;
  /** Why: `page origin https://app.example.com`, `answered the token with WWW-Authenticate: Bearer`, … */
  roleEvidence: string;
  /** True when the capture shows which hosts are the app's (page origins, redirect URIs): a host outside them is then surely not the app's. */
  appKnown: boolean;
}

/** A short, non-reversible key for a token value. */
export function tokenHash(value: string): string {
  return createHash("sha256").update(value).digest("base64url").slice(0, 22);
}

interface Issued {
  kind: OktaTokenKind;
  entry: number;
}

const JWT_IN_TEXT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const ISSUED_FIELDS: readonly [string, OktaTokenKind][] = [["access_token", "access"], ["id_token", "id"], ["refresh_token", "refresh"]];
/** Request bodies of non-Okta calls are looked at up to this size (a token in a beacon or a form). */
export const MAX_FOREIGN_BODY = 64 * 1024;
/** Kept calls per host, token and path (repeats beyond are counted, not kept). */
const MAX_PER_KEY = 20;
/** Kept non-Okta calls in all. */
const MAX_FOREIGN = 20_000;

function kindOfJwt(jwt: DecodedJwt): OktaTokenKind {
  const k = jwtKind(jwt.claims, jwt.header);
  return k === "unknown" ? "jwt" : k;
}

/** Registrable domain (eTLD+1) of a host name: `api.shop.example.co.uk` → `example.co.uk` (see src/model/site.ts). */
export const registrableDomain = siteOf;

function hostOfUrl(value: string): string | undefined {
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:" ? u.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** Analytics, ad and tag hosts: a token sent there is surely a leak. */
const TRACKERS = /(?:^|\.)(?:google-analytics\.com|googletagmanager\.com|doubleclick\.net|googlesyndication\.com|analytics\.google\.com|segment\.(?:io|com)|mixpanel\.com|amplitude\.com|hotjar\.com|fullstory\.com|facebook\.(?:com|net)|clarity\.ms|heapanalytics\.com|newrelic\.com|nr-data\.net|datadoghq\.com|sentry\.io|logrocket\.(?:io|com)|bugsnag\.com)$/;

export function isKnownTracker(host: string): boolean {
  return TRACKERS.test(host);
}

/**
 * Follows Okta's tokens through a capture, one exchange at a time. Okta calls
 * tell it which tokens Okta issued and which hosts are the app's (redirect
 * URIs); every other exchange is looked at for a token, and kept only when it
 * carries one.
 */
export class TokenIndex {
  private readonly issued = new Map<string, Issued>();
  /** Hosts the capture shows are the app's, with the first reason seen. */
  private readonly appHosts = new Map<string, string>();
  /** The origin each app host was learnt from (an Okta-hosted page, such as the sign-in widget on the org, is no app host). */
  private readonly appOrigins = new Map<string, string>();
  /** Hosts (authority) that answered an Okta token as an API does, with the reason. */
  private readonly answered = new Map<string, string>();
  private readonly kept: ForeignCall[] = [];
  private readonly perKey = new Map<string, number>();
  /** Calls that carried a token but were not kept (past the bounds). */
  dropped = 0;

  /** Learn from an Okta call: the tokens its response issued, the app hosts its parameters name. */
  addOkta(ex: Exchange): void {
    this.learnPage(ex);
    for (const p of ex.request.query) this.learnRedirect(p.name, p.value);
    for (const p of ex.request.body?.params ?? []) this.learnRedirect(p.name, p.value);
    const res = ex.response;
    if (res.status >= 200 && res.status < 300) {
      const text = res.body?.text;
      if (text && text.includes("_token")) {
        if (/json/i.test(res.body!.mimeType) || text.trimStart().startsWith("{")) {
          try {
            const o = JSON.parse(text) as unknown;
            if (o && typeof o === "object" && !Array.isArray(o)) {
              for (const [field, kind] of ISSUED_FIELDS) {
                const v = (o as Record<string, unknown>)[field];
                if (typeof v === "string" && v !== "") this.issue(v, kind, ex.index);
              }
            }
          } catch {
            /* not JSON after all */
          }
        } else {
          // response_mode=form_post: hidden inputs of the page Okta returns.
          for (const m of text.matchAll(/name=["'](access_token|id_token|refresh_token)["'][^>]*?value=["']([^"']+)["']/g)) {
            const kind = ISSUED_FIELDS.find(([f]) => f === m[1])![1];
            this.issue(m[2]!, kind, ex.index);
          }
        }
      }
    }
    const location = res.redirectURL || res.headers.get("location");
    if (location && location.includes("_token=")) {
      for (const part of ["fragment", "query"] as const) {
        for (const p of urlParams(location, part)) {
          const kind = ISSUED_FIELDS.find(([f]) => f === p.name)?.[1];
          if (kind && p.value) this.issue(p.value, kind, ex.index);
        }
      }
    }
  }

  private issue(value: string, kind: OktaTokenKind, entry: number): void {
    const key = tokenHash(value);
    if (!this.issued.has(key)) this.issued.set(key, { kind, entry });
  }

  private learnRedirect(name: string, value: string): void {
    if (name !== "redirect_uri" && name !== "post_logout_redirect_uri") return;
    const host = hostOfUrl(value);
    if (host && !this.appHosts.has(host)) {
      this.appHosts.set(host, `${name} ${new URL(value).origin}`);
      this.appOrigins.set(host, new URL(value).origin);
    }
  }

  /** The page a browser call came from (Origin, else Referer): the app's own origin. */
  private learnPage(ex: Exchange): void {
    if (ex.sender.kind !== "browser") return;
    const origin = ex.request.headers.get("origin");
    const referer = ex.request.headers.get("referer");
    const page = origin && origin !== "null" ? origin : referer;
    if (!page) return;
    const host = hostOfUrl(page);
    if (host && !this.appHosts.has(host)) {
      this.appHosts.set(host, `page origin ${new URL(page).origin}`);
      this.appOrigins.set(host, new URL(page).origin);
    }
  }

  /**
   * Look at an exchange to a host that is not (known as) Okta's: keep it when
   * it carries an Okta token. `isOktaIssuer` says whether a JWT's issuer
   * origin is an Okta org (decided again at the end, when every Okta host is known).
   */
  addForeign(ex: Exchange, host: string, authority: string): void {
    this.learnPage(ex);
    const tokens = this.tokensOf(ex);
    if (tokens.length === 0) return;
    if (this.kept.length >= MAX_FOREIGN) {
      this.dropped++;
      return;
    }
    const path = ex.request.url?.pathname ?? "";
    const key = `${authority}\0${path}\0${ex.response.status}\0${tokens.map((t) => tokenHash(t.value)).join(",")}`;
    const n = this.perKey.get(key) ?? 0;
    if (n >= MAX_PER_KEY) {
      this.dropped++;
      return;
    }
    this.perKey.set(key, n + 1);
    // Bodies are not needed past this point: drop a response body's text (the API's JSON), keep the request's (where a token may sit).
    const resBody = ex.response.body;
    if (resBody?.text !== undefined) {
      const { text: _dropped, ...rest } = resBody;
      ex.response.body = { ...rest, omitted: "policy" };
    }
    const call: ForeignCall = { exchange: ex, host, authority, tokens, role: "third-party", roleEvidence: "", appKnown: false };
    const auth = ex.request.headers.get("authorization");
    if (auth !== undefined) call.authorization = parseAuthorization(auth);
    this.kept.push(call);
  }

  /** Okta tokens (issued in the capture, or JWTs with an Okta-shaped issuer) an exchange's request carries. */
  tokensOf(ex: Exchange): CarriedToken[] {
    const out: CarriedToken[] = [];
    const seen = new Set<string>();
    const consider = (value: string, position: TokenPosition, name: string, named?: OktaTokenKind): void => {
      if (value.length < 16 || seen.has(`${position}\0${value}`)) return;
      const issued = this.issued.size > 0 ? this.issued.get(tokenHash(value)) : undefined;
      const jwt = value.charCodeAt(0) === 101 ? decodeJwt(value) : null;
      if (!issued && !jwt) return;
      let issuerOrigin: string | undefined;
      if (jwt) {
        const info = jwtIssuerInfo(jwt.claims);
        if (!info && !issued) return;
        if (info) issuerOrigin = info.orgUrl;
      }
      seen.add(`${position}\0${value}`);
      const t: CarriedToken = { kind: issued?.kind ?? (jwt ? kindOfJwt(jwt) : (named ?? "jwt")), position, name, value };
      if (jwt) t.jwt = jwt;
      if (issued) t.issuedAt = issued.entry;
      if (issuerOrigin) t.issuerOrigin = issuerOrigin;
      out.push(t);
    };
    const scanText = (text: string, position: TokenPosition, name: string): void => {
      if (!text.includes("eyJ")) return;
      for (const m of text.matchAll(JWT_IN_TEXT)) consider(m[0], position, name);
    };
    for (const h of ex.request.headers) {
      const n = h.name.toLowerCase();
      if (n === "authorization") {
        const v = h.value.trim().replace(/^\S+\s+/, "").replace(/^"|"$/g, "");
        consider(v, "header", "authorization");
        scanText(h.value, "header", "authorization");
      } else if (n !== "cookie" && n !== "referer") scanText(h.value, "header", n);
    }
    for (const p of ex.request.query) {
      consider(p.value, "query", p.name);
      scanText(p.value, "query", p.name);
    }
    const raw = ex.request.rawUrl;
    const hash = raw.indexOf("#");
    if (hash >= 0) for (const p of urlParams(raw, "fragment")) consider(p.value, "fragment", p.name);
    for (const c of ex.request.cookies) {
      consider(c.value, "cookie", c.name);
      scanText(decodeSafe(c.value), "cookie", c.name);
    }
    const body = ex.request.body;
    if (body?.text !== undefined && body.text.length <= MAX_FOREIGN_BODY) {
      const params = body.params ?? (/x-www-form-urlencoded/i.test(body.mimeType) ? decodeParamString(body.text) : undefined);
      for (const p of params ?? []) consider(p.value, "body", p.name);
      scanText(body.text, "body", "body");
      if (this.issued.size > 0 && /json/i.test(body.mimeType)) {
        for (const m of body.text.matchAll(/"([A-Za-z0-9_\-.~+/]{20,}=*)"/g)) consider(m[1]!, "body", "body");
      }
    }
    return out;
  }

  /**
   * The kept calls, with the tokens that are Okta's (`isOktaOrigin` judges a
   * JWT's issuer) and each host's role decided over everything seen so far.
   */
  foreignCalls(isOktaOrigin: (origin: string) => boolean): ForeignCall[] {
    const out: ForeignCall[] = [];
    for (const [host, origin] of this.appOrigins) {
      if (!isOktaOrigin(origin)) continue;
      this.appHosts.delete(host);
      this.appOrigins.delete(host);
    }
    for (const call of this.kept) {
      const tokens = call.tokens.filter((t) => t.issuedAt !== undefined || (t.issuerOrigin !== undefined && isOktaOrigin(t.issuerOrigin)) || (t.jwt !== undefined && oktaShaped(t.jwt)));
      if (tokens.length === 0) continue;
      if (tokens.length !== call.tokens.length) call.tokens = tokens;
      out.push(call);
    }
    // Hosts that answered an Okta token as a resource server does.
    for (const call of out) {
      if (this.answered.has(call.authority)) continue;
      // Only a token sent as a credential (Authorization) makes the answer a resource server's: a beacon that answers JSON to a token in its body is still a tracker.
      if (!call.tokens.some((t) => t.position === "header" && t.name === "authorization")) continue;
      const res = call.exchange.response;
      const www = res.headers.get("www-authenticate");
      if (www !== undefined && /^\s*(?:Bearer|DPoP)\b/i.test(www)) this.answered.set(call.authority, `answered the token with WWW-Authenticate: ${www.split(/[\s,]/)[0]}`);
      else if (res.status >= 200 && res.status < 300 && /json/i.test(res.body?.mimeType ?? res.headers.get("content-type") ?? "")) this.answered.set(call.authority, `answered the token with HTTP ${res.status} JSON`);
      else {
        // A CORS API that lets the app's page send it an Authorization header (a 204 to a DELETE, say).
        const acao = res.headers.get("access-control-allow-origin");
        const page = acao && acao !== "*" ? hostOfUrl(acao) : undefined;
        if (page && this.appHosts.has(page) && call.authorization !== undefined && res.status >= 200 && res.status < 300) this.answered.set(call.authority, `accepted the token from the app's page (Access-Control-Allow-Origin: ${acao})`);
      }
    }
    const appDomains = new Map<string, string>();
    for (const [h, why] of this.appHosts) if (!appDomains.has(registrableDomain(h))) appDomains.set(registrableDomain(h), `${why}`);
    const appKnown = this.appHosts.size > 0;
    for (const call of out) {
      call.appKnown = appKnown;
      const page = this.appHosts.get(call.host);
      const answered = this.answered.get(call.authority);
      const domain = appDomains.get(registrableDomain(call.host));
      if (isKnownTracker(call.host)) {
        call.role = "third-party";
        call.roleEvidence = "a known analytics or tag host";
      } else if (page) {
        call.role = "app";
        call.roleEvidence = page;
      } else if (answered) {
        call.role = "app";
        call.roleEvidence = answered;
      } else if (domain) {
        call.role = "app";
        call.roleEvidence = `same registrable domain as the ${domain}`;
      } else {
        call.role = "third-party";
        call.roleEvidence = appKnown
          ? `the app's hosts here: ${[...this.appHosts.keys()].slice(0, 3).join(", ")}`
          : "no page origin or redirect URI in the capture names it, and it did not answer the token as an API";
      }
    }
    return out;
  }

  /** The app's hosts the capture names, with why. */
  appHostList(): { host: string; why: string }[] {
    return [...this.appHosts].map(([host, why]) => ({ host, why }));
  }

  /** Forget kept calls before entry `index` (a live session's window). */
  trimBefore(index: number): void {
    let i = 0;
    while (i < this.kept.length && this.kept[i]!.exchange.index < index) i++;
    if (i > 0) this.kept.splice(0, i);
  }
}

/** A JWT Okta minted, by its own marks even when no call to its org is in the capture: an `/oauth2/{id}` issuer with Okta's `jti` prefix or an Okta client id in `cid`. */
function oktaShaped(jwt: DecodedJwt): boolean {
  const info = jwtIssuerInfo(jwt.claims);
  if (!info) return false;
  const jti = typeof jwt.claims.jti === "string" ? jwt.claims.jti : "";
  const cid = typeof jwt.claims.cid === "string" ? jwt.claims.cid : "";
  return /^(?:AT|ID)\./.test(jti) || isOktaClientId(cid);
}

function decodeSafe(v: string): string {
  if (!v.includes("%")) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
