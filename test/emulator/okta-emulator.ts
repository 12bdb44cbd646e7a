/**
 * A loopback Okta org for tests: node:http on 127.0.0.1, ephemeral port.
 *
 * It answers the calls the real Okta SDKs make (Classic authn, sessions, users, groups, org and
 * custom authorization servers) with Okta's status codes, headers and error bodies, so tests can
 * drive `@okta/okta-sdk-nodejs` and `@okta/okta-auth-js` without the network. Error codes and their
 * summaries come from /work/shared/okta/error-codes.tsv and oauth-error-codes.tsv.
 *
 * Tokens it mints are JWT-shaped (RS256 header with kid, real claims) but carry a fake signature:
 * the emulator checks them structurally, never cryptographically.
 */
import { createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent on the request line. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Status the emulator answered with. */
  status: number;
}

export interface EmulatorUser {
  id: string;
  login: string;
  firstName: string;
  lastName: string;
  password: string;
}

export interface EmulatorModes {
  /** Every rate-limited call answers 429 E0000047 with X-Rate-Limit-Remaining: 0. */
  rateLimited: boolean;
  /** Every SSWS token (even the configured one) is rejected with 401 E0000011. */
  tokenRevoked: boolean;
  /** Delay before each response, in milliseconds. */
  delayMs: number;
  /** Every /api/v1 call answers 500 E0000009. */
  serverError: boolean;
}

export interface EmulatorOptions {
  /** The valid SSWS API token (42 chars, `00…`). A fixed fake one by default. */
  apiToken?: string;
  users?: EmulatorUser[];
  /** Default page size of GET /api/v1/users and /api/v1/groups when the caller sends no `limit`. */
  pageSize?: number;
  /** Client id of the service app (org AS, private_key_jwt) and of the web app (custom AS). */
  clientId?: string;
  /** Client secret accepted by the custom AS; always refused by the org AS for client_credentials. */
  clientSecret?: string;
  /** Rate limit ceiling reported in X-Rate-Limit-Limit (per minute). */
  rateLimit?: number;
  /**
   * Browser sign-in (off unless given): the org's Trusted Origins (CORS with credentials for these
   * origins, preflights answered), `GET /login/sessionCookieRedirect` (redeems a sessionToken, sets the
   * `sid` session cookie, redirects), `GET /api/v1/sessions/me` and cookie-authenticated
   * `GET /api/v1/users/me`.
   */
  browser?: EmulatorBrowserOptions;
}

export interface EmulatorBrowserOptions {
  /** Origins allowed to call the API from a page (`http://localhost:5173`). */
  trustedOrigins: string[];
  /** Attributes of the `sid` cookie (default `Path=/; Secure; HttpOnly; SameSite=None`, as Okta sets it). */
  sessionCookieAttributes?: string;
}

export interface OktaEmulator {
  /** `http://127.0.0.1:PORT` with no trailing slash; the org URL and org AS issuer. */
  url: string;
  port: number;
  apiToken: string;
  clientId: string;
  clientSecret: string;
  users: readonly EmulatorUser[];
  /** Every request received, in order. */
  requests: RecordedRequest[];
  setMode(modes: Partial<EmulatorModes>): void;
  /** Mint a JWT-shaped access token (org AS unless `authServer` names a custom AS). */
  mintAccessToken(opts: { scopes: string[]; authServer?: string; expiresInSec?: number; sub?: string }): string;
  close(): Promise<void>;
}

const KID = "emu-kid-1";
const JSON_TYPE = "application/json;charset=UTF-8";

export const DEFAULT_USERS: EmulatorUser[] = [
  ["00ub0oNGTSWTBKOLGLNR", "ada.lovelace@example.com", "Ada", "Lovelace"],
  ["00ub0oNGTSWTBKOLGLNS", "alan.turing@example.com", "Alan", "Turing"],
  ["00ub0oNGTSWTBKOLGLNT", "grace.hopper@example.com", "Grace", "Hopper"],
  ["00ub0oNGTSWTBKOLGLNU", "edsger.dijkstra@example.com", "Edsger", "Dijkstra"],
  ["00ub0oNGTSWTBKOLGLNV", "barbara.liskov@example.com", "Barbara", "Liskov"],
].map(([id, login, firstName, lastName]) => ({
  id: id!, login: login!, firstName: firstName!, lastName: lastName!, password: "Correct-Horse-7",
}));

