import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import rule from "../../rules/deprecated-api.js";
import { orgEngine } from "../../rules/util-org.js";
import { readCaptureStream } from "../../src/index.js";
import { buildHar, fakeApiToken, fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const SERVER = { server: "axios/1.7.7" };
const APP = "https://app.example.com";
const ORG = "https://acme.okta.com";
const token = fakeApiToken("deprecated-api");
const sessionToken = fakeOneTimeToken("deprecated-session-token");
const cookieToken = fakeOneTimeToken("deprecated-cookie-token", "102");
const sessionId = "102" + fakeRandom("deprecated-session-id", 22);
const start = "2026-11-21T10:00:00.000Z";
const user = { id: "00u1ab2cdEFGH3ijK4l7", profile: { login: "dana@example.com", firstName: "Dana", lastName: "Reyes" } };
const session = (extra: Record<string, unknown> = {}) => ({ id: sessionId, userId: user.id, login: "dana@example.com", status: "ACTIVE", expiresAt: "2026-11-21T12:00:00.000Z", amr: ["pwd"], ...extra });

const cap = (entries: EntrySpec[], producer: "chrome" | "proxy" = "proxy"): CaptureSpec => ({ producer, start, entries });
const authn = (at = 0): EntrySpec => ({ method: "POST", url: `${ORG}/api/v1/authn`, status: 200, from: SERVER, at, headers: { Authorization: `SSWS ${token}` }, body: { username: "dana@example.com", password: "correct-horse-battery-staple" }, response: { status: "SUCCESS", expiresAt: "2026-11-21T10:05:00.000Z", sessionToken, _embedded: { user } } });
const createSession = (at: number, query = ""): EntrySpec => ({ method: "POST", url: `${ORG}/api/v1/sessions${query}`, status: 200, from: SERVER, at, headers: { Authorization: `SSWS ${token}` }, body: { sessionToken }, response: session(query.includes("cookieToken") ? { cookieToken } : {}) });
const orgMetadata = (pipeline: string, at = 0): EntrySpec => ({ method: "GET", url: `${ORG}/.well-known/okta-organization`, status: 200, from: SERVER, at, response: { id: "00o1ab2cd3EFGH4ij5d7", pipeline, settings: { analyticsCollectionEnabled: false, bugReportingEnabled: true, omEnabled: false }, _links: { organization: { href: ORG } } } });
const introspect = (at: number): EntrySpec => ({ method: "POST", url: `${ORG}/idp/idx/introspect`, status: 200, from: { browser: APP }, at, headers: { accept: "application/ion+json; okta-version=1.0.0" }, responseHeaders: { "access-control-allow-origin": APP }, body: { mimeType: "application/ion+json; okta-version=1.0.0", text: JSON.stringify({ interactionHandle: fakeRandom("ih", 43) }) }, response: { mimeType: "application/ion+json; okta-version=1.0.0", text: JSON.stringify({ version: "1.0.0", stateHandle: "02." + fakeRandom("sh", 60), expiresAt: "2026-11-21T10:15:00.000Z", intent: "LOGIN" }) } });

ruleTester(rule, {
  valid: [
    { name: "creating a session without cookieToken in an org of unknown engine", capture: cap([authn(), createSession(400)]) },
    { name: "authn in a Classic org", capture: cap([orgMetadata("v1"), authn(300), createSession(700)]) },
    { name: "an Identity Engine sign-in without Classic APIs", capture: cap([introspect(0)], "chrome") },
    { name: "a failed IDX call proves nothing", capture: cap([authn(0), { ...introspect(200), status: 404, okta: false, response: { mimeType: "text/html", text: "<html><title>Not found</title></html>" } }]) },
  ],
  invalid: [
    {
      name: "cookieToken requested and returned",
      capture: cap([authn(), createSession(400, "?additionalFields=cookieToken")]),
      errors: [{ entry: 1, messageId: "cookieToken", severity: "warning", message: "POST /api/v1/sessions asked for a cookieToken (additionalFields=cookieToken) and got one: cookieToken and cookieTokenUrl are deprecated" }],
    },
    {
      name: "a cookieTokenUrl in a response",
      capture: cap([{ method: "GET", url: `${ORG}/api/v1/sessions/${sessionId}`, status: 200, from: SERVER, at: 0, headers: { Authorization: `SSWS ${token}` }, response: session({ cookieTokenUrl: `${ORG}/login/sessionCookieRedirect?token=${cookieToken}&redirectUrl=${encodeURIComponent(APP)}` }) }]),
      errors: [{ entry: 0, messageId: "cookieToken", message: "returned a cookieToken" }],
    },
    {
      name: "cookieToken in an Identity Engine org",
      capture: cap([orgMetadata("idx"), authn(300), createSession(700, "?additionalFields=cookieToken,cookieTokenUrl")]),
      errors: [
        { entry: 1, messageId: "authnIdentityEngine" },
        { entry: 2, messageId: "cookieTokenIdentityEngine", message: 'this org runs Identity Engine (entry 0: /.well-known/okta-organization says "pipeline": "idx" (Identity Engine)), which does not support cookieToken' },
      ],
    },
    {
      name: "POST /api/v1/sessions in an Identity Engine org",
      capture: cap([
        authn(0),
        createSession(400),
        { method: "GET", url: `${ORG}/oauth2/v1/authorize?client_id=0oa1ab2cd3EFGH4ij5d7&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(APP + "/callback")}&state=s1&code_challenge=${fakeRandom("cc", 43)}&code_challenge_method=S256`, status: 302, from: { browser: APP, mode: "navigate" }, at: 2000, responseHeaders: { location: `${APP}/callback?code=${fakeRandom("code", 43)}&state=s1`, "set-cookie": `idx=${fakeRandom("idx", 40)};Version=1;Path=/;Secure;HttpOnly;SameSite=None` } },
      ]),
      errors: [
        { entry: 0, messageId: "authnIdentityEngine", message: "set the idx session cookie (Identity Engine)" },
        { entry: 1, messageId: "sessionsApiIdentityEngine", message: "POST /api/v1/sessions creates a Classic session from a sessionToken, but this org runs Identity Engine" },
      ],
    },
    {
      name: "the whole Classic authn flow in an Identity Engine org is one finding",
      capture: cap([
        introspect(0),
        authn(1000),
        { method: "POST", url: `${ORG}/api/v1/authn/factors/ostf1ab2cd3EFGH4ij5d7/verify`, status: 200, from: SERVER, at: 2000, body: { stateToken: fakeOneTimeToken("st", "00"), passCode: "123456" }, response: { status: "SUCCESS", sessionToken } },
      ]),
      errors: [{ entry: 1, messageId: "authnIdentityEngine", message: "POST /api/v1/authn uses the Classic Authentication API, but this org runs Identity Engine (entry 0: POST /idp/idx/introspect answered 200 (an Identity Engine API))" }],
    },
    {
      name: "the browser sends Okta's idx cookie",
      capture: cap([{ method: "POST", url: `${ORG}/api/v1/authn`, status: 200, from: { browser: APP }, at: 0, headers: { cookie: `idx=${fakeRandom("idx2", 40)}; DT=${fakeRandom("dt", 30)}` }, responseHeaders: { "access-control-allow-origin": APP, "access-control-allow-credentials": "true" }, body: { username: "dana@example.com", password: "correct-horse-battery-staple" }, response: { status: "SUCCESS", sessionToken } }], "chrome"),
      errors: [{ entry: 0, messageId: "authnIdentityEngine", message: "the browser sent Okta's idx session cookie" }],
    },
  ],
});

async function captureOf(spec: CaptureSpec) {
  return readCaptureStream(Readable.from([Buffer.from(JSON.stringify(buildHar(spec)))]), "spec.har");
}

describe("orgEngine", () => {
  it("is unknown without evidence, and never infers Classic from Classic APIs", async () => {
    const capture = await captureOf(cap([authn(), createSession(400)]));
    expect(orgEngine(capture, "acme.okta.com")).toEqual({ engine: "unknown", evidence: [], entries: [] });
  });
  it("trusts the org metadata over other signals", async () => {
    const capture = await captureOf(cap([introspect(0), orgMetadata("v1", 100)]));
    const info = orgEngine(capture, "acme.okta.com");
    expect(info.engine).toBe("classic");
    expect(info.entries).toEqual([1]);
    expect(info.evidence).toEqual(['entry 1: /.well-known/okta-organization says "pipeline": "v1" (Classic Engine)']);
  });
  it("folds the Admin Console host into its org and keeps other orgs apart", async () => {
    const capture = await captureOf(cap([introspect(0), { ...authn(100), url: "https://other.okta.com/api/v1/authn" }]));
    expect(orgEngine(capture, "acme-admin.okta.com").engine).toBe("identity-engine");
    expect(orgEngine(capture, capture.calls[0]!.host).entries).toEqual([0]);
    expect(orgEngine(capture, "other.okta.com").engine).toBe("unknown");
  });
});
