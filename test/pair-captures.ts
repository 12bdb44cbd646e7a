/**
 * Captures where two rules fire on one call (or on two related calls), for
 * test/causality.test.ts: each names the problem(s) it must give, and
 * test/pairs.enumerate.test.ts lists what co-fires in them.
 */
import { fakeApiToken, fakeJwt, fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../scripts/samples/builder.js";
import { SAMPLES } from "../scripts/gen-samples.js";

export const ORG = "https://acme.okta.com";
export const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const CID = "0oa1ab2cd3EFGH4ij5d7";
const challenge = fakeRandom("pairs-cc", 43);
const pkce = `&code_challenge=${challenge}&code_challenge_method=S256`;
const redirectUri = `&redirect_uri=${encodeURIComponent(APP + "/cb")}`;
const chrome = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: START, entries });
const server = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: START, entries });
const form = (text: string) => text.replace(/ /g, "+").replace(/,/g, "%2C").replace(/:/g, "%3A").replace(/\[/g, "%5B").replace(/\]/g, "%5D");

/** A browser's navigation to /authorize, answered by a redirect back to the app carrying an OAuth error. */
const refusedAuthorize = (path: string, query: string, error: string, description: string, where: "query" | "fragment" = "query", url = `${ORG}/oauth2/${path}`): EntrySpec => ({
  method: "GET",
  url: `${url}?client_id=${CID}${query}&state=s1${redirectUri}`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  responseHeaders: { location: `${APP}/cb${where === "query" ? "?" : "#"}error=${error}&error_description=${form(description)}&state=s1` },
});
const NOT_ASSIGNED = "User is not assigned to the client application.";

const assertion = (aud: string) => fakeJwt({ jti: fakeRandom(`pairs-jti-${aud}`, 43), aud, exp: T0 + 60, iat: T0, iss: CID, sub: CID }, { alg: "RS256", kid: "svc-key" });
const AUDIENCE_ANSWER = { error: "invalid_client", error_description: "The audience claim for client_assertion must be the endpoint invoked for the request." };
const tokenRequest = (url: string, aud: string, extra: Partial<EntrySpec> = {}, fields: Record<string, string> = {}): EntrySpec => ({
  method: "POST",
  url,
  status: 401,
  from: { server: "node" },
  at: 0,
  form: { grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion(aud), ...fields },
  response: AUDIENCE_ANSWER,
  ...extra,
});

