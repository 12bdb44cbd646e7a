/**
 * Issue 17: Okta's tokens followed beyond Okta's hosts. The token index (which calls elsewhere
 * carry an Okta token, whose host each one is) and the rules on those calls.
 */
import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { readCaptureStream, RULES } from "../src/index.js";
import { runRules } from "../src/engine/run.js";
import { registrableDomain } from "../src/engine/tokens.js";
import { flowTable } from "../src/report/stylish.js";
import { formatCaptureMarkdown } from "../src/report/markdown.js";
import { LiveSession } from "../src/live/session.js";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildHar, fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../scripts/samples/builder.js";
import { accessToken, idToken, signIn } from "../scripts/samples/rules/trust-beyond.js";

const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;

async function read(entries: EntrySpec[]) {
  const spec: CaptureSpec = { producer: "chrome", start: START, entries };
  return readCaptureStream(Readable.from([Buffer.from(JSON.stringify(buildHar(spec)))]), "spec.har");
}
async function lint(entries: EntrySpec[]) {
  const capture = await read(entries);
  return { capture, findings: runRules(capture, { rules: RULES }).findings };
}
const get = (url: string, token: string, at: number, status: number, extra: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET", url, status, from: { browser: APP }, at, okta: false, headers: { authorization: `Bearer ${token}`, cookie: "theme=dark" },
  responseHeaders: status === 200 ? { "content-type": "application/json" } : {}, ...(status === 200 ? { response: { ok: true } } : {}), ...extra,
});

