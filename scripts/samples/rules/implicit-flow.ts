import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const ISSUER = `${ORG}/oauth2/default`;
const CLIENT_ID = "0oa1ab2cd3EFGH4ij5d7";
const USER_ID = "00u1ab2cdEFGH3ijK4l7";
const START = "2026-11-21T10:25:00.000Z";
const now = Math.floor(Date.parse(START) / 1000);
const state = fakeRandom("impl-state", 64);
const nonce = fakeRandom("impl-nonce", 64);
const sid = "102" + fakeRandom("impl-sid", 22);
const code = fakeRandom("impl-code", 43);
const callback = `${APP}/implicit/callback`;
const CORS = { "access-control-allow-origin": APP, vary: "Origin" };

const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("impl-at", 43), iss: ISSUER, aud: "api://default", iat: now + 1, exp: now + 3601, cid: CLIENT_ID, uid: USER_ID, scp: ["openid", "profile"], auth_time: now - 120, sub: "dana@example.com" });
const idToken = fakeJwt({ sub: USER_ID, ver: 1, iss: ISSUER, aud: CLIENT_ID, iat: now + 1, exp: now + 3601, jti: "ID." + fakeRandom("impl-id", 43), amr: ["pwd"], nonce, auth_time: now - 120, at_hash: fakeRandom("impl-at-hash", 22) });

const userinfo = (at: number): EntrySpec => ({
  method: "GET",
  url: `${ISSUER}/v1/userinfo`,
  status: 200,
  from: { browser: APP },
  at,
  headers: { authorization: `Bearer ${accessToken}` },
  responseHeaders: CORS,
  response: { sub: USER_ID, name: "Dana Reyes", preferred_username: "dana@example.com" },
  comment: "expect: none",
});

export const samples: Record<string, CaptureSpec> = {
  "implicit-flow.fires.har": {
    producer: "chrome",
    start: START,
    comment: "An older Angular app signing in with the implicit flow (response_type=id_token token).",
    entries: [
      {
        method: "GET",
        url: `${ISSUER}/v1/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(callback)}&response_type=id_token%20token&response_mode=fragment&scope=openid%20profile&state=${state}&nonce=${nonce}`,
        status: 302,
        from: { browser: APP, mode: "navigate" },
        at: 0,
        headers: { cookie: `sid=${sid}` },
        responseHeaders: { location: `${callback}#id_token=${idToken}&access_token=${accessToken}&token_type=Bearer&expires_in=3600&scope=openid%20profile&state=${state}` },
        comment: "expect: implicit-flow (the tokens in the fragment are part of it: token-in-url stays silent here)",
      },
      userinfo(850),
    ],
  },
  "implicit-flow.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same app moved to Authorization Code with PKCE.",
    entries: [
      {
        method: "GET",
        url: `${ISSUER}/v1/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(callback)}&response_type=code&scope=openid%20profile&state=${state}&nonce=${nonce}&code_challenge=${fakeRandom("impl-challenge", 43)}&code_challenge_method=S256`,
        status: 302,
        from: { browser: APP, mode: "navigate" },
        at: 0,
        headers: { cookie: `sid=${sid}` },
        responseHeaders: { location: `${callback}?code=${code}&state=${state}` },
        comment: "expect: none",
      },
      {
        method: "POST",
        url: `${ISSUER}/v1/token`,
        status: 200,
        from: { browser: APP },
        at: 540,
        responseHeaders: { ...CORS, "cache-control": "no-cache, no-store", pragma: "no-cache" },
        form: { client_id: CLIENT_ID, redirect_uri: callback, grant_type: "authorization_code", code_verifier: fakeRandom("impl-verifier", 64), code },
        response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "openid profile", id_token: idToken },
        comment: "expect: none",
      },
      userinfo(850),
    ],
  },
};
