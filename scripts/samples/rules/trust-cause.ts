/**
 * Issue 11, class 4: where two rules see one problem, the capture shows one
 * finding (the cause's message and fix) with the other rule's finding as its
 * symptom. Each entry's `expect:` names the problem as `cause > symptom`.
 */
import { fakeApiToken, fakeJwt, fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const SDK = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const CLIENT = "0oa1ab2cd3EFGH4ij5d7";
const sid = "102" + fakeRandom("trust-cause-sid", 22);
const oktaError = (code: string, summary: string, seed: string) => ({ errorCode: code, errorSummary: summary, errorLink: code, errorId: "oae" + fakeRandom(seed, 19), errorCauses: [] });
const rejected = (seed: string) => oktaError("E0000011", "Invalid token provided", seed);
const customAsToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("trust-cause-at", 43), iss: `${ORG}/oauth2/default`, aud: "api://default", iat: T0 - 60, exp: T0 + 3540, cid: CLIENT, uid: "00u1ab2cdEFGH3ijK4l7", sub: "dana@example.com", scp: ["openid", "profile"] });

const listUsers = (authorization: string, status: number, response: unknown, comment: string, host = ORG): EntrySpec => ({
  method: "GET",
  url: `${host}/api/v1/users?limit=200`,
  status,
  from: SDK,
  at: 400,
  headers: { Authorization: authorization },
  response: response as Record<string, unknown>,
  comment,
});

/** A sign-in in a top-level window: Okta sets its session cookie (first-party). */
const signIn = (from: EntrySpec["from"], headers?: Record<string, string>): EntrySpec => ({
  method: "GET",
  url: `${ORG}/login/sessionCookieRedirect?token=${fakeOneTimeToken("trust-cause-redirect")}&redirectUrl=${encodeURIComponent(APP + "/home")}`,
  status: 302,
  from,
  at: 0,
  ...(headers ? { headers } : {}),
  responseHeaders: { location: `${APP}/home`, "set-cookie": `sid=${sid};Version=1;Path=/;Secure;HttpOnly;SameSite=None` },
  comment: "expect: none (Okta sets its session cookie in a top-level navigation)",
});

export const samples: Record<string, CaptureSpec> = {
  "trust-cause-custom-as-token-as-ssws.har": {
    producer: "proxy",
    start: START,
    comment: "okta-sdk-nodejs given a custom authorization server's access token as its API token: it sends `SSWS eyJ…`.",
    entries: [
      listUsers(
        `SSWS ${customAsToken}`,
        401,
        rejected("trust-cause-e1"),
        "expect: authorization-scheme > api-token-rejected (switching to Bearer is not enough: a custom-AS token; Okta's rejection is its symptom)",
      ),
    ],
  },
  "trust-cause-quoted-api-token.har": {
    producer: "proxy",
    start: START,
    comment: "An API token read from a .env file with its quotes: they are sent as part of the credential.",
    entries: [listUsers(`SSWS "${fakeApiToken("trust-cause-quoted")}"`, 401, rejected("trust-cause-e2"), "expect: authorization-scheme > api-token-rejected (the quotes are why Okta rejects the token)")],
  },
  "trust-cause-admin-host.har": {
    producer: "proxy",
    start: START,
    comment: "A base URL copied from the Admin Console: the -admin host.",
    entries: [listUsers(`SSWS ${fakeApiToken("trust-cause-admin")}`, 401, rejected("trust-cause-e3"), "expect: wrong-base-url > api-token-rejected (the -admin host rejects the token)", "https://acme-admin.okta.com")],
  },
  "trust-cause-silent-renew.har": {
    producer: "proxy",
    start: START,
    comment: "A hidden-iframe silent renew (prompt=none) after sign-in, recorded by a proxy: the browser drops Okta's cookie in the cross-site iframe and Okta answers login_required.",
    entries: [
      signIn({ server: CHROME_UA }, { "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document" }),
      {
        method: "GET",
        url: `${ORG}/oauth2/v1/authorize?client_id=${CLIENT}&response_type=code&response_mode=okta_post_message&prompt=none&scope=openid&state=s2&nonce=n2&code_challenge=${fakeRandom("trust-cause-cc", 43)}&code_challenge_method=S256&redirect_uri=${encodeURIComponent(APP + "/cb")}`,
        status: 200,
        from: { server: CHROME_UA },
        at: 30_000,
        headers: { "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe", Referer: APP + "/" },
        response: {
          mimeType: "text/html",
          text: `<html><body><script type="text/javascript">var data = { 'error' : 'login_required', 'error_description' : 'The client specified not to prompt, but the user is not logged in.', 'state' : 's2' }; window.parent.postMessage(data, '${APP}');</script></body></html>`,
        },
        comment: "expect: third-party-cookies-blocked > authorize-error (login_required because the browser did not send Okta's cookie)",
      },
    ],
  },
  "trust-cause-session-check-cors.har": {
    producer: "chrome",
    start: START,
    comment: "After sign-in, the app checks the Okta session by XHR from its own site; the browser blocks Okta's cookie and Okta's 404 has no CORS headers.",
    entries: [
      signIn({ browser: APP, mode: "navigate" }),
      {
        method: "GET",
        url: `${ORG}/api/v1/sessions/me`,
        status: 404,
        from: { browser: APP },
        at: 2500,
        response: oktaError("E0000007", "Not found: Resource not found: me (Session)", "trust-cause-e4"),
        comment: "expect: third-party-cookies-blocked > untrusted-origin (the CORS error follows from the 404 for a call without Okta's cookie)",
      },
    ],
  },
};
