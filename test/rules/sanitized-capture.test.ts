import { describe, expect, it } from "vitest";
import rule from "../../rules/sanitized-capture.js";
import apiTokenRejected from "../../rules/api-token-rejected.js";
import oktaError from "../../rules/okta-error.js";
import type { Rule } from "../../src/engine/types.js";
import { fakeApiToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { lintSpec, ruleTester } from "../rule-tester.js";

const APP = "https://app.example.com";
const ORG = "https://acme.okta.com";
const SERVER = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2" };
const token = fakeApiToken("sanitized-capture");
const start = "2026-11-21T10:00:00.000Z";
const sid = "102" + fakeRandom("sanitized-sid", 22);
const user = { id: "00u1ab2cdEFGH3ijK4l7", status: "ACTIVE", profile: { login: "dana@example.com" } };

const browserFlow = (cookie: boolean): EntrySpec[] => [
  { method: "GET", url: `${APP}/`, status: 200, from: { browser: APP, mode: "navigate" }, at: 0, okta: false, response: { mimeType: "text/html", text: "<!doctype html><title>App</title>" } },
  {
    method: "GET",
    url: `${ORG}/api/v1/users/me`,
    status: 200,
    from: { browser: APP },
    at: 400,
    ...(cookie ? { headers: { cookie: `sid=${sid}` } } : {}),
    responseHeaders: { "access-control-allow-origin": APP, "access-control-allow-credentials": "true" },
    response: user,
  },
];
const chrome = (entries: EntrySpec[], sanitized: boolean): CaptureSpec => ({ producer: "chrome", start, sanitized, entries });
const proxy = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start, entries });
const listUsers = (auth?: string, status = 200): EntrySpec => ({
  method: "GET",
  url: `${ORG}/api/v1/users?limit=200`,
  status,
  from: SERVER,
  at: 100,
  ...(auth ? { headers: { Authorization: auth } } : {}),
  response: status === 200 ? ([user] as unknown as Record<string, unknown>) : { errorCode: "E0000005", errorSummary: "Invalid session" },
});
const discovery: EntrySpec = { method: "GET", url: `${ORG}/.well-known/openid-configuration`, status: 200, from: SERVER, at: 0, response: { issuer: ORG } };

ruleTester(rule, {
  valid: [
    { name: "a browser capture exported with sensitive data", capture: chrome(browserFlow(true), false) },
    { name: "a sanitized browser capture without Okta calls", capture: chrome([browserFlow(false)[0]!, { method: "GET", url: `${APP}/api/items`, status: 200, from: { browser: APP }, at: 100, okta: false, response: { items: [] } }], true) },
    { name: "a server capture with its API token", capture: proxy(discovery, listUsers(`SSWS ${token}`)) },
    { name: "a server capture of anonymous calls only", capture: proxy(discovery, { ...discovery, at: 200, url: `${ORG}/oauth2/v1/keys`, response: { keys: [] } }) },
    { name: "a server call that really sent no credential (and failed)", capture: proxy(discovery, listUsers(undefined, 403)) },
    {
      // A sign-in that died at the CORS preflight sends no credential at all: nothing was stripped from oktalint's own recording.
      name: "a recording oktalint browse made itself, with no credential header because none was sent",
      capture: chrome(browserFlow(false).map((e) => ({ ...e, extra: { _oktalint: { source: "browse", sender: "browser" } } })), false),
    },
    { name: "oktalint's own markers when no rule needs secret values", capture: proxy(listUsers("SSWS oktalint-redacted:ssws:7f3a9c")) },
  ],
  invalid: [
    {
      name: "Chrome's sanitized export",
      capture: chrome(browserFlow(false), true),
      errors: [{ entry: null, messageId: "sanitized", severity: "info", message: "This browser capture has no Cookie, Set-Cookie or Authorization header in any of its 2 entries (1 Okta call): it was exported without sensitive data" }],
    },
    {
      name: "a server capture whose successful management call shows no credential",
      capture: proxy(discovery, listUsers()),
      errors: [{ entry: null, messageId: "stripped", message: "yet GET /api/v1/users at entry 1 succeeded (HTTP 200) although that endpoint only accepts a header credential" }],
    },
    {
      name: "redaction markers in the credential headers",
      capture: proxy(listUsers("SSWS [REDACTED]"), { ...listUsers("SSWS [REDACTED]"), at: 300 }),
      errors: [{ entry: null, messageId: "redacted", message: "Redaction markers replace the Authorization values of 2 Okta calls (first at entry 0)" }],
    },
  ],
});

describe("sanitized-capture names the rules it stands in for", () => {
  const needsSecret: Rule = { ...oktaError, id: "token-compare", needsSecretValues: "compares token values across entries", fallback: false, check() {} };
  it("lists the rules that need credential headers, not the others", async () => {
    const findings = await lintSpec(chrome(browserFlow(false), true), [rule, apiTokenRejected, oktaError]);
    const f = findings.find((x) => x.ruleId === "sanitized-capture");
    expect(f?.message).toContain("These rules could not judge credentials and stayed silent: api-token-rejected.");
    expect(f?.entry).toBeNull();
    expect(f?.evidence).toContain("entries with headers: 2; with Authorization: 0; with Cookie: 0; with Set-Cookie: 0");
  });
  it("with oktalint's markers, lists only the rules that need secret values", async () => {
    const findings = await lintSpec(proxy(listUsers("SSWS oktalint-redacted:ssws:7f3a9c")), [rule, apiTokenRejected, needsSecret]);
    expect(findings.map((x) => `${x.messageId}: ${x.message}`)).toEqual([
      "redactedByOktalint: oktalint's redaction markers replace the Authorization values of 1 Okta call (first at entry 0): the markers keep each value's shape, so only checks that need a secret's actual value could not run: token-compare.",
    ]);
  });
});
