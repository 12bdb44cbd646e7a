import { fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T09:12:40.000Z";
const CLIENT_ID = "0oa1ab2cd3EFGH4ij5d7";
const sessionToken = fakeOneTimeToken("session-token-misuse");
const sid = "102" + fakeRandom("session-token-misuse-sid", 22);
const user = { id: "00u1ab2cdEFGH3ijK4l7", passwordChanged: "2026-03-02T09:14:11.000Z", profile: { login: "dana@example.com", firstName: "Dana", lastName: "Reyes", locale: "en_US", timeZone: "America/Los_Angeles" } };
const iso = (ms: number) => new Date(Date.parse(START) + ms).toISOString().replace(/\.\d{3}Z$/, ".000Z");
const cors = { "access-control-allow-origin": APP, "access-control-allow-credentials": "true", vary: "Origin" };

const authn: EntrySpec = {
  method: "POST",
  url: `${ORG}/api/v1/authn`,
  status: 200,
  from: { browser: APP },
  at: 0,
  body: { username: "dana@example.com", password: "correct-horse-battery-staple", options: { warnBeforePasswordExpired: true, multiOptionalFactorEnroll: false } },
  responseHeaders: cors,
  response: { expiresAt: iso(300_000), status: "SUCCESS", sessionToken, _embedded: { user } },
  comment: "expect: none",
};
const authorize = (at: number, state: string, status: number, cookie: boolean, comment: string): EntrySpec => ({
  method: "GET",
  url: `${ORG}/oauth2/default/v1/authorize?client_id=${CLIENT_ID}&code_challenge=${fakeRandom("challenge" + state, 43)}&code_challenge_method=S256&nonce=${fakeRandom("nonce" + state, 32)}&redirect_uri=${encodeURIComponent(APP + "/login/callback")}&response_type=code&sessionToken=${sessionToken}&state=${state}&scope=openid%20profile%20email`,
  status,
  from: { browser: APP, mode: "navigate" },
  at,
  headers: cookie ? { cookie: `sid=${sid}` } : {},
  responseHeaders:
    status === 302
      ? { location: `${APP}/login/callback?code=${fakeRandom("code" + state, 43)}&state=${state}`, "set-cookie": `sid=${sid};Version=1;Path=/;Secure;HttpOnly;SameSite=None` }
      : {},
  ...(status === 200 ? { response: { mimeType: "text/html", text: "<!DOCTYPE html><html><head><title>Acme - Sign In</title></head><body><div id=\"okta-sign-in\"></div></body></html>" } } : {}),
  comment,
});
const state1 = fakeRandom("session-token-misuse-state1", 32);
const state2 = fakeRandom("session-token-misuse-state2", 32);

export const samples: Record<string, CaptureSpec> = {
  "session-token-misuse.fires.har": {
    producer: "chrome",
    start: START,
    comment: "A custom sign-in page that treats the sessionToken as an access token, then redeems it twice.",
    entries: [
      authn,
      {
        method: "GET",
        url: `${ORG}/api/v1/users/me`,
        status: 401,
        from: { browser: APP },
        at: 380,
        headers: { authorization: `Bearer ${sessionToken}` },
        responseHeaders: cors,
        response: { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae" + fakeRandom("stm-e1", 19), errorCauses: [] },
        comment: "expect: session-token-misuse (the sessionToken sent as a Bearer token)",
      },
      authorize(1200, state1, 302, false, "expect: none (the designed one-time redemption)"),
      authorize(95_000, state2, 200, true, "expect: session-token-misuse (the same sessionToken redeemed a second time)"),
    ],
  },
  "session-token-misuse.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same page redeeming the sessionToken once and then using the session cookie.",
    entries: [
      authn,
      authorize(1200, state1, 302, false, "expect: none"),
      {
        method: "GET",
        url: `${ORG}/api/v1/users/me`,
        status: 200,
        from: { browser: APP },
        at: 2100,
        headers: { cookie: `sid=${sid}` },
        responseHeaders: cors,
        response: { ...user, status: "ACTIVE" },
        comment: "expect: none",
      },
    ],
  },
};
