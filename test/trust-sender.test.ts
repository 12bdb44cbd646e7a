/**
 * Issue 11, classes 1–3, across every rule: a public client's `Basic
 * base64(client_id)`, server code that Node's fetch makes look like a page,
 * and CORS preflights listed after their request. Correct flows give no
 * finding at all; the misuse next to them stays caught.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LiveSession } from "../src/live/session.js";
import type { TraceRecord } from "../src/live/record.js";
import { lintFile } from "../src/index.js";
import { RULES } from "../rules/index.js";
import { fakeApiToken, fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../scripts/samples/builder.js";
import { lintSpec } from "./rule-tester.js";

const ORG = "https://acme.okta.com";
const AS = `${ORG}/oauth2/default`;
const APP = "https://app.example.com";
const CLIENT = "0oa8f3kq2ZRtUvW1x5d7";
const START = "2026-11-21T10:00:00.000Z";
const now = Math.floor(Date.parse(START) / 1000);
const accessToken = fakeJwt({ ver: 1, jti: "AT.trust-sender", iss: AS, aud: "api://default", iat: now - 60, exp: now + 3540, cid: CLIENT, uid: "00u1ab2cdEFGH3ijK4l7", scp: ["openid", "profile"], sub: "dana@example.com" });
const refreshToken = fakeRandom("trust-sender-refresh", 43);
const CORS = { "access-control-allow-origin": APP, "access-control-allow-credentials": "true", vary: "Origin" };
/** What okta-auth-js 8 sends from a page for a public client (src/oidc/revokeToken.ts): `Basic base64(clientId)`, no colon, no secret. */
const publicBasic = `Basic ${Buffer.from(CLIENT).toString("base64")}`;

const chrome = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: START, entries });
const proxy = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: START, entries });
const summary = (findings: { ruleId: string; entry: number | null; severity: string }[]) => findings.map((f) => `${f.ruleId}@${f.entry}:${f.severity}`);

const revoke = (at: number, token: string, hint: string, authorization = publicBasic): EntrySpec => ({
  method: "POST",
  url: `${AS}/v1/revoke`,
  status: 200,
  from: { browser: APP },
  at,
  headers: { authorization, "x-okta-user-agent-extended": "okta-auth-js/8.0.1" },
  // okta-auth-js writes token_type_hint first.
  form: { token_type_hint: hint, token },
  responseHeaders: CORS,
});

describe("class 1: a public client's Basic base64(client_id)", () => {
  it("okta-auth-js signOut from an SPA (revoke access and refresh token) gives no finding", async () => {
    const findings = await lintSpec(chrome(revoke(0, accessToken, "access_token"), revoke(40, refreshToken, "refresh_token")), RULES);
    expect(summary(findings)).toEqual([]);
  });

  it("introspect with the client id only gives no finding", async () => {
    const introspect: EntrySpec = { ...revoke(0, accessToken, "access_token"), url: `${AS}/v1/introspect`, response: { active: true, client_id: CLIENT, token_type: "Bearer" } };
    expect(summary(await lintSpec(chrome(introspect), RULES))).toEqual([]);
  });

  it("still reports a real client secret sent from the page", async () => {
    const secret = fakeRandom("trust-sender-secret", 40);
    const findings = await lintSpec(chrome(revoke(0, accessToken, "access_token", `Basic ${Buffer.from(`${CLIENT}:${secret}`).toString("base64")}`)), RULES);
    expect(summary(findings)).toEqual(["client-secret-in-browser@0:error"]);
    expect(findings[0]!.message).toContain(`client secret of client ${CLIENT} as Basic client authentication`);
    expect(JSON.stringify(findings)).not.toContain(secret);
  });

  it("still reports a Basic credential that is not base64 of anything usable", async () => {
    for (const bad of ["Basic not-base64!", `Basic ${Buffer.from("two words").toString("base64")}`, `Basic ${Buffer.from(fakeApiToken("b")).toString("base64")}`]) {
      const findings = await lintSpec(chrome(revoke(0, accessToken, "access_token", bad)), RULES);
      expect(summary(findings), bad).toContain("authorization-scheme@0:error");
      expect(findings.find((f) => f.ruleId === "authorization-scheme")!.messageId).toBe("invalidBasic");
    }
  });

  it("still reports Basic with a client id on an endpoint that takes no client authentication", async () => {
    const users: EntrySpec = { method: "GET", url: `${ORG}/api/v1/users/me`, status: 401, from: { browser: APP }, at: 0, headers: { authorization: publicBasic }, response: { errorCode: "E0000011", errorSummary: "Invalid token provided" } };
    const findings = await lintSpec(chrome(users), RULES);
    expect(findings.find((f) => f.ruleId === "authorization-scheme")?.messageId).toBe("basicNotAccepted");
  });
});