const GROUPS = [
  { id: "00g1emaKYZTWRYYRRTSK", name: "Everyone", type: "BUILT_IN" },
  { id: "00g1emaKYZTWRYYRRTSL", name: "Engineering", type: "OKTA_GROUP" },
  { id: "00g1emaKYZTWRYYRRTSM", name: "Support", type: "OKTA_GROUP" },
];

/** Okta error summaries used here, verbatim from error-codes.tsv. */
const E = {
  E0000004: [401, "Authentication failed"],
  E0000005: [403, "Invalid session"],
  E0000006: [403, "You do not have permission to perform the requested action"],
  E0000007: [404, "Not found: {0}"],
  E0000003: [400, "The request body was not well-formed."],
  E0000009: [500, "Internal Server Error"],
  E0000011: [401, "Invalid token provided"],
  E0000022: [405, "The endpoint does not support the provided HTTP method"],
  E0000047: [429, "API call exceeded rate limit due to too many requests."],
} as const satisfies Record<string, readonly [number, string]>;
type ErrorCode = keyof typeof E;

const b64url = (v: string | Buffer): string => Buffer.from(v).toString("base64url");
const randomId = (prefix: string, len: number): string =>
  (prefix + randomBytes(len).toString("base64url").replace(/[-_]/g, "x")).slice(0, len);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, ".000Z");

