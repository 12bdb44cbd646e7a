import rule from "../../rules/authorize-error.js";
import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const CLIENT = "0oa1ab2cd3EFGH4ij5d7";
const state = fakeRandom("state", 32);
const sid = "102" + fakeRandom("sid", 22);

const authorize = (extra: string, status: number, opts: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url: `${ORG}/oauth2/default/v1/authorize?client_id=${CLIENT}&response_type=code&scope=openid&code_challenge=abc&code_challenge_method=S256&redirect_uri=${encodeURIComponent(APP + "/login/callback")}&state=${state}${extra}`,
  status,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  ...opts,
});
const back = (error: string, description: string, sep = "?") => ({ location: `${APP}/login/callback${sep}error=${error}&error_description=${encodeURIComponent(description)}&state=${state}` });
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: "2026-11-21T10:00:00.000Z", entries });
const page400 = `<!DOCTYPE html><html><head><title>acme - Error</title></head><body><div class="content"><h2 class="o-form-title">400 Bad Request</h2><p class="o-form-explain">The &#39;redirect_uri&#39; parameter must be a Login redirect URI in the client app settings: https://acme-admin.okta.com/admin/app/oidc_client/instance/${CLIENT}#tab-general</p></div></body></html>`;
const notAssigned = "User is not assigned to the client application.";
const noPrompt = "The client specified not to prompt, but the user is not logged in.";

