/**
 * Issue 11, pairs the merge created: a failed /authorize is one problem with
 * the okta.* scope, the missing PKCE or the implicit grant that caused it; a
 * JWT sent as SSWS from a page is a token in the wrong scheme, not an API token
 * in the page; a failed call's missing CORS headers sit under its cause. And
 * where the same call has two problems, they stay two. Each entry's `expect:`
 * names the problems as `cause > symptom`.
 */
import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const CLIENT = "0oa1ab2cd3EFGH4ij5d7";
const pkce = `&code_challenge=${fakeRandom("trust-pairs-cc", 43)}&code_challenge_method=S256`;
const redirectUri = `&redirect_uri=${encodeURIComponent(APP + "/cb")}`;
const words = (text: string) => encodeURIComponent(text).replace(/%20/g, "+");
const chrome = (comment: string, ...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: START, comment, entries });

/** A browser's navigation to /authorize, answered by a redirect back to the app carrying an OAuth error. */
const refused = (path: string, query: string, error: string, description: string, comment: string, where: "?" | "#" = "?"): EntrySpec => ({
  method: "GET",
  url: `${ORG}/oauth2/${path}?client_id=${CLIENT}${query}&state=s1${redirectUri}`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  responseHeaders: { location: `${APP}/cb${where}error=${error}&error_description=${words(description)}&state=s1` },
  comment,
});
const orgToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("trust-pairs-at", 43), iss: ORG, aud: ORG, iat: T0 - 60, exp: T0 + 3540, cid: CLIENT, uid: "00u1ab2cdEFGH3ijK4l7", sub: "dana@example.com", scp: ["okta.users.read"] });

export const samples: Record<string, CaptureSpec> = {
  "trust-pairs-okta-scope-at-custom-server.har": chrome(
    "An SPA asks the default custom authorization server for okta.users.read; Okta answers invalid_scope in the redirect.",
    refused("default/v1/authorize", `&response_type=code&scope=openid%20okta.users.read${pkce}`, "invalid_scope", "One or more scopes are not configured for the authorization server resource.", "expect: invalid-scope-for-server > authorize-error (the okta.* scope is why Okta refused)"),
  ),
  "trust-pairs-pkce-required.har": chrome(
    "An app that requires PKCE, and an /authorize request without code_challenge.",
    refused("default/v1/authorize", "&response_type=code&scope=openid", "invalid_request", "PKCE code challenge is required by the application.", "expect: token-request-without-pkce > authorize-error (the missing code_challenge is why Okta refused)"),
  ),
  "trust-pairs-implicit-not-allowed.har": chrome(
    "An old SPA asks for response_type=id_token token from an app that allows only the authorization code grant.",
    refused("v1/authorize", "&response_type=id_token%20token&scope=openid&nonce=n1", "unsupported_response_type", "The response type is not supported by the authorization server. Configured response types: [code].", "expect: implicit-flow > authorize-error (switch to code with PKCE rather than enabling the implicit grant)", "#"),
  ),
  "trust-pairs-not-assigned-without-pkce.har": chrome(
    "An /authorize request without code_challenge, refused because the user is not assigned to the app.",
    refused("default/v1/authorize", "&response_type=code&scope=openid", "access_denied", "User is not assigned to the client application.", "expect: authorize-error, token-request-without-pkce (two fixes: assign the user, add PKCE)"),
  ),
  "trust-pairs-jwt-as-ssws-from-page.har": chrome(
    "A page sends its access token with the SSWS scheme; Okta's 401 carries no CORS headers.",
    {
      method: "GET",
      url: `${ORG}/api/v1/users?limit=20`,
      status: 401,
      from: { browser: APP },
      at: 0,
      headers: { Authorization: `SSWS ${orgToken}` },
      response: { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae" + fakeRandom("trust-pairs-e11", 19), errorCauses: [] },
      comment: "expect: authorization-scheme > api-token-rejected > ssws-in-browser > untrusted-origin (a JWT in the wrong scheme, not an API token in the page)",
    },
  ),
};