/** Headers as Node 20's fetch sends them for openid-client 6 (measured against a loopback server; see test/sender.test.ts). */
const OPENID_CLIENT: Record<string, string> = {
  accept: "application/json",
  "user-agent": "openid-client/v6.8.9",
  "accept-language": "*",
  "sec-fetch-mode": "cors",
  "accept-encoding": "gzip, deflate",
};
const SECRET = fakeRandom("trust-sender-cc-secret", 40);
const SERVICE = "0oa9svcClientCred5d7";

/** Server-side calls of a confidential client through openid-client: client credentials, introspection, code exchange. */
function openidClientCalls(headers: Record<string, string>, ua: string): EntrySpec[] {
  const from = { server: ua };
  const h = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== "user-agent"));
  return [
    { method: "POST", url: `${AS}/v1/token`, status: 200, from, at: 0, headers: h, form: { scope: "orders.read", grant_type: "client_credentials", client_id: SERVICE, client_secret: SECRET }, response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "orders.read" } },
    { method: "POST", url: `${AS}/v1/introspect`, status: 200, from, at: 50, headers: h, form: { token: accessToken, client_id: SERVICE, client_secret: SECRET }, response: { active: true, client_id: CLIENT } },
    {
      method: "POST",
      url: `${AS}/v1/token`,
      status: 200,
      from,
      at: 100,
      headers: { ...h, authorization: `Basic ${Buffer.from(`${SERVICE}:${SECRET}`).toString("base64")}` },
      form: { redirect_uri: "https://app.example.com/callback", code_verifier: fakeRandom("trust-sender-verifier", 64), code: fakeRandom("trust-sender-code", 43), grant_type: "authorization_code" },
      response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "openid profile" },
    },
  ];
}

describe("class 2: server code that Node's fetch makes look like a page", () => {
  it("openid-client client credentials, introspection and code exchange recorded by mitmproxy give no finding", async () => {
    expect(summary(await lintSpec(proxy(...openidClientCalls(OPENID_CLIENT, "openid-client/v6.8.9")), RULES))).toEqual([]);
  });

  it("the same calls from an app that sets its own User-Agent and languages give no finding", async () => {
    const own = { ...OPENID_CLIENT, "accept-language": "en-US" };
    expect(summary(await lintSpec(proxy(...openidClientCalls(own, "acme-orders/3.1.0")), RULES))).toEqual([]);
  });

  it("an API token sent by a backend through Node's fetch is not an API token in a browser", async () => {
    const users: EntrySpec = {
      method: "GET",
      url: `${ORG}/api/v1/users?limit=200`,
      status: 200,
      from: { server: "acme-admin-sync/1.4" },
      at: 0,
      headers: { authorization: `SSWS ${fakeApiToken("trust-sender-sync")}`, "accept-language": "*", "sec-fetch-mode": "cors" },
      response: { mimeType: "application/json", text: "[]" },
    };
    expect(summary(await lintSpec(proxy(users), RULES))).toEqual([]);
  });

  it("still reports the same client secrets sent from a Chrome page", async () => {
    const page = openidClientCalls({}, "unused").map((e) => ({ ...e, from: { browser: APP }, responseHeaders: CORS }));
    const findings = await lintSpec(chrome(...page), RULES);
    // The two token requests are one problem (same client, same endpoint), reported once with both occurrences.
    expect(summary(findings)).toEqual(["client-secret-in-browser@0:error", "client-secret-in-browser@1:error"]);
    expect(findings[0]!.occurrences).toBe(2);
  });
});

