import rule from "../../rules/insecure-transport.js";
import { fakeApiToken, fakeJwt, fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const SERVER = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2" };
const APP = "https://app.example.com";
const token = fakeApiToken("insecure-transport");
const start = "2026-11-21T10:00:00.000Z";
const now = Math.floor(Date.parse(start) / 1000);
const CLIENT_ID = "0oa1ab2cd3EFGH4ij5d7";
const accessToken = fakeJwt({ ver: 1, jti: "AT.it1", iss: "https://login.example.com/oauth2/default", aud: "api://default", iat: now, exp: now + 3600, cid: CLIENT_ID, uid: "00u1ab2cdEFGH3ijK4l7", scp: ["openid"], sub: "dana@example.com" });
const sessionToken = fakeOneTimeToken("insecure-transport-session");
const sid = "102" + fakeRandom("insecure-sid", 22);

const cap = (entries: EntrySpec[], producer: "chrome" | "proxy" = "proxy"): CaptureSpec => ({ producer, start, entries });
const users = (url: string, auth?: string): EntrySpec => ({
  method: "GET",
  url,
  status: 200,
  from: SERVER,
  at: 0,
  ...(auth ? { headers: { Authorization: auth } } : {}),
  response: [] as unknown as Record<string, unknown>,
});

ruleTester(rule, {
  valid: [
    { name: "HTTPS with an API token", capture: cap([users("https://acme.okta.com/api/v1/users", `SSWS ${token}`)]) },
    { name: "a local Okta test server on loopback", capture: cap([users("http://127.0.0.1:8123/api/v1/users", `SSWS ${token}`)]) },
    { name: "plain HTTP to a non-Okta host", capture: cap([{ method: "GET", url: "http://app.example.com/health", status: 200, from: SERVER, at: 0, okta: false, response: { ok: true } }]) },
    { name: "HTTPS sign-in with a password", capture: cap([{ method: "POST", url: "https://acme.okta.com/api/v1/authn", status: 200, from: SERVER, at: 0, body: { username: "dana@example.com", password: "correct-horse-battery-staple" }, response: { status: "SUCCESS", sessionToken } }]) },
  ],
  invalid: [
    {
      name: "an API token over plain HTTP",
      capture: cap([users("http://acme.okta.com/api/v1/users", `SSWS ${token}`)]),
      errors: [{ entry: 0, messageId: "credentialsInClear", severity: "error", message: "GET /api/v1/users was sent to acme.okta.com over plain HTTP (http://acme.okta.com/api/v1/users) with the Authorization header (SSWS)" }],
    },
    {
      name: "a password and the sessionToken Okta returns",
      capture: cap([{ method: "POST", url: "http://acme.okta.com/api/v1/authn", status: 200, from: SERVER, at: 0, body: { username: "dana@example.com", password: "correct-horse-battery-staple" }, response: { status: "SUCCESS", sessionToken } }]),
      errors: [{ entry: 0, messageId: "credentialsInClear", message: "with the user's password and the sessionToken in the response" }],
    },
    {
      name: "a client secret at the token endpoint",
      capture: cap([{ method: "POST", url: "http://acme.okta.com/oauth2/default/v1/token", status: 200, from: SERVER, at: 0, form: { grant_type: "client_credentials", scope: "api.read", client_id: CLIENT_ID, client_secret: fakeRandom("secret", 40) }, response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "api.read" } }]),
      errors: [{ entry: 0, messageId: "credentialsInClear", message: "with the client_secret and the access_token in the response" }],
    },
    {
      name: "the browser's session cookie and a new sid",
      capture: cap(
        [{ method: "GET", url: "http://acme.okta.com/api/v1/sessions/me", status: 200, from: { browser: APP }, at: 0, headers: { cookie: `sid=${sid}` }, responseHeaders: { "access-control-allow-origin": APP, "set-cookie": `sid=${sid};Version=1;Path=/;HttpOnly;SameSite=None` }, response: { id: sid, status: "ACTIVE" } }],
        "chrome",
      ),
      errors: [{ entry: 0, messageId: "credentialsInClear", message: "with the Okta session cookie sid and the sid session cookie Okta set" }],
    },
    {
      name: "a Bearer token to a custom domain over HTTP",
      capture: cap([users("http://login.example.com/oauth2/default/v1/userinfo", `Bearer ${accessToken}`)]),
      errors: [{ entry: 0, messageId: "credentialsInClear", message: "was sent to login.example.com over plain HTTP" }],
    },
    {
      name: "an anonymous discovery call over HTTP",
      capture: cap([{ method: "GET", url: "http://acme.okta.com/.well-known/openid-configuration", status: 200, from: SERVER, at: 0, response: { issuer: "https://acme.okta.com" } }]),
      errors: [{ entry: 0, messageId: "plainHttp", message: "went to the Okta host acme.okta.com over plain HTTP (http://acme.okta.com/.well-known/openid-configuration)" }],
    },
    {
      name: "Okta redirecting plain HTTP to HTTPS",
      capture: cap([{ method: "GET", url: "http://acme.okta.com/oauth2/default/.well-known/openid-configuration", status: 301, from: SERVER, at: 0, responseHeaders: { location: "https://acme.okta.com/oauth2/default/.well-known/openid-configuration" } }]),
      errors: [{ entry: 0, messageId: "plainHttpRedirected", message: "Okta redirected it to HTTPS (HTTP 301)" }],
    },
    {
      name: "Chrome's HSTS upgrade",
      capture: cap(
        [{ method: "GET", url: "http://acme.okta.com/oauth2/default/v1/authorize?client_id=0oa1ab2cd3EFGH4ij5d7&response_type=code", status: 307, statusText: "Internal Redirect", from: { browser: APP, mode: "navigate" }, at: 0, okta: false, responseHeaders: { location: "https://acme.okta.com/oauth2/default/v1/authorize?client_id=0oa1ab2cd3EFGH4ij5d7&response_type=code", "non-authoritative-reason": "HSTS" } }],
        "chrome",
      ),
      errors: [{ entry: 0, messageId: "hstsUpgraded", severity: "info", message: "the browser upgraded it to HTTPS itself (HSTS)" }],
    },
    {
      name: "a polling loop over HTTP is one finding",
      capture: cap(Array.from({ length: 5 }, (_, i) => ({ ...users(`http://acme.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l${i}`, `SSWS ${token}`), at: i * 1000 }))),
      errors: [{ entry: 0, messageId: "credentialsInClear" }],
    },
  ],
});
