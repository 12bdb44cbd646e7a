import { describe, expect, it } from "vitest";
import rule from "../../rules/untrusted-origin.js";
import { spaSignin } from "../../scripts/gen-samples.js";
import { fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { samples } from "../../scripts/samples/rules/untrusted-origin.js";
import { lintSpec, ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const discovery = { issuer: ORG, authorization_endpoint: `${ORG}/oauth2/v1/authorize`, token_endpoint: `${ORG}/oauth2/v1/token` };
const forbidden = { errorCode: "E0000005", errorSummary: "Invalid session", errorLink: "E0000005", errorId: "oae1", errorCauses: [] };

const get = (path: string, status: number, responseHeaders: Record<string, string>, extra: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url: `${ORG}${path}`,
  status,
  from: { browser: APP },
  at: 100,
  responseHeaders,
  response: status === 200 ? discovery : forbidden,
  ...extra,
});
const preflight = (url: string, status: number, responseHeaders: Record<string, string>): EntrySpec => ({
  method: "OPTIONS",
  url,
  status,
  from: { browser: APP },
  at: 0,
  headers: { "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-okta-user-agent-extended" },
  responseHeaders,
});
const chrome = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: START, entries });

ruleTester(rule, {
  valid: [
    { name: "sample untrusted-origin.passes.har", capture: samples["untrusted-origin.passes.har"]! },
    { name: "the SPA sign-in sample", capture: spaSignin },
    { name: "a cross-origin call with a matching Access-Control-Allow-Origin", capture: chrome(get("/.well-known/openid-configuration", 200, { "access-control-allow-origin": APP })) },
    { name: "a top-level navigation needs no CORS headers", capture: chrome(get("/oauth2/v1/authorize?client_id=0oa1ab2cd3EFGH4ij5d7", 302, { location: `${APP}/cb?error=login_required` }, { from: { browser: APP, mode: "navigate" }, response: undefined })) },
    {
      name: "an Okta-hosted page calling its own org (same origin)",
      capture: chrome({ method: "POST", url: `${ORG}/api/v1/authn`, status: 401, from: { browser: ORG }, at: 0, body: { username: "dana@example.com", password: "x" }, response: { errorCode: "E0000004", errorSummary: "Authentication failed" } }),
    },
    {
      name: "a 403 without CORS headers from an origin Okta allows elsewhere (the 403 is the problem)",
      capture: chrome(get("/.well-known/openid-configuration", 200, { "access-control-allow-origin": APP }), { ...get("/api/v1/users/me", 403, {}), at: 300 }),
    },
    { name: "an allowed preflight", capture: chrome(preflight(`${ORG}/api/v1/authn`, 204, { "access-control-allow-origin": APP, "access-control-allow-methods": "POST", "access-control-allow-headers": "content-type,x-okta-user-agent-extended" })) },
    { name: "a request with cookies and credentials allowed", capture: chrome(get("/api/v1/users/me", 200, { "access-control-allow-origin": APP, "access-control-allow-credentials": "true" }, { headers: { cookie: `sid=102${fakeRandom("uo-sid", 22)}` } })) },
  ],
  invalid: [
    { name: "sample untrusted-origin.fires.har", capture: samples["untrusted-origin.fires.har"]!, errors: [{ entry: 1, messageId: "preflightRejected" }, { entry: 2, messageId: "rejected" }] },
    {
      name: "a preflight from an origin that is not trusted",
      capture: chrome(preflight(`${ORG}/api/v1/authn`, 403, {})),
      errors: [{ entry: 0, messageId: "preflightRejected", severity: "error", message: "Okta answered the preflight for POST /api/v1/authn from https://app.example.com (entry 0) with no Access-Control-Allow-Origin (HTTP 403)" }],
    },
    {
      name: "a preflight to an http:// org URL is redirected",
      capture: chrome(preflight("http://acme.okta.com/api/v1/authn", 301, { location: `${ORG}/api/v1/authn` })),
      errors: [{ entry: 0, messageId: "preflightRedirected", message: "(HTTP 301 to https://acme.okta.com/api/v1/authn); browsers fail a preflight that redirects, so the request never went out. The page calls Okta over http://: use https://acme.okta.com." }],
    },
    {
      name: "a successful answer without Access-Control-Allow-Origin",
      capture: chrome(get("/.well-known/openid-configuration", 200, {})),
      errors: [{ entry: 0, messageId: "rejected", message: "with no Access-Control-Allow-Origin (HTTP 200)" }],
    },
    {
      name: "an allowed origin written with a trailing slash",
      capture: chrome(get("/.well-known/openid-configuration", 200, { "access-control-allow-origin": APP + "/" })),
      errors: [{ entry: 0, messageId: "rejected", message: "with Access-Control-Allow-Origin: https://app.example.com/ (HTTP 200)" }],
    },
    {
      name: "a request with cookies answered without Access-Control-Allow-Credentials",
      capture: chrome(get("/api/v1/users/me", 200, { "access-control-allow-origin": APP }, { headers: { cookie: `sid=102${fakeRandom("uo-sid", 22)}` } })),
      errors: [{ entry: 0, messageId: "credentialsNotAllowed", message: "with no Access-Control-Allow-Credentials: true on a request with cookies (HTTP 200)" }],
    },
    {
      name: "an endpoint that answers without CORS headers although the origin is allowed elsewhere",
      capture: chrome(get("/.well-known/openid-configuration", 200, { "access-control-allow-origin": APP }), { ...get("/oauth2/v1/keys", 200, {}), at: 400 }),
      errors: [{ entry: 1, messageId: "rejectedHere", message: "although Okta allowed this origin at entry 0" }],
    },
    {
      name: "a preflight refused although the origin is allowed elsewhere",
      capture: chrome(get("/.well-known/openid-configuration", 200, { "access-control-allow-origin": APP }), { ...preflight(`${ORG}/api/v1/authn`, 403, {}), at: 400 }),
      errors: [{ entry: 1, messageId: "preflightRefused", message: "although it allowed this origin at entry 0: it refused this request rather than the origin" }],
    },
    {
      name: "the browser reports a CORS failure",
      capture: chrome(get("/api/v1/sessions/me", 0, {}, { response: undefined, extra: { _error: "CORS error: MissingAllowOriginHeader" } })),
      errors: [{ entry: 0, messageId: "blocked", message: "The browser blocked GET /api/v1/sessions/me from https://app.example.com (entry 0) for CORS (CORS error: MissingAllowOriginHeader)" }],
    },
    {
      name: "an error answer without CORS headers, origin never allowed",
      capture: chrome(get("/api/v1/users/me", 403, {})),
      errors: [{ entry: 0, messageId: "errorWithoutHeaders", message: "with HTTP 403 E0000005 and no Access-Control-Allow-Origin; the page sees a CORS error, but the real failure is the HTTP 403 E0000005" }],
    },
  ],
});

describe("untrusted-origin on loopback", () => {
  it("gives no https advice for a loopback org (127.0.0.1, localhost and [::1] are secure contexts), and still does elsewhere", async () => {
    for (const host of ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"]) {
      const findings = await lintSpec(chrome(preflight(`http://${host}/api/v1/authn`, 403, {})), [rule]);
      expect(findings.map((f) => f.messageId)).toEqual(["preflightRejected"]);
      expect(findings[0]!.message).not.toContain("use https");
    }
    const remote = await lintSpec(chrome(preflight("http://acme.okta.com/api/v1/authn", 403, {})), [rule]);
    expect(remote[0]!.message).toContain("The page calls Okta over http://: use https://acme.okta.com.");
  });
});