/** A live record as the trace preload (or the proxy) sends it. */
function liveRecord(client: TraceRecord["client"], seq: number, path: string, headers: [string, string][], form: Record<string, string>, resBody: unknown): TraceRecord {
  const body = new URLSearchParams(form).toString();
  const text = JSON.stringify(resBody);
  return {
    v: 1,
    kind: "exchange",
    client,
    pid: 31337,
    startedDateTime: new Date(Date.parse(START) + seq * 1000).toISOString(),
    time: 20,
    timings: { send: 1, wait: 15, receive: 4 },
    request: {
      method: "POST",
      url: `${ORG}${path}`,
      httpVersion: "HTTP/1.1",
      headers: [["host", "acme.okta.com"], ["content-type", "application/x-www-form-urlencoded;charset=UTF-8"], ...headers],
      body: { size: Buffer.byteLength(body), base64: Buffer.from(body).toString("base64") },
    },
    response: {
      status: 200,
      statusText: "OK",
      httpVersion: "HTTP/1.1",
      headers: [["content-type", "application/json"], ["x-okta-request-id", `req${seq}`], ["access-control-allow-origin", APP]],
      body: { size: Buffer.byteLength(text), base64: Buffer.from(text).toString("base64") },
    },
  };
}

describe("class 2: lint of the HAR a live session wrote gives the live findings", () => {
  const dir = mkdtempSync(join(tmpdir(), "oktalint-trust-sender-"));
  const nodeFetch: [string, string][] = Object.entries(OPENID_CLIENT);
  const chromePage: [string, string][] = [
    ["origin", APP],
    ["sec-ch-ua", '"Chromium";v="131", "Not_A Brand";v="24"'],
    ["sec-fetch-dest", "empty"],
    ["sec-fetch-mode", "cors"],
    ["sec-fetch-site", "cross-site"],
    ["user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"],
  ];
  const calls = (client: TraceRecord["client"], headers: [string, string][]) => [
    liveRecord(client, 0, "/oauth2/default/v1/token", headers, { scope: "orders.read", grant_type: "client_credentials", client_id: SERVICE, client_secret: SECRET }, { token_type: "Bearer", expires_in: 3600, access_token: accessToken }),
    liveRecord(client, 1, "/oauth2/default/v1/introspect", headers, { token: accessToken, client_id: SERVICE, client_secret: SECRET }, { active: true }),
  ];

  async function session(name: string, producer: string, records: TraceRecord[]) {
    const path = join(dir, `${name}.har`);
    const live = new LiveSession({ rules: RULES, label: name, producer: { name: producer, version: "0.1.0" }, har: { path } });
    for (const r of records) live.addRecord(r);
    const result = live.close();
    const linted = await lintFile(path);
    return { path, live: summary(result.findings), file: summary(linted.findings), notes: linted.capture.notes.filter((n) => n.level === "error"), har: JSON.parse(readFileSync(path, "utf8")) as { log: { entries: Record<string, unknown>[] } } };
  }

  it("trace: openid-client under Node's fetch is a server's, live and in the HAR", async () => {
    const r = await session("trace", "oktalint trace", calls("fetch", nodeFetch));
    expect(r.live).toEqual([]);
    expect(r.file).toEqual([]);
    expect(r.notes).toEqual([]);
    expect(r.har.log.entries.map((e) => e["_oktalint"])).toEqual([
      { source: "trace", sender: "server", client: "fetch", pid: 31337 },
      { source: "trace", sender: "server", client: "fetch", pid: 31337 },
    ]);
  });

  it("trace: a backend that forwards a page's headers is still the traced Node process, live and in the HAR", async () => {
    // A BFF that copies the browser's request headers into its own fetch: only the tracer knows who sent it.
    const r = await session("trace-forwarded", "oktalint trace", calls("fetch", chromePage));
    expect(r.live).toEqual([]);
    expect(r.file).toEqual([]);
  });

  it("proxy: a page's client secret is reported live and in the HAR alike", async () => {
    const r = await session("proxy", "oktalint proxy", calls("proxy", chromePage));
    expect(r.live.filter((f) => !f.endsWith(":info"))).toEqual(["client-secret-in-browser@0:error", "client-secret-in-browser@1:error"]);
    expect(r.file).toEqual(r.live);
    expect(r.notes).toEqual([]);
    expect(r.har.log.entries.map((e) => e["_oktalint"])).toEqual([{ source: "proxy" }, { source: "proxy" }]);
  });
});

