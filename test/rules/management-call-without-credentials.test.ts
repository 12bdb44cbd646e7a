import rule from "../../rules/management-call-without-credentials.js";
import { fakeApiToken, fakeJwt, fakeOneTimeToken, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const SERVER = { server: "curl/8.5.0" };
const apiToken = fakeApiToken("mgmt-no-creds");
const invalidSession = { errorCode: "E0000005", errorSummary: "Invalid session", errorLink: "E0000005", errorId: "oaeS1", errorCauses: [] };

const call = (path: string, opts: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url: `${ORG}${path}`,
  status: 403,
  from: SERVER,
  at: 1000,
  response: invalidSession,
  ...opts,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: START, entries });
const browserCap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: START, entries });
const BROWSER = { browser: APP };
const jsession = { "set-cookie": "JSESSIONID=6A1B2C3D4E5F60718293A4B5C6D7E8F9; Path=/; Secure; HttpOnly" };

ruleTester(rule, {
  valid: [
    { name: "an API token is sent", capture: cap(call("/api/v1/users", { headers: { Authorization: `SSWS ${apiToken}` }, status: 200, response: { ok: true } })) },
    {
      name: "a sanitized Chrome export (sanitized-capture explains it)",
      capture: { ...browserCap(call("/api/v1/users", { from: BROWSER, headers: { Authorization: `SSWS ${apiToken}` } }), call("/api/v1/groups", { from: BROWSER, at: 2000 })), sanitized: true },
    },
    {
      name: "POST /api/v1/sessions takes the sessionToken in the body",
      capture: cap(call("/api/v1/sessions", { method: "POST", body: { sessionToken: fakeOneTimeToken("s1") }, status: 200, response: { id: "102abcdEFGHijklMNOPqrstUV", status: "ACTIVE" } })),
    },
    { name: "a CORS preflight carries no credentials by design", capture: browserCap(call("/api/v1/users", { method: "OPTIONS", from: BROWSER, status: 200, response: undefined, responseHeaders: jsession })) },
    { name: "Okta accepted the call (the capture lost the credential)", capture: cap(call("/api/v1/users", { status: 200, response: { ok: true } })) },
    {
      name: "the browser sent an Okta session cookie",
      capture: browserCap(call("/api/v1/users", { from: BROWSER, headers: { Cookie: "sid=102abcdEFGHijklMNOPqrstUV; DT=xyz" } })),
    },
    { name: "the -admin host (wrong-base-url explains it)", capture: cap(call("/api/v1/users", { url: "https://acme-admin.okta.com/api/v1/users" })) },
  ],
  invalid: [
    {
      name: "a server call with no credentials",
      capture: cap(call("/api/v1/users")),
      errors: [
        {
          entry: 0,
          messageId: "noCredentials",
          severity: "error",
          message:
            "GET /api/v1/users is a management call (User) but carried neither an Authorization header nor an Okta session cookie (HTTP 403 E0000005). Send `Authorization: SSWS <api token>`, or `Authorization: Bearer <token>` with an org-authorization-server access token carrying okta.users.read.",
        },
      ],
    },
    {
      name: "a browser call with no credentials",
      capture: browserCap(call("/api/v1/groups", { from: BROWSER, responseHeaders: jsession })),
      errors: [{ entry: 0, messageId: "noCredentials", message: "From a browser, get an access token from the org authorization server with okta.groups.read" }],
    },
    {
      name: "the header was lost after an earlier call had it",
      capture: cap(call("/api/v1/groups", { at: 0, headers: { Authorization: `SSWS ${apiToken}` }, status: 200, response: { ok: true } }), call("/api/v1/users")),
      errors: [{ entry: 1, messageId: "noCredentials", message: "Entry 0 (GET /api/v1/groups) did send an Authorization header to acme.okta.com" }],
    },
    {
      name: "the token went in another header",
      capture: cap(call("/api/v1/users", { headers: { "X-Api-Key": `SSWS ${apiToken}` } })),
      errors: [{ entry: 0, messageId: "misplacedCredential", message: "was sent in the `X-Api-Key` header, where Okta does not look (HTTP 403 E0000005). Send it as `Authorization: SSWS <token>`." }],
    },
    {
      name: "the token went in the URL",
      capture: cap(call("/api/v1/users", { url: `${ORG}/api/v1/users?access_token=${fakeJwt({ iss: ORG, aud: ORG, scp: ["okta.users.read"], exp: T0 + 3600 })}`, status: 401, response: { errorCode: "E0000011", errorSummary: "Invalid token provided" } })),
      errors: [{ entry: 0, messageId: "misplacedCredential", message: "the `access_token` query parameter" }],
    },
    {
      name: "repeats are grouped",
      capture: cap(call("/api/v1/users", { responseHeaders: jsession }), call("/api/v1/groups", { at: 2000 }), call("/api/v1/apps", { at: 3000 })),
      errors: [{ entry: 0, message: "The same happens on 2 more calls (entries 1, 2)." }],
    },
  ],
});
