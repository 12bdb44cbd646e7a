import rule from "../../rules/cookie-missing.js";
import { spaSignin } from "../../scripts/gen-samples.js";
import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { samples } from "../../scripts/samples/rules/cookie-missing.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const sid = "102" + fakeRandom("cm-sid", 22);
const USER = { id: "00u1ab2cdEFGH3ijK4l7", status: "ACTIVE", profile: { login: "dana@example.com" } };
const cors = { "access-control-allow-origin": APP, "access-control-allow-credentials": "true" };
const noSession = { errorCode: "E0000007", errorSummary: "Not found: Resource not found: me (Session)", errorLink: "E0000007", errorId: "oae1", errorCauses: [] };

/** The sign-in navigation that leaves the Okta session cookie in the browser. */
const signIn = (org = ORG): EntrySpec => ({
  method: "GET",
  url: `${org}/login/sessionCookieRedirect?token=${fakeRandom("cm-token", 42)}&redirectUrl=${encodeURIComponent(APP + "/home")}`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  responseHeaders: { location: `${APP}/home`, "set-cookie": `sid=${sid};Version=1;Path=/;Secure;HttpOnly;SameSite=None` },
});
const usersMe = (at: number, cookie: string | undefined, org = ORG): EntrySpec => ({
  method: "GET",
  url: `${org}/api/v1/users/me`,
  status: cookie ? 200 : 403,
  from: { browser: APP },
  at,
  headers: cookie ? { cookie } : {},
  responseHeaders: cookie ? cors : {},
  response: cookie ? USER : { errorCode: "E0000005", errorSummary: "Invalid session", errorLink: "E0000005", errorId: "oae2", errorCauses: [] },
});
const sessionsMe = (at: number, org = ORG, extra: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url: `${org}/api/v1/sessions/me`,
  status: 404,
  from: { browser: APP },
  at,
  responseHeaders: { "access-control-allow-origin": APP },
  response: noSession,
  ...extra,
});
const BROWSE = { source: "browse", sender: "browser" };
/** okta-auth-js's embedded sign-in: the hidden /authorize iframe (cross-site, not a top-level navigation) where Okta sets sid. */
const iframeAuthorize = (extra: Record<string, unknown> = {}): EntrySpec => ({
  method: "GET",
  url: `${ORG}/oauth2/default/v1/authorize?client_id=0oa1ab2cd3EFGH4ij5d7&response_type=code&response_mode=okta_post_message&prompt=none&sessionToken=${fakeRandom("cm-st", 30)}&code_challenge=${fakeRandom("cm-cc", 43)}&code_challenge_method=S256&state=st&nonce=n&redirect_uri=${encodeURIComponent(APP + "/callback")}&scope=openid`,
  status: 200,
  from: { browser: APP, mode: "navigate", dest: "iframe" },
  at: 0,
  responseHeaders: { "content-type": "text/html", "set-cookie": `sid=${sid};Version=1;Path=/;Secure;HttpOnly;SameSite=None` },
  extra: { _resourceType: "document", _associatedCookies: [], _oktalint: BROWSE, ...extra },
});
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
/** A browser request recorded by a proxy, with the Sec-Fetch headers written out (the builder's Chrome style always says cross-site). */
const viaProxy = (entry: EntrySpec, site: string, origin?: string): EntrySpec => ({
  ...entry,
  from: { server: CHROME_UA },
  headers: { ...(origin ? { Origin: origin } : {}), "Sec-Fetch-Site": site, "Sec-Fetch-Mode": entry.from && "browser" in entry.from && entry.from.mode === "navigate" ? "navigate" : "cors", "Sec-Fetch-Dest": entry.from && "browser" in entry.from && entry.from.mode === "navigate" ? "document" : "empty", ...(entry.headers as Record<string, string> | undefined) },
});
const LOGIN = "https://login.example.com";
const chrome = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: START, entries });
const now = Math.floor(Date.parse(START) / 1000);