describe("class 3: a CORS preflight listed after the request it preceded", () => {
  const orgAsToken = fakeJwt({ ver: 1, jti: "AT.trust-sender-org", iss: ORG, aud: ORG, iat: now - 60, exp: now + 3540, cid: CLIENT, uid: "00u1ab2cdEFGH3ijK4l7", scp: ["okta.users.read.self"], sub: "dana@example.com" });
  const me = (at: number, authorization: string, extra: Partial<EntrySpec> = {}): EntrySpec => ({
    method: "GET",
    url: `${ORG}/api/v1/users/me`,
    status: 200,
    from: { browser: APP },
    at,
    headers: { authorization },
    responseHeaders: CORS,
    response: { id: "00u1ab2cdEFGH3ijK4l7", status: "ACTIVE", profile: { login: "dana@example.com" } },
    ...extra,
  });
  // Chromium timestamps a preflight a moment after its own request, and exports sometimes list it after.
  const preflight = (at: number, status: number, allow: boolean): EntrySpec => ({
    method: "OPTIONS",
    url: `${ORG}/api/v1/users/me`,
    status,
    from: { browser: APP },
    at,
    headers: { "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    responseHeaders: allow ? { ...CORS, "access-control-allow-headers": "authorization", "access-control-allow-methods": "GET" } : {},
  });

  it("a page's Bearer call to /api/v1/users/me with its preflight listed after it gives no finding", async () => {
    expect(summary(await lintSpec(chrome(me(100, `Bearer ${orgAsToken}`), preflight(103, 204, true)), RULES))).toEqual([]);
    // The same in file order, for comparison.
    expect(summary(await lintSpec(chrome(preflight(97, 204, true), me(100, `Bearer ${orgAsToken}`)), RULES))).toEqual([]);
  });

  it("an API token from the page is reported once, on the request, wherever the preflight is listed", async () => {
    const findings = await lintSpec(chrome(me(100, `SSWS ${fakeApiToken("trust-sender-page")}`), preflight(103, 204, true)), RULES);
    expect(summary(findings).filter((f) => f.startsWith("ssws-in-browser"))).toEqual(["ssws-in-browser@0:error"]);
    expect(findings.find((f) => f.ruleId === "ssws-in-browser")!.messageId).toBe("browser");
  });

  it("a refused preflight listed after the request it blocked is reported once, as the refusal", async () => {
    const blocked = me(100, `Bearer ${orgAsToken}`, { status: 0, responseHeaders: {}, response: undefined, extra: { _error: "CORS error: PreflightMissingAllowOriginHeader" } });
    const findings = await lintSpec(chrome(blocked, preflight(103, 403, false)), RULES);
    const cors = findings.filter((f) => f.ruleId === "untrusted-origin");
    expect(cors.map((f) => `${f.messageId}@${f.entry}`)).toEqual(["preflightRejected@1"]);
    // A preflight for an Authorization header that was followed (the blocked request shows a Bearer token): no "possible" API token.
    expect(summary(findings).filter((f) => f.startsWith("ssws-in-browser"))).toEqual([]);
  });

  it("without usable timestamps, the request next to the preflight in the file is its request", async () => {
    const noDate = { extra: { startedDateTime: "NaN" } };
    const request = me(100, `Bearer ${orgAsToken}`, noDate);
    const findings = await lintSpec(chrome(request, { ...preflight(103, 204, true), ...noDate }), RULES);
    expect(summary(findings).filter((f) => f.startsWith("ssws-in-browser"))).toEqual([]);
  });

  it("a preflight no request followed still counts as not followed", async () => {
    const findings = await lintSpec(chrome(preflight(0, 204, true), me(120_000, `Bearer ${orgAsToken}`, { url: `${ORG}/api/v1/users/me?expand=x` })), RULES);
    expect(summary(findings).filter((f) => f.startsWith("ssws-in-browser"))).toEqual(["ssws-in-browser@0:error"]);
    expect(findings.find((f) => f.ruleId === "ssws-in-browser")!.message).toContain("no request followed in this capture");
  });
});

describe("class 2: a finding is only as sure as its sender", () => {
  it("a client secret from a request that is only possibly a page's is reported as possible", async () => {
    // A Chrome User-Agent and Origin next to a lone Sec-Fetch-Mode: no browser sends that, server code posing as one might.
    const posing: EntrySpec = {
      method: "POST",
      url: `${AS}/v1/token`,
      status: 200,
      from: { server: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" },
      at: 0,
      headers: { origin: APP, "sec-fetch-mode": "cors", "accept-language": "en-US" },
      form: { grant_type: "client_credentials", scope: "orders.read", client_id: SERVICE, client_secret: SECRET },
      response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken },
    };
    const findings = await lintSpec(proxy(posing), RULES);
    expect(findings.map((f) => `${f.ruleId}:${f.confidence}`)).toEqual(["client-secret-in-browser:possible", "untrusted-origin:possible"]);
  });
});
