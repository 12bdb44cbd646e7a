import rule from "../../rules/wrong-base-url.js";
import { fakeApiToken, fakeJwt, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const SERVER = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2" };
const APP = "https://app.example.com";
const token = fakeApiToken("wrong-base-url");
const start = "2026-11-21T10:00:00.000Z";
const now = Math.floor(Date.parse(start) / 1000);
const accessToken = fakeJwt({ ver: 1, jti: "AT.wbu", iss: "https://acme.okta.com/oauth2/default", aud: "api://default", iat: now, exp: now + 3600, cid: "0oa1ab2cd3EFGH4ij5d7", uid: "00u1ab2cdEFGH3ijK4l7", scp: ["openid", "okta.myAccount.profile.read"], sub: "dana@example.com" });
const notFound = { errorCode: "E0000022", errorSummary: "The endpoint does not support the provided HTTP method", errorLink: "E0000022", errorId: "oaeN0tF0und1", errorCauses: [] };
const invalidToken = { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae1nv4l1d", errorCauses: [] };

const cap = (entries: EntrySpec[], producer: "chrome" | "proxy" = "proxy"): CaptureSpec => ({ producer, start, entries });
const server = (url: string, status: number, response: EntrySpec["response"], at = 0, method = "GET"): EntrySpec => ({
  method,
  url,
  status,
  from: SERVER,
  at,
  headers: { Authorization: `SSWS ${token}` },
  response,
});
const signInPage = {
  mimeType: "text/html",
  text: '<!DOCTYPE html><html><head><title>Acme Corp - Sign In</title></head><body><div id="okta-sign-in"></div><script src="https://ok12static.oktacdn.com/assets/js/sdk/okta-signin-widget/7.26.0/js/okta-sign-in.min.js"></script></body></html>',
};
const proxyPage = { mimeType: "text/html", text: "<html><head><title>Website blocked</title></head><body>Access to this site is restricted by your organisation's proxy.</body></html>" };

ruleTester(rule, {
  valid: [
    { name: "management call at the org root", capture: cap([server("https://acme.okta.com/api/v1/users?limit=200", 200, [] as unknown as Record<string, unknown>)]) },
    { name: "custom authorization server endpoints under /oauth2/default", capture: cap([server("https://acme.okta.com/oauth2/default/v1/keys", 200, { keys: [] })]) },
    { name: "MyAccount at the org root", capture: cap([{ method: "GET", url: "https://acme.okta.com/idp/myaccount/profile", status: 200, from: { browser: APP }, at: 0, headers: { authorization: `Bearer ${accessToken}`, accept: "application/json; okta-version=1.0.0" }, responseHeaders: { "access-control-allow-origin": APP }, response: { profile: {} } }], "chrome") },
    {
      name: "the Admin Console calling the API on its own host",
      capture: cap(
        [{ method: "GET", url: "https://acme-admin.okta.com/api/v1/users?limit=20", status: 200, from: { browser: "https://acme-admin.okta.com" }, at: 0, headers: { cookie: "sid=102abcdefghijklmnopqrstuv" }, response: [] as unknown as Record<string, unknown> }],
        "chrome",
      ),
    },
    { name: "a page navigation on the Admin Console host", capture: cap([{ method: "GET", url: "https://acme-admin.okta.com/admin/dashboard", status: 200, from: { browser: APP, mode: "navigate" }, at: 0, response: signInPage }], "chrome") },
    { name: "HTML on a non-API path", capture: cap([{ method: "GET", url: "https://acme.okta.com/login/login.htm", status: 200, from: { browser: APP, mode: "navigate" }, at: 0, response: signInPage }], "chrome") },
    { name: "an HTTP-to-HTTPS redirect with an HTML body", capture: cap([{ ...server("http://acme.okta.com/api/v1/users", 301, { mimeType: "text/html", text: "<html><head><title>301 Moved Permanently</title></head></html>" }), responseHeaders: { location: "https://acme.okta.com/api/v1/users" } }]) },
    { name: "JSON labelled text/html on /api/v1", capture: cap([server("https://acme.okta.com/api/v1/users/me", 200, { mimeType: "text/html", text: '{"id":"00u1ab2cdEFGH3ijK4l7"}' })]) },
  ],
  invalid: [
    {
      name: "/api/v1 under the custom authorization server's issuer",
      capture: cap([server("https://acme.okta.com/oauth2/default/api/v1/users?limit=200", 404, notFound)]),
      errors: [{ entry: 0, messageId: "apiUnderAuthServer", severity: "error", message: "Okta serves it at the org root, https://acme.okta.com/api/v1/users" }],
    },
    {
      name: "/api/v1 under the org authorization server's /oauth2 issuer",
      capture: cap([server("https://acme.okta.com/oauth2/api/v1/groups", 404, notFound)]),
      errors: [{ entry: 0, messageId: "apiUnderAuthServer", message: "under the authorization server path /oauth2 (HTTP 404)" }],
    },
    {
      name: "MyAccount under /oauth2/default",
      capture: cap([{ method: "GET", url: "https://acme.okta.com/oauth2/default/idp/myaccount/profile", status: 404, from: { browser: APP }, at: 0, headers: { authorization: `Bearer ${accessToken}` }, responseHeaders: { "access-control-allow-origin": APP }, response: notFound }], "chrome"),
      errors: [{ entry: 0, messageId: "apiUnderAuthServer", message: "puts the MyAccount API (/idp/myaccount) under the authorization server path /oauth2/default" }],
    },
    {
      name: "an API token sent to the -admin host",
      capture: cap([server("https://acme-admin.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7", 401, invalidToken)]),
      errors: [{ entry: 0, messageId: "adminHost", severity: "error", message: "went to acme-admin.okta.com, the Admin Console host, and failed there (HTTP 401 E0000011): the API's base URL is the org host; send API calls to acme.okta.com." }],
    },
    {
      name: "a call that succeeded on the -admin host is not said to have failed",
      capture: cap([server("https://acme-admin.okta.com/api/v1/users?limit=20", 200, [] as unknown as Record<string, unknown>)]),
      errors: [
        {
          entry: 0,
          messageId: "adminHostAnswered",
          severity: "warning",
          message: "GET /api/v1/users went to acme-admin.okta.com, the Admin Console host. It answered (HTTP 200), but the API's base URL is the org host acme.okta.com",
        },
      ],
    },
    {
      name: "a 403 E0000006 on the -admin host is a permissions problem first: the host advice is an info",
      capture: cap([server("https://acme-admin.okta.com/api/v1/groups", 403, { errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action", errorLink: "E0000006", errorId: "oaeF0rb1dd3n", errorCauses: [] }, 0, "POST")]),
      errors: [{ entry: 0, messageId: "adminHostForbidden", severity: "info", message: "refused the action (HTTP 403 E0000006): that is a permissions problem, not the host's" }],
    },
    {
      name: "a token request to the -admin host",
      capture: cap([{ method: "POST", url: "https://acme-admin.okta.com/oauth2/v1/token", status: 400, from: SERVER, at: 0, form: { grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: fakeJwt({ iss: "0oa1ab2cd3EFGH4ij5d7", sub: "0oa1ab2cd3EFGH4ij5d7", aud: "https://acme-admin.okta.com/oauth2/v1/token", exp: now + 300 }) }, response: { error: "invalid_client", error_description: "The audience claim for client_assertion must be the endpoint invoked for the request." } }]),
      errors: [{ entry: 0, messageId: "adminHost", message: "POST /oauth2/v1/token went to acme-admin.okta.com" }],
    },
    {
      name: "an /api/v1 call answered by a sign-in page",
      capture: cap([server("https://acme.okta.com/api/v1/users/me", 200, signInPage)]),
      errors: [{ entry: 0, messageId: "htmlSignIn", message: "was answered with a page titled “Acme Corp - Sign In” (HTTP 200) instead of JSON: it ended at a sign-in page" }],
    },
    {
      name: "an /api/v1 call redirected to a sign-in page",
      capture: cap([{ ...server("https://acme.okta.com/api/v1/users/me", 302, undefined), okta: false, responseHeaders: { location: "https://sso.example.com/login?return=%2Fapi%2Fv1%2Fusers%2Fme" } }]),
      errors: [{ entry: 0, messageId: "htmlSignIn", message: "was answered with a redirect to a sign-in page (HTTP 302)" }],
    },
    {
      name: "an /api/v1 call answered by a proxy's HTML page",
      capture: cap([{ ...server("https://acme.okta.com/api/v1/groups", 403, proxyPage), okta: false }]),
      errors: [{ entry: 0, messageId: "htmlAnswer", message: "a page titled “Website blocked” (HTTP 403) instead of JSON" }],
    },
    {
      name: "a loop of calls to the -admin host is one finding",
      capture: cap(Array.from({ length: 6 }, (_, i) => server(`https://acme-admin.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l${i}`, 401, invalidToken, i * 200))),
      errors: [{ entry: 0, messageId: "adminHost" }],
    },
    {
      name: "two different misconfigured endpoints are two findings",
      capture: cap([server("https://acme-admin.okta.com/api/v1/users", 401, invalidToken), server("https://acme.okta.com/oauth2/default/api/v1/groups", 404, notFound, 300)]),
      errors: [
        { entry: 0, messageId: "adminHost" },
        { entry: 1, messageId: "apiUnderAuthServer" },
      ],
    },
  ],
});
