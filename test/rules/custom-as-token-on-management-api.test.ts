import rule from "../../rules/custom-as-token-on-management-api.js";
import { fakeJwt, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const ORG = "https://acme.okta.com";
const CLIENT = "0oa1bcd2EFGH3ijk4L5m";
const USER = "00u1ab2cdEFGH3ijK4l7";
const SERVER = { server: "axios/1.7.7" };
const at = (iss: string, extra: Record<string, unknown> = {}) =>
  fakeJwt({ ver: 1, jti: `AT.${iss.length}`, iss, aud: iss === ORG ? ORG : "api://default", sub: CLIENT, cid: CLIENT, scp: ["api.read"], iat: T0 - 60, exp: T0 + 3540, ...extra });
const defaultAt = at(`${ORG}/oauth2/default`);
const ausAt = at(`${ORG}/oauth2/aus1a2b3c4D5e6F7g8h9`, { uid: USER, sub: "jane@example.com" });
const orgAt = at(ORG, { scp: ["okta.users.read"] });
const challenge = `Bearer authorization_uri="${ORG}/oauth2/v1/authorize", realm="${ORG}", scope="okta.users.read", error="invalid_token", error_description="The access token is invalid.", resource="/api/v1/users"`;

const call = (url: string, token: string, opts: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url,
  status: 401,
  from: SERVER,
  at: 1000,
  headers: { Authorization: `Bearer ${token}` },
  responseHeaders: { "www-authenticate": challenge },
  ...opts,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: START, entries });

ruleTester(rule, {
  valid: [
    { name: "an org-AS token on a management endpoint", capture: cap(call(`${ORG}/api/v1/users`, orgAt, { status: 200, response: { ok: true }, responseHeaders: {} })) },
    { name: "a custom-AS token on its own userinfo", capture: cap(call(`${ORG}/oauth2/default/v1/userinfo`, defaultAt, { status: 200, response: { sub: USER }, responseHeaders: {} })) },
    { name: "a custom-AS token on MyAccount (which takes custom-AS tokens)", capture: cap(call(`${ORG}/idp/myaccount/profile`, ausAt, { status: 200, response: { profile: {} }, responseHeaders: {} })) },
    {
      name: "a custom-AS ID token (id-token-as-access-token explains it)",
      capture: cap(call(`${ORG}/api/v1/users`, fakeJwt({ ver: 1, jti: "ID.x1", iss: `${ORG}/oauth2/default`, aud: CLIENT, sub: USER, nonce: "n-0S6", iat: T0 - 60, exp: T0 + 3540 }))),
    },
    { name: "a custom-AS token sent with SSWS (authorization-scheme explains it)", capture: cap(call(`${ORG}/api/v1/users`, defaultAt, { headers: { Authorization: `SSWS ${defaultAt}` } })) },
  ],
  invalid: [
    {
      name: "a /oauth2/default token on /api/v1/users",
      capture: cap(call(`${ORG}/api/v1/users`, defaultAt)),
      errors: [
        {
          entry: 0,
          messageId: "customAsToken",
          severity: "error",
          message:
            "GET /api/v1/users is an Okta management endpoint (User), but its Bearer token was issued by the custom authorization server `default` (https://acme.okta.com/oauth2/default) (HTTP 401 invalid_token)",
        },
      ],
    },
    {
      name: "names the org AS and the scope to request",
      capture: cap(call(`${ORG}/api/v1/users`, defaultAt)),
      errors: [{ entry: 0, message: "Request an access token with okta.users.read from https://acme.okta.com/oauth2/v1/token instead." }],
    },
    {
      name: "an aus… token on /api/v1/users/me (org-AS tokens only)",
      capture: cap(call(`${ORG}/api/v1/users/me`, ausAt)),
      errors: [{ entry: 0, message: "is an Okta endpoint that accepts only org-authorization-server tokens, but its Bearer token was issued by the custom authorization server `aus1a2b3c4D5e6F7g8h9`" }],
    },
    {
      name: "the token was issued in the capture",
      capture: cap(
        {
          method: "POST",
          url: `${ORG}/oauth2/default/v1/token`,
          status: 200,
          from: SERVER,
          at: 0,
          form: { grant_type: "client_credentials", scope: "api.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: fakeJwt({ iss: CLIENT, sub: CLIENT, aud: `${ORG}/oauth2/default/v1/token`, exp: T0 + 300 }) },
          response: { token_type: "Bearer", expires_in: 3600, access_token: defaultAt, scope: "api.read" },
        },
        call(`${ORG}/api/v1/groups`, defaultAt),
      ),
      errors: [{ entry: 1, message: "The token was issued at entry 0 by POST /oauth2/default/v1/token with the scopes api.read." }],
    },
    {
      name: "a DPoP-scheme custom-AS token",
      capture: cap(call(`${ORG}/api/v1/apps`, defaultAt, { headers: { Authorization: `DPoP ${defaultAt}`, DPoP: "proof" } })),
      errors: [{ entry: 0, message: "its DPoP token was issued by the custom authorization server `default`" }],
    },
    {
      name: "one finding per token, the repeats listed",
      capture: cap(call(`${ORG}/api/v1/users`, defaultAt), call(`${ORG}/api/v1/groups`, defaultAt, { at: 2000 })),
      errors: [{ entry: 0, message: "The same token was sent on 1 more call (entry 1)." }],
    },
  ],
});
