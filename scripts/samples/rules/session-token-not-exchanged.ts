import { fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://shop.example.com";
const START = "2026-11-21T11:02:05.000Z";
const sessionToken = fakeOneTimeToken("session-token-not-exchanged");
const sid = "102" + fakeRandom("session-token-not-exchanged-sid", 22);
const user = { id: "00u1ab2cdEFGH3ijK4l7", passwordChanged: "2026-03-02T09:14:11.000Z", profile: { login: "dana@example.com", firstName: "Dana", lastName: "Reyes", locale: "en_US", timeZone: "America/Los_Angeles" } };
const cors = { "access-control-allow-origin": APP, "access-control-allow-credentials": "true", vary: "Origin" };
const session = { id: sid, userId: user.id, login: "dana@example.com", createdAt: "2026-11-21T11:02:06.000Z", expiresAt: "2026-11-21T13:02:06.000Z", status: "ACTIVE", lastPasswordVerification: "2026-11-21T11:02:05.000Z", amr: ["pwd"], mfaActive: false };

const dt = fakeRandom("session-token-not-exchanged-dt", 30);

const authn: EntrySpec = {
  method: "POST",
  url: `${ORG}/api/v1/authn`,
  status: 200,
  from: { browser: APP },
  at: 0,
  body: { username: "dana@example.com", password: "correct-horse-battery-staple", options: { warnBeforePasswordExpired: true, multiOptionalFactorEnroll: false } },
  responseHeaders: { ...cors, "set-cookie": `DT=${dt};Version=1;Path=/;Max-Age=63072000;Secure;Expires=Mon, 20 Nov 2028 11:02:05 GMT;HttpOnly;SameSite=None` },
  response: { expiresAt: "2026-11-21T11:07:05.000Z", status: "SUCCESS", sessionToken, _embedded: { user } },
};

export const samples: Record<string, CaptureSpec> = {
  "session-token-not-exchanged.fires.har": {
    producer: "chrome",
    start: START,
    comment: "A custom sign-in form that gets a sessionToken and drops it, then wonders why the Okta session is missing.",
    entries: [
      { ...authn, comment: "expect: session-token-not-exchanged (the sessionToken is never redeemed)" },
      {
        method: "GET",
        url: `${ORG}/api/v1/sessions/me`,
        status: 404,
        from: { browser: APP },
        at: 640,
        headers: { cookie: `DT=${dt}` },
        responseHeaders: cors,
        response: { errorCode: "E0000007", errorSummary: "Not found: Resource not found: me (Session)", errorLink: "E0000007", errorId: "oae" + fakeRandom("stne-e1", 19), errorCauses: [] },
        comment: "expect: okta-error (credentials are sent, but no session exists: the sessionToken was never turned into one)",
      },
    ],
  },
  "session-token-not-exchanged.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same form redeeming the sessionToken with /login/sessionCookieRedirect.",
    entries: [
      { ...authn, comment: "expect: none" },
      {
        method: "GET",
        url: `${ORG}/login/sessionCookieRedirect?token=${sessionToken}&redirectUrl=${encodeURIComponent(APP + "/account")}`,
        status: 302,
        from: { browser: APP, mode: "navigate" },
        at: 520,
        responseHeaders: { location: `${APP}/account`, "set-cookie": `sid=${sid};Version=1;Path=/;Secure;HttpOnly;SameSite=None` },
        comment: "expect: none (the designed one-time use of the token in a URL)",
      },
      {
        method: "GET",
        url: `${ORG}/api/v1/sessions/me`,
        status: 200,
        from: { browser: APP },
        at: 1400,
        headers: { cookie: `DT=${dt}; sid=${sid}` },
        responseHeaders: cors,
        response: session,
        comment: "expect: none",
      },
    ],
  },
};
