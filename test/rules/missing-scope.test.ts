import rule from "../../rules/missing-scope.js";
import { fakeJwt, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const ORG = "https://acme.okta.com";
const CLIENT = "0oa1bcd2EFGH3ijk4L5m";
const USER = "00u1ab2cdEFGH3ijK4l7";
const OTHER = "00u9zy8xwVUTS7rqP6o5";
const SERVER = { server: "okhttp/4.12.0" };
const token = (scp: string[], extra: Record<string, unknown> = {}) =>
  fakeJwt({ ver: 1, jti: `AT.${scp.join("-")}`, iss: ORG, aud: ORG, sub: CLIENT, cid: CLIENT, scp, iat: T0 - 60, exp: T0 + 3540, ...extra });
const userToken = (scp: string[]) => token(scp, { sub: "jane@example.com", uid: USER });
const challenge = (scope: string, resource: string) =>
  `Bearer authorization_uri="${ORG}/oauth2/v1/authorize", realm="${ORG}", scope="${scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${resource}"`;

const call = (path: string, auth: string, status: number, opts: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url: `${ORG}${path}`,
  status,
  from: SERVER,
  at: 1000,
  headers: { Authorization: auth },
  ...opts,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: START, entries });

ruleTester(rule, {
  valid: [
    { name: "the token has the scope", capture: cap(call("/api/v1/groups", `Bearer ${token(["okta.groups.read"])}`, 200, { response: { ok: true } })) },
    { name: "Okta accepted the call although the catalog's scope is absent", capture: cap(call("/api/v1/groups", `Bearer ${token(["okta.users.read"])}`, 200, { response: { ok: true } })) },
    { name: "a manage scope where the spec lists read", capture: cap(call("/api/v1/groups", `Bearer ${token(["okta.groups.manage"])}`, 403)) },
    { name: "a .self scope on the token's own user", capture: cap(call(`/api/v1/users/${USER}`, `Bearer ${userToken(["okta.users.read.self"])}`, 404)) },
    { name: "a .self scope on /users/me", capture: cap(call("/api/v1/users/me", `Bearer ${userToken(["okta.users.read.self"])}`, 403)) },
    { name: "a 401 rejects the token itself, not its scopes", capture: cap(call("/api/v1/groups", `Bearer ${token(["okta.users.read"])}`, 401)) },
    {
      name: "a custom-AS token (custom-as-token-on-management-api explains it)",
      capture: cap(call("/api/v1/groups", `Bearer ${token(["api.read"], { iss: `${ORG}/oauth2/default`, aud: "api://default" })}`, 403)),
    },
    { name: "an SSWS token has no scopes to judge", capture: cap(call("/api/v1/groups", "SSWS 00abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123", 403)) },
  ],
  invalid: [
    {
      name: "Okta's insufficient_scope challenge names the scope",
      capture: cap(call("/api/v1/logs", `Bearer ${token(["okta.users.read"])}`, 403, { responseHeaders: { "www-authenticate": challenge("okta.logs.read", "/api/v1/logs") } })),
      errors: [
        {
          entry: 0,
          messageId: "insufficientScope",
          severity: "error",
          message: "Okta refused GET /api/v1/logs with 403 insufficient_scope: the access token lacks okta.logs.read (it carries okta.users.read).",
        },
      ],
    },
    {
      name: "an opaque token with the challenge",
      capture: cap(call("/api/v1/logs", "Bearer opaque-access-token-value-1234567890", 403, { responseHeaders: { "www-authenticate": challenge("okta.logs.read", "/api/v1/logs") } })),
      errors: [{ entry: 0, messageId: "insufficientScope", message: "lacks okta.logs.read (the token is opaque" }],
    },
    {
      name: "no challenge: the catalog's scope against the token's scp",
      capture: cap(call("/api/v1/groups", `Bearer ${token(["okta.users.read"])}`, 403)),
      errors: [{ entry: 0, messageId: "scopeMissing", message: "GET /api/v1/groups needs okta.groups.read, but the org-authorization-server access token sent to it carries only okta.users.read (HTTP 403)" }],
    },
    {
      name: "a write needs the manage scope",
      capture: cap(call("/api/v1/groups", `Bearer ${token(["okta.groups.read"])}`, 403, { method: "POST", body: { profile: { name: "Ops" } } })),
      errors: [{ entry: 0, messageId: "scopeMissing", message: "POST /api/v1/groups needs okta.groups.manage" }],
    },
    {
      name: "a .self scope on another user",
      capture: cap(call(`/api/v1/users/${OTHER}`, `Bearer ${userToken(["okta.users.read.self"])}`, 403)),
      errors: [{ entry: 0, messageId: "selfOnly", message: "only carries okta.users.read.self, which reaches the signed-in user's own resources only" }],
    },
    {
      name: "names the token request that asked for too little",
      capture: cap(
        {
          method: "POST",
          url: `${ORG}/oauth2/v1/token`,
          status: 200,
          from: SERVER,
          at: 0,
          form: { grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: fakeJwt({ iss: CLIENT, sub: CLIENT, aud: `${ORG}/oauth2/v1/token`, exp: T0 + 300 }) },
          response: { token_type: "Bearer", expires_in: 3600, access_token: token(["okta.users.read"]), scope: "okta.users.read" },
        },
        call("/api/v1/logs", `Bearer ${token(["okta.users.read"])}`, 403, { responseHeaders: { "www-authenticate": challenge("okta.logs.read", "/api/v1/logs") } }),
      ),
      errors: [{ entry: 1, message: "The token was issued at entry 0 by POST /oauth2/v1/token, which asked for scope=okta.users.read." }],
    },
  ],
});
