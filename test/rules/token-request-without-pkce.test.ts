import rule from "../../rules/token-request-without-pkce.js";
import { fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const AS = `${ORG}/oauth2/default`;
const CLIENT = "0oa1ab2cd3EFGH4ij5d7";
const code = fakeRandom("code", 43);
const state = fakeRandom("state", 32);
const verifier = fakeRandom("verifier", 64);
const secret = fakeRandom("secret", 40);
const CORS = { "access-control-allow-origin": APP };

const authorize = (extra: string, status = 302, location = `${APP}/callback?code=${code}&state=${state}`): EntrySpec => ({
  method: "GET",
  url: `${AS}/v1/authorize?client_id=${CLIENT}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(APP + "/callback")}&state=${state}${extra}`,
  status,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  responseHeaders: { location },
});
const token = (form: Record<string, string>, status = 200, response: Record<string, unknown> = { token_type: "Bearer", expires_in: 3600 }, from: EntrySpec["from"] = { browser: APP }): EntrySpec => ({
  method: "POST",
  url: `${AS}/v1/token`,
  status,
  from,
  at: 500,
  responseHeaders: CORS,
  form: { client_id: CLIENT, redirect_uri: APP + "/callback", grant_type: "authorization_code", code, ...form },
  response,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: "2026-11-21T10:00:00.000Z", entries });
const proxy = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries });
const pkceAnswer = { error: "invalid_client", error_description: "Browser requests to the token endpoint must use Proof Key for Code Exchange." };

ruleTester(rule, {
  valid: [
    { name: "PKCE on both legs", capture: cap(authorize("&code_challenge=abc&code_challenge_method=S256"), token({ code_verifier: verifier })) },
    { name: "a server redeems a code with a verifier", capture: proxy(token({ code_verifier: verifier }, 200, undefined, { server: "okta-sdk-nodejs/7.1.1" })) },
    { name: "a server redeems a code without PKCE (no /authorize in the capture)", capture: proxy(token({ client_secret: secret }, 200, undefined, { server: "okta-sdk-nodejs/7.1.1" })) },
    { name: "a browser refresh_token grant", capture: cap({ ...token({}), form: { client_id: CLIENT, grant_type: "refresh_token", refresh_token: fakeRandom("rt", 40) } }) },
    { name: "implicit /authorize (response_type=id_token token) is not a code flow", capture: cap({ ...authorize(""), url: `${AS}/v1/authorize?client_id=${CLIENT}&response_type=id_token%20token&scope=openid&state=${state}&nonce=n` }) },
  ],
  invalid: [
    {
      name: "browser token request without code_verifier, linked to its /authorize",
      capture: cap(authorize(""), token({}, 401, pkceAnswer)),
      errors: [{ entry: 1, messageId: "tokenNoVerifier", severity: "error", message: /POST \/oauth2\/default\/v1\/token redeems an authorization code for client 0oa1ab2cd3EFGH4ij5d7 .*Origin: https:\/\/app\.example\.com.*Okta answered invalid_client: "Browser requests to the token endpoint must use Proof Key for Code Exchange\." The code comes from the \/authorize request at entry 0, which sent no code_challenge either\.$/ }],
    },
    {
      name: "the /authorize did send a challenge: the verifier got lost",
      capture: cap(authorize("&code_challenge=abc&code_challenge_method=S256"), token({})),
      errors: [{ entry: 1, messageId: "tokenNoVerifier", message: "did send a code_challenge: the app lost its code_verifier" }],
    },
    {
      name: "Okta's literal answer when the body was not captured",
      capture: cap({ ...token({}, 401, pkceAnswer), form: undefined, body: undefined }),
      errors: [{ entry: 0, messageId: "oktaRejected", message: "Okta refused POST /oauth2/default/v1/token for client (no client_id) with invalid_client" }],
    },
    {
      name: "browser /authorize without code_challenge whose code is never seen redeemed",
      capture: cap(authorize("")),
      errors: [{ entry: 0, messageId: "authorizeNoChallenge", severity: "warning", message: "(response_type=code) with no code_challenge" }],
    },
    {
      name: "the app requires PKCE and Okta refuses /authorize",
      capture: cap(authorize("", 302, `${APP}/callback?error=invalid_request&error_description=${encodeURIComponent("PKCE code challenge is required by the application.")}&state=${state}`)),
      errors: [{ entry: 0, messageId: "authorizeRejected", severity: "error", message: "the app requires PKCE" }],
    },
    {
      name: "a confidential server redeems the code: hardening note only",
      capture: proxy({ ...authorize(""), from: { browser: APP, mode: "navigate" } }, { ...token({}, 200, undefined, { server: "okta-sdk-nodejs/7.1.1" }), headers: { Authorization: `Basic ${Buffer.from(`${CLIENT}:${secret}`).toString("base64")}` } }),
      errors: [{ entry: 0, messageId: "confidentialNoPkce", severity: "info", message: "a server redeemed the code at entry 1 with client_secret_basic" }],
    },
  ],
});
