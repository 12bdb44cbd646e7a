import rule from "../../rules/api-token-on-cookie-endpoint.js";
import { spaSignin } from "../../scripts/gen-samples.js";
import { fakeApiToken, fakeJwt, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { maskSecret } from "../../src/okta/mask.js";
import { samples } from "../../scripts/samples/rules/api-token-on-cookie-endpoint.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const START = "2026-11-21T10:00:00.000Z";
const SERVER = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2" };
const token = fakeApiToken("atoce");
const now = Math.floor(Date.parse(START) / 1000);
const orgAs = fakeJwt({ ver: 1, jti: "AT.o1", iss: ORG, aud: ORG, iat: now, exp: now + 3600, cid: "0oa1ab2cd3EFGH4ij5d7", uid: "00u1ab2cdEFGH3ijK4l7", scp: ["okta.users.read.self"] });
const customAs = fakeJwt({ ver: 1, jti: "AT.c1", iss: `${ORG}/oauth2/default`, aud: "api://default", iat: now, exp: now + 3600, cid: "0oa1ab2cd3EFGH4ij5d7", uid: "00u1ab2cdEFGH3ijK4l7", scp: ["openid"] });
const admin = { id: "00u9zy8xwVUTS7rqP6o5", status: "ACTIVE", profile: { login: "admin@example.com" } };
const noSession = { errorCode: "E0000007", errorSummary: "Not found: Resource not found: me (Session)", errorLink: "E0000007", errorId: "oae1", errorCauses: [] };

const call = (method: string, path: string, auth: string, status: number, response?: Record<string, unknown>): EntrySpec => ({
  method,
  url: `${ORG}${path}`,
  status,
  from: SERVER,
  at: 0,
  headers: { Authorization: auth },
  ...(response ? { response } : {}),
});
const proxy = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: START, entries });

ruleTester(rule, {
  valid: [
    { name: "sample api-token-on-cookie-endpoint.passes.har", capture: samples["api-token-on-cookie-endpoint.passes.har"]! },
    { name: "the SPA sign-in sample (users/me with the cookie)", capture: spaSignin },
    { name: "users/me with an org-AS access token", capture: proxy(call("GET", "/api/v1/users/me", `Bearer ${orgAs}`, 200, admin)) },
    { name: "the admin session endpoint with an API token", capture: proxy(call("GET", "/api/v1/sessions/102abcdefghijklmnopqrstuv", `SSWS ${token}`, 200, { id: "102abcdefghijklmnopqrstuv", status: "ACTIVE" })) },
    { name: "delete_sessions with an org-AS token (the spec lists OAuth for it)", capture: proxy(call("POST", "/api/v1/users/me/lifecycle/delete_sessions", `Bearer ${orgAs}`, 204)) },
    { name: "a management call with an API token", capture: proxy(call("GET", "/api/v1/users/00u1ab2cdEFGH3ijK4l7", `SSWS ${token}`, 200, admin)) },
  ],
  invalid: [
    { name: "sample api-token-on-cookie-endpoint.fires.har", capture: samples["api-token-on-cookie-endpoint.fires.har"]!, errors: [{ entry: 0, messageId: "ssws", severity: "error" }, { entry: 1, messageId: "sswsUsersMe", severity: "warning" }] },
    {
      name: "sessions/me with an API token",
      capture: proxy(call("GET", "/api/v1/sessions/me", `SSWS ${token}`, 404, noSession)),
      errors: [{ entry: 0, messageId: "ssws", severity: "error", message: `GET /api/v1/sessions/me only takes the browser's Okta session cookie, but GET /api/v1/sessions/me at entry 0 sends the API token ${maskSecret(token)} (HTTP 404 E0000007)` }],
    },
    {
      name: "sessions/me with a Bearer access token",
      capture: proxy(call("GET", "/api/v1/sessions/me", `Bearer ${customAs}`, 404, noSession)),
      errors: [{ entry: 0, messageId: "bearer", message: "sends an access token (`Bearer`," }],
    },
    {
      name: "delete_sessions with an API token",
      capture: proxy(call("POST", "/api/v1/users/me/lifecycle/delete_sessions", `SSWS ${token}`, 403, { errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action" })),
      errors: [{ entry: 0, messageId: "ssws", message: "POST /api/v1/users/me/lifecycle/delete_sessions only takes the browser's Okta session cookie" }],
    },
    {
      name: "users/me with an API token answers with the token's creator",
      capture: proxy(call("GET", "/api/v1/users/me", `SSWS ${token}`, 200, admin)),
      errors: [{ entry: 0, messageId: "sswsUsersMe", severity: "warning", message: "(HTTP 200, answered with user 00u9zy8xwVUTS7rqP6o5): with an API token, \"me\" is the admin who created the token" }],
    },
  ],
});
