import { fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const sid = "102" + fakeRandom("sanitized-sample-sid", 22);
const sessionId = "102" + fakeRandom("sanitized-sample-session", 22);

/** An app page checking the user's Okta session from the browser. */
function entries(withCookie: boolean): EntrySpec[] {
  return [
    {
      method: "GET",
      url: `${APP}/account`,
      status: 200,
      from: { browser: APP, mode: "navigate" },
      at: 0,
      okta: false,
      response: { mimeType: "text/html", text: "<!DOCTYPE html><html><head><title>My account</title></head><body><div id=\"root\"></div></body></html>" },
      comment: "expect: none (the app's own page)",
    },
    {
      method: "GET",
      url: `${ORG}/api/v1/sessions/me`,
      status: 200,
      from: { browser: APP },
      at: 640,
      ...(withCookie ? { headers: { cookie: `sid=${sid}` } } : {}),
      responseHeaders: { "access-control-allow-origin": APP, "access-control-allow-credentials": "true", vary: "Origin" },
      response: {
        id: sessionId,
        userId: "00u1ab2cdEFGH3ijK4l7",
        login: "dana@example.com",
        createdAt: "2026-11-21T09:41:12.000Z",
        expiresAt: "2026-11-21T11:41:12.000Z",
        status: "ACTIVE",
        lastPasswordVerification: "2026-11-21T09:41:12.000Z",
        amr: ["pwd"],
        idp: { id: "00o1ab2cd3EFGH4ij5d7", type: "OKTA" },
        mfaActive: false,
      },
      comment: withCookie ? "expect: none" : "expect: none (cookie-missing stays silent: the export removed the Cookie header)",
    },
  ];
}

export const samples: Record<string, CaptureSpec> = {
  "sanitized-capture.fires.har": {
    producer: "chrome",
    start: START,
    sanitized: true,
    comment: "expect: sanitized-capture (Chrome's default \"HAR (sanitized)\" export: no Cookie, Set-Cookie or Authorization headers)",
    entries: entries(false),
  },
  "sanitized-capture.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same page exported \"with sensitive data\": the session cookie is there.",
    entries: entries(true),
  },
};