describe("the token index follows Okta's tokens to every host and decides whose host it is", () => {
  it("keeps the calls elsewhere that carry an Okta token, with the app's hosts told from the page origin, redirect URIs, registrable domain and the answer", async () => {
    const capture = await read([
      signIn(),
      get(`${APP}/api/messages`, accessToken, 100, 200),
      get("https://api.example.com/api/messages", accessToken, 200, 204),
      get("https://callback-host.example.net/cb", accessToken, 300, 204, { from: { server: "node" } }),
      get("https://orders.partner.io/v1/orders", accessToken, 400, 401, { responseHeaders: { "www-authenticate": 'Bearer error="invalid_token"' } }),
      get("https://cdn.assets-host.net/pixel.gif", accessToken, 500, 200, { responseHeaders: { "content-type": "image/gif" }, response: { mimeType: "image/gif", text: "GIF89a" } }),
      get("https://unrelated.example.org/x", "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3RlbmFudC5hdXRoMC5jb20vIiwic3ViIjoieCJ9.c2ln", 600, 200),
      get("https://static.example.org/logo.png", "", 700, 200, { headers: {} }),
    ]);
    const seen = capture.foreign.map((f) => [f.exchange.index, f.authority, f.role, f.roleEvidence, f.tokens.map((t) => `${t.kind}@${t.position}`).join(" ")]);
    expect(seen).toEqual([
      [1, "app.example.com", "app", "page origin https://app.example.com", "access@header"],
      [2, "api.example.com", "app", "same registrable domain as the page origin https://app.example.com", "access@header"],
      [3, "callback-host.example.net", "third-party", "the app's hosts here: app.example.com", "access@header"],
      [4, "orders.partner.io", "app", "answered the token with WWW-Authenticate: Bearer", "access@header"],
      [5, "cdn.assets-host.net", "third-party", "the app's hosts here: app.example.com", "access@header"],
    ]);
    // Entry 6 carries a JWT of another identity provider (an Auth0 issuer), entry 7 none: neither is kept.
    expect(capture.appHosts.map((h) => h.host)).toEqual(["app.example.com"]);
  });

  it("a redirect_uri host is the app's; an opaque refresh token is followed by the hash of its value", async () => {
    const refresh = fakeRandom("beyond-refresh", 43);
    const capture = await read([
      { ...signIn(), from: { server: "node" }, form: { client_id: "0oa2bc3deFgH4iJk5lM6", redirect_uri: "https://portal.example.net/callback", grant_type: "authorization_code", code: "c", code_verifier: fakeRandom("v", 50) }, response: { token_type: "Bearer", access_token: accessToken, id_token: idToken, refresh_token: refresh } },
      { method: "POST", url: "https://portal.example.net/session", status: 204, from: { server: "node" }, at: 100, okta: false, form: { refresh_token: refresh } },
      { method: "POST", url: "https://logs.vendor.io/ingest", status: 202, from: { server: "node" }, at: 200, okta: false, body: { level: "debug", tokens: { refresh } } },
    ]);
    expect(capture.foreign.map((f) => [f.exchange.index, f.role, f.tokens.map((t) => `${t.kind}@${t.position}:${t.issuedAt}`).join(" ")])).toEqual([
      [1, "app", "refresh@body:0"],
      [2, "third-party", "refresh@body:0"],
    ]);
  });

  it("an Okta proven by its headers on one port does not make every port of that host Okta's", async () => {
    const emu = "http://127.0.0.1:7001";
    const capture = await read([
      { ...signIn(), url: `${emu}/oauth2/default/v1/token`, from: { server: "node" }, response: { token_type: "Bearer", access_token: accessToken } },
      get("http://127.0.0.1:7002/api/messages", accessToken, 100, 200, { from: { server: "node" } }),
    ]);
    expect(capture.calls.map((c) => c.exchange.index)).toEqual([0]);
    expect(capture.foreign.map((f) => [f.exchange.index, f.authority, f.role])).toEqual([[1, "127.0.0.1:7002", "app"]]);
  });

  it("a host that answers JSON to a token in a beacon's body is not made the app's by that answer", async () => {
    const capture = await read([
      signIn(),
      { method: "POST", url: "https://api.metrics-vendor.io/v1/t", status: 200, from: { browser: APP }, at: 100, okta: false, body: { event: "login", storage: { idToken } }, responseHeaders: { "content-type": "application/json" }, response: { success: true } },
    ]);
    expect(capture.foreign.map((f) => [f.role, f.roleEvidence])).toEqual([["third-party", "the app's hosts here: app.example.com"]]);
  });

  it("an Okta-hosted page (the sign-in widget on the org) is not one of the app's hosts", async () => {
    const capture = await read([
      { method: "POST", url: "https://acme.okta.com/api/v1/authn", status: 200, from: { browser: "https://acme.okta.com" }, at: 0, body: { username: "amara@example.com", password: "x" }, response: { status: "SUCCESS" } },
      { method: "GET", url: "https://acme.okta.com/api/v1/sessions/me", status: 200, from: { browser: "https://acme.okta.com" }, at: 50, headers: { cookie: "sid=102abc" }, response: { id: "102abc" } },
      { ...get("https://widgets.partner.net/embed", accessToken, 100, 204), from: { browser: "https://acme.okta.com" } },
    ]);
    expect(capture.appHosts).toEqual([]);
    expect(capture.foreign.map((f) => [f.role, f.appKnown])).toEqual([["third-party", false]]);
  });

  it("keeps a bounded number of repeats of one call (a busy API stays small in memory)", async () => {
    const entries = [signIn(), ...Array.from({ length: 60 }, (_, i) => get(`${APP}/api/messages`, accessToken, 100 + i, 200))];
    const capture = await read(entries);
    expect(capture.foreign).toHaveLength(20);
  });

  it("registrable domains: two-part public suffixes, IPs and single labels", () => {
    expect(registrableDomain("api.shop.example.co.uk")).toBe("example.co.uk");
    expect(registrableDomain("api.example.com")).toBe("example.com");
    expect(registrableDomain("myapp.herokuapp.com")).toBe("myapp.herokuapp.com");
    expect(registrableDomain("127.0.0.1")).toBe("127.0.0.1");
    expect(registrableDomain("localhost")).toBe("localhost");
  });
});

