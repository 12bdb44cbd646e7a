import rule from "../../rules/id-token-as-access-token.js";
import { fakeJwt, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const CLIENT = "0oa1bcd2EFGH3ijk4L5m";
const USER = "00u1ab2cdEFGH3ijK4l7";
const BROWSER = { browser: APP };
const idToken = fakeJwt({ ver: 1, jti: "ID.q1w2e3", iss: ORG, aud: CLIENT, sub: USER, iat: T0 - 30, exp: T0 + 3570, auth_time: T0 - 40, amr: ["pwd"], nonce: "n-0S6_WzA2Mj", idp: "00o1idp" });
const accessToken = fakeJwt({ ver: 1, jti: "AT.a1s2d3", iss: ORG, aud: ORG, sub: "jane@example.com", uid: USER, cid: CLIENT, scp: ["openid", "okta.users.read.self"], iat: T0 - 30, exp: T0 + 3570 });
const invalidToken = `Bearer authorization_uri="${ORG}/oauth2/v1/authorize", realm="${ORG}", scope="okta.users.read.self", error="invalid_token", error_description="The access token is invalid.", resource="/api/v1/users/me"`;

const call = (path: string, token: string, opts: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url: `${ORG}${path}`,
  status: 401,
  from: BROWSER,
  at: 1000,
  headers: { authorization: `Bearer ${token}` },
  responseHeaders: { "www-authenticate": invalidToken },
  ...opts,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: START, entries });
const tokenResponse: EntrySpec = {
  method: "POST",
  url: `${ORG}/oauth2/v1/token`,
  status: 200,
  from: BROWSER,
  at: 0,
  form: { grant_type: "authorization_code", client_id: CLIENT, redirect_uri: `${APP}/login/callback`, code: "c0de-value-1234", code_verifier: "v3rifier-0123456789abcdefghijklmnopqrstuvwxyz01" },
  response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "openid okta.users.read.self", id_token: idToken },
  responseHeaders: { "access-control-allow-origin": APP },
};

ruleTester(rule, {
  valid: [
    { name: "the access token on users/me", capture: cap(call("/api/v1/users/me", accessToken, { status: 200, response: { id: USER }, responseHeaders: {} })) },
    { name: "the access token on userinfo", capture: cap(call("/oauth2/v1/userinfo", accessToken, { status: 200, response: { sub: USER }, responseHeaders: {} })) },
    {
      name: "the ID token as id_token_hint at logout (its designed use)",
      capture: cap({ method: "GET", url: `${ORG}/oauth2/v1/logout?id_token_hint=${idToken}&post_logout_redirect_uri=${encodeURIComponent(APP)}`, status: 302, from: { browser: APP, mode: "navigate" }, at: 0, responseHeaders: { location: APP } }),
    },
  ],
  invalid: [
    {
      name: "an ID token with SSWS (shown as a symptom of authorization-scheme, which names the ID token too)",
      capture: cap(call("/api/v1/users/me", idToken, { headers: { authorization: `SSWS ${idToken}` } })),
      errors: [{ entry: 0, messageId: "idToken", message: "GET /api/v1/users/me received an ID token as its SSWS credential" }],
    },
    {
      name: "an ID token on /api/v1/users/me",
      capture: cap(call("/api/v1/users/me", idToken)),
      errors: [
        {
          entry: 0,
          messageId: "idToken",
          severity: "error",
          message:
            "GET /api/v1/users/me received an ID token as its Bearer credential (its jti starts with `ID.`, its aud is the client id 0oa1bcd2EFGH3ijk4L5m, it has a `nonce` claim, it has an `amr` claim, it has no `scp`; HTTP 401 invalid_token)",
        },
      ],
    },
    { name: "an ID token on userinfo", capture: cap(call("/oauth2/v1/userinfo", idToken)), errors: [{ entry: 0, messageId: "idToken", message: "GET /oauth2/v1/userinfo received an ID token" }] },
    { name: "an ID token on MyAccount", capture: cap(call("/idp/myaccount/profile", idToken, { status: 403 })), errors: [{ entry: 0, message: "GET /idp/myaccount/profile received an ID token" }] },
    {
      name: "the same token response held an access token",
      capture: cap(tokenResponse, call("/api/v1/users/me", idToken)),
      errors: [{ entry: 1, message: "Entry 0 (POST /oauth2/v1/token) returned it together with an access_token: send that one." }],
    },
    {
      name: "an implicit flow that returned only an ID token",
      capture: cap(
        {
          method: "GET",
          url: `${ORG}/oauth2/v1/authorize?client_id=${CLIENT}&response_type=id_token&scope=openid&redirect_uri=${encodeURIComponent(`${APP}/callback`)}&state=st4te&nonce=n-0S6_WzA2Mj`,
          status: 302,
          from: { browser: APP, mode: "navigate" },
          at: 0,
          responseHeaders: { location: `${APP}/callback#id_token=${idToken}&state=st4te` },
        },
        call("/api/v1/users/me", idToken),
      ),
      errors: [{ entry: 1, message: "returned only an ID token: use the authorization code flow with PKCE" }],
    },
  ],
});
