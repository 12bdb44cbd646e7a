import { fakeJwt, fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Math.floor(Date.parse(START) / 1000);
const CLIENT = "0oa5mn7pq8RsTu9Vw0x1";
const USER = "00u1ab2cdEFGH3ijK4l7";
const issuer = `${ORG}/oauth2/default`;

const sessionToken = fakeOneTimeToken("deprecated-api-sample");
const verifier = fakeRandom("deprecated-verifier", 64);
const challenge = fakeRandom("deprecated-challenge", 43);
const code = fakeRandom("deprecated-code", 43);
const state = fakeRandom("deprecated-state", 32);
const nonce = fakeRandom("deprecated-nonce", 32);
const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("deprecated-at", 43), iss: issuer, aud: "api://default", iat: T0 + 2, exp: T0 + 3602, cid: CLIENT, uid: USER, scp: ["openid", "profile"], auth_time: T0 + 1, sub: "dana@example.com" });
const idToken = fakeJwt({ sub: USER, ver: 1, iss: issuer, aud: CLIENT, iat: T0 + 2, exp: T0 + 3602, jti: "ID." + fakeRandom("deprecated-id", 43), amr: ["pwd"], idp: "00o1ab2cd3EFGH4ij5d7", nonce, auth_time: T0 + 1 });
const user = { id: USER, passwordChanged: "2026-03-02T09:14:11.000Z", profile: { login: "dana@example.com", firstName: "Dana", lastName: "Reyes", locale: "en_US", timeZone: "America/Los_Angeles" } };

/** A single-page app with its own sign-in form: Classic /api/v1/authn, then /authorize with the sessionToken and PKCE. */
function flow(sessionCookie: string, authnComment: string): EntrySpec[] {
  return [
    {
      method: "POST",
      url: `${ORG}/api/v1/authn`,
      status: 200,
      from: { browser: APP },
      at: 0,
      responseHeaders: { "access-control-allow-origin": APP, "access-control-allow-credentials": "true" },
      body: { username: "dana@example.com", password: "correct-horse-battery-staple", options: { warnBeforePasswordExpired: true, multiOptionalFactorEnroll: false } },
      response: { expiresAt: "2026-11-21T10:05:00.000Z", status: "SUCCESS", sessionToken, _embedded: { user } },
      comment: authnComment,
    },
    {
      method: "GET",
      url: `${issuer}/v1/authorize?client_id=${CLIENT}&code_challenge=${challenge}&code_challenge_method=S256&nonce=${nonce}&redirect_uri=${encodeURIComponent(APP + "/login/callback")}&response_type=code&sessionToken=${sessionToken}&state=${state}&scope=openid%20profile`,
      status: 302,
      from: { browser: APP, mode: "navigate" },
      at: 480,
      responseHeaders: { location: `${APP}/login/callback?code=${code}&state=${state}`, "set-cookie": [sessionCookie] },
      comment: "expect: none (the browser redeems the sessionToken)",
    },
    {
      method: "POST",
      url: `${issuer}/v1/token`,
      status: 200,
      from: { browser: APP },
      at: 820,
      responseHeaders: { "access-control-allow-origin": APP, "cache-control": "no-cache, no-store", pragma: "no-cache" },
      form: { client_id: CLIENT, redirect_uri: APP + "/login/callback", grant_type: "authorization_code", code_verifier: verifier, code },
      response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "openid profile", id_token: idToken },
      comment: "expect: none",
    },
  ];
}

export const samples: Record<string, CaptureSpec> = {
  "deprecated-api.fires.har": {
    producer: "chrome",
    start: START,
    comment: "A custom sign-in form on the Classic Authentication API, in an org that runs Identity Engine (Okta sets the idx cookie).",
    entries: flow(`idx=${fakeRandom("deprecated-idx", 40)};Version=1;Path=/;Secure;HttpOnly;SameSite=None`, "expect: deprecated-api (/api/v1/authn in an Identity Engine org: the idx cookie at entry 1 shows the engine)"),
  },
  "deprecated-api.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same form in a Classic Engine org (Okta sets sid): nothing shows an Identity Engine org.",
    entries: flow(`sid=102${fakeRandom("deprecated-sid", 22)};Version=1;Path=/;Secure;HttpOnly;SameSite=None`, "expect: none"),
  },
};
