import rule from "../../rules/invalid-scope-for-server.js";
import { fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const CLIENT = "0oa1ab2cd3EFGH4ij5d7";
const state = fakeRandom("state", 32);
const SERVER = { server: "okta-sdk-nodejs/7.1.1" };

const authorize = (as: string, scope: string, location = `${APP}/callback?code=${fakeRandom("code", 43)}&state=${state}`): EntrySpec => ({
  method: "GET",
  url: `${ORG}/oauth2/${as}authorize?client_id=${CLIENT}&response_type=code&scope=${encodeURIComponent(scope)}&redirect_uri=${encodeURIComponent(APP + "/callback")}&state=${state}&code_challenge=abc&code_challenge_method=S256`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  responseHeaders: { location },
});
const token = (as: string, scope: string, status = 200, response: Record<string, unknown> = { token_type: "Bearer", expires_in: 3600 }): EntrySpec => ({
  method: "POST",
  url: `${ORG}/oauth2/${as}token`,
  status,
  from: SERVER,
  at: 100,
  form: { grant_type: "client_credentials", scope },
  response,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: "2026-11-21T10:00:00.000Z", entries });
const denied = (desc: string) => `${APP}/callback?error=invalid_scope&error_description=${encodeURIComponent(desc)}&state=${state}`;

ruleTester(rule, {
  valid: [
    { name: "OIDC scopes at the org AS", capture: cap(authorize("v1/", "openid profile email offline_access groups")) },
    { name: "okta.* scopes at the org AS", capture: cap(token("v1/", "okta.users.read okta.groups.manage")) },
    { name: "custom scopes at a custom AS", capture: cap(token("default/v1/", "orders:read api.write")) },
    { name: "MyAccount scopes at a custom AS", capture: cap(authorize("default/v1/", "openid okta.myAccount.profile.read")) },
    { name: "another OAuth error is not an invalid_scope", capture: cap(authorize("default/v1/", "openid", `${APP}/callback?error=access_denied&error_description=x&state=${state}`)) },
  ],
  invalid: [
    {
      name: "okta.* scope from the default custom AS",
      capture: cap(token("default/v1/", "okta.users.read okta.groups.read")),
      errors: [{ entry: 0, messageId: "oktaScopeAtCustomAs", severity: "error", message: 'POST /oauth2/default/v1/token asks the custom authorization server "default" for okta.users.read okta.groups.read: okta.* scopes' }],
    },
    {
      name: "okta.* scope in /authorize of a custom AS, with Okta's answer",
      capture: cap(authorize("aus1ab2cd3EFGH4ij5d7/v1/", "openid okta.users.read.self", denied("One or more scopes are not configured for the authorization server resource."))),
      errors: [{ entry: 0, messageId: "oktaScopeAtCustomAs", message: /custom authorization server "aus1ab2cd3EFGH4ij5d7" for okta\.users\.read\.self.*Okta answered invalid_scope: "One or more scopes are not configured/ }],
    },
    {
      name: "custom scope from the org AS",
      capture: cap(authorize("v1/", "openid orders:read", denied("Custom scopes are not allowed for this request"))),
      errors: [{ entry: 0, messageId: "customScopeAtOrgAs", message: 'GET /oauth2/v1/authorize asks the org authorization server for orders:read: it issues only OpenID Connect and okta.* scopes; custom scopes belong to a custom authorization server such as /oauth2/default. Okta answered invalid_scope: "Custom scopes are not allowed for this request".' }],
    },
    {
      name: "an invalid_scope JSON answer with a hint",
      capture: cap(token("default/v1/", "orders:admin", 400, { error: "invalid_scope", error_description: "One or more scopes are not configured for the authorization server resource." })),
      errors: [{ entry: 0, messageId: "invalidScope", message: 'Okta refused the scopes orders:admin at POST /oauth2/default/v1/token with invalid_scope: "One or more scopes are not configured for the authorization server resource." Add the scope' }],
    },
    {
      name: "an invalid_scope in the fragment of a later hop, linked to /authorize by state",
      capture: cap(
        { ...authorize("default/v1/", "openid offline_access", `${ORG}/login/login.htm?fromURI=%2Foauth2%2Fv1%2Fauthorize%2Fredirect`), url: `${ORG}/oauth2/default/v1/authorize?client_id=${CLIENT}&response_type=id_token&response_mode=fragment&scope=openid%20offline_access&state=${state}&nonce=n&redirect_uri=${encodeURIComponent(APP + "/callback")}` },
        { method: "GET", url: `${ORG}/login/token/redirect?stateToken=x`, status: 302, from: { browser: APP, mode: "navigate" }, at: 900, responseHeaders: { location: `${APP}/callback#error=invalid_scope&error_description=${encodeURIComponent("The requested scope is invalid, unknown, or malformed.")}&state=${state}` } },
      ),
      errors: [{ entry: 1, messageId: "invalidScope", message: 'Okta refused the scopes openid offline_access requested at entry 0 at GET /login/token/redirect with invalid_scope: "The requested scope is invalid, unknown, or malformed."' }],
    },
  ],
});
