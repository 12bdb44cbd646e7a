import rule from "../../rules/implicit-flow.js";
import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const CLIENT = "0oa1ab2cd3EFGH4ij5d7";
const state = fakeRandom("state", 32);
const now = Math.floor(Date.parse("2026-11-21T10:00:00.000Z") / 1000);
const at = fakeJwt({ ver: 1, jti: "AT.x1", iss: `${ORG}/oauth2/default`, aud: "api://default", iat: now, exp: now + 3600, cid: CLIENT, uid: "00u1ab2cdEFGH3ijK4l7", scp: ["openid"], sub: "dana@example.com" });

const authorize = (query: string, location?: string): EntrySpec => ({
  method: "GET",
  url: `${ORG}/oauth2/default/v1/authorize?client_id=${CLIENT}&redirect_uri=${encodeURIComponent(APP + "/callback")}&state=${state}&nonce=n0nce&scope=openid&${query}`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  ...(location ? { responseHeaders: { location } } : {}),
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: "2026-11-21T10:00:00.000Z", entries });

ruleTester(rule, {
  valid: [
    { name: "authorization code with PKCE", capture: cap(authorize("response_type=code&code_challenge=abc&code_challenge_method=S256")) },
    { name: "response_type=id_token alone (sign-in only, no access token)", capture: cap(authorize("response_type=id_token")) },
    { name: "a token request is not /authorize", capture: cap({ method: "POST", url: `${ORG}/oauth2/default/v1/token`, status: 200, from: { browser: APP }, at: 0, form: { grant_type: "authorization_code", response_type: "token" } }) },
  ],
  invalid: [
    {
      name: "response_type=token",
      capture: cap(authorize("response_type=token", `${APP}/callback#access_token=${at}&token_type=Bearer&expires_in=3600&scope=openid&state=${state}`)),
      errors: [{ entry: 0, messageId: "implicit", severity: "warning", message: 'GET /oauth2/default/v1/authorize asks the custom authorization server "default" for response_type=token for client 0oa1ab2cd3EFGH4ij5d7: the access token comes back in the URL fragment of the redirect (implicit flow). Okta\'s redirect in this entry carries the access token in its URL.' }],
    },
    {
      name: "response_type=id_token token with okta_post_message (silent renew of old okta-auth-js)",
      capture: cap(authorize("response_type=id_token%20token&response_mode=okta_post_message&prompt=none")),
      errors: [{ entry: 0, messageId: "implicit", message: "response_type=id_token token for client 0oa1ab2cd3EFGH4ij5d7: the access token comes back by postMessage from a hidden iframe (implicit flow)." }],
    },
    {
      name: "implicit flow by form POST to the org AS",
      capture: cap({ method: "POST", url: `${ORG}/oauth2/v1/authorize`, status: 200, from: { browser: APP, mode: "navigate" }, at: 0, form: { client_id: CLIENT, response_type: "token", response_mode: "form_post", scope: "openid", state, nonce: "n" } }),
      errors: [{ entry: 0, messageId: "implicit", message: "POST /oauth2/v1/authorize asks the org authorization server for response_type=token for client 0oa1ab2cd3EFGH4ij5d7: the access token comes back in an auto-submitted form" }],
    },
  ],
});