const orgToken = fakeJwt({ ver: 1, jti: "AT.pairs-org", iss: ORG, aud: ORG, iat: T0, exp: T0 + 3600, cid: CID, sub: CID, scp: ["okta.users.read"] });
const idToken = fakeJwt({ ver: 1, jti: "ID.pairs-id", iss: ORG, aud: CID, iat: T0, exp: T0 + 3600, sub: "00u1ab2cdEFGH3ijK4l7", nonce: "n", amr: ["pwd"], idp: "00o1", auth_time: T0 });
const customToken = fakeJwt({ ver: 1, jti: "AT.pairs-custom", iss: `${ORG}/oauth2/default`, aud: "api://default", iat: T0, exp: T0 + 3600, cid: CID, sub: "dana@example.com", scp: ["api.read"] });
const E11 = { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae" + fakeRandom("pairs-e11", 19), errorCauses: [] };
const E06 = { errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action", errorLink: "E0000006", errorId: "oae" + fakeRandom("pairs-e06", 19), errorCauses: [] };
const INVALID_TOKEN = { "www-authenticate": 'Bearer authorization_uri="http://acme.okta.com/oauth2/v1/authorize", realm="http://acme.okta.com", scope="openid", error="invalid_token", error_description="The access token is invalid.", resource="/api/v1/users/me"' };
/** A page's call to Okta whose error answer has no CORS headers. */
const pageCall = (url: string, authorization: string, status: number, response: Record<string, unknown>, extra: Partial<EntrySpec> = {}): EntrySpec => ({ method: "GET", url, status, from: { browser: APP }, at: 0, headers: { Authorization: authorization }, response, ...extra });
const stateToken = "00" + fakeRandom("pairs-state", 40);
const motivating = SAMPLES["motivating-401.har"]!;

/** One problem each: `cause > symptom, …` at the entry the problem starts. */
export const ONE_PROBLEM: Record<string, { spec: CaptureSpec; entry: number; shape: string }> = {
  "invalid-scope-for-server > authorize-error: an okta.* scope at a custom server, answered invalid_scope": {
    spec: chrome(refusedAuthorize("default/v1/authorize", `&response_type=code&scope=openid%20okta.users.read${pkce}`, "invalid_scope", "One or more scopes are not configured for the authorization server resource.")),
    entry: 0,
    shape: "invalid-scope-for-server@0 > authorize-error@0",
  },
  "token-request-without-pkce > authorize-error: the app requires PKCE and /authorize sent no code_challenge": {
    spec: chrome(refusedAuthorize("default/v1/authorize", "&response_type=code&scope=openid", "invalid_request", "PKCE code challenge is required by the application.")),
    entry: 0,
    shape: "token-request-without-pkce@0 > authorize-error@0",
  },
  "implicit-flow > authorize-error: response_type=token refused because the app does not allow the implicit grant": {
    spec: chrome(refusedAuthorize("v1/authorize", "&response_type=id_token%20token&scope=openid&nonce=n", "unsupported_response_type", "The response type is not supported by the authorization server. Configured response types: [code].", "fragment")),
    entry: 0,
    shape: "implicit-flow@0 > authorize-error@0",
  },
  "authorize-error > untrusted-origin: a page fetched /authorize and saw a CORS error; Okta's refusal is the failure": {
    spec: chrome({ method: "GET", url: `${ORG}/oauth2/default/v1/authorize?client_id=${CID}&response_type=code&scope=openid&prompt=none&state=s1${redirectUri}${pkce}`, status: 400, from: { browser: APP }, at: 0, response: { errorCode: "invalid_request", errorSummary: "The authorization server id is invalid.", errorLink: "invalid_request", errorId: "oae1", errorCauses: [] } }),
    entry: 0,
    shape: "authorize-error@0 > untrusted-origin@0",
  },
  "wrong-base-url > client-assertion-audience: a token request to the -admin host, whose assertion names the org host": {
    spec: server(tokenRequest("https://acme-admin.okta.com/oauth2/v1/token", `${ORG}/oauth2/v1/token`, { status: 400 }, { client_id: CID })),
    entry: 0,
    shape: "wrong-base-url@0 > client-assertion-audience@0",
  },
  "authorization-scheme > ssws-in-browser, untrusted-origin: a page sends its access token (a JWT) as SSWS": {
    spec: chrome(pageCall(`${ORG}/api/v1/users?limit=20`, `SSWS ${orgToken}`, 401, E11)),
    entry: 0,
    shape: "authorization-scheme@0 > api-token-rejected@0, untrusted-origin@0, ssws-in-browser@0",
  },
  "authorization-scheme > id-token-as-access-token, untrusted-origin, ssws-in-browser: a page sends its ID token as SSWS to users/me (no \"me is the admin\": it is no API token)": {
    spec: chrome(pageCall(`${ORG}/api/v1/users/me`, `SSWS ${idToken}`, 401, {}, { responseHeaders: INVALID_TOKEN })),
    entry: 0,
    shape: "authorization-scheme@0 > id-token-as-access-token@0, untrusted-origin@0, ssws-in-browser@0",
  },
  "id-token-as-access-token > untrusted-origin: a page's ID token refused at userinfo, the CORS error hiding it": {
    spec: chrome(pageCall(`${ORG}/oauth2/v1/userinfo`, `Bearer ${idToken}`, 401, {}, { responseHeaders: INVALID_TOKEN })),
    entry: 0,
    shape: "id-token-as-access-token@0 > untrusted-origin@0",
  },
  "session-token-misuse > ssws-in-browser: a stateToken in an SSWS header from a page is no API token in the page": {
    spec: chrome(
      { method: "POST", url: `${ORG}/api/v1/authn`, status: 200, from: { browser: APP }, at: 0, body: { username: "dana@example.com", password: "correct-horse-battery-staple" }, responseHeaders: { "access-control-allow-origin": APP }, response: { stateToken, expiresAt: "2026-11-21T10:05:00.000Z", status: "MFA_REQUIRED" } },
      { method: "POST", url: `${ORG}/api/v1/authn/factors/opf1ab2cd3EFGH4ij5d7/verify`, status: 400, from: { browser: APP }, at: 5000, headers: { Authorization: `SSWS ${stateToken}` }, body: { passCode: "123456" }, responseHeaders: { "access-control-allow-origin": APP }, response: { errorCode: "E0000001", errorSummary: "Api validation failed: stateToken", errorLink: "E0000001", errorId: "oae2", errorCauses: [] } },
    ),
    entry: 1,
    shape: "session-token-misuse@1 > ssws-in-browser@1",
  },
  "api-token-on-cookie-endpoint alone: no admin role makes an API token work on a session-only endpoint (missing-admin-role stays quiet)": {
    spec: server({ method: "POST", url: `${ORG}/api/v1/users/me/lifecycle/delete_sessions`, status: 403, from: { server: "node" }, at: 0, headers: { Authorization: `SSWS ${fakeApiToken("pairs-delete-sessions")}` }, response: E06 }),
    entry: 0,
    shape: "api-token-on-cookie-endpoint@0",
  },
  "deprecated-api > session-token-not-exchanged: a server-made cookieToken leaves the browser signed out": {
    spec: { ...motivating, entries: motivating.entries.slice(0, 2).map((e) => ({ ...e, comment: "" })) },
    entry: 1,
    shape: "deprecated-api@1 > session-token-not-exchanged@1",
  },
  "management-call-without-credentials > token-in-url: the token went in the URL, not the header": {
    spec: server({ method: "GET", url: `${ORG}/api/v1/users?access_token=${orgToken}`, status: 401, from: { server: "node" }, at: 0, response: E11 }),
    entry: 0,
    shape: "management-call-without-credentials@0 > token-in-url@0",
  },
};

/** Two (or more) problems on one call: each needs its own fix. */
export const APART: Record<string, { spec: CaptureSpec; shape: string[]; why: string }> = {
  "an okta.* scope at a custom server on a silent renew answered login_required": {
    spec: chrome(refusedAuthorize("default/v1/authorize", `&response_type=code&scope=openid%20okta.users.read&prompt=none${pkce}`, "login_required", "The client specified not to prompt, but the user is not logged in.")),
    shape: ["authorize-error@0", "invalid-scope-for-server@0"],
    why: "Okta never looked at the scopes: signing in again and moving the okta.* scope to the org server are two fixes.",
  },
  "no code_challenge, and the user is not assigned to the app": {
    spec: chrome(refusedAuthorize("default/v1/authorize", "&response_type=code&scope=openid", "access_denied", NOT_ASSIGNED)),
    shape: ["authorize-error@0", "token-request-without-pkce@0"],
    why: "PKCE would not assign the user; assigning the user leaves the flow without PKCE.",
  },
  "an implicit flow whose user is not assigned to the app": {
    spec: chrome(refusedAuthorize("v1/authorize", "&response_type=id_token%20token&scope=openid&nonce=n", "access_denied", NOT_ASSIGNED, "fragment")),
    shape: ["authorize-error@0", "implicit-flow@0"],
    why: "Okta refused the user, not the flow: the assignment and the move to PKCE are separate fixes.",
  },
  "an /authorize over http:// refused for a user not assigned": {
    spec: chrome(refusedAuthorize("v1/authorize", `&response_type=code&scope=openid${pkce}`, "access_denied", NOT_ASSIGNED, "query", "http://acme.okta.com/oauth2/v1/authorize")),
    shape: ["authorize-error@0", "insecure-transport@0"],
    why: "https would not assign the user; the request crossed the network in clear whatever Okta answered.",
  },
  "a client assertion with the proxy's aud, sent with a client secret too": {
    spec: server(tokenRequest(`${ORG}/oauth2/v1/token`, "https://proxy.example.com/oauth2/v1/token", {}, { client_id: CID, client_secret: fakeRandom("pairs-secret", 40) })),
    shape: ["client-assertion-audience@0", "org-as-client-secret@0"],
    why: "The org server wants the signed assertion alone: the secret has to go and the aud has to be right.",
  },
  "a page's token request with a client secret and an assertion for the proxy": {
    spec: chrome(tokenRequest(`${ORG}/oauth2/default/v1/token`, "https://proxy.example.com/oauth2/default/v1/token", { from: { browser: APP } }, { client_id: CID, client_secret: fakeRandom("pairs-secret-2", 40), scope: "api.read" })),
    shape: ["client-assertion-audience@0 > untrusted-origin@0", "client-secret-in-browser@0"],
    why: "A right aud leaves the secret in the page; removing the secret leaves the aud wrong.",
  },
  "an assertion with the issuer as aud, asking a custom server for okta.* scopes": {
    spec: server(tokenRequest(`${ORG}/oauth2/default/v1/token`, `${ORG}/oauth2/default`)),
    shape: ["client-assertion-audience@0", "invalid-scope-for-server@0"],
    why: "Once the aud is right, the custom server still cannot issue okta.* scopes.",
  },
  "a custom-server token with a DPoP proof that is not a JWT, on a management call": {
    spec: server({ method: "GET", url: `${ORG}/api/v1/apps`, status: 401, from: { server: "node" }, at: 0, headers: { Authorization: `DPoP ${customToken}`, DPoP: "abcde" }, responseHeaders: { "www-authenticate": 'DPoP error="invalid_token", error_description="The access token is invalid."' } }),
    shape: ["custom-as-token-on-management-api@0", "dpop-misuse@0"],
    why: "A token from the org server still needs a well-formed proof, and a proof does not make a custom-server token valid for Okta's APIs.",
  },
  "an ID token refused on an SSWS-free call from a page whose preflight Okta allowed": {
    spec: chrome(pageCall(`${ORG}/api/v1/users/me`, `Bearer ${idToken}`, 200, { id: "00u1ab2cdEFGH3ijK4l7" }, { responseHeaders: { "access-control-allow-origin": APP } })),
    shape: ["id-token-as-access-token@0"],
    why: "(control) on a call that worked, no CORS finding exists to attach.",
  },
};