function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as unknown;
    if (typeof header !== "object" || header === null || typeof payload !== "object" || payload === null) return undefined;
    return { header: header as Record<string, unknown>, payload: payload as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

export async function startOktaEmulator(options: EmulatorOptions = {}): Promise<OktaEmulator> {
  const apiToken = options.apiToken ?? "00EmUlAtOr-fAkE-tOkEn-0123456789abcdefghij";
  const users = options.users ?? DEFAULT_USERS;
  const pageSize = options.pageSize ?? 2;
  const clientId = options.clientId ?? "0oaemu1ator2client3d7";
  const clientSecret = options.clientSecret ?? "emulator-client-secret-not-real";
  const rateLimit = options.rateLimit ?? 600;
  const modes: EmulatorModes = { rateLimited: false, tokenRevoked: false, delayMs: 0, serverError: false };
  const requests: RecordedRequest[] = [];
  const sessionTokens = new Map<string, { userId: string; expires: number }>();
  /** Browser sessions by `sid` cookie value. */
  const browserSessions = new Map<string, { id: string; userId: string; created: number; expires: number }>();
  const browser = options.browser;
  let windowStart = Date.now();
  let used = 0;
  let url = "";

  const mintAccessToken: OktaEmulator["mintAccessToken"] = ({ scopes, authServer, expiresInSec = 3600, sub }) => {
    const now = Math.floor(Date.now() / 1000);
    const iss = authServer ? `${url}/oauth2/${authServer}` : url;
    const payload = {
      ver: 1, jti: randomId("AT.", 40), iss, aud: authServer ? "api://default" : url,
      sub: sub ?? clientId, iat: now, exp: now + expiresInSec, cid: clientId, scp: scopes,
    };
    return [b64url(JSON.stringify({ kid: KID, alg: "RS256" })), b64url(JSON.stringify(payload)), b64url(randomBytes(64))].join(".");
  };

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, { "content-type": JSON_TYPE, "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  }
  function oktaError(res: ServerResponse, code: ErrorCode, headers: Record<string, string> = {}, fill?: string): void {
    const [status, summary] = E[code];
    send(res, status, {
      errorCode: code, errorSummary: fill === undefined ? summary : summary.replace("{0}", fill),
      errorLink: code, errorId: randomId("oae", 22), errorCauses: [],
    }, headers);
  }
  function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
    send(res, status, { error, error_description: description }, { "cache-control": "no-store", pragma: "no-cache" });
  }

  /** Rate-limit headers for this request; returns false when the request is over the limit. */
  function rateHeaders(res: ServerResponse): boolean {
    const now = Date.now();
    if (now - windowStart >= 60_000) { windowStart = now; used = 0; }
    used += 1;
    const over = modes.rateLimited || used > rateLimit;
    res.setHeader("x-rate-limit-limit", String(rateLimit));
    res.setHeader("x-rate-limit-remaining", String(over ? 0 : rateLimit - used));
    res.setHeader("x-rate-limit-reset", String(Math.ceil((windowStart + 60_000) / 1000)));
    return !over;
  }

  /**
   * Authenticates a management call. Returns true when allowed; otherwise it has answered.
   * SSWS: only the configured token (and not in tokenRevoked mode). Bearer: an org-AS JWT,
   * unexpired, carrying `scope` or its `.manage` sibling.
   */
  function authorize(req: IncomingMessage, res: ServerResponse, scope: string, resource: string): boolean {
    const auth = req.headers.authorization ?? "";
    const [scheme = "", cred = ""] = auth.split(/\s+/, 2);
    if (!auth) { oktaError(res, "E0000005"); return false; }
    if (scheme === "SSWS") {
      if (cred === apiToken && !modes.tokenRevoked) return true;
      oktaError(res, "E0000011"); return false;
    }
    if (scheme === "Bearer") {
      const jwt = decodeJwt(cred);
      const p = jwt?.payload;
      const exp = typeof p?.exp === "number" ? p.exp : 0;
      if (!p || p.iss !== url || exp * 1000 <= Date.now()) { oktaError(res, "E0000011"); return false; }
      const scp = Array.isArray(p.scp) ? p.scp : [];
      const manage = scope.replace(/\.read$/, ".manage");
      if (scp.includes(scope) || scp.includes(manage)) return true;
      const www = `Bearer authorization_uri="${url}/oauth2/v1/authorize", realm="${url}", scope="${scope}", ` +
        `error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${resource}"`;
      oktaError(res, "E0000006", { "www-authenticate": www });
      return false;
    }
    oktaError(res, "E0000011");
    return false;
  }

  const userJson = (u: EmulatorUser) => ({
    id: u.id, status: "ACTIVE", created: "2024-01-15T10:00:00.000Z", activated: "2024-01-15T10:00:01.000Z",
    statusChanged: "2024-01-15T10:00:01.000Z", lastLogin: null, lastUpdated: "2024-01-15T10:00:01.000Z",
    passwordChanged: "2024-01-15T10:00:01.000Z", type: { id: "oty1emulatortype0d7" },
    profile: { firstName: u.firstName, lastName: u.lastName, mobilePhone: null, secondEmail: null, login: u.login, email: u.login },
    credentials: { password: {}, provider: { type: "OKTA", name: "OKTA" } },
    _links: { self: { href: `${url}/api/v1/users/${u.id}` } },
  });

  /** Cursor pagination as Okta does it: `after` is the last id of the page, links carry `limit`. */
  function page<T extends { id: string }>(res: ServerResponse, q: URLSearchParams, path: string, items: T[], view: (t: T) => unknown): void {
    const limit = Math.max(1, Number(q.get("limit") ?? pageSize) || pageSize);
    const after = q.get("after");
    const start = after ? items.findIndex((i) => i.id === after) + 1 : 0;
    const slice = items.slice(start, start + limit);
    const self = new URLSearchParams(q);
    const links = [`<${url}${path}${self.size ? `?${self}` : ""}>; rel="self"`];
    if (start + limit < items.length && slice.length > 0) {
      const next = new URLSearchParams(q);
      next.set("after", slice[slice.length - 1]!.id);
      next.set("limit", String(limit));
      links.push(`<${url}${path}?${next}>; rel="next"`);
    }
    send(res, 200, slice.map(view), { link: links.join(", ") });
  }

  function discovery(issuer: string, orgAs: boolean) {
    const base = orgAs ? `${url}/oauth2/v1` : `${issuer}/v1`;
    return {
      issuer, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/userinfo`, registration_endpoint: `${url}/oauth2/v1/clients`,
      jwks_uri: `${base}/keys`, introspection_endpoint: `${base}/introspect`, revocation_endpoint: `${base}/revoke`,
      end_session_endpoint: `${base}/logout`,
      response_types_supported: ["code", "id_token", "code id_token", "code token", "id_token token", "code id_token token"],
      grant_types_supported: ["authorization_code", "implicit", "refresh_token", "password", "client_credentials"],
      subject_types_supported: ["public"], id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "profile", "address", "phone", "offline_access", ...(orgAs ? ["okta.users.read", "okta.users.manage", "okta.groups.read", "okta.groups.manage"] : [])],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"],
      code_challenge_methods_supported: ["S256"],
    };
  }

  function tokenEndpoint(res: ServerResponse, req: IncomingMessage, body: string, authServer: string | undefined): void {
    const form = new URLSearchParams(body);
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":", 2) : [];
    const assertion = form.get("client_assertion_type") === "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" ? form.get("client_assertion") : null;
    const secret = form.get("client_secret") ?? basicSecret;
    const credCount = [basic, form.get("client_secret"), assertion].filter(Boolean).length;
    if (credCount > 1) {
      return oauthError(res, 400, "invalid_request", "Can't supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.");
    }
    if (form.get("grant_type") !== "client_credentials") {
      return oauthError(res, 400, "unsupported_grant_type", `The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials].`);
    }
    let cid: string | null | undefined = form.get("client_id") ?? basicId;
    if (assertion) {
      const jwt = decodeJwt(assertion);
      cid = typeof jwt?.payload.iss === "string" ? jwt.payload.iss : undefined;
      if (!jwt || jwt.payload.sub !== cid) return oauthError(res, 401, "invalid_client", "The subject claim for client_assertion is not a valid client_id.");
    } else if (!secret) {
      return oauthError(res, 401, "invalid_client", "No client credentials found.");
    }
    if (cid !== clientId) return oauthError(res, 401, "invalid_client", "Invalid value for 'client_id' parameter.");
    if (!authServer && !assertion) {
      return oauthError(res, 401, "invalid_client", "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.");
    }
    if (!assertion && secret !== clientSecret) return oauthError(res, 401, "invalid_client", "The client secret supplied for a confidential client is invalid.");
    const scopes = (form.get("scope") ?? "").split(/\s+/).filter(Boolean);
    if (scopes.length === 0) return oauthError(res, 400, "invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.");
    if (!authServer && scopes.some((s) => !s.startsWith("okta."))) return oauthError(res, 400, "invalid_scope", "Custom scopes are not allowed for this request.");
    const access_token = mintAccessToken({ scopes, ...(authServer ? { authServer } : {}) });
    send(res, 200, { token_type: "Bearer", expires_in: 3600, access_token, scope: scopes.join(" ") }, { "cache-control": "no-store", pragma: "no-cache" });
  }

  /** The browser session of the request's `sid` cookie, if it is live. */
  function browserSession(req: IncomingMessage) {
    const cookies = (req.headers.cookie ?? "").split(";").map((c) => c.trim());
    const sid = cookies.find((c) => c.startsWith("sid="))?.slice(4);
    const s = sid ? browserSessions.get(sid) : undefined;
    return s && s.expires > Date.now() ? s : undefined;
  }

  function sessionMeJson(s: { id: string; userId: string; created: number; expires: number }) {
    const user = users.find((x) => x.id === s.userId)!;
    return {
      id: s.id, userId: user.id, login: user.login, createdAt: iso(s.created), expiresAt: iso(s.expires), status: "ACTIVE",
      lastPasswordVerification: iso(s.created), lastFactorVerification: null, amr: ["pwd"],
      idp: { id: "00oemulatorOrgIdp0d7", type: "OKTA" }, mfaActive: false,
      _links: {
        self: { href: `${url}/api/v1/sessions/me`, hints: { allow: ["GET", "DELETE"] } },
        refresh: { href: `${url}/api/v1/sessions/me/lifecycle/refresh`, hints: { allow: ["POST"] } },
        user: { name: `${user.firstName} ${user.lastName}`, href: `${url}/api/v1/users/me`, hints: { allow: ["GET"] } },
      },
    };
  }

  /** Redeem a sessionToken for the `sid` cookie and send the browser on (only to a trusted origin). */
  function sessionCookieRedirect(res: ServerResponse, q: URLSearchParams): void {
    const token = q.get("token") ?? "";
    const st = sessionTokens.get(token);
    sessionTokens.delete(token); // one-time
    let redirect: URL | undefined;
    try { redirect = new URL(q.get("redirectUrl") ?? ""); } catch { redirect = undefined; }
    const html = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "text/html;charset=utf-8" });
      res.end(`<!doctype html><title>Okta</title><p>${text}</p>`);
    };
    if (!redirect || !browser!.trustedOrigins.includes(redirect.origin)) return html(403, "The redirect URL is not a trusted origin.");
    if (!st || st.expires < Date.now()) return html(403, "The session token is invalid or has expired.");
    const now = Date.now();
    const sid = randomId("102", 25);
    browserSessions.set(sid, { id: randomId("102", 25), userId: st.userId, created: now, expires: now + 2 * 3600_000 });
    res.writeHead(302, { location: redirect.href, "set-cookie": `sid=${sid}; ${browser!.sessionCookieAttributes ?? "Path=/; Secure; HttpOnly; SameSite=None"}`, "content-length": 0 });
    res.end();
  }

  async function route(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const u = new URL(req.url ?? "/", url);
    const path = u.pathname.replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";
    const parseBody = (): Record<string, unknown> | undefined => {
      try { const v = JSON.parse(body) as unknown; return typeof v === "object" && v !== null ? v as Record<string, unknown> : undefined; } catch { return undefined; }
    };

    if (browser) {
      const origin = req.headers.origin;
      const trusted = origin !== undefined && browser.trustedOrigins.includes(origin);
      if (trusted) {
        res.setHeader("access-control-allow-origin", origin);
        res.setHeader("access-control-allow-credentials", "true");
        res.setHeader("vary", "Origin");
      }
      if (method === "OPTIONS" && req.headers["access-control-request-method"]) {
        if (trusted) {
          res.setHeader("access-control-allow-methods", "GET, POST, PUT, DELETE, OPTIONS");
          const asked = req.headers["access-control-request-headers"];
          if (asked) res.setHeader("access-control-allow-headers", asked);
          res.setHeader("access-control-max-age", "3600");
        }
        res.writeHead(trusted ? 204 : 403);
        res.end();
        return;
      }
      if (path === "/login/sessionCookieRedirect" && method === "GET") return sessionCookieRedirect(res, u.searchParams);
      if (path === "/api/v1/sessions/me" && method === "GET") {
        if (!rateHeaders(res)) return oktaError(res, "E0000047");
        const s = browserSession(req);
        if (!s) return oktaError(res, "E0000007", {}, "Resource not found: me (Session)");
        return send(res, 200, sessionMeJson(s));
      }
      if (path === "/api/v1/users/me" && method === "GET" && !req.headers.authorization) {
        const s = browserSession(req);
        const user = s && users.find((x) => x.id === s.userId);
        if (user) {
          if (!rateHeaders(res)) return oktaError(res, "E0000047");
          return send(res, 200, userJson(user));
        }
        // No session: the management route below answers 403 E0000005, as Okta does.
      }
    }

    if (path.startsWith("/api/v1/")) {
      if (!rateHeaders(res)) return oktaError(res, "E0000047");
      if (modes.serverError) return oktaError(res, "E0000009");
    }

    // Discovery and keys: org AS at the root and /oauth2/v1, custom AS under /oauth2/{id}.
    let m: RegExpExecArray | null;
    if (path === "/.well-known/openid-configuration" || path === "/.well-known/oauth-authorization-server") {
      return send(res, 200, discovery(url, true));
    }
    if ((m = /^\/oauth2\/([^/]+)\/\.well-known\/(openid-configuration|oauth-authorization-server)$/.exec(path))) {
      return send(res, 200, discovery(`${url}/oauth2/${m[1]}`, false));
    }
    if ((m = /^\/oauth2\/(?:([^/]+)\/)?v1\/keys$/.exec(path))) {
      return send(res, 200, { keys: [{ kty: "RSA", alg: "RS256", kid: KID, use: "sig", e: "AQAB", n: b64url(Buffer.alloc(256, 0xa5)) }] }, { "cache-control": "max-age=3600, must-revalidate" });
    }
    if ((m = /^\/oauth2\/(?:([^/]+)\/)?v1\/token$/.exec(path))) {
      if (method !== "POST") return oktaError(res, "E0000022");
      return tokenEndpoint(res, req, body, m[1]);
    }

    if (path === "/api/v1/authn" && method === "POST") {
      const b = parseBody();
      if (!b) return oktaError(res, "E0000003");
      const user = users.find((x) => x.login.toLowerCase() === String(b.username ?? "").toLowerCase());
      if (!user || b.password !== user.password) return oktaError(res, "E0000004");
      const sessionToken = randomId("20111", 55);
      const expires = Date.now() + 5 * 60_000;
      sessionTokens.set(sessionToken, { userId: user.id, expires });
      return send(res, 200, {
        expiresAt: iso(expires), status: "SUCCESS", sessionToken,
        _embedded: { user: { id: user.id, passwordChanged: "2024-01-15T10:00:01.000Z",
          profile: { login: user.login, firstName: user.firstName, lastName: user.lastName, locale: "en", timeZone: "America/Los_Angeles" } } },
        _links: { cancel: { href: `${url}/api/v1/authn/cancel`, hints: { allow: ["POST"] } } },
      });
    }

    if (path === "/api/v1/sessions" && method === "POST") {
      // The old Sessions reference allows this anonymously; a bad SSWS header still fails first.
      if (req.headers.authorization && !authorize(req, res, "okta.sessions.manage", path)) return;
      const b = parseBody();
      if (!b) return oktaError(res, "E0000003");
      const st = sessionTokens.get(String(b.sessionToken ?? ""));
      sessionTokens.delete(String(b.sessionToken ?? "")); // one-time
      if (!st || st.expires < Date.now()) return oktaError(res, "E0000004");
      const user = users.find((x) => x.id === st.userId)!;
      const now = Date.now();
      const id = randomId("102", 25);
      const wantCookieToken = (u.searchParams.get("additionalFields") ?? "").split(",").includes("cookieToken");
      return send(res, 200, {
        id, userId: user.id, login: user.login, createdAt: iso(now), expiresAt: iso(now + 2 * 3600_000), status: "ACTIVE",
        lastPasswordVerification: iso(now), lastFactorVerification: null, amr: ["pwd"],
        idp: { id: "00oemulatorOrgIdp0d7", type: "OKTA" }, mfaActive: false,
        ...(wantCookieToken ? { cookieToken: randomId("20111", 55) } : {}),
        _links: { self: { href: `${url}/api/v1/sessions/${id}`, hints: { allow: ["GET", "DELETE"] } },
          user: { name: `${user.firstName} ${user.lastName}`, href: `${url}/api/v1/users/${user.id}`, hints: { allow: ["GET"] } } },
      });
    }

    if (path === "/api/v1/users" || path === "/api/v1/groups") {
      if (method !== "GET") return oktaError(res, "E0000022");
      const users_ = path === "/api/v1/users";
      if (!authorize(req, res, users_ ? "okta.users.read" : "okta.groups.read", path)) return;
      return users_ ? page(res, u.searchParams, path, users, userJson)
        : page(res, u.searchParams, path, GROUPS, (g) => ({ id: g.id, created: "2024-01-15T10:00:00.000Z", type: g.type,
          profile: { name: g.name, description: null }, _links: { self: { href: `${url}/api/v1/groups/${g.id}` } } }));
    }
    if ((m = /^\/api\/v1\/users\/([^/]+)$/.exec(path))) {
      if (method !== "GET") return oktaError(res, "E0000022");
      if (!authorize(req, res, "okta.users.read", path)) return;
      const key = decodeURIComponent(m[1]!).toLowerCase();
      const user = users.find((x) => x.id.toLowerCase() === key || x.login.toLowerCase() === key);
      return user ? send(res, 200, userJson(user)) : oktaError(res, "E0000007", {}, `Resource not found: ${m[1]} (User)`);
    }
    return oktaError(res, "E0000007", {}, `Resource not found: ${path}`);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const record: RecordedRequest = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body, status: 0 };
      requests.push(record);
      res.setHeader("x-okta-request-id", randomId("", 27));
      res.setHeader("date", new Date().toUTCString());
      res.on("finish", () => { record.status = res.statusCode; });
      const go = () => route(req, res, body).catch((err: unknown) => {
        if (!res.headersSent) oktaError(res, "E0000009");
        else res.destroy(err instanceof Error ? err : undefined);
      });
      if (modes.delayMs > 0) setTimeout(go, modes.delayMs).unref(); else void go();
    });
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  return {
    url, port, apiToken, clientId, clientSecret, users, requests, mintAccessToken,
    setMode(next) { Object.assign(modes, next); },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