ruleTester(rule, {
  valid: [
    { name: "sample cookie-missing.passes.har", capture: samples["cookie-missing.passes.har"]! },
    { name: "the SPA sign-in sample (users/me with the sid cookie)", capture: spaSignin },
    { name: "the call carries the session cookie", capture: chrome(signIn(), usersMe(1000, `sid=${sid}`)) },
    { name: "a browser with no Okta cookie at all (not signed in): nothing proves a cookie was left out", capture: chrome(sessionsMe(500)) },
    {
      name: "cross-site after Okta set sid, with no sign that third-party cookies reach Okta (third-party-cookies-blocked explains it)",
      capture: chrome(signIn(), sessionsMe(1000)),
    },
    {
      name: "the browser reported a third-party block (third-party-cookies-blocked explains it)",
      capture: chrome(signIn(), usersMe(500, `sid=${sid}`), sessionsMe(1000, ORG, { extra: { _associatedCookies: [{ cookie: { name: "sid", domain: "acme.okta.com" }, blockedReasons: ["ThirdPartyPhaseout"] }] } })),
    },
    {
      name: "embedded sign-in whose sid the browser refused (third-party cookies blocked): not the page's credentials (third-party-cookies-blocked says why)",
      capture: chrome(
        iframeAuthorize({ _blockedCookies: [{ blockedReasons: ["UserPreferences"], cookieLine: "sid=102…; Path=/", cookie: { name: "sid", domain: "acme.okta.com" } }] }),
        sessionsMe(1000, ORG, { extra: { _associatedCookies: [], _oktalint: BROWSE } }),
      ),
    },
    {
      name: "embedded sign-in in a capture without the browser's cookie evidence: the cross-site cookie may have been blocked (third-party-cookies-blocked)",
      capture: chrome(iframeAuthorize({ _oktalint: undefined }), sessionsMe(1000)),
    },
    {
      name: "after sign-out (Okta cleared sid at /logout), the app's session check finds no session: there was no cookie to send",
      capture: chrome(
        signIn(),
        usersMe(500, `sid=${sid}`),
        {
          method: "GET",
          url: `${ORG}/oauth2/v1/logout?id_token_hint=${fakeRandom("cm-idt", 40)}&post_logout_redirect_uri=${encodeURIComponent(APP + "/logout/callback")}`,
          status: 302,
          from: { browser: APP, mode: "navigate" },
          at: 1000,
          headers: { cookie: `sid=${sid}` },
          responseHeaders: { location: `${APP}/logout/callback`, "set-cookie": 'sid=""; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/' },
        },
        sessionsMe(1500, ORG, { extra: { _associatedCookies: [], _oktalint: BROWSE } }),
      ),
    },
    {
      name: "a sanitized export (no Cookie headers anywhere proves nothing)",
      capture: { ...chrome(signIn(), usersMe(500, `sid=${sid}`), sessionsMe(1000)), sanitized: true },
    },
    {
      name: "users/me with an org-AS access token instead of the cookie",
      capture: chrome(signIn(), usersMe(500, `sid=${sid}`), {
        ...usersMe(1000, undefined),
        status: 200,
        responseHeaders: cors,
        response: USER,
        headers: { authorization: `Bearer ${fakeJwt({ iss: ORG, aud: ORG, iat: now, exp: now + 3600, cid: "0oa1ab2cd3EFGH4ij5d7", uid: USER.id, scp: ["okta.users.read.self"] })}` },
      }),
    },
  ],
  invalid: [
    { name: "sample cookie-missing.fires.har", capture: samples["cookie-missing.fires.har"]!, errors: [{ entry: 2, messageId: "noCredentials" }] },
    {
      name: "cross-site: the same page sent the cookie before, then calls sessions/me without credentials",
      capture: chrome(signIn(), usersMe(500, `sid=${sid}`), sessionsMe(1000)),
      errors: [{ entry: 2, messageId: "noCredentials", severity: "error", message: "GET /api/v1/sessions/me from https://app.example.com (entry 2) sent no cookies at all, although the browser holds Okta cookies for acme.okta.com (sid set at entry 0): GET /api/v1/sessions/me authenticates with the Okta session cookie" }],
    },
    {
      name: "sign-out (DELETE /api/v1/sessions/me) without credentials after a call that did send the cookie",
      capture: chrome(signIn(), usersMe(500, `sid=${sid}`), sessionsMe(1000, ORG, { method: "DELETE" })),
      errors: [{ entry: 2, messageId: "noCredentials", message: "DELETE /api/v1/sessions/me from https://app.example.com (entry 2) sent no cookies at all" }],
    },
    {
      name: "same-site custom domain (login.example.com for app.example.com): users/me without credentials",
      capture: { producer: "proxy", start: START, entries: [viaProxy(signIn(LOGIN), "same-site"), viaProxy(usersMe(1000, undefined, LOGIN), "same-site", APP)] },
      errors: [{ entry: 1, messageId: "noCredentials", message: "GET /api/v1/users/me from https://app.example.com (entry 1) sent no cookies at all, although the browser holds Okta cookies for login.example.com (sid set at entry 0)" }],
    },
    {
      name: "cross-site after Okta set sid, and the browser recorded that it considered no cookie (oktalint browse): made without credentials, for certain",
      capture: chrome(signIn(), sessionsMe(1000, ORG, { extra: { _associatedCookies: [] } })),
      errors: [{ entry: 1, messageId: "noCredentials", message: 'the page must call it with credentials: "include"' }],
    },
    {
      name: "embedded sign-in: sid set through the cross-site /authorize iframe, kept by the browser (oktalint browse recorded no refusal), then a call without credentials",
      capture: chrome(iframeAuthorize(), sessionsMe(1000, ORG, { extra: { _associatedCookies: [], _oktalint: BROWSE } })),
      errors: [{ entry: 1, messageId: "noCredentials", confidence: "certain", message: "GET /api/v1/sessions/me from https://app.example.com (entry 1) sent no cookies at all, although the browser holds Okta cookies for acme.okta.com (sid set at entry 0)" }],
    },
    {
      name: "the browser reported the session cookie blocked for another reason",
      capture: chrome(signIn(), usersMe(500, `sid=${sid}`), sessionsMe(1000, ORG, { extra: { _associatedCookies: [{ cookie: { name: "sid", domain: "acme.okta.com", secure: true }, blockedReasons: ["SecureOnly"] }] } })),
      errors: [{ entry: 2, messageId: "blocked", message: "because the browser blocked it: SecureOnly (the cookie is Secure and the request used http://)" }],
    },
  ],
});