ruleTester(rule, {
  valid: [
    { name: "a successful code redirect", capture: cap(authorize("", 302, { responseHeaders: { location: `${APP}/login/callback?code=abc&state=${state}` } })) },
    { name: "an HTML sign-in page (200) is not an error page", capture: cap(authorize("", 200, { response: { mimeType: "text/html", text: "<html><body>Sign In</body></html>" } })) },
    { name: "a silent renew that succeeds with a session cookie", capture: cap(authorize("&prompt=none", 302, { headers: { cookie: `sid=${sid}` }, responseHeaders: { location: `${APP}/login/callback?code=abc&state=${state}` } })) },
    { name: "a 200 sign-in page whose embedded JSON mentions an errorCode is no error", capture: cap(authorize("", 200, { response: { mimeType: "text/html", text: '<html><body><script>var config = {"errorCode":"E0000004","errorSummary":"Authentication failed"};</script><div id="okta-sign-in"></div></body></html>' } })) },
    { name: "a 302 to Okta's sign-in page is no error", capture: cap(authorize("", 302, { responseHeaders: { location: `${ORG}/signin/refresh-auth-state/00abc` } })) },
  ],
  invalid: [
    {
      name: "Okta's words name the cause: no such authorization server (Okta's JSON error format)",
      capture: cap(authorize("", 400, { response: { errorCode: "invalid_request", errorSummary: "The authorization server id is invalid.", errorLink: "invalid_request", errorId: "oaeAs1dInv4l1d", errorCauses: [] } })),
      errors: [
        {
          entry: 0,
          messageId: "named",
          severity: "error",
          message:
            "Okta refused GET /oauth2/default/v1/authorize for client 0oa1ab2cd3EFGH4ij5d7 with invalid_request, and named the cause: “The authorization server id is invalid.” There is no authorization server with this id in the org: custom authorization servers (`default` included) need API Access Management",
        },
      ],
    },
    {
      name: "the same words as an OAuth JSON error",
      capture: cap(authorize("", 400, { response: { error: "invalid_request", error_description: "The authorization server id is invalid." } })),
      errors: [{ entry: 0, messageId: "named", message: "no authorization server with this id" }],
    },
    {
      name: "the same words on Okta's HTML error page",
      capture: cap(authorize("", 400, { response: { mimeType: "text/html", text: "<html><head><title>acme - Error</title></head><body><h2>400 Bad Request</h2><p class=\"o-form-explain\">The authorization server id is invalid.</p></body></html>" } })),
      errors: [{ entry: 0, messageId: "named", message: "no authorization server with this id" }],
    },
    {
      name: "no access policy matches (in the redirect fragment)",
      capture: cap(authorize("", 302, { responseHeaders: back("access_denied", "Policy evaluation failed for this request, please check the policy configurations.", "#") })),
      errors: [{ entry: 0, messageId: "named", severity: "error", message: "No access policy rule of the authorization server matches this request" }],
    },
    {
      name: "invalid_scope: the scope is not defined on this authorization server",
      capture: cap(authorize("", 302, { responseHeaders: back("invalid_scope", "One or more scopes are not configured for the authorization server resource.") })),
      errors: [{ entry: 0, messageId: "named", message: "okta.* scopes exist only at the org authorization server" }],
    },
    {
      name: "an error whose words name no known cause",
      capture: cap(authorize("", 302, { responseHeaders: back("invalid_request", "The request is missing a required parameter: nonce.") })),
      errors: [{ entry: 0, messageId: "refused", severity: "error", message: "with invalid_request: “The request is missing a required parameter: nonce.” The request is missing a parameter" }],
    },
    {
      name: "a token in Okta's words is masked, in the message and the evidence",
      capture: cap(authorize("", 302, { responseHeaders: back("invalid_request", `The id_token_hint ${fakeJwt({ iss: ORG, sub: "00u1", aud: CLIENT, exp: 1 })} is not valid for this client.`) })),
      errors: [{ entry: 0, messageId: "refused", message: /The id_token_hint JWT .*\(signature removed\) is not valid for this client/ }],
    },
    {
      name: "a passing server_error is a warning",
      capture: cap(authorize("", 302, { responseHeaders: back("server_error", "The authorization server encountered an unexpected condition.") })),
      errors: [{ entry: 0, messageId: "refused", severity: "warning" }],
    },
    {
      name: "an error page Okta's words on which are not recognized",
      capture: cap(authorize("", 500, { response: { mimeType: "text/html", text: "<html><head><title>Something went wrong</title></head><body>Oops</body></html>" } })),
      errors: [{ entry: 0, messageId: "refused", message: "with HTTP 500. Okta did not grant the request." }],
    },
    {
      name: "redirect_uri not registered: Okta's 400 page",
      capture: cap(authorize("", 400, { response: { mimeType: "text/html", text: page400 } })),
      errors: [{ entry: 0, messageId: "redirectUri", severity: "error", message: "Okta refused GET /oauth2/default/v1/authorize for client 0oa1ab2cd3EFGH4ij5d7: the redirect_uri https://app.example.com/login/callback is not one of the app's Sign-in redirect URIs" }],
    },
    {
      name: "redirect_uri not registered: JSON invalid_request",
      capture: cap(authorize("", 400, { response: { error: "invalid_request", error_description: "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1ab2cd3EFGH4ij5d7#tab-general" } })),
      errors: [{ entry: 0, messageId: "redirectUri" }],
    },
    {
      name: "user not assigned, answered on a later hop and linked by state",
      capture: cap(
        authorize("", 302, { responseHeaders: { location: `${ORG}/signin/refresh-auth-state/abc` } }),
        { method: "GET", url: `${ORG}/login/token/redirect?stateToken=02.id.abc`, status: 302, from: { browser: APP, mode: "navigate" }, at: 4000, responseHeaders: back("access_denied", notAssigned) },
      ),
      errors: [{ entry: 1, messageId: "userNotAssigned", message: 'Okta refused to issue tokens for client 0oa1ab2cd3EFGH4ij5d7 at GET /login/token/redirect (access_denied "User is not assigned to the client application."): the signed-in user is not assigned to this app, directly or through a group. The flow started with the /authorize request at entry 0.' }],
    },
    {
      name: "login_required on a silent renew without a session cookie (a cookie elsewhere proves cookies were captured)",
      capture: cap(
        { method: "GET", url: `${ORG}/api/v1/sessions/me`, status: 200, from: { browser: APP }, at: 0, headers: { cookie: `sid=${sid}` }, responseHeaders: { "access-control-allow-origin": APP }, response: { id: sid } },
        authorize("&prompt=none&response_mode=okta_post_message", 200, {
          from: { browser: APP, mode: "no-cors" },
          response: { mimeType: "text/html", text: `<html><body><script type="text/javascript">var data = { 'error' : 'login_required', 'error_description' : 'The client specified not to prompt, but the user is not logged in.', 'state' : '${state}' }; window.parent.postMessage(data, '${APP}');</script></body></html>` },
        }),
      ),
      errors: [{ entry: 1, messageId: "loginRequired", message: "The silent /authorize request (prompt=none) for client 0oa1ab2cd3EFGH4ij5d7 (GET /oauth2/default/v1/authorize) came back with login_required: Okta found no session for this browser. The request carried no Okta session cookie and ran in a cross-site iframe of https://app.example.com: the browser most likely blocked Okta's third-party cookie." }],
    },
    {
      name: "login_required with a session cookie: the session ended",
      capture: cap(authorize("&prompt=none", 302, { headers: { cookie: `sid=${sid}` }, responseHeaders: back("login_required", noPrompt, "#") })),
      errors: [{ entry: 0, messageId: "loginRequired", message: "did carry an Okta session cookie, so that session has ended" }],
    },
    {
      name: "login_required in a sanitized capture: says what it cannot tell",
      capture: { ...cap(authorize("&prompt=none", 302, { responseHeaders: back("login_required", noPrompt) }), authorize("", 302, { at: 10 })), sanitized: true },
      errors: [{ entry: 0, messageId: "loginRequired", message: "cannot tell an expired session from a cookie the browser blocked" }],
    },
  ],
});
