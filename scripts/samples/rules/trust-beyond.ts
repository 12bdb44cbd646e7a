/**
 * Okta's tokens beyond Okta's hosts (issue 17): a single-page app at
 * app.example.com signs in with the authorization code flow and PKCE against
 * the custom authorization server `default`, then calls its own APIs (and, in
 * one capture, an analytics host) with the tokens it got.
 */
import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const ISSUER = `${ORG}/oauth2/default`;
const APP = "https://app.example.com";
const API = "https://api.example.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const CLIENT = "0oa2bc3deFgH4iJk5lM6";
const USER = "00u8rs9tuVwX0yzA1bc2";
const SPA = { browser: APP };
const cors = { "access-control-allow-origin": APP, vary: "Origin" };

export const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("bey-at", 43), iss: ISSUER, aud: "api://default", iat: T0, exp: T0 + 3600, cid: CLIENT, uid: USER, sub: "amara@example.com", scp: ["openid", "profile", "email"] });
export const idToken = fakeJwt({ ver: 1, jti: "ID." + fakeRandom("bey-id", 20), iss: ISSUER, aud: CLIENT, sub: USER, iat: T0, exp: T0 + 3600, auth_time: T0 - 20, amr: ["pwd"], nonce: fakeRandom("bey-nonce", 32), at_hash: fakeRandom("bey-ath", 22) });

/** The sign-in: the code exchange at Okta's token endpoint (PKCE, public client). */
export function signIn(at = 0, access = accessToken, id = idToken, issuer = ISSUER, scope = "openid profile email"): EntrySpec {
  return {
    method: "POST",
    url: `${issuer}/v1/token`,
    status: 200,
    from: SPA,
    at,
    form: { client_id: CLIENT, redirect_uri: `${APP}/login/callback`, grant_type: "authorization_code", code_verifier: fakeRandom(`bey-verifier${issuer}`, 64), code: fakeRandom(`bey-code${issuer}`, 43) },
    responseHeaders: cors,
    response: { token_type: "Bearer", expires_in: 3600, access_token: access, scope, id_token: id },
    comment: "expect: none (authorization code with PKCE)",
  };
}

const messages = { messages: [{ date: "2026-11-21T10:00:00Z", text: "I am a robot." }] };
const bearerChallenge = (description: string) => ({ "www-authenticate": `Bearer realm="api://default", error="invalid_token", error_description="${description}"`, ...cors });

function apiCall(url: string, token: string, at: number, status: number, comment: string, extra: Partial<EntrySpec> = {}): EntrySpec {
  return {
    method: "GET",
    url,
    status,
    from: SPA,
    at,
    okta: false,
    headers: { authorization: `Bearer ${token}` },
    responseHeaders: status === 200 ? { "content-type": "application/json", ...cors } : bearerChallenge("Jwt audience is invalid"),
    ...(status === 200 ? { response: messages } : {}),
    comment,
    ...extra,
  };
}

export const samples: Record<string, CaptureSpec> = {
  "trust-beyond-spa-own-api.har": {
    producer: "chrome",
    start: START,
    comment: "The okta-react sample's flow: a fresh access token of the right audience sent as Bearer to the app's own API (same origin and a sibling host). Nothing to report.",
    entries: [
      signIn(),
      apiCall(`${APP}/api/messages`, accessToken, 300, 200, "expect: none (the access token to the app's own API, as designed)"),
      apiCall(`${API}/api/messages`, accessToken, 420, 200, "expect: none (a host of the same registrable domain)"),
    ],
  },
  "trust-beyond-id-token-to-api.har": {
    producer: "chrome",
    start: START,
    comment: "The SPA sends its ID token to its own API, which answers 401 invalid audience.",
    entries: [
      signIn(),
      { ...apiCall(`${API}/api/messages`, idToken, 300, 401, "expect: id-token-as-access-token (the ID token as Bearer to the app's API)"), responseHeaders: bearerChallenge("Jwt audience is invalid") },
    ],
  },
  "trust-beyond-token-in-api-url.har": {
    producer: "chrome",
    start: START,
    comment: "The SPA puts its access token in the query of its websocket URL and of an API call.",
    entries: [
      signIn(),
      { method: "GET", url: `wss://app.example.com/ws/notifications?access_token=${accessToken}`, status: 101, from: SPA, at: 300, okta: false, responseHeaders: { upgrade: "websocket", connection: "Upgrade" }, comment: "expect: token-in-url (access token in the websocket URL)" },
      { method: "GET", url: `${API}/api/messages?access_token=${accessToken}`, status: 200, from: SPA, at: 400, okta: false, responseHeaders: { "content-type": "application/json", ...cors }, response: messages, comment: "expect: token-in-url (access token in the API's query)" },
      apiCall(`${API}/api/messages`, accessToken, 500, 200, "expect: none (the same token in the Authorization header)"),
    ],
  },
  "trust-beyond-expired-at-api.har": {
    producer: "chrome",
    start: START,
    comment: "The SPA keeps sending its access token after exp; its API answers 401 invalid_token. A call within the hour is fine.",
    entries: [
      signIn(),
      apiCall(`${API}/api/messages`, accessToken, 3_500_000, 200, "expect: none (within the token's hour)"),
      { ...apiCall(`${API}/api/messages`, accessToken, 3_720_000, 401, "expect: expired-token (the access token expired 2 min before)"), responseHeaders: bearerChallenge("Jwt is expired") },
    ],
  },
  "trust-beyond-analytics-id-token.har": {
    producer: "chrome",
    start: START,
    comment: "An analytics tag reports the page URL, which still holds the ID token in its fragment, to Google Analytics.",
    entries: [
      signIn(),
      {
        method: "GET",
        url: `https://www.google-analytics.com/g/collect?v=2&tid=G-ABC123&dl=${encodeURIComponent(`${APP}/login/callback#id_token=${idToken}&state=xyz`)}`,
        status: 204,
        from: { browser: APP, mode: "no-cors" },
        at: 300,
        okta: false,
        headers: { cookie: "_ga=GA1.1.1234567890.1763719200" },
        comment: "expect: token-to-third-party (the ID token to an analytics host)",
      },
    ],
  },
};
