import { fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://portal.example.com";
const START = "2026-11-21T16:40:10.000Z";
const sid = "102" + fakeRandom("cookie-missing-sid", 22);
const user = { id: "00u1ab2cdEFGH3ijK4l7", status: "ACTIVE", profile: { login: "dana@example.com", firstName: "Dana", lastName: "Reyes" } };
const cors = { "access-control-allow-origin": APP, "access-control-allow-credentials": "true", vary: "Origin" };
const session = { id: sid, userId: user.id, login: "dana@example.com", createdAt: "2026-11-21T16:40:10.000Z", expiresAt: "2026-11-21T18:40:10.000Z", status: "ACTIVE", amr: ["pwd"], mfaActive: false };

const signIn: EntrySpec = {
  method: "GET",
  url: `${ORG}/login/sessionCookieRedirect?token=${fakeOneTimeToken("cookie-missing-token")}&redirectUrl=${encodeURIComponent(APP + "/home")}`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  responseHeaders: { location: `${APP}/home`, "set-cookie": `sid=${sid};Version=1;Path=/;Secure;HttpOnly;SameSite=None` },
  comment: "expect: none (the session cookie is set by a top-level navigation)",
};
const usersMe: EntrySpec = {
  method: "GET",
  url: `${ORG}/api/v1/users/me`,
  status: 200,
  from: { browser: APP },
  at: 900,
  headers: { cookie: `sid=${sid}` },
  responseHeaders: cors,
  response: user,
  comment: "expect: none (okta-auth-js sends credentials: \"include\")",
};

export const samples: Record<string, CaptureSpec> = {
  "cookie-missing.fires.har": {
    producer: "chrome",
    start: START,
    comment: "A portal reads the user with okta-auth-js, then checks the session with a plain fetch() that sends no credentials.",
    entries: [
      signIn,
      usersMe,
      {
        method: "GET",
        url: `${ORG}/api/v1/sessions/me`,
        status: 404,
        from: { browser: APP },
        at: 1500,
        responseHeaders: cors,
        response: { errorCode: "E0000007", errorSummary: "Not found: Resource not found: me (Session)", errorLink: "E0000007", errorId: "oae" + fakeRandom("cm-e1", 19), errorCauses: [] },
        comment: "expect: cookie-missing (fetch without credentials: \"include\")",
      },
    ],
  },
  "cookie-missing.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same portal with credentials: \"include\" on the session check.",
    entries: [
      signIn,
      usersMe,
      {
        method: "GET",
        url: `${ORG}/api/v1/sessions/me`,
        status: 200,
        from: { browser: APP },
        at: 1500,
        headers: { cookie: `sid=${sid}` },
        responseHeaders: cors,
        response: session,
        comment: "expect: none",
      },
    ],
  },
};
