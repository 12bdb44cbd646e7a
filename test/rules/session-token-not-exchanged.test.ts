import rule from "../../rules/session-token-not-exchanged.js";
import { motivating401, spaSignin } from "../../scripts/gen-samples.js";
import { fakeApiToken, fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { maskSecret } from "../../src/okta/mask.js";
import { samples } from "../../scripts/samples/rules/session-token-not-exchanged.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const USER = { id: "00u1ab2cdEFGH3ijK4l7", profile: { login: "dana@example.com" } };
const sessionToken = fakeOneTimeToken("stne-session");
const cookieToken = fakeOneTimeToken("stne-cookie", "102");
const apiToken = fakeApiToken("stne-api");
const idxStateToken = "02.id." + fakeRandom("stne-idx", 40);
const cors = { "access-control-allow-origin": APP, "access-control-allow-credentials": "true" };

const authn = (from: EntrySpec["from"] = { browser: APP }): EntrySpec => ({
  method: "POST",
  url: `${ORG}/api/v1/authn`,
  status: 200,
  from,
  at: 0,
  body: { username: "dana@example.com", password: "correct-horse-battery-staple" },
  responseHeaders: "browser" in from ? cors : {},
  response: { expiresAt: "2026-11-21T10:05:00.000Z", status: "SUCCESS", sessionToken, _embedded: { user: USER } },
});
const createSession = (from: EntrySpec["from"], withCookieToken: boolean): EntrySpec => ({
  method: "POST",
  url: `${ORG}/api/v1/sessions${withCookieToken ? "?additionalFields=cookieToken" : ""}`,
  status: 200,
  from,
  at: 400,
  headers: "server" in from ? { Authorization: `SSWS ${apiToken}` } : {},
  body: { sessionToken },
  responseHeaders: "browser" in from ? cors : {},
  response: { id: "102" + fakeRandom("stne-sid", 22), userId: USER.id, status: "ACTIVE", ...(withCookieToken ? { cookieToken } : {}) },
});
const cookieRedirect = (token: string, at: number): EntrySpec => ({
  method: "GET",
  url: `${ORG}/login/sessionCookieRedirect?token=${token}&redirectUrl=${encodeURIComponent(APP + "/home")}`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at,
  responseHeaders: { location: `${APP}/home`, "set-cookie": `sid=102${fakeRandom("stne-sid2", 22)};Version=1;Path=/;Secure;HttpOnly;SameSite=None` },
});
const idxAnswer = (): EntrySpec => ({
  method: "POST",
  url: `${ORG}/idp/idx/challenge/answer`,
  status: 200,
  from: { browser: ORG },
  at: 0,
  body: { credentials: { passcode: "correct-horse-battery-staple" }, stateHandle: idxStateToken + "~c.x" },
  response: { version: "1.0.0", stateHandle: idxStateToken + "~c.x", success: { name: "success-redirect", href: `${ORG}/login/token/redirect?stateToken=${idxStateToken}` } },
});
const chrome = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: START, entries });
const SERVER = { server: "axios/1.7.7" };

ruleTester(rule, {
  valid: [
    { name: "sample session-token-not-exchanged.passes.har", capture: samples["session-token-not-exchanged.passes.har"]! },
    { name: "the SPA sign-in sample (redeemed by /authorize)", capture: spaSignin },
    { name: "redeemed by /login/sessionCookieRedirect", capture: chrome(authn(), cookieRedirect(sessionToken, 900)) },
    {
      name: "POST /api/v1/sessions with a cookieToken that a browser then redeems",
      capture: chrome(authn(), createSession({ browser: APP }, true), cookieRedirect(cookieToken, 900)),
    },
    {
      name: "the Identity Engine success redirect is followed",
      capture: chrome(idxAnswer(), { method: "GET", url: `${ORG}/login/token/redirect?stateToken=${idxStateToken}`, status: 302, from: { browser: ORG, mode: "navigate" }, at: 300, responseHeaders: { location: `${APP}/home` } }),
    },
  ],
  invalid: [
    { name: "sample session-token-not-exchanged.fires.har", capture: samples["session-token-not-exchanged.fires.har"]!, errors: [{ entry: 0, messageId: "neverRedeemed" }] },
    {
      name: "the motivating capture: only POST /api/v1/sessions, and its cookieToken is never redeemed",
      capture: motivating401,
      errors: [{ entry: 1, messageId: "onlyApiSessionCookieToken", severity: "warning", message: "is redeemed only by POST /api/v1/sessions at entry 1, which sets no cookie in any browser, and the cookieToken 1028…" }],
    },
    {
      name: "only POST /api/v1/sessions, without a cookieToken",
      capture: chrome(authn(), { ...createSession({ browser: APP }, false), body: { sessionToken } }),
      errors: [{ entry: 1, messageId: "onlyApiSession", message: `The sessionToken ${maskSecret(sessionToken)} issued by POST /api/v1/authn at entry 0` }],
    },
    {
      name: "a browser sign-in whose sessionToken is dropped",
      capture: chrome(authn(), { method: "GET", url: `${ORG}/api/v1/sessions/me`, status: 404, from: { browser: APP }, at: 800, responseHeaders: cors, response: { errorCode: "E0000007", errorSummary: "Not found: Resource not found: me (Session)" } }),
      errors: [{ entry: 0, messageId: "neverRedeemed", message: "is never redeemed by a browser in this capture" }],
    },
    {
      name: "a server-side sign-in with no browser traffic",
      capture: { producer: "proxy", start: START, entries: [authn(SERVER)] },
      errors: [{ entry: 0, messageId: "neverRedeemedServer", message: "which holds no browser traffic" }],
    },
    {
      name: "the Identity Engine success redirect is never followed",
      capture: chrome(idxAnswer()),
      errors: [{ entry: 0, messageId: "idxNotRedirected", message: "success redirect to /login/token/redirect" }],
    },
  ],
});
