import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const ISSUER = `${ORG}/oauth2/default`;
const CLIENT_ID = "0oa1ab2cd3EFGH4ij5d7";
const USER_ID = "00u1ab2cdEFGH3ijK4l7";
const START = "2026-11-21T09:30:00.000Z";
const now = Math.floor(Date.parse(START) / 1000);
const state = fakeRandom("pkce-state", 64);
const nonce = fakeRandom("pkce-nonce", 64);
const code = fakeRandom("pkce-code", 43);
const sid = "102" + fakeRandom("pkce-sid", 22);
const verifier = fakeRandom("pkce-verifier", 64);
const challenge = fakeRandom("pkce-challenge", 43);
const callback = `${APP}/login/callback`;
const CORS = { "access-control-allow-origin": APP, vary: "Origin" };

const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("pkce-at", 43), iss: ISSUER, aud: "api://default", iat: now + 1, exp: now + 3601, cid: CLIENT_ID, uid: USER_ID, scp: ["openid", "profile"], auth_time: now - 60, sub: "dana@example.com" });
const idToken = fakeJwt({ sub: USER_ID, ver: 1, iss: ISSUER, aud: CLIENT_ID, iat: now + 1, exp: now + 3601, jti: "ID." + fakeRandom("pkce-id", 43), amr: ["pwd"], idp: "00o1ab2cd3EFGH4ij5d7", nonce, auth_time: now - 60, at_hash: fakeRandom("pkce-at-hash", 22) });

const discovery: EntrySpec = {
  method: "GET",
  url: `${ISSUER}/.well-known/openid-configuration`,
  status: 200,
  from: { browser: APP },
  at: 0,
  responseHeaders: CORS,
  response: { issuer: ISSUER, authorization_endpoint: `${ISSUER}/v1/authorize`, token_endpoint: `${ISSUER}/v1/token`, code_challenge_methods_supported: ["S256"] },
  comment: "expect: none",
};

const authorize = (pkce: boolean, comment: string): EntrySpec => ({
  method: "GET",
  url:
    `${ISSUER}/v1/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(callback)}&response_type=code&response_mode=query` +
    `&scope=openid%20profile&state=${state}&nonce=${nonce}` +
    (pkce ? `&code_challenge=${challenge}&code_challenge_method=S256` : ""),
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at: 310,
  headers: { cookie: `sid=${sid}` },
  responseHeaders: { location: `${callback}?code=${code}&state=${state}` },
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "token-request-without-pkce.fires.har": {
    producer: "chrome",
    start: START,
    comment: "A single-page app configured without PKCE: Okta refuses its browser token request.",
    entries: [
      discovery,
      authorize(false, "expect: none (no code_challenge: reported with the token request at entry 2)"),
      {
        method: "POST",
        url: `${ISSUER}/v1/token`,
        status: 401,
        from: { browser: APP },
        at: 905,
        responseHeaders: { ...CORS, "cache-control": "no-cache, no-store", pragma: "no-cache" },
        form: { client_id: CLIENT_ID, redirect_uri: callback, grant_type: "authorization_code", code },
        response: { error: "invalid_client", error_description: "Browser requests to the token endpoint must use Proof Key for Code Exchange." },
        comment: "expect: token-request-without-pkce",
      },
    ],
  },
  "token-request-without-pkce.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same app with PKCE on both legs.",
    entries: [
      discovery,
      authorize(true, "expect: none"),
      {
        method: "POST",
        url: `${ISSUER}/v1/token`,
        status: 200,
        from: { browser: APP },
        at: 905,
        responseHeaders: { ...CORS, "cache-control": "no-cache, no-store", pragma: "no-cache" },
        form: { client_id: CLIENT_ID, redirect_uri: callback, grant_type: "authorization_code", code_verifier: verifier, code },
        response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "openid profile", id_token: idToken },
        comment: "expect: none",
      },
    ],
  },
};
