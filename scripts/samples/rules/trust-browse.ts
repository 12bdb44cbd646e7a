/**
 * Issue 18: what `oktalint browse` records, judged with all of its evidence.
 * Every entry carries the recorder's mark (`_oktalint`) and the browser's own
 * cookie decisions (`_associatedCookies`, `_blockedCookies`).
 */
import { fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-12-07T10:00:00.000Z";
const SPA = "0oa8f3kq2ZRtUvW1x5d7";
const BROWSE = { _oktalint: { source: "browse", sender: "browser" } };
const sid = "102" + fakeRandom("trust-browse-sid", 22);
const code = fakeRandom("trust-browse-code", 43);
const state = fakeRandom("trust-browse-state", 32);

const appPage: EntrySpec = {
  method: "GET",
  url: `${APP}/`,
  status: 200,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  okta: false,
  response: { mimeType: "text/html", text: "<!doctype html><title>App</title>" },
  extra: { ...BROWSE, _associatedCookies: [] },
  comment: "expect: none",
};

export const samples: Record<string, CaptureSpec> = {
  "trust-browse-embedded-signin.har": {
    producer: "chrome",
    start: START,
    comment:
      "Recorded by oktalint browse: okta-auth-js's embedded sign-in gets its code from the hidden /authorize iframe (cross-site), where Okta sets sid and the browser keeps it (it reported no refusal); the app then checks the session with fetch and no credentials: \"include\".",
    entries: [
      appPage,
      {
        method: "GET",
        url: `${ORG}/oauth2/v1/authorize?client_id=${SPA}&response_type=code&response_mode=okta_post_message&prompt=none&scope=openid&state=${state}&nonce=n1&code_challenge=${fakeRandom("trust-browse-cc", 43)}&code_challenge_method=S256&redirect_uri=${encodeURIComponent(APP + "/callback")}`,
        status: 200,
        from: { browser: APP, mode: "navigate", dest: "iframe" },
        at: 300,
        responseHeaders: { "set-cookie": `sid=${sid}; Path=/; Secure; HttpOnly; SameSite=None` },
        response: {
          mimeType: "text/html",
          text: `<!DOCTYPE html><html><head><script type="text/javascript">\n      var data = {\n        code: '${code}',\n        state: '${state}'\n      };\n      window.parent.postMessage(data, '${APP}');\n    </script></head><body></body></html>`,
        },
        extra: { ...BROWSE, _associatedCookies: [] },
        comment: "expect: none (the iframe's answer: sid kept by the browser)",
      },
      {
        method: "GET",
        url: `${ORG}/api/v1/sessions/me`,
        status: 404,
        from: { browser: APP },
        at: 900,
        responseHeaders: { "access-control-allow-origin": APP, "access-control-allow-credentials": "true" },
        response: { errorCode: "E0000007", errorSummary: "Not found: Resource not found: me (Session)", errorLink: "E0000007", errorId: "oae1", errorCauses: [] },
        extra: { ...BROWSE, _associatedCookies: [] },
        comment: "expect: cookie-missing (the browser holds sid and considered no cookie: the page left credentials out)",
      },
    ],
  },
  "trust-browse-preflight-refused.har": {
    producer: "chrome",
    start: START,
    comment:
      "Recorded by oktalint browse: a sign-in from an origin the org does not trust dies at the CORS preflight, so no credential was ever sent. expect: none (an oktalint recording is never a sanitized export)",
    entries: [
      appPage,
      {
        method: "OPTIONS",
        url: `${ORG}/api/v1/authn`,
        status: 403,
        from: { browser: APP },
        at: 200,
        headers: { "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-okta-user-agent-extended" },
        extra: { ...BROWSE, _associatedCookies: [] },
        comment: "expect: untrusted-origin (refused preflight: the sign-in never went out)",
      },
    ],
  },
};
