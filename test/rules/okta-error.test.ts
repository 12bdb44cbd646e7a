import { describe, expect, it } from "vitest";
import rule from "../../rules/okta-error.js";
import apiTokenRejected from "../../rules/api-token-rejected.js";
import { fakeApiToken, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { lintSpec, ruleTester } from "../rule-tester.js";

const SERVER = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2" };
const token = fakeApiToken("okta-error");
const start = "2026-11-21T10:00:00.000Z";
const oktaError = (code: string, summary: string, causes: string[] = []) => ({ errorCode: code, errorSummary: summary, errorLink: code, errorId: "oae" + code.slice(-4) + "Xq1Tb8sZRwK3a2", errorCauses: causes.map((errorSummary) => ({ errorSummary })) });
const call = (path: string, status: number, response: EntrySpec["response"], at = 0, method = "GET", extra: Partial<EntrySpec> = {}): EntrySpec => ({
  method,
  url: `https://acme.okta.com${path}`,
  status,
  from: SERVER,
  at,
  headers: { Authorization: `SSWS ${token}` },
  response,
  ...extra,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start, entries });

ruleTester(rule, {
  valid: [
    { name: "a successful call", capture: cap(call("/api/v1/users/00u1ab2cdEFGH3ijK4l7", 200, { id: "00u1ab2cdEFGH3ijK4l7" })) },
    { name: "a 404 without an error body", capture: cap(call("/api/v1/users/00u1ab2cdEFGH3ijK4l7", 404, { mimeType: "text/plain", text: "Not Found" })) },
    { name: "a user whose profile has an `error` attribute", capture: cap(call("/api/v1/users/00u1ab2cdEFGH3ijK4l7", 200, { id: "00u1ab2cdEFGH3ijK4l7", profile: { error: "none" } })) },
  ],
  invalid: [
    {
      name: "an Okta error code",
      capture: cap(call("/api/v1/users/00u1ab2cdEFGH3ijK4l7", 401, oktaError("E0000011", "Invalid token provided"))),
      errors: [{ entry: 0, messageId: "oktaError", severity: "info", message: "GET /api/v1/users/00u1ab2cdEFGH3ijK4l7 returned HTTP 401 E0000011 (“Invalid token provided”). Okta rejected the token" }],
    },
    {
      name: "the docs link of the code",
      capture: cap(call("/api/v1/groups", 403, oktaError("E0000006", "You do not have permission to perform the requested action"))),
      errors: [{ entry: 0, messageId: "oktaError", message: "Okta's reference: https://developer.okta.com/docs/reference/error-codes/#E0000006" }],
    },
    {
      name: "an OAuth error",
      capture: cap({ method: "POST", url: "https://acme.okta.com/oauth2/v1/token", status: 401, from: SERVER, at: 0, form: { grant_type: "client_credentials", scope: "okta.users.read", client_id: "0oa1ab2cd3EFGH4ij5d7" }, response: { error: "invalid_client", error_description: "Client authentication failed. Either the client or the client credentials are invalid." } }),
      errors: [{ entry: 0, messageId: "oauthError", message: "POST /oauth2/v1/token returned the OAuth error invalid_client with HTTP 401 (“Client authentication failed." }],
    },
    {
      name: "Okta's words name the cause: a wrong client secret is an error, with the fix",
      capture: cap({ method: "POST", url: "https://acme.okta.com/oauth2/default/v1/token", status: 401, from: SERVER, at: 0, form: { grant_type: "client_credentials", scope: "orders.read" }, headers: { Authorization: `Basic ${Buffer.from("0oa1ab2cd3EFGH4ij5d7:not-the-secret").toString("base64")}` }, response: { error: "invalid_client", error_description: "The client secret supplied for a confidential client is invalid." } }),
      errors: [
        {
          entry: 0,
          messageId: "namedCause",
          severity: "error",
          message:
            "POST /oauth2/default/v1/token returned invalid_client with HTTP 401, and Okta named the cause: “The client secret supplied for a confidential client is invalid.” The client secret sent is not the app's current secret",
        },
      ],
    },
    {
      name: "the cause named in the WWW-Authenticate error_description",
      capture: cap({ ...call("/api/v1/users", 401, undefined), headers: { Authorization: "Bearer opaque-token-value-0123456789" }, responseHeaders: { "www-authenticate": 'Bearer authorization_uri="https://acme.okta.com/oauth2/v1/authorize", realm="https://acme.okta.com", error="invalid_token", error_description="The access token provided is not intended for Okta.", resource="/api/v1/users"' } }),
      errors: [{ entry: 0, messageId: "namedCause", severity: "error", message: "The access token was not issued for Okta's APIs" }],
    },
    {
      name: "errorCauses come first in the message: Okta's own words for what failed",
      capture: cap(call("/api/v1/users?activate=true", 400, oktaError("E0000001", "Api validation failed: login", ["login: An object with this field already exists in the current organization"]), 0, "POST")),
      errors: [{ entry: 0, messageId: "oktaError", message: "returned HTTP 400 E0000001 (“Api validation failed: login”). Okta's errorCauses: “login: An object with this field already exists in the current organization”. Okta parsed the request" }],
    },
    {
      name: "Okta's HTML error page for a sign-out to an unregistered post_logout_redirect_uri",
      capture: cap({ method: "GET", url: "https://acme.okta.com/oauth2/default/v1/logout?id_token_hint=x&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fbye", status: 400, from: { browser: "https://app.example.com", mode: "navigate" }, at: 0, response: { mimeType: "text/html", text: "<html><head><title>acme - Error</title></head><body><h2>400 Bad Request</h2><p class=\"o-form-explain\">The &#39;post_logout_redirect_uri&#39; parameter must be a Logout redirect URI in the client app settings: https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1#tab-general</p></body></html>" } }),
      errors: [{ entry: 0, messageId: "namedCause", severity: "error", message: "GET /oauth2/default/v1/logout returned invalid_request (on Okta's HTML error page) with HTTP 400, and Okta named the cause: “The 'post_logout_redirect_uri' parameter must be a Logout redirect URI" }],
    },
    {
      name: "the cause named in errorCauses",
      capture: cap(call("/oauth2/v1/authorize", 400, oktaError("E0000001", "Api validation failed: redirect_uri", ["The 'redirect_uri' parameter must be a Login redirect URI in the client app settings."]))),
      errors: [{ entry: 0, messageId: "namedCause", message: "Okta named the cause: “The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.”" }],
    },
    {
      name: "an error in the WWW-Authenticate challenge",
      capture: cap({ ...call("/api/v1/logs", 403, undefined), headers: { Authorization: "Bearer opaque-token-value-0123456789" }, responseHeaders: { "www-authenticate": 'Bearer authorization_uri="https://acme.okta.com/oauth2/v1/authorize", realm="https://acme.okta.com", scope="okta.logs.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/logs"' } }),
      errors: [{ entry: 0, messageId: "oauthError", message: "returned the OAuth error insufficient_scope with HTTP 403 (“The access token provided does not contain the required scopes.”)" }],
    },
    {
      name: "a code Okta does not document",
      capture: cap(call("/api/v1/users", 400, oktaError("E0009999", "Something new"))),
      errors: [{ entry: 0, messageId: "undocumented", message: "returned HTTP 400 with the error E0009999 (“Something new”), a code Okta's error reference does not list" }],
    },
    {
      name: "an e-mail address in Okta's summary is masked",
      capture: cap(call("/api/v1/users/dana@example.com", 404, oktaError("E0000007", "Not found: Resource not found: dana@example.com (User)"))),
      errors: [{ entry: 0, messageId: "oktaError", message: /Resource not found: ••• \(16 chars\) \(User\)/ }],
    },
    {
      name: "the same error in a loop is one finding",
      capture: cap(...Array.from({ length: 4 }, (_, i) => call(`/api/v1/users/00u1ab2cdEFGH3ijK4l${i}`, 401, oktaError("E0000011", "Invalid token provided"), i * 100))),
      errors: [{ entry: 0, messageId: "oktaError" }],
    },
    {
      name: "different errors are separate findings",
      capture: cap(call("/api/v1/users", 400, oktaError("E0000001", "Api validation failed: login", ["login: An object with this field already exists in the current organization"]), 0, "POST"), call("/api/v1/groups/00g1ab2cd3EFGH4ij5d7", 404, oktaError("E0000007", "Not found: Resource not found: 00g1ab2cd3EFGH4ij5d7 (UserGroup)"), 100)),
      errors: [
        { entry: 0, message: "POST /api/v1/users returned HTTP 400 E0000001" },
        { entry: 1, message: "GET /api/v1/groups/00g1ab2cd3EFGH4ij5d7 returned HTTP 404 E0000007" },
      ],
    },
  ],
});

describe("okta-error is a fallback", () => {
  it("gives way where another rule explains the entry", async () => {
    const spec = cap(call("/api/v1/users", 200, [] as unknown as Record<string, unknown>), call("/api/v1/groups", 403, oktaError("E0000006", "You do not have permission to perform the requested action"), 100), {
      ...call("/api/v1/users/00u1ab2cdEFGH3ijK4l7", 401, oktaError("E0000011", "Invalid token provided"), 200),
      url: "https://acme-admin.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7",
    });
    const findings = await lintSpec(spec, [apiTokenRejected, rule]);
    expect(findings.map((f) => `${f.ruleId}@${f.entry}`)).toEqual(["api-token-rejected@2", "okta-error@1"]);
  });
});
