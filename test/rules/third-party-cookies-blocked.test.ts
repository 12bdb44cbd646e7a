import rule from "../../rules/third-party-cookies-blocked.js";
import { spaSignin } from "../../scripts/gen-samples.js";
import { fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { samples } from "../../scripts/samples/rules/third-party-cookies-blocked.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const sid = "102" + fakeRandom("tpc-sid", 22);
const idx = fakeRandom("tpc-idx", 40);
const cors = { "access-control-allow-origin": APP, "access-control-allow-credentials": "true" };
const noSession = { errorCode: "E0000007", errorSummary: "Not found: Resource not found: me (Session)", errorLink: "E0000007", errorId: "oae1", errorCauses: [] };

const signIn: EntrySpec = {
  method: "GET",
  url: `${ORG}/login/sessionCookieRedirect?token=${fakeRandom("tpc-token", 42)}&redirectUrl=${encodeURIComponent(APP + "/home")}`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  responseHeaders: { location: `${APP}/home`, "set-cookie": `sid=${sid};Version=1;Path=/;Secure;HttpOnly;SameSite=None` },
};
const sessionsMe = (at: number, extra: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url: `${ORG}/api/v1/sessions/me`,
  status: 404,
  from: { browser: APP },
  at,
  responseHeaders: cors,
  response: noSession,
  ...extra,
});
const withCookie = (at: number): EntrySpec => sessionsMe(at, { status: 200, headers: { cookie: `sid=${sid}` }, response: { id: sid, userId: "00u1ab2cdEFGH3ijK4l7", status: "ACTIVE" } });
const idxIdentify: EntrySpec = {
  method: "POST",
  url: `${ORG}/idp/idx/identify`,
  status: 200,
  from: { browser: APP },
  at: 0,
  body: { identifier: "dana@example.com", stateHandle: "02." + fakeRandom("tpc-sh", 40) },
  responseHeaders: { ...cors, "set-cookie": `idx=${idx};Version=1;Path=/;Secure;HttpOnly;SameSite=None` },
  response: { version: "1.0.0", stateHandle: "02." + fakeRandom("tpc-sh", 40), expiresAt: "2026-11-21T10:10:00.000Z" },
  extra: { _blockedCookies: [{ blockedReasons: ["ThirdPartyPhaseout"], cookieLine: `idx=${idx};Version=1;Path=/;Secure;HttpOnly;SameSite=None` }] },
};
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
/** A hidden-iframe silent renewal (`prompt=none`), recorded by a proxy so that Sec-Fetch-Dest can say `iframe`. */
const silentRenew = (dest: "iframe" | "document"): EntrySpec => ({
  method: "GET",
  url: `${ORG}/oauth2/v1/authorize?client_id=0oa1ab2cd3EFGH4ij5d7&response_type=code&response_mode=okta_post_message&prompt=none&scope=openid&state=s2&nonce=n2&code_challenge=${fakeRandom("cc2", 43)}&code_challenge_method=S256&redirect_uri=${encodeURIComponent(APP + "/cb")}`,
  status: 200,
  from: { server: CHROME_UA },
  at: 30_000,
  headers: { "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": dest, Referer: APP + "/" },
  response: { mimeType: "text/html", text: "<html><body><script>window.parent.postMessage({error:'login_required',state:'s2'},'https://app.example.com')</script></body></html>" },
});
const proxySignIn: EntrySpec = { ...signIn, from: { server: CHROME_UA }, headers: { "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document" } };
const chrome = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: START, entries });

ruleTester(rule, {
  valid: [
    { name: "sample third-party-cookies-blocked.passes.har", capture: samples["third-party-cookies-blocked.passes.har"]! },
    { name: "the SPA sign-in sample", capture: spaSignin },
    { name: "cross-site calls carry the session cookie", capture: chrome(signIn, withCookie(1000)) },
    { name: "cross-site call with no session cookie ever set (the user is not signed in)", capture: chrome(sessionsMe(1000)) },
    { name: "a sanitized export", capture: { ...chrome(signIn, sessionsMe(1000)), sanitized: true } },
    {
      name: "a top-level navigation is first-party",
      capture: chrome(signIn, { method: "GET", url: `${ORG}/oauth2/v1/authorize?client_id=0oa1ab2cd3EFGH4ij5d7&response_type=code&scope=openid&state=s1&code_challenge=${fakeRandom("cc", 43)}&code_challenge_method=S256&redirect_uri=${encodeURIComponent(APP + "/cb")}`, status: 302, from: { browser: APP, mode: "navigate" }, at: 1000, responseHeaders: { location: `${APP}/cb?code=c1&state=s1` } }),
    },
    {
      name: "a silent renewal in a top-level window is first-party",
      capture: { producer: "proxy", start: START, entries: [proxySignIn, silentRenew("document")] },
    },
    {
      name: "the browser recorded that it considered no cookie at all: made without credentials, not blocked (cookie-missing explains it)",
      capture: chrome(signIn, sessionsMe(1000, { extra: { _associatedCookies: [] } })),
    },
    {
      name: "a cookie blocked for a reason that is not about third-party context (cookie-missing explains it)",
      capture: chrome(signIn, sessionsMe(1000, { headers: { cookie: "DT=" + fakeRandom("dt", 20) }, extra: { _associatedCookies: [{ cookie: { name: "sid" }, blockedReasons: ["NotOnPath"] }] } })),
    },
  ],
  invalid: [
    { name: "sample third-party-cookies-blocked.fires.har", capture: samples["third-party-cookies-blocked.fires.har"]!, errors: [{ entry: 1, messageId: "missing" }, { entry: 2, messageId: "blockedSend" }] },
    {
      name: "Okta set sid, then a cross-site call carries none",
      capture: chrome(signIn, sessionsMe(1000)),
      errors: [{ entry: 1, messageId: "missing", severity: "warning", message: "Okta set its session cookie sid on acme.okta.com at entry 0, but GET /api/v1/sessions/me from https://app.example.com (entry 1, cross-site) carries no Okta session cookie (HTTP 404 E0000007)" }],
    },
    {
      name: "a hidden-iframe silent renewal goes without the session cookie",
      capture: { producer: "proxy", start: START, entries: [proxySignIn, silentRenew("iframe")] },
      errors: [{ entry: 1, messageId: "missing", message: "but GET /oauth2/v1/authorize from the page (entry 1, cross-site) carries no Okta session cookie (HTTP 200)" }],
    },
    {
      name: "the browser reported the session cookie blocked on the request",
      capture: chrome(signIn, sessionsMe(1000, { extra: { _associatedCookies: [{ cookie: { name: "sid", domain: "acme.okta.com" }, blockedReasons: ["ThirdPartyPhaseout"] }] } })),
      errors: [{ entry: 1, messageId: "blockedSend", message: "it reported ThirdPartyPhaseout (the browser blocks third-party cookies). Calls from example.com to acme.okta.com" }],
    },
    {
      name: "the browser refused the idx cookie Okta set in a cross-site answer",
      capture: chrome(idxIdentify),
      errors: [{ entry: 0, messageId: "blockedSet", message: "The browser refused the idx cookie that Okta set in its answer to POST /idp/idx/identify (entry 0, from https://app.example.com)" }],
    },
  ],
});
