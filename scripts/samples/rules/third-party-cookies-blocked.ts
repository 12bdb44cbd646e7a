import { fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T08:15:00.000Z";
const CLIENT_ID = "0oa1ab2cd3EFGH4ij5d7";
const sid = "102" + fakeRandom("third-party-sid", 22);
const state = fakeRandom("third-party-state", 32);
const cors = { "access-control-allow-origin": APP, "access-control-allow-credentials": "true", vary: "Origin" };
const noSession = (seed: string) => ({ errorCode: "E0000007", errorSummary: "Not found: Resource not found: me (Session)", errorLink: "E0000007", errorId: "oae" + fakeRandom(seed, 19), errorCauses: [] });
const session = { id: sid, userId: "00u1ab2cdEFGH3ijK4l7", login: "dana@example.com", createdAt: "2026-11-21T08:15:01.000Z", expiresAt: "2026-11-21T10:15:01.000Z", status: "ACTIVE", amr: ["pwd"], mfaActive: false };

const authorize: EntrySpec = {
  method: "GET",
  url: `${ORG}/oauth2/v1/authorize?client_id=${CLIENT_ID}&code_challenge=${fakeRandom("third-party-challenge", 43)}&code_challenge_method=S256&nonce=${fakeRandom("third-party-nonce", 32)}&redirect_uri=${encodeURIComponent(APP + "/login/callback")}&response_type=code&state=${state}&scope=openid%20profile`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  responseHeaders: { location: `${APP}/login/callback?code=${fakeRandom("third-party-code", 43)}&state=${state}`, "set-cookie": `sid=${sid};Version=1;Path=/;Secure;HttpOnly;SameSite=None` },
  comment: "expect: none (Okta sets its session cookie in a top-level navigation)",
};

export const samples: Record<string, CaptureSpec> = {
  "third-party-cookies-blocked.fires.har": {
    producer: "chrome",
    start: START,
    comment: "After signing in, the app checks and refreshes the Okta session by XHR; the browser blocks Okta's cookie as a third-party cookie.",
    entries: [
      authorize,
      {
        method: "GET",
        url: `${ORG}/api/v1/sessions/me`,
        status: 404,
        from: { browser: APP },
        at: 2500,
        responseHeaders: cors,
        response: noSession("tpc-e1"),
        comment: "expect: third-party-cookies-blocked (no sid on a cross-site call after Okta set it)",
      },
      {
        method: "POST",
        url: `${ORG}/api/v1/sessions/me/lifecycle/refresh`,
        status: 404,
        from: { browser: APP },
        at: 61_000,
        responseHeaders: cors,
        response: noSession("tpc-e2"),
        extra: { _associatedCookies: [{ cookie: { name: "sid", domain: "acme.okta.com", path: "/", secure: true, httpOnly: true, sameSite: "None" }, blockedReasons: ["ThirdPartyPhaseout"] }] },
        comment: "expect: third-party-cookies-blocked (the browser reported sid blocked: ThirdPartyPhaseout)",
      },
    ],
  },
  "third-party-cookies-blocked.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same app in a browser that lets Okta's cookie through.",
    entries: [
      authorize,
      {
        method: "GET",
        url: `${ORG}/api/v1/sessions/me`,
        status: 200,
        from: { browser: APP },
        at: 2500,
        headers: { cookie: `sid=${sid}` },
        responseHeaders: cors,
        response: session,
        comment: "expect: none",
      },
    ],
  },
};
