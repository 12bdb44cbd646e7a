import rule from "../../rules/session-token-misuse.js";
import { motivating401, spaSignin } from "../../scripts/gen-samples.js";
import { fakeApiToken, fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { maskSecret } from "../../src/okta/mask.js";
import { samples } from "../../scripts/samples/rules/session-token-misuse.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const USER = { id: "00u1ab2cdEFGH3ijK4l7", profile: { login: "dana@example.com", firstName: "Dana", lastName: "Reyes" } };
const sessionToken = fakeOneTimeToken("stm-session");
const stateToken = "00" + fakeRandom("stm-state", 40);
const apiToken = fakeApiToken("stm-api");
const iso = (ms: number) => new Date(Date.parse(START) + ms).toISOString().replace(/\.\d{3}Z$/, ".000Z");

const authn = (at = 0): EntrySpec => ({
  method: "POST",
  url: `${ORG}/api/v1/authn`,
  status: 200,
  from: { browser: APP },
  at,
  body: { username: "dana@example.com", password: "correct-horse-battery-staple" },
  responseHeaders: { "access-control-allow-origin": APP, "access-control-allow-credentials": "true" },
  response: { expiresAt: iso(at + 300_000), status: "SUCCESS", sessionToken, _embedded: { user: USER } },
});
const authorize = (at: number, status = 302): EntrySpec => ({
  method: "GET",
  url: `${ORG}/oauth2/default/v1/authorize?client_id=0oa1ab2cd3EFGH4ij5d7&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(APP + "/login/callback")}&state=${fakeRandom("st", 20)}&code_challenge=${fakeRandom("cc", 43)}&code_challenge_method=S256&sessionToken=${sessionToken}`,
  status,
  from: { browser: APP, mode: "navigate" },
  at,
  responseHeaders: status === 302 ? { location: `${APP}/login/callback?code=${fakeRandom("code" + at, 43)}&state=${fakeRandom("st", 20)}` } : {},
});
const mfa = (at: number, expiresIn = 300_000): EntrySpec => ({
  method: "POST",
  url: `${ORG}/api/v1/authn/factors/opf1ab2cd3EFGH4ij5d7/verify`,
  status: 200,
  from: { browser: APP },
  at,
  body: { stateToken, passCode: "123456" },
  responseHeaders: { "access-control-allow-origin": APP },
  response: { stateToken, expiresAt: iso(at + expiresIn), status: "MFA_CHALLENGE", _embedded: { user: USER } },
});
const chrome = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: START, entries });
const masked = maskSecret(sessionToken);

ruleTester(rule, {
  valid: [
    { name: "sample session-token-misuse.passes.har", capture: samples["session-token-misuse.passes.har"]! },
    { name: "the SPA sign-in sample (sessionToken redeemed once by /authorize)", capture: spaSignin },
    { name: "a sessionToken redeemed once within five minutes", capture: chrome(authn(), authorize(240_000)) },
    {
      name: "a stateToken carried through several authn steps whose expiry slides",
      capture: chrome(
        { ...authn(), response: { stateToken, expiresAt: iso(300_000), status: "MFA_REQUIRED", _embedded: { user: USER } } },
        mfa(240_000),
        mfa(480_000),
      ),
    },
    {
      name: "an API token on a management call next to a sign-in",
      capture: chrome(authn(), authorize(1000), { method: "GET", url: `${ORG}/api/v1/users/${USER.id}`, status: 200, from: { server: "okta-sdk-nodejs/7.1.1" }, at: 2000, headers: { Authorization: `SSWS ${apiToken}` }, response: USER }),
    },
  ],
  invalid: [
    { name: "sample session-token-misuse.fires.har", capture: samples["session-token-misuse.fires.har"]!, errors: [{ entry: 1, messageId: "credentialSession" }, { entry: 3, messageId: "reused" }] },
    {
      name: "the motivating capture: a cookieToken sent as an SSWS token",
      capture: motivating401,
      errors: [
        {
          entry: 2,
          messageId: "credentialManagement",
          severity: "error",
          message: /^The cookieToken 1028…\S+ \(42 chars\), issued by POST \/api\/v1\/sessions at entry 1, is sent as an API credential \(`Authorization: SSWS …`\) on GET \/api\/v1\/users\/00u1ab2cdEFGH3ijK4l7 at entry 2 \(HTTP 401 E0000011\)\. GET \/api\/v1\/users\/\{id\} is a management endpoint: it takes an SSWS API token or an org-AS OAuth access token, from a server/,
        },
      ],
    },
    {
      name: "a sessionToken sent as Bearer to /api/v1/users/me",
      capture: chrome(authn(), { method: "GET", url: `${ORG}/api/v1/users/me`, status: 403, from: { browser: APP }, at: 900, headers: { authorization: `Bearer ${sessionToken}` }, response: { errorCode: "E0000005", errorSummary: "Invalid session" } }),
      errors: [{ entry: 1, messageId: "credentialSession", message: `The sessionToken ${masked}, issued by POST /api/v1/authn at entry 0, is sent as an API credential (\`Authorization: Bearer …\`) on GET /api/v1/users/me at entry 1 (HTTP 403 E0000005). GET /api/v1/users/me is an end-user endpoint` }],
    },
    {
      name: "a stateToken sent in the Authorization header of an authn step",
      capture: chrome(
        { ...authn(), response: { stateToken, expiresAt: iso(300_000), status: "MFA_REQUIRED", _embedded: { user: USER } } },
        { ...mfa(5000), body: { passCode: "123456" }, headers: { authorization: `SSWS ${stateToken}` }, status: 400, response: { errorCode: "E0000001", errorSummary: "Api validation failed: stateToken" } },
      ),
      errors: [{ entry: 1, messageId: "credentialAuthn", message: "takes the stateToken in the JSON body" }],
    },
    {
      name: "a sessionToken redeemed twice",
      capture: chrome(authn(), authorize(1000), authorize(9000, 200)),
      errors: [{ entry: 2, messageId: "reused", message: `is redeemed again by GET /oauth2/default/v1/authorize at entry 2 (HTTP 200) after GET /oauth2/default/v1/authorize already redeemed it at entry 1` }],
    },
    {
      name: "a sessionToken consumed by POST /api/v1/sessions, then sent to /authorize",
      capture: chrome(
        authn(),
        { method: "POST", url: `${ORG}/api/v1/sessions`, status: 200, from: { browser: APP }, at: 800, body: { sessionToken }, responseHeaders: { "access-control-allow-origin": APP }, response: { id: "102" + fakeRandom("sid-x", 22), userId: USER.id, status: "ACTIVE" } },
        authorize(1500),
      ),
      errors: [{ entry: 2, messageId: "reused", message: "after POST /api/v1/sessions already redeemed it at entry 1" }],
    },
    {
      name: "a sessionToken redeemed after five minutes",
      capture: chrome(authn(), authorize(372_000, 200)),
      errors: [{ entry: 1, messageId: "expired", message: "6 min 12 s after it was issued, but it was valid for 5 min" }],
    },
    {
      name: "a stateToken used after the expiresAt of the last answer",
      capture: chrome({ ...authn(), response: { stateToken, expiresAt: iso(300_000), status: "MFA_REQUIRED", _embedded: { user: USER } } }, mfa(240_000), { ...mfa(600_000), status: 401, response: { errorCode: "E0000011", errorSummary: "Invalid token provided" } }),
      errors: [{ entry: 2, messageId: "expired", message: "The stateToken" }],
    },
  ],
});