describe("rules on the calls elsewhere", () => {
  it("a correct SPA that sends its fresh access token of the right audience to its own API is quiet", async () => {
    const { findings } = await lint([signIn(), get(`${APP}/api/messages`, accessToken, 100, 200), get("https://api.example.com/api/messages", accessToken, 200, 200)]);
    expect(findings.map((f) => f.ruleId)).toEqual([]);
  });

  it("an API on another domain that answers 204 and allows the app's page by CORS is the app's, not a third party", async () => {
    const { capture, findings } = await lint([
      signIn(),
      get("https://messages-api.example.net/api/messages/42", accessToken, 100, 204, { method: "DELETE", responseHeaders: { "access-control-allow-origin": APP } }),
    ]);
    expect(capture.foreign.map((f) => [f.role, f.roleEvidence])).toEqual([["app", `accepted the token from the app's page (Access-Control-Allow-Origin: ${APP})`]]);
    expect(findings.map((f) => f.ruleId)).toEqual([]);
  });

  it("wrong-audience names the authorization server whose tokens the API accepted", async () => {
    const ORG = "https://acme.okta.com";
    const tok = (as: string, aud: string) => fakeJwt({ jti: "AT." + fakeRandom(as, 30), iss: `${ORG}/oauth2/${as}`, aud, cid: "0oa2bc3deFgH4iJk5lM6", scp: ["x"], iat: T0, exp: T0 + 3600 });
    const orders = tok("ausOrders1234567890a", "api://orders");
    const inventory = tok("ausInvent1234567890a", "api://inventory");
    const { findings } = await lint([
      signIn(0, orders, idToken, `${ORG}/oauth2/ausOrders1234567890a`),
      get("https://inventory.example.com/items", inventory, 100, 200),
      get("https://inventory.example.com/items", orders, 200, 401, { responseHeaders: { "www-authenticate": 'Bearer error="invalid_token"' } }),
    ]);
    expect(findings.map((f) => [f.ruleId, f.entry, f.confidence])).toEqual([["wrong-audience", 2, "likely"]]);
    expect(findings[0]!.message).toContain("refused an access token minted for `api://orders` by the custom authorization server `ausOrders1234567890a`");
    expect(findings[0]!.message).toContain(`It accepted tokens for \`api://inventory\` from ${ORG}/oauth2/ausInvent1234567890a (entry 1): request this API's token from that authorization server`);
    expect(findings[0]!.related).toEqual([1]);
  });

  it("wrong-audience stays quiet on a 401 that proves no audience problem", async () => {
    const { findings } = await lint([signIn(), get("https://api.example.com/items", accessToken, 100, 401, { responseHeaders: { "www-authenticate": 'Bearer error="invalid_token"' } })]);
    expect(findings.map((f) => f.ruleId)).toEqual([]);
  });

  it("token-to-third-party: possible (a warning) when the capture shows none of the app's hosts; a token in its URL is that problem's symptom", async () => {
    const server = { server: "node" };
    const { findings } = await lint([
      // A service's client credentials: no redirect URI, no page, nothing tells which hosts are the app's.
      { ...signIn(), from: server, headers: { authorization: `Basic ${Buffer.from("0oa2bc3deFgH4iJk5lM6:" + fakeRandom("secret", 40)).toString("base64")}` }, form: { grant_type: "client_credentials", scope: "api:read" }, response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "api:read" } },
      { method: "GET", url: `https://collector.example.io/t?access_token=${accessToken}`, status: 204, from: server, at: 100, okta: false, headers: { authorization: "Basic Zm9vOmJhcg==" } },
    ]);
    expect(findings.map((f) => [f.ruleId, f.severity, f.confidence, f.symptoms.map((s) => s.ruleId)])).toEqual([["token-to-third-party", "warning", "possible", ["token-in-url"]]]);
    expect(findings[0]!.message).toMatch(/^collector\.example\.io received an access token in the URL query \(access_token\) \(GET https:\/\/collector\.example\.io\/t\)/);
    expect(JSON.stringify(findings)).not.toContain(accessToken);
  });
});

