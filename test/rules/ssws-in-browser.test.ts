import rule from "../../rules/ssws-in-browser.js";
import { fakeApiToken, fakeJwt, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { samples } from "../../scripts/samples/rules/ssws-in-browser.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const token = fakeApiToken("ssws-in-browser-test");
const now = Math.floor(Date.parse("2026-11-21T10:00:00.000Z") / 1000);
const orgAsToken = fakeJwt({ ver: 1, jti: "AT.x1", iss: ORG, aud: ORG, iat: now, exp: now + 3600, cid: "0oa1ab2cd3EFGH4ij5d7", uid: "00u1ab2cdEFGH3ijK4l7", scp: ["okta.users.read"], sub: "dana@example.com" });
const cors = { "access-control-allow-origin": APP };

const listUsers = (auth: string, extra: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url: `${ORG}/api/v1/users?limit=25`,
  status: 200,
  from: { browser: APP },
  at: 100,
  headers: { authorization: auth },
  responseHeaders: cors,
  response: { mimeType: "application/json", text: "[]" },
  ...extra,
});
const preflight = (requested: string, status: number, allow: boolean, url = `${ORG}/api/v1/users?limit=25`): EntrySpec => ({
  method: "OPTIONS",
  url,
  status,
  from: { browser: APP },
  at: 0,
  headers: { "access-control-request-method": "GET", "access-control-request-headers": requested },
  responseHeaders: allow ? { ...cors, "access-control-allow-headers": requested, "access-control-allow-methods": "GET" } : {},
});
const chrome = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: "2026-11-21T10:00:00.000Z", entries });

ruleTester(rule, {
  valid: [
    { name: "sample ssws-in-browser.passes.har", capture: samples["ssws-in-browser.passes.har"]! },
    {
      name: "a server sends the API token",
      capture: { producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries: [{ ...listUsers(`SSWS ${token}`), from: { server: "okta-sdk-nodejs/7.1.1" }, responseHeaders: {} }] },
    },
    { name: "a page sends an org-AS access token as Bearer", capture: chrome(listUsers(`Bearer ${orgAsToken}`)) },
    { name: "a preflight for an Authorization header followed by a Bearer request", capture: chrome(preflight("authorization", 204, true), listUsers(`Bearer ${orgAsToken}`)) },
    { name: "a preflight that asks for content-type only", capture: chrome(preflight("content-type", 403, false)) },
    {
      name: "a preflight for an Authorization header on the token endpoint (not /api/v1)",
      capture: chrome({ ...preflight("authorization", 204, true, `${ORG}/oauth2/v1/token`), headers: { "access-control-request-method": "POST", "access-control-request-headers": "authorization" } }),
    },
  ],
  invalid: [
    { name: "sample ssws-in-browser.fires.har", capture: samples["ssws-in-browser.fires.har"]!, errors: [{ entry: 0, messageId: "browser" }, { entry: 1, messageId: "preflight" }] },
    {
      name: "a page calls the management API with an API token (and it works)",
      capture: chrome(listUsers(`SSWS ${token}`)),
      errors: [{ entry: 0, messageId: "browser", severity: "error", message: "sent by a browser (Origin: https://app.example.com" }],
    },
    {
      name: "the browser blocked the SSWS call",
      capture: chrome(listUsers(`SSWS ${token}`, { status: 0, responseHeaders: {}, response: undefined, extra: { _error: "net::ERR_FAILED" } })),
      errors: [{ entry: 0, messageId: "browser", message: "The browser blocked the call" }],
    },
    {
      name: "an SSWS header carrying a JWT from a page is still an SSWS header in a browser",
      capture: chrome(listUsers(`SSWS ${orgAsToken}`, { status: 401, responseHeaders: {}, response: { errorCode: "E0000011", errorSummary: "Invalid token provided" } })),
      // Still an SSWS header in a browser, but no API token is exposed: it says so (and is authorization-scheme's symptom in a full run).
      errors: [{ entry: 0, messageId: "notApiToken", severity: "warning", message: /sends a JWT \(an OAuth token\) as `Authorization: SSWS .*this value is not one, so no API token is exposed here.*Okta answered HTTP 401 E0000011/ }],
    },
    {
      name: "a refused preflight for an Authorization header to a management endpoint, never followed",
      capture: chrome(preflight("authorization,content-type", 403, false)),
      errors: [{ entry: 0, messageId: "preflight", message: "Okta refused the preflight (HTTP 403, no Access-Control-Allow-Origin)" }],
    },
  ],
});
