import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const ISSUER = `${ORG}/oauth2/default`;
const CLIENT_ID = "0oa4kl5mn6OPQR7st8u9";
const USER_ID = "00u1ab2cdEFGH3ijK4l7";
const START = "2026-11-21T09:40:00.000Z";
const now = Math.floor(Date.parse(START) / 1000);
const state = fakeRandom("csb-state", 64);
const nonce = fakeRandom("csb-nonce", 64);
const code = fakeRandom("csb-code", 43);
const sid = "102" + fakeRandom("csb-sid", 22);
const verifier = fakeRandom("csb-verifier", 64);
const challenge = fakeRandom("csb-challenge", 43);
const clientSecret = fakeRandom("csb-client-secret", 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
const callback = `${APP}/login/callback`;
const CORS = { "access-control-allow-origin": APP, vary: "Origin" };

const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("csb-at", 43), iss: ISSUER, aud: "api://default", iat: now + 1, exp: now + 3601, cid: CLIENT_ID, uid: USER_ID, scp: ["openid", "email"], auth_time: now - 30, sub: "dana@example.com" });
const idToken = fakeJwt({ sub: USER_ID, ver: 1, iss: ISSUER, aud: CLIENT_ID, iat: now + 1, exp: now + 3601, jti: "ID." + fakeRandom("csb-id", 43), amr: ["pwd"], nonce, auth_time: now - 30, at_hash: fakeRandom("csb-at-hash", 22) });

const authorize: EntrySpec = {
  method: "GET",
  url: `${ISSUER}/v1/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(callback)}&response_type=code&scope=openid%20email&state=${state}&nonce=${nonce}&code_challenge=${challenge}&code_challenge_method=S256`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  headers: { cookie: `sid=${sid}` },
  responseHeaders: { location: `${callback}?code=${code}&state=${state}` },
  comment: "expect: none",
};

const token = (form: Record<string, string>, comment: string): EntrySpec => ({
  method: "POST",
  url: `${ISSUER}/v1/token`,
  status: 200,
  from: { browser: APP },
  at: 640,
  responseHeaders: { ...CORS, "cache-control": "no-cache, no-store", pragma: "no-cache" },
  form: { client_id: CLIENT_ID, redirect_uri: callback, grant_type: "authorization_code", code_verifier: verifier, code, ...form },
  response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "openid email", id_token: idToken },
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "client-secret-in-browser.fires.har": {
    producer: "chrome",
    start: START,
    comment: "A React app built from a web-app sample: it ships the client secret and sends it with the token request.",
    entries: [authorize, token({ client_secret: clientSecret }, "expect: client-secret-in-browser")],
  },
  "client-secret-in-browser.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same app as an Okta SPA app: PKCE only, no secret in the page.",
    entries: [authorize, token({}, "expect: none")],
  },
};