describe("the flow summary shows the calls elsewhere as their own kind, token masked", () => {
  it("stylish and markdown: \"your API\" and \"third party\" rows among the Okta calls, in entry order", async () => {
    const { capture, findings } = await lint([
      signIn(),
      get(`${APP}/api/messages`, accessToken, 100, 200),
      { method: "GET", url: `https://www.google-analytics.com/g/collect?v=2&dl=${encodeURIComponent(`${APP}/#id_token=${idToken}`)}`, status: 204, from: { browser: APP, mode: "no-cors" }, at: 200, okta: false },
    ]);
    process.env.NO_COLOR = "1";
    const table = flowTable(capture, findings).split("\n").map((l) => l.replace(/\x1b\[[0-9;]*m/g, "").trimEnd());
    expect(table[1]).toMatch(/^\s+✓\s+0\s+POST\s+\/oauth2\/default\/v1\/token\s+oauth\s+none\s+200$/);
    expect(table[2]).toMatch(/^\s+✓\s+1\s+GET\s+app\.example\.com\/api\/messages\s+your API\s+Bearer access token eyJ\w*… \(JWT/);
    expect(table[3]).toMatch(/^\s+✗\s+2\s+GET\s+www\.google-analytics\.com\/g\/collect\s+third party\s+ID token in query dl eyJ\w*…/);
    const md = formatCaptureMarkdown({ path: "spec.har", capture, findings });
    expect(md).toContain("| ✓ | 1 | GET | `app.example.com/api/messages` | your API |");
    expect(md).toContain("| ✗ | 2 | GET | `www.google-analytics.com/g/collect` | third party |");
    expect(table.join("\n") + md).not.toContain(idToken.slice(0, 60));
  });

  it("a token in the path of a call elsewhere (a websocket URL) is masked in the stylish and markdown rows", async () => {
    const { capture, findings } = await lint([signIn(), get(`${APP}/ws/${accessToken}`, accessToken, 100, 200)]);
    process.env.NO_COLOR = "1";
    const table = flowTable(capture, findings);
    const md = formatCaptureMarkdown({ path: "spec.har", capture, findings });
    expect(table).toMatch(/app\.example\.com\/ws\/eyJ\w*… \(JWT/);
    expect(md).toMatch(/`app\.example\.com\/ws\/eyJ\w*… \(JWT/);
    expect(table + md).not.toContain(accessToken.split(".")[1]!.slice(0, 40));
  });
});

describe("live sessions feed the calls elsewhere to the rules too (browse sees the SPA's API calls)", () => {
  it("the same problems live as from the file, at the app's API and at a tracker", async () => {
    const spec: CaptureSpec = {
      producer: "chrome", start: START, entries: [
        signIn(),
        get("https://api.example.com/api/messages", idToken, 100, 401, { responseHeaders: { "www-authenticate": 'Bearer error="invalid_token", error_description="Jwt audience is invalid"' } }),
        { method: "GET", url: `https://www.google-analytics.com/g/collect?dl=${encodeURIComponent(`${APP}/#id_token=${idToken}`)}`, status: 204, from: { browser: APP, mode: "no-cors" }, at: 200, okta: false },
      ],
    };
    const har = buildHar(spec) as { log: { entries: object[]; creator: { name: string; version: string } } };
    const seen: string[] = [];
    const session = new LiveSession({ rules: RULES, label: "browse", producer: { name: "oktalint browse", version: "0", browser: { name: "Chromium", version: "131" } }, onFinding: (f) => seen.push(`${f.ruleId}@${f.entry}`) });
    for (const e of har.log.entries) session.addEntry(e);
    const live = session.close();
    const { findings } = await lint(spec.entries);
    const shown = (fs: readonly { ruleId: string; entry: number | null; message: string }[]) => fs.map((f) => [f.ruleId, f.entry, f.message]);
    expect(shown(live.findings)).toEqual(shown(findings));
    expect(seen.sort()).toEqual(["id-token-as-access-token@1", "token-to-third-party@2"]);
    expect(live.capture.foreign.map((f) => f.role)).toEqual(["app", "third-party"]);
  });
});

describe("oktalint classify on a URL that is not Okta's", () => {
  const CLI = fileURLToPath(new URL("../dist/src/cli/main.js", import.meta.url));
  it("says what it is not, and how a capture decides whose host it is", () => {
    const r = spawnSync(process.execPath, [CLI, "classify", "GET", "https://api.example.com/api/messages"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe("not Okta · api.example.com is not an Okta org host");
    expect(lines[1]).toBe("  not an Okta endpoint: no Okta operation, credential or scope applies here");
    expect(r.stdout).toContain('is "your API" when the host is a page origin (Origin/Referer), a redirect_uri or post_logout_redirect_uri host');
    const json = JSON.parse(spawnSync(process.execPath, [CLI, "classify", "GET", "https://login.example.com/api/v1/users", "--format", "json"], { encoding: "utf8" }).stdout) as { oktaHost?: boolean; beyond?: string[]; kind: string };
    expect(json).toMatchObject({ oktaHost: false, kind: "management" });
    expect(json.beyond![0]).toBe("its path has the shape of an Okta API: if this host is your Okta custom domain, pass --okta-domain login.example.com");
    const okta = spawnSync(process.execPath, [CLI, "classify", "GET", "https://login.example.com/api/v1/users", "--okta-domain", "login.example.com"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(okta.stdout).toMatch(/^management · User · listUsers/);
  });
});
