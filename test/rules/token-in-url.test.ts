import rule from "../../rules/token-in-url.js";
import { fakeApiToken, fakeJwt, fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const CLIENT = "0oa1ab2cd3EFGH4ij5d7";
const state = fakeRandom("state", 32);
const now = Math.floor(Date.parse("2026-11-21T10:00:00.000Z") / 1000);
const at = fakeJwt({ ver: 1, jti: "AT.x1", iss: `${ORG}/oauth2/default`, aud: "api://default", iat: now, exp: now + 3600, cid: CLIENT, uid: "00u1ab2cdEFGH3ijK4l7", scp: ["openid"], sub: "dana@example.com" });
const idt = fakeJwt({ ver: 1, jti: "ID.x1", iss: `${ORG}/oauth2/default`, aud: CLIENT, iat: now, exp: now + 3600, sub: "00u1ab2cdEFGH3ijK4l7", nonce: "n0nce", amr: ["pwd"] });
const apiToken = fakeApiToken("url-token");
const sessionToken = fakeOneTimeToken("url-session", "00");
const SERVER = { server: "python-requests/2.32.3" };

const get = (url: string, opts: Partial<EntrySpec> = {}): EntrySpec => ({ method: "GET", url, status: 200, from: { browser: APP }, at: 0, responseHeaders: { "access-control-allow-origin": APP }, ...opts });
const redirect = (url: string, location: string): EntrySpec => ({ method: "GET", url, status: 302, from: { browser: APP, mode: "navigate" }, at: 0, responseHeaders: { location } });
const authorize = (rt: string) => `${ORG}/oauth2/default/v1/authorize?client_id=${CLIENT}&response_type=${encodeURIComponent(rt)}&scope=openid&state=${state}&nonce=n0nce&redirect_uri=${encodeURIComponent(APP + "/callback")}`;
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: "2026-11-21T10:00:00.000Z", entries });
const proxy = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries });

ruleTester(rule, {
  valid: [
    { name: "access token in the Authorization header", capture: cap(get(`${ORG}/oauth2/default/v1/userinfo`, { headers: { authorization: `Bearer ${at}` } })) },
    { name: "sessionToken on /authorize (designed one-time use)", capture: cap(redirect(`${authorize("code")}&code_challenge=abc&code_challenge_method=S256&sessionToken=${sessionToken}`, `${APP}/callback?code=abc&state=${state}`)) },
    { name: "token on /login/sessionCookieRedirect, even with the 00… shape", capture: cap(redirect(`${ORG}/login/sessionCookieRedirect?token=${sessionToken}&redirectUrl=${encodeURIComponent(APP)}`, APP)) },
    { name: "id_token_hint on /logout", capture: cap(redirect(`${ORG}/oauth2/default/v1/logout?id_token_hint=${idt}&post_logout_redirect_uri=${encodeURIComponent(APP)}`, APP)) },
    { name: "implicit fragment response at the /authorize entry (implicit-flow reports it)", capture: cap(redirect(authorize("id_token token"), `${APP}/callback#access_token=${at}&id_token=${idt}&state=${state}`)) },
    {
      name: "implicit fragment delivered on a later hop of the same flow",
      capture: cap(redirect(authorize("token"), `${ORG}/signin`), redirect(`${ORG}/login/token/redirect?stateToken=02.id.abc`, `${APP}/callback#access_token=${at}&state=${state}`)),
    },
  ],
  invalid: [
    {
      name: "access token in the query of a userinfo call",
      capture: cap(get(`${ORG}/oauth2/default/v1/userinfo?access_token=${at}`)),
      errors: [{ entry: 0, messageId: "requestQuery", severity: "warning", message: "GET /oauth2/default/v1/userinfo carries an access token in its URL query (access_token)" }],
    },
    {
      name: "an API token in a query parameter",
      capture: proxy(get(`${ORG}/api/v1/users?limit=20&apiToken=${apiToken}`, { from: SERVER })),
      errors: [{ entry: 0, messageId: "requestQuery", message: "GET /api/v1/users carries an Okta API token in its URL query (apiToken)" }],
    },
    {
      name: "a refresh token and a JWT access token sent in the query of /revoke",
      capture: proxy({ method: "POST", url: `${ORG}/oauth2/default/v1/revoke?token=${at}&refresh_token=${fakeRandom("rt", 40)}`, status: 200, from: SERVER, at: 0 }),
      errors: [{ entry: 0, messageId: "requestQuery", message: "carries an access token and a refresh token in its URL query (token, refresh_token)" }],
    },
    {
      name: "a redirect with tokens in the query",
      capture: cap(redirect(`${ORG}/login/token/redirect?stateToken=02.id.abc`, `${APP}/callback?access_token=${at}&state=other`)),
      errors: [{ entry: 0, messageId: "redirectQuery", message: "The redirect from GET /login/token/redirect puts an access token in the query of https://app.example.com/callback (access_token)" }],
    },
    {
      name: "an ID token in a fragment with no implicit /authorize in sight",
      capture: cap(redirect(authorize("id_token"), `${APP}/callback#id_token=${idt}&state=${state}`)),
      errors: [{ entry: 0, messageId: "redirectFragment", message: "puts an ID token in the URL fragment of https://app.example.com/callback (id_token): fragments stay out of server logs" }],
    },
  ],
});
