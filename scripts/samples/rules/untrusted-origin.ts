import { fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const PAGE = "https://portal.example.com";
const START = "2026-11-21T17:19:58.000Z";
const ISSUER = `${ORG}/oauth2/default`;
const stateToken = "00" + fakeRandom("untrusted-origin-state", 40);
const discovery = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/v1/authorize`,
  token_endpoint: `${ISSUER}/v1/token`,
  userinfo_endpoint: `${ISSUER}/v1/userinfo`,
  jwks_uri: `${ISSUER}/v1/keys`,
  response_types_supported: ["code"],
  code_challenge_methods_supported: ["S256"],
};
const allowed = { "access-control-allow-origin": PAGE, "access-control-allow-credentials": "true", vary: "Origin" };

/** The portal's own page load (not Okta's): a browser capture holds the app's traffic too. */
const pageLoad: EntrySpec = {
  method: "GET",
  url: `${PAGE}/login`,
  status: 200,
  from: { browser: PAGE, mode: "navigate" },
  at: 0,
  okta: false,
  headers: { cookie: `portal_session=${fakeRandom("untrusted-origin-app-session", 32)}` },
  responseHeaders: { "cache-control": "no-cache" },
  response: { mimeType: "text/html", text: "<!DOCTYPE html><html><head><title>Portal</title><script src=\"/assets/app.js\"></script></head><body><div id=\"root\"></div></body></html>" },
  comment: "expect: none (the portal's own page, not an Okta call)",
};

const preflight = (status: number, headers: Record<string, string>, comment: string): EntrySpec => ({
  method: "OPTIONS",
  url: `${ORG}/api/v1/authn`,
  status,
  from: { browser: PAGE },
  at: 1200,
  headers: { "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-okta-user-agent-extended" },
  responseHeaders: headers,
  comment,
});
const config = (headers: Record<string, string>, comment: string): EntrySpec => ({
  method: "GET",
  url: `${ISSUER}/.well-known/openid-configuration`,
  status: 200,
  from: { browser: PAGE },
  at: 2100,
  responseHeaders: headers,
  response: discovery,
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "untrusted-origin.fires.har": {
    producer: "chrome",
    start: START,
    comment: "A portal whose origin was never added as a Trusted Origin: the sign-in preflight and the discovery call fail CORS.",
    entries: [
      pageLoad,
      preflight(403, {}, "expect: untrusted-origin (preflight answered without Access-Control-Allow-Origin; the POST never went out)"),
      config({}, "expect: untrusted-origin (the answer carries no Access-Control-Allow-Origin)"),
    ],
  },
  "untrusted-origin.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same portal after adding https://portal.example.com as a Trusted Origin (CORS).",
    entries: [
      pageLoad,
      preflight(200, { ...allowed, "access-control-allow-methods": "POST, OPTIONS", "access-control-allow-headers": "content-type,x-okta-user-agent-extended", "access-control-max-age": "3600" }, "expect: none"),
      {
        method: "POST",
        url: `${ORG}/api/v1/authn`,
        status: 200,
        from: { browser: PAGE },
        at: 1500,
        headers: { "x-okta-user-agent-extended": "okta-auth-js/7.8.1" },
        body: { username: "dana@example.com", password: "correct-horse-battery-staple" },
        responseHeaders: allowed,
        response: {
          stateToken,
          expiresAt: "2026-11-21T17:25:00.000Z",
          status: "MFA_REQUIRED",
          _embedded: { user: { id: "00u1ab2cdEFGH3ijK4l7", profile: { login: "dana@example.com" } }, factors: [{ id: "opf1ab2cd3EFGH4ij5d7", factorType: "token:software:totp", provider: "OKTA" }] },
        },
        comment: "expect: none",
      },
      config(allowed, "expect: none"),
    ],
  },
};
