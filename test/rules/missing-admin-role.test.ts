import { describe, expect, it } from "vitest";
import rule from "../../rules/missing-admin-role.js";
import wrongBaseUrl from "../../rules/wrong-base-url.js";
import { fakeApiToken, fakeJwt, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { lintSpec, ruleTester } from "../rule-tester.js";

const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const ORG = "https://acme.okta.com";
const CLIENT = "0oa1bcd2EFGH3ijk4L5m";
const USER = "00u1ab2cdEFGH3ijK4l7";
const SERVER = { server: "okta-sdk-java/21.0.0" };
const apiToken = fakeApiToken("limited-admin");
const serviceToken = (scp: string[], iss = ORG) => fakeJwt({ ver: 1, jti: `AT.${scp.join("-")}`, iss, aud: ORG, sub: CLIENT, cid: CLIENT, scp, iat: T0 - 60, exp: T0 + 3540 });
const userToken = (scp: string[]) => fakeJwt({ ver: 1, jti: "AT.u1", iss: ORG, aud: ORG, sub: "jane@example.com", uid: USER, cid: CLIENT, scp, iat: T0 - 60, exp: T0 + 3540 });
const denied = { errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action", errorLink: "E0000006", errorId: "oaeDn1", errorCauses: [] };

const call = (method: string, path: string, auth: string, opts: Partial<EntrySpec> = {}): EntrySpec => ({
  method,
  url: `${ORG}${path}`,
  status: 403,
  from: SERVER,
  at: 1000,
  headers: { Authorization: auth },
  response: denied,
  ...(method === "POST" ? { body: { profile: { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", login: "ada@example.com" } } } : {}),
  ...opts,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: START, entries });

ruleTester(rule, {
  valid: [
    { name: "a successful call", capture: cap(call("POST", "/api/v1/users", `SSWS ${apiToken}`, { status: 200, response: { id: USER } })) },
    {
      name: "E0000006 with an insufficient_scope challenge (missing-scope explains it)",
      capture: cap(
        call("POST", "/api/v1/users", `Bearer ${serviceToken(["okta.users.read"])}`, {
          responseHeaders: { "www-authenticate": `Bearer realm="${ORG}", scope="okta.users.manage", error="insufficient_scope"` },
        }),
      ),
    },
    { name: "a token whose scopes are not sufficient (missing-scope explains it)", capture: cap(call("POST", "/api/v1/users", `Bearer ${serviceToken(["okta.users.read"])}`)) },
    { name: "E0000006 on an end-user authn call, not management", capture: cap(call("POST", "/api/v1/authn/factors/sms/verify", `SSWS ${apiToken}`, { body: { stateToken: "x", passCode: "123456" } })) },
    { name: "403 E0000005 (no session), not a role problem", capture: cap(call("GET", "/api/v1/users", `SSWS ${apiToken}`, { response: { errorCode: "E0000005", errorSummary: "Invalid session" } })) },
    { name: "a custom-AS token (custom-as-token-on-management-api explains it)", capture: cap(call("GET", "/api/v1/users", `Bearer ${serviceToken(["okta.users.read"], `${ORG}/oauth2/default`)}`)) },
  ],
  invalid: [
    {
      name: "an API token of a limited admin",
      capture: cap(call("POST", "/api/v1/users", `SSWS ${apiToken}`)),
      errors: [
        {
          entry: 0,
          messageId: "apiTokenRole",
          severity: "warning",
          message: "refused the action (403 E0000006): the token acts with the admin roles of the admin who created it, and those roles do not allow changing User resources",
        },
      ],
    },
    {
      name: "a service app token with the right scope",
      capture: cap(call("POST", "/api/v1/users", `Bearer ${serviceToken(["okta.users.manage"])}`)),
      errors: [{ entry: 0, messageId: "serviceAppRole", message: "The service app 0oa1bcd2EFGH3ijk4L5m has okta.users.manage for POST /api/v1/users, yet Okta refused the action (403 E0000006)" }],
    },
    {
      name: "a user's token with the right scope (silent downscoping)",
      capture: cap(call("GET", "/api/v1/users", `Bearer ${userToken(["okta.users.read"])}`)),
      errors: [{ entry: 0, messageId: "userRole", message: "the signed-in user the token was issued to has no admin role allowing reading User resources" }],
    },
    {
      name: "names the roles the API reference lists",
      capture: cap(call("GET", "/api/v1/org/privacy/oktaSupport", `Bearer ${serviceToken(["okta.orgs.read"])}`)),
      errors: [{ entry: 0, messageId: "serviceAppRole", message: "Okta's API reference lists the admin role SUPER_ADMIN for this operation." }],
    },
  ],
});

describe("missing-admin-role on the Admin Console host (issue 11, class 6)", () => {
  it("reports the permissions problem of a 403 E0000006 on the -admin host, with wrong-base-url's advice only as an info", async () => {
    const spec: CaptureSpec = {
      producer: "proxy",
      start: "2026-11-21T10:00:00.000Z",
      entries: [
        {
          method: "POST",
          url: "https://acme-admin.okta.com/api/v1/groups",
          status: 403,
          from: { server: "okta-sdk-nodejs/7.1.1 node/20.20.2" },
          at: 0,
          headers: { Authorization: `SSWS ${fakeApiToken("mar-admin-host")}` },
          body: { profile: { name: "Contractors" } },
          response: { errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action", errorLink: "E0000006", errorId: "oaeAdm1nH0st", errorCauses: [] },
        },
      ],
    };
    const findings = await lintSpec(spec, [rule, wrongBaseUrl]);
    // One problem: the permissions, with the host advice attached as its symptom.
    expect(findings.map((f) => [f.ruleId, f.severity, f.messageId, f.symptoms.map((s) => [s.ruleId, s.severity, s.messageId])])).toEqual([
      ["missing-admin-role", "warning", "apiTokenRole", [["wrong-base-url", "info", "adminHostForbidden"]]],
    ]);
    expect(rule.explains).toContain("wrong-base-url");
  });
});
