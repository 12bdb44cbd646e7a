/**
 * A loopback Okta org for tests: node:http on 127.0.0.1, ephemeral port.
 *
 * It answers the calls the real Okta SDKs make (Classic authn, sessions, users, groups, org and
 * custom authorization servers) with Okta's status codes, headers and error bodies, so tests can
 * drive `@okta/okta-sdk-nodejs` and `@okta/okta-auth-js` without the network. Error codes and their
 * summaries come from /work/shared/okta/error-codes.tsv and oauth-error-codes.tsv.
 *
 * Tokens it mints are real RS256 JWTs, signed with a key pair generated at start (node:crypto) whose
 * public half it serves as the JWK Set at `/oauth2[/{id}]/v1/keys`, so `@okta/jwt-verifier`,
 * okta-auth-js and openid-client verify them as they would Okta's.
 *
 * OAuth as Okta answers it: `/authorize` (sessionToken or `sid` session, PKCE, `response_mode`
 * query/fragment, or okta_post_message: a page that posts the result to its parent frame; errors as redirects once the client and redirect URI are known), `/token`
 * (client_credentials, authorization_code with PKCE verification, refresh_token), `/introspect`,
 * `/revoke` (200 with an empty body), `/userinfo`, `/logout`. Client authentication on those
 * endpoints: client_secret_basic/post for the web app, private_key_jwt for the service app (the
 * assertion's `aud` must be the URL of the endpoint invoked, and its signature is checked when the
 * test registers the public key), and a public SPA client identified by `client_id` in the form or
 * by `Authorization: Basic base64(clientId)` (okta-auth-js's revoke).
 */
import { createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign as cryptoSign, verify as cryptoVerify } from "node:crypto";
import type { JsonWebKey as NodeJwk, KeyObject } from "node:crypto";

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
  /**
   * Rate limit ceiling reported in X-Rate-Limit-Limit (per minute) on /api/v1: the budget. The call
   * after it answers 429 E0000047 with X-Rate-Limit-Remaining 0 until the minute's window resets.
   */
  rateLimit?: number;
  /** Client id of the public SPA app (PKCE, no secret; okta-auth-js). */
  spaClientId?: string;
  /** Redirect URIs registered for both apps (sign-in and sign-out). */
  redirectUris?: string[];
  /**
   * Public keys (JWK) registered for the service app's private_key_jwt. When given, a client
   * assertion's RS256 signature must verify with one of them; otherwise it is checked structurally.
   */
  clientPublicJwks?: NodeJwk[];
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
  spaClientId: string;
  redirectUris: readonly string[];
  /** The public JWK Okta serves at /v1/keys (verifies every token the emulator mints). */
  signingJwk: NodeJwk & { kid: string };
  users: readonly EmulatorUser[];
  /** Every request received, in order. */
  requests: RecordedRequest[];
  setMode(modes: Partial<EmulatorModes>): void;
  /** Mint a JWT-shaped access token (org AS unless `authServer` names a custom AS). */
  mintAccessToken(opts: { scopes: string[]; authServer?: string; expiresInSec?: number; sub?: string; uid?: string; clientId?: string }): string;
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

  const spaClientId = options.spaClientId ?? "0oaemuSpaPublic0000d7";
  const redirectUris = options.redirectUris ?? ["http://localhost:8080/login/callback", "http://localhost:8080/logout/callback"];
  const clientKeys: KeyObject[] = (options.clientPublicJwks ?? []).map((jwk) => createPublicKey({ key: jwk, format: "jwk" }));
  const { privateKey: signingKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signingJwk = { ...publicKey.export({ format: "jwk" }), kid: KID, alg: "RS256", use: "sig" } as NodeJwk & { kid: string };

  /** Tokens issued and not revoked, by value: access tokens (JWT) and refresh tokens (opaque). */
  interface Grant { clientId: string; authServer: string | undefined; scopes: string[]; userId?: string; exp: number }
  const accessTokens = new Map<string, Grant & { jti: string; iat: number }>();
  const refreshTokens = new Map<string, Grant>();
  const codes = new Map<string, Grant & { redirectUri: string; challenge?: string; method?: string; nonce?: string; expires: number }>();

  const issuerOf = (authServer: string | undefined) => (authServer ? `${url}/oauth2/${authServer}` : url);
  const signJwt = (payload: Record<string, unknown>): string => {
    const input = `${b64url(JSON.stringify({ kid: KID, alg: "RS256" }))}.${b64url(JSON.stringify(payload))}`;
    return `${input}.${b64url(cryptoSign("sha256", Buffer.from(input), signingKey))}`;
  };
  /** The claims of a JWT this emulator signed, or undefined when the signature does not verify. */
  const verifyOwn = (token: string): Record<string, unknown> | undefined => {
    const parts = token.split(".");
    if (parts.length !== 3) return undefined;
    const ok = cryptoVerify("sha256", Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2]!, "base64url"));
    return ok ? decodeJwt(token)?.payload : undefined;
  };

  const mintAccessToken: OktaEmulator["mintAccessToken"] = ({ scopes, authServer, expiresInSec = 3600, sub, uid, clientId: cid = clientId }) => {
    const now = Math.floor(Date.now() / 1000);
    const jti = randomId("AT.", 40);
    const payload = {
      ver: 1, jti, iss: issuerOf(authServer), aud: authServer ? "api://default" : url,
      iat: now, exp: now + expiresInSec, cid, ...(uid ? { uid } : {}), scp: scopes, sub: sub ?? cid,
    };
    const token = signJwt(payload);
    accessTokens.set(token, { clientId: cid, authServer, scopes, ...(uid ? { userId: uid } : {}), exp: payload.exp, jti, iat: now });
    return token;
  };

  function mintIdToken(g: Grant, nonce: string | undefined): string {
    const user = users.find((x) => x.id === g.userId)!;
    const now = Math.floor(Date.now() / 1000);
    return signJwt({
      sub: user.id, name: `${user.firstName} ${user.lastName}`, email: user.login, ver: 1, iss: issuerOf(g.authServer), aud: g.clientId,
      iat: now, exp: now + 3600, jti: randomId("ID.", 40), amr: ["pwd"], idp: "00oemulatorOrgIdp0d7", ...(nonce ? { nonce } : {}),
      preferred_username: user.login, auth_time: now,
    });
  }

  /** The token response for a user grant: access token, ID token with openid, refresh token with offline_access. */
  function userTokens(g: Grant, nonce: string | undefined, refreshToken?: string) {
    const user = users.find((x) => x.id === g.userId)!;
    const access_token = mintAccessToken({ scopes: g.scopes, ...(g.authServer ? { authServer: g.authServer } : {}), sub: user.login, uid: user.id, clientId: g.clientId });
    let refresh_token = refreshToken;
    if (!refresh_token && g.scopes.includes("offline_access")) {
      refresh_token = randomId("", 43);
      refreshTokens.set(refresh_token, { ...g, exp: Math.floor(Date.now() / 1000) + 90 * 86400 });
    }
    return {
      token_type: "Bearer", expires_in: 3600, access_token, scope: g.scopes.join(" "),
      ...(refresh_token ? { refresh_token } : {}),
      ...(g.scopes.includes("openid") ? { id_token: mintIdToken(g, nonce) } : {}),
    };
  }

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
      const p = verifyOwn(cred);
      const exp = typeof p?.exp === "number" && accessTokens.has(cred) ? p.exp : 0;
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

  const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };
  type ClientAuth = { clientId: string; method: "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none" };

  /**
   * Client authentication on /token, /introspect and /revoke, as Okta does it. A Basic credential
   * without a colon is a public client naming itself (okta-auth-js's revoke). A client assertion's
   * `aud` must be the URL of the endpoint invoked (`endpointUrl`, the URL Okta serves).
   */
  function authenticateClient(req: IncomingMessage, form: URLSearchParams, endpointUrl: string): ClientAuth | [number, string, string] {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const decoded = basic ? Buffer.from(basic, "base64").toString("utf8") : undefined;
    const colon = decoded?.indexOf(":") ?? -1;
    const unescape = (v: string) => { try { return decodeURIComponent(v.replace(/\+/g, " ")); } catch { return v; } };
    const basicId = decoded === undefined ? undefined : unescape(colon >= 0 ? decoded.slice(0, colon) : decoded);
    const basicSecret = decoded !== undefined && colon >= 0 ? unescape(decoded.slice(colon + 1)) : undefined;
    const assertion = form.get("client_assertion_type") === JWT_BEARER ? form.get("client_assertion") : null;
    const postSecret = form.get("client_secret");
    if ([basicSecret, postSecret, assertion].filter((v) => v !== undefined && v !== null).length > 1) {
      return [400, "invalid_request", "Can't supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body."];
    }
    if (assertion) {
      const jwt = decodeJwt(assertion);
      if (!jwt) return [401, "invalid_client", "The parsing of the client_assertion failed."];
      const p = jwt.payload;
      const cid = typeof p.iss === "string" ? p.iss : undefined;
      if (p.sub !== cid) return [401, "invalid_client", "The subject claim for client_assertion is not a valid client_id."];
      if (cid !== clientId || (form.get("client_id") !== null && form.get("client_id") !== cid)) return [401, "invalid_client", "Invalid value for 'client_id' parameter."];
      const auds = Array.isArray(p.aud) ? p.aud : [p.aud];
      if (auds.length !== 1 || auds[0] !== endpointUrl) return [401, "invalid_client", "The audience claim for client_assertion must be the endpoint invoked for the request."];
      if (typeof p.exp === "number" && p.exp * 1000 < Date.now()) return [401, "invalid_client", "The client_assertion token is expired."];
      if (clientKeys.length > 0) {
        const parts = assertion.split(".");
        const input = Buffer.from(`${parts[0]}.${parts[1]}`);
        const sig = Buffer.from(parts[2] ?? "", "base64url");
        if (jwt.header.alg !== "RS256" || !clientKeys.some((k) => cryptoVerify("sha256", input, k, sig))) {
          return [401, "invalid_client", "The client_assertion signature is invalid."];
        }
      }
      return { clientId: cid, method: "private_key_jwt" };
    }
    const id = form.get("client_id") ?? basicId;
    const secret = postSecret ?? basicSecret;
    if (secret !== undefined && secret !== null) {
      if (id !== clientId) return [401, "invalid_client", "Invalid value for 'client_id' parameter."];
      if (secret !== clientSecret) return [401, "invalid_client", "The client secret supplied for a confidential client is invalid."];
      return { clientId, method: postSecret !== null ? "client_secret_post" : "client_secret_basic" };
    }
    if (id === spaClientId) return { clientId: id, method: "none" };
    if (id === undefined || id === null || id === clientId) return [401, "invalid_client", "No client credentials found."];
    return [401, "invalid_client", "Invalid value for 'client_id' parameter."];
  }

  function tokenEndpoint(res: ServerResponse, req: IncomingMessage, body: string, authServer: string | undefined, endpointUrl: string): void {
    const form = new URLSearchParams(body);
    const grant = form.get("grant_type");
    const auth = authenticateClient(req, form, endpointUrl);
    if (Array.isArray(auth)) return oauthError(res, ...auth);
    if (grant === "client_credentials") {
      if (auth.method === "none") {
        return oauthError(res, 400, "unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: [authorization_code, refresh_token].");
      }
      if (!authServer && auth.method !== "private_key_jwt") {
        return oauthError(res, 401, "invalid_client", "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.");
      }
      const scopes = (form.get("scope") ?? "").split(/\s+/).filter(Boolean);
      if (scopes.length === 0) return oauthError(res, 400, "invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.");
      if (!authServer && scopes.some((s) => !s.startsWith("okta."))) return oauthError(res, 400, "invalid_scope", "Custom scopes are not allowed for this request.");
      const access_token = mintAccessToken({ scopes, ...(authServer ? { authServer } : {}) });
      return send(res, 200, { token_type: "Bearer", expires_in: 3600, access_token, scope: scopes.join(" ") }, NO_STORE);
    }
    if (grant === "authorization_code") {
      const key = form.get("code") ?? "";
      const code = codes.get(key);
      codes.delete(key); // one-time
      if (!code || code.expires < Date.now() || code.clientId !== auth.clientId || code.authServer !== authServer) {
        return oauthError(res, 400, "invalid_grant", "The authorization code is invalid or has expired.");
      }
      if (form.get("redirect_uri") !== code.redirectUri) {
        return oauthError(res, 400, "invalid_grant", "The 'redirect_uri' does not match the redirection URI used in the authorization request.");
      }
      const verifier = form.get("code_verifier");
      if (code.challenge !== undefined) {
        if (!verifier || createHash("sha256").update(verifier).digest("base64url") !== code.challenge) {
          return oauthError(res, 400, "invalid_grant", "PKCE verification failed.");
        }
      } else if (verifier) {
        return oauthError(res, 400, "invalid_request", "The code verifier was provided, but the authorization request did not include a code_challenge.");
      }
      return send(res, 200, userTokens(code, code.nonce), NO_STORE);
    }
    if (grant === "refresh_token") {
      const value = form.get("refresh_token") ?? "";
      const rt = refreshTokens.get(value);
      if (!rt || rt.clientId !== auth.clientId || rt.authServer !== authServer) {
        return oauthError(res, 400, "invalid_grant", "The refresh token is invalid or expired.");
      }
      const asked = (form.get("scope") ?? "").split(/\s+/).filter(Boolean);
      if (asked.some((s) => !rt.scopes.includes(s))) return oauthError(res, 400, "invalid_scope", "The requested scope is invalid, unknown, or malformed.");
      return send(res, 200, userTokens({ ...rt, scopes: asked.length > 0 ? asked : rt.scopes }, undefined, value), NO_STORE);
    }
    const configured = auth.method === "none" ? "authorization_code, refresh_token" : "client_credentials, authorization_code, refresh_token";
    return oauthError(res, 400, "unsupported_grant_type", `The authorization grant type is not supported by the authorization server. Configured grant types: [${configured}].`);
  }

  function htmlPage(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { "content-type": "text/html;charset=utf-8" });
    res.end(`<!doctype html><title>Okta</title><p>${text.replace(/[<>&]/g, "")}</p>`);
  }

  /**
   * GET /oauth2[/{id}]/v1/authorize, the code flow. A wrong client or redirect URI is an error page
   * (Okta cannot redirect to an unregistered URI); every later error goes back to the redirect URI.
   */
  function authorizeEndpoint(req: IncomingMessage, res: ServerResponse, q: URLSearchParams, authServer: string | undefined, pathAndQuery: string): void {
    const cid = q.get("client_id");
    const redirectUri = q.get("redirect_uri") ?? "";
    if (cid !== clientId && cid !== spaClientId) return htmlPage(res, 400, "Invalid value for 'client_id' parameter.");
    if (!redirectUris.includes(redirectUri)) return htmlPage(res, 400, "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.");
    const state = q.get("state");
    const mode = q.get("response_mode") ?? "query";
    const redirect = (params: Record<string, string>, headers: Record<string, string> = {}) => {
      const target = new URL(redirectUri);
      const p = new URLSearchParams(params);
      if (state !== null) p.set("state", state);
      if (mode === "okta_post_message") {
        // The page okta-auth-js loads in a hidden iframe (getWithoutPrompt, silent renew): it posts the
        // result to the parent window on the redirect URI's origin, as Okta's does.
        const data = [...p].map(([k, v]) => `${k}: '${v.replace(/[^\w.~-]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}'`).join(",\n        ");
        res.writeHead(200, { "content-type": "text/html;charset=utf-8", "cache-control": "no-cache, no-store", ...headers });
        res.end(`<!DOCTYPE html><html><head><script type="text/javascript">
      var data = {
        ${data}
      };
      window.parent.postMessage(data, '${target.origin}');
    </script></head><body></body></html>`);
        return;
      }
      if (mode === "fragment") target.hash = p.toString();
      else for (const [k, v] of p) target.searchParams.set(k, v);
      res.writeHead(302, { location: target.href, "content-length": 0, ...headers });
      res.end();
    };
    const fail = (error: string, description: string) => redirect({ error, error_description: description });
    if (mode !== "query" && mode !== "fragment" && mode !== "okta_post_message") return fail("unsupported_response_mode", `The response mode '${mode}' is not supported.`);
    if (q.get("response_type") !== "code") return fail("unsupported_response_type", "The response type is not supported by the authorization server. Configured response types: [code].");
    const scopes = (q.get("scope") ?? "").split(/\s+/).filter(Boolean);
    if (scopes.length === 0) return fail("invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.");
    const challenge = q.get("code_challenge") ?? undefined;
    const method = q.get("code_challenge_method") ?? undefined;
    if (cid === spaClientId && !challenge) return fail("invalid_request", "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.");
    if (challenge && method !== "S256") return fail("invalid_request", "PKCE code challenge method 'plain' is not supported; use 'S256'.");
    const now = Date.now();
    let userId: string | undefined;
    let setCookie: Record<string, string> = {};
    const st = q.get("sessionToken");
    if (st) {
      const t = sessionTokens.get(st);
      sessionTokens.delete(st); // one-time
      if (t && t.expires >= now) {
        userId = t.userId;
        const sid = randomId("102", 25);
        browserSessions.set(sid, { id: randomId("102", 25), userId, created: now, expires: now + 2 * 3600_000 });
        setCookie = { "set-cookie": `sid=${sid}; ${browser?.sessionCookieAttributes ?? "Path=/; Secure; HttpOnly; SameSite=None"}` };
      }
    } else {
      userId = browserSession(req)?.userId;
    }
    if (!userId) {
      if (q.get("prompt") === "none") return fail("login_required", "The client specified not to prompt, but the user is not logged in.");
      res.writeHead(302, { location: `${url}/login/login.htm?fromURI=${encodeURIComponent(pathAndQuery)}`, "content-length": 0 });
      res.end();
      return;
    }
    const code = randomId("", 43);
    const nonce = q.get("nonce") ?? undefined;
    codes.set(code, {
      clientId: cid, authServer, scopes, userId, exp: 0, redirectUri, expires: now + 60_000,
      ...(challenge ? { challenge } : {}), ...(method ? { method } : {}), ...(nonce ? { nonce } : {}),
    });
    return redirect({ code }, setCookie);
  }

  /** A grant this client may see (its own, from this authorization server), by token value. */
  function grantOf(token: string, cid: string, authServer: string | undefined) {
    const at = accessTokens.get(token);
    const g = at ?? refreshTokens.get(token);
    if (!g || g.clientId !== cid || g.authServer !== authServer || g.exp * 1000 <= Date.now()) return undefined;
    return { grant: g, access: at };
  }

  function introspectEndpoint(res: ServerResponse, req: IncomingMessage, body: string, authServer: string | undefined, endpointUrl: string): void {
    const form = new URLSearchParams(body);
    const auth = authenticateClient(req, form, endpointUrl);
    if (Array.isArray(auth)) return oauthError(res, ...auth);
    const token = form.get("token");
    if (!token) return oauthError(res, 400, "invalid_request", "The `token` parameter is required.");
    const found = grantOf(token, auth.clientId, authServer);
    if (!found) return send(res, 200, { active: false }, NO_STORE);
    const { grant, access } = found;
    const user = grant.userId ? users.find((x) => x.id === grant.userId) : undefined;
    return send(res, 200, {
      active: true, scope: grant.scopes.join(" "), username: user?.login ?? grant.clientId, exp: grant.exp,
      ...(access ? { iat: access.iat, jti: access.jti } : {}), sub: user?.login ?? grant.clientId,
      aud: authServer ? "api://default" : url, iss: issuerOf(authServer), token_type: access ? "Bearer" : "refresh_token",
      client_id: grant.clientId, ...(user ? { uid: user.id } : {}),
    }, NO_STORE);
  }

  function revokeEndpoint(res: ServerResponse, req: IncomingMessage, body: string, authServer: string | undefined, endpointUrl: string): void {
    const form = new URLSearchParams(body);
    const auth = authenticateClient(req, form, endpointUrl);
    if (Array.isArray(auth)) return oauthError(res, ...auth);
    const token = form.get("token");
    if (!token) return oauthError(res, 400, "invalid_request", "The `token` parameter is required.");
    // RFC 7009: an unknown or already revoked token is still a 200.
    if (grantOf(token, auth.clientId, authServer)) { accessTokens.delete(token); refreshTokens.delete(token); }
    res.writeHead(200, { ...NO_STORE, "content-length": 0 });
    res.end();
  }

  function userinfoEndpoint(res: ServerResponse, req: IncomingMessage, authServer: string | undefined): void {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const claims = token ? verifyOwn(token) : undefined;
    const grant = accessTokens.get(token);
    const www = (error: string, description: string) =>
      `Bearer authorization_uri="${issuerOf(authServer)}${authServer ? "" : "/oauth2"}/v1/authorize", realm="${issuerOf(authServer)}", error="${error}", error_description="${description}"`;
    if (!claims || !grant || claims.iss !== issuerOf(authServer) || grant.exp * 1000 <= Date.now()) {
      res.writeHead(401, { "www-authenticate": www("invalid_token", "The access token is invalid."), "content-length": 0 });
      res.end();
      return;
    }
    const user = grant.userId ? users.find((x) => x.id === grant.userId) : undefined;
    if (!user || !grant.scopes.includes("openid")) {
      res.writeHead(403, { "www-authenticate": www("insufficient_scope", "The access token must provide access to at least one of these scopes - profile, email, address or phone"), "content-length": 0 });
      res.end();
      return;
    }
    return send(res, 200, {
      sub: user.id,
      ...(grant.scopes.includes("profile") ? { name: `${user.firstName} ${user.lastName}`, given_name: user.firstName, family_name: user.lastName,
        preferred_username: user.login, locale: "en_US", zoneinfo: "America/Los_Angeles", updated_at: 1705312801 } : {}),
      ...(grant.scopes.includes("email") ? { email: user.login, email_verified: true } : {}),
    });
  }

  /** GET /oauth2[/{id}]/v1/logout: ends the `sid` session, back to a registered post-logout URI. */
  function logoutEndpoint(res: ServerResponse, req: IncomingMessage, q: URLSearchParams): void {
    const hint = q.get("id_token_hint");
    const post = q.get("post_logout_redirect_uri");
    const claims = hint ? verifyOwn(hint) : undefined;
    if (hint && !claims) return htmlPage(res, 400, "The 'id_token_hint' parameter is invalid.");
    if (post && !redirectUris.includes(post)) return htmlPage(res, 400, "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.");
    const headers: Record<string, string> = { "content-length": "0" };
    const sid = (req.headers.cookie ?? "").split(";").map((c) => c.trim()).find((c) => c.startsWith("sid="))?.slice(4);
    if (sid) {
      browserSessions.delete(sid);
      headers["set-cookie"] = "sid=\"\"; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/";
    }
    const target = post && hint ? new URL(post) : new URL(`${url}/login/default`);
    const state = q.get("state");
    if (post && hint && state !== null) target.searchParams.set("state", state);
    res.writeHead(302, { location: target.href, ...headers });
    res.end();
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
      return send(res, 200, { keys: [{ kty: "RSA", alg: "RS256", kid: KID, use: "sig", e: signingJwk.e, n: signingJwk.n }] }, { "cache-control": "max-age=3600, must-revalidate" });
    }
    if ((m = /^\/oauth2\/(?:([^/]+)\/)?v1\/(token|introspect|revoke|authorize|userinfo|logout)$/.exec(path))) {
      const authServer = m[1];
      // The URL Okta serves this endpoint at: what a client assertion's aud must name.
      const endpointUrl = `${url}${u.pathname}`;
      switch (m[2]) {
        case "authorize": return method === "GET" ? authorizeEndpoint(req, res, u.searchParams, authServer, `${u.pathname}${u.search}`) : oktaError(res, "E0000022");
        case "userinfo": return method === "GET" || method === "POST" ? userinfoEndpoint(res, req, authServer) : oktaError(res, "E0000022");
        case "logout": return method === "GET" ? logoutEndpoint(res, req, u.searchParams) : oktaError(res, "E0000022");
      }
      if (method !== "POST") return oktaError(res, "E0000022");
      if (m[2] === "token") return tokenEndpoint(res, req, body, authServer, endpointUrl);
      if (m[2] === "introspect") return introspectEndpoint(res, req, body, authServer, endpointUrl);
      return revokeEndpoint(res, req, body, authServer, endpointUrl);
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
    url, port, apiToken, clientId, clientSecret, spaClientId, redirectUris, signingJwk, users, requests, mintAccessToken,
    setMode(next) { Object.assign(modes, next); },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
