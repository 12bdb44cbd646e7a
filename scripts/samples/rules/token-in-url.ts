import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const ISSUER = `${ORG}/oauth2/default`;
const CLIENT_ID = "0oa1ab2cd3EFGH4ij5d7";
const USER_ID = "00u1ab2cdEFGH3ijK4l7";
const START = "2026-11-21T10:35:00.000Z";
const now = Math.floor(Date.parse(START) / 1000);
const sid = "102" + fakeRandom("tiu-sid", 22);
const CORS = { "access-control-allow-origin": APP, vary: "Origin" };

const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("tiu-at", 43), iss: ISSUER, aud: "api://default", iat: now - 600, exp: now + 3000, cid: CLIENT_ID, uid: USER_ID, scp: ["openid", "profile"], auth_time: now - 700, sub: "dana@example.com" });

const userinfo: EntrySpec = {
  method: "GET",
  url: `${ISSUER}/v1/userinfo`,
  status: 200,
  from: { browser: APP },
  at: 0,
  headers: { authorization: `Bearer ${accessToken}` },
  responseHeaders: CORS,
  response: { sub: USER_ID, name: "Dana Reyes", preferred_username: "dana@example.com" },
  comment: "expect: none",
};

const signOut = (at: number): EntrySpec => ({
  method: "GET",
  url: `${ISSUER}/v1/logout?id_token_hint=${fakeJwt({ sub: USER_ID, ver: 1, iss: ISSUER, aud: CLIENT_ID, iat: now - 600, exp: now + 3000, jti: "ID." + fakeRandom("tiu-id", 43), amr: ["pwd"], nonce: fakeRandom("tiu-nonce", 32) })}&post_logout_redirect_uri=${encodeURIComponent(APP + "/")}`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at,
  headers: { cookie: `sid=${sid}` },
  responseHeaders: { location: `${APP}/` },
  comment: "expect: none (id_token_hint is the designed use of an ID token in a URL)",
});

export const samples: Record<string, CaptureSpec> = {
  "token-in-url.fires.har": {
    producer: "chrome",
    start: START,
    comment: "A single-page app revokes its access token at sign-out with the parameters in the URL instead of the POST body.",
    entries: [
      userinfo,
      {
        method: "POST",
        url: `${ISSUER}/v1/revoke?token=${accessToken}&token_type_hint=access_token&client_id=${CLIENT_ID}`,
        status: 400,
        from: { browser: APP },
        at: 1200,
        responseHeaders: CORS,
        response: { error: "invalid_request", error_description: "The token parameter is required." },
        comment: "expect: token-in-url",
      },
      signOut(1500),
    ],
  },
  "token-in-url.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same sign-out with the revocation parameters in the form body.",
    entries: [
      userinfo,
      {
        method: "POST",
        url: `${ISSUER}/v1/revoke`,
        status: 200,
        from: { browser: APP },
        at: 1200,
        responseHeaders: CORS,
        form: { token: accessToken, token_type_hint: "access_token", client_id: CLIENT_ID },
        comment: "expect: none",
      },
      signOut(1500),
    ],
  },
};
