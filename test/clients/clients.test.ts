/**
 * The real-clients suite: small programs in this folder use the real Okta libraries (okta-auth-js,
 * okta-sdk-nodejs, @okta/jwt-verifier, openid-client) and plain fetch/axios as their docs show,
 * against the loopback Okta emulator, each run under `oktalint trace --har`. Correct flows must be
 * quiet (no warning, no error) live and again when the HAR trace wrote is linted; the programs that
 * make a real mistake must be caught, with the right rule first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startOktaEmulator, type OktaEmulator } from "../emulator/okta-emulator.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/src/cli/main.js");
const HERE = import.meta.dirname;
const dir = mkdtempSync(join(tmpdir(), "oktalint-clients-"));

interface Finding {
  ruleId: string; severity: string; confidence: string; message: string; entry: number;
  symptoms: { ruleId: string; severity: string; message: string; entry: number }[];
}
interface Run {
  /** What the program printed (its JSON result line). */
  result: { ok: boolean; [k: string]: unknown };
  code: number | null;
  stderr: string;
  /** Findings of the live session (the trace report). */
  live: Finding[];
  /** Findings of `oktalint lint` on the HAR the session wrote. */
  linted: Finding[];
  /** Method and path of every recorded call, with the status. */
  calls: string[];
}

const KEY_ID = "clients-suite-key";
const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
let emu: OktaEmulator;
let env: Record<string, string>;

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, ...extraEnv, NO_COLOR: "1", FORCE_COLOR: undefined }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // A hung program fails its test with what it printed instead of hanging the suite.
    // The whole process group: the traced program holds the same pipes.
    const killer = setTimeout(() => { try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ } }, 60_000);
    child.on("error", reject);
    child.on("close", (code) => { clearTimeout(killer); done({ code, stdout, stderr }); });
  });
}

const findingsOf = (text: string): Finding[] => (text ? ((JSON.parse(text) as { files: { findings: Finding[] }[] }).files[0]?.findings ?? []) : []);

async function traceProgram(program: string, extraEnv: Record<string, string>): Promise<Run> {
  const har = join(dir, `${program}.har`);
  const report = join(dir, `${program}.json`);
  const t = await cli(["trace", "--har", har, "--format", "json", "--output", report, "--fail-on", "never", "--", process.execPath, join(HERE, program)], extraEnv);
  const lastLine = t.stdout.trim().split("\n").pop() ?? "";
  let result: Run["result"];
  try { result = JSON.parse(lastLine) as Run["result"]; } catch { result = { ok: false, stdout: t.stdout }; }
  const lint = existsSync(har) ? await cli(["lint", har, "--format", "json", "--fail-on", "never"]) : { stdout: "", stderr: "no HAR", code: null };
  const entries = existsSync(har) ? (JSON.parse(readFileSync(har, "utf8")) as { log: { entries: { request: { method: string; url: string }; response: { status: number } }[] } }).log.entries : [];
  return {
    result, code: t.code, stderr: t.stderr + lint.stderr,
    live: findingsOf(existsSync(report) ? readFileSync(report, "utf8") : ""),
    linted: findingsOf(lint.stdout),
    calls: entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname} ${e.response.status}`),
  };
}

/** At most two programs at a time (the machine is shared): a tiny pool, each program run once. */
const runs = new Map<string, Promise<Run>>();
let active = 0;
const queue: (() => void)[] = [];
/** Every program with the extra environment it needs (read when it starts). */
const PROGRAMS: Record<string, () => Record<string, string>> = {
  "auth-js.cjs": () => ({}),
  "openid-client-service.mjs": () => ({}),
  "openid-client-web.mjs": () => ({}),
  "jwt-verifier.cjs": () => ({}),
  "sdk-api-token.cjs": () => ({}),
  "sdk-private-key.cjs": () => ({}),
  "fetch-axios.cjs": () => ({}),
  "mistake-sdk-access-token-as-api-token.cjs": () => ({ ACCESS_TOKEN: emu.mintAccessToken({ scopes: ["okta.users.read"] }) }),
  "mistake-openid-client-issuer-audience.mjs": () => ({}),
  "mistake-custom-as-token-on-management.cjs": () => ({}),
  "resource-server-access-token.cjs": () => ({}),
  "mistake-id-token-to-resource-server.cjs": () => ({}),
};
function run(program: string): Promise<Run> {
  const extraEnv = PROGRAMS[program];
  if (!extraEnv) throw new Error(`unknown program ${program}`);
  let p = runs.get(program);
  if (!p) {
    p = (async () => {
      if (active >= 2) await new Promise<void>((r) => queue.push(r));
      active++;
      try { return await traceProgram(program, extraEnv()); } finally { active--; queue.shift()?.(); }
    })();
    runs.set(program, p);
  }
  return p;
}

const problems = (fs: Finding[]) => fs.filter((f) => f.severity === "error" || f.severity === "warning").map((f) => `${f.ruleId} (${f.severity}) at entry ${f.entry}: ${f.message}`);
const ruleIds = (fs: Finding[]) => fs.filter((f) => f.severity === "error" || f.severity === "warning").map((f) => f.ruleId);

beforeAll(async () => {
  const pub = { ...publicKey.export({ format: "jwk" }), kid: KEY_ID, alg: "RS256", use: "sig" };
  emu = await startOktaEmulator({ clientPublicJwks: [pub], rateLimit: 10_000 });
  const user = emu.users[0]!;
  env = {
    ORG_URL: emu.url, CLIENT_ID: emu.clientId, CLIENT_SECRET: emu.clientSecret, SPA_CLIENT_ID: emu.spaClientId,
    REDIRECT_URI: emu.redirectUris[0]!, LOGOUT_REDIRECT_URI: emu.redirectUris[1]!, USERNAME: user.login, PASSWORD: user.password,
    API_TOKEN: emu.apiToken, KEY_ID,
    PRIVATE_KEY_JWK: JSON.stringify({ ...privateKey.export({ format: "jwk" }), kid: KEY_ID }),
    PRIVATE_KEY_PEM: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
  };
  // Start them all now, two at a time; each test awaits its own (errors surface there).
  for (const program of Object.keys(PROGRAMS)) run(program).catch(() => undefined);
});
afterAll(async () => {
  await emu.close();
  // KEEP_CLIENTS_DIR=1 keeps each program's HAR and report for a look.
  if (process.env.KEEP_CLIENTS_DIR) console.log(`clients suite files kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
});

/** A correct flow: the program succeeds, and neither the live session nor the lint of its HAR warns. */
async function expectQuiet(program: string, expected: Record<string, unknown>, calls: string[]): Promise<Run> {
  const r = await run(program);
  expect(r.result, r.stderr).toMatchObject({ ok: true, ...expected });
  expect(r.calls).toEqual(calls);
  expect(problems(r.live), "live (trace report)").toEqual([]);
  expect(problems(r.linted), "lint of the HAR trace wrote").toEqual([]);
  return r;
}

describe("correct flows with the real libraries are quiet, live and when their HAR is linted", { timeout: 240_000 }, () => {
  it("okta-auth-js: signInWithCredentials, PKCE code flow, userinfo, refresh, revoke access and refresh tokens (public client)", async () => {
    const r = await expectQuiet("auth-js.cjs", { sub: "00ub0oNGTSWTBKOLGLNR", renewed: true }, [
      "POST /api/v1/authn 200",
      "GET /oauth2/default/.well-known/openid-configuration 200",
      "GET /oauth2/default/v1/authorize 302",
      "POST /oauth2/default/v1/token 200",
      "GET /oauth2/default/v1/keys 200",
      "GET /oauth2/default/v1/userinfo 200",
      "POST /oauth2/default/v1/token 200",
      "POST /oauth2/default/v1/revoke 200",
      "POST /oauth2/default/v1/revoke 200",
    ]);
    // The revocations went out as okta-auth-js sends them: the public client's id alone as Basic.
    const revokes = emu.requests.filter((q) => q.url === "/oauth2/default/v1/revoke" && q.headers.authorization === `Basic ${Buffer.from(emu.spaClientId).toString("base64")}`);
    expect(revokes.length).toBeGreaterThanOrEqual(2);
    expect(r.code).toBe(0);
  });

  it("openid-client: discovery, client credentials with private_key_jwt (org AS) and a management call, client_secret_basic (custom AS), introspection", async () => {
    await expectQuiet("openid-client-service.mjs", { users: 5, active: true, scope: "api:read" }, [
      "GET /.well-known/openid-configuration 200",
      "POST /oauth2/v1/token 200",
      "GET /api/v1/users 200",
      "GET /oauth2/default/.well-known/openid-configuration 200",
      "POST /oauth2/default/v1/token 200",
      "POST /oauth2/default/v1/introspect 200",
    ]);
  });

  it("openid-client: code exchange with PKCE (client_secret_post, its default for a secret), userinfo, refresh, revocation, logout", async () => {
    await expectQuiet("openid-client-web.mjs", { email: "ada.lovelace@example.com", refreshed: true, logout: 302 }, [
      "GET /oauth2/default/.well-known/openid-configuration 200",
      "POST /api/v1/authn 200",
      "GET /oauth2/default/v1/authorize 302",
      "POST /oauth2/default/v1/token 200",
      "GET /oauth2/default/v1/userinfo 200",
      "POST /oauth2/default/v1/token 200",
      "POST /oauth2/default/v1/revoke 200",
      "POST /oauth2/default/v1/revoke 200",
      "GET /oauth2/default/v1/logout 302",
    ]);
  });

  it("@okta/jwt-verifier: verifies an access token against the keys it fetches", async () => {
    await expectQuiet("jwt-verifier.cjs", { sub: emu.clientId, scp: ["api:read"] }, [
      "POST /oauth2/default/v1/token 200",
      "GET /oauth2/default/v1/keys 200",
    ]);
  });

  it("okta-sdk-nodejs with an API token: listUsers over three pages, listGroups", async () => {
    await expectQuiet("sdk-api-token.cjs", { users: 5, groups: 3 }, [
      "GET /api/v1/users 200",
      "GET /api/v1/users 200",
      "GET /api/v1/users 200",
      "GET /api/v1/groups 200",
      "GET /api/v1/groups 200",
    ]);
  });

  it("okta-sdk-nodejs with PrivateKey OAuth (the key as JWK, then as PEM): a token, then listUsers over two pages", async () => {
    await expectQuiet("sdk-private-key.cjs", { jwk: 5, pem: 5 }, [
      "POST /oauth2/v1/token 200",
      "GET /api/v1/users 200",
      "GET /api/v1/users 200",
      "POST /oauth2/v1/token 200",
      "GET /api/v1/users 200",
      "GET /api/v1/users 200",
    ]);
  });

  it("fetch and axios: SSWS on management, an org-AS token as Bearer on management, revoke with private_key_jwt", async () => {
    await expectQuiet("fetch-axios.cjs", { users: 5, groups: 3, revoke: 200 }, [
      "GET /api/v1/users 200",
      "POST /oauth2/v1/token 200",
      "GET /api/v1/groups 200",
      "POST /oauth2/v1/revoke 200",
    ]);
  });
});

describe("Okta's tokens at the app's own API (a node:http resource server with @okta/jwt-verifier, not Okta)", { timeout: 240_000 }, () => {
  const SIGN_IN = ["POST /api/v1/authn 200", "GET /oauth2/default/v1/authorize 302", "POST /oauth2/default/v1/token 200"];

  it("a correct access token to the app's API is quiet, and the call shows as \"your API\"", async () => {
    const r = await run("resource-server-access-token.cjs");
    expect(r.result, r.stderr).toMatchObject({ ok: true, status: 200, messages: 1 });
    expect(r.calls.slice(0, 3)).toEqual(SIGN_IN);
    expect([...r.calls.slice(3)].sort()).toEqual(["GET /api/messages 200", "GET /oauth2/default/v1/keys 200"]);
    expect(problems(r.live), "live (trace report)").toEqual([]);
    expect(problems(r.linted), "lint of the HAR trace wrote").toEqual([]);
    const lint = await cli(["lint", join(dir, "resource-server-access-token.cjs.har"), "--format", "json", "--fail-on", "never"]);
    const tokenCalls = (JSON.parse(lint.stdout) as { files: { tokenCalls: { kind: string; status: number; because: string; tokens: { kind: string; token: string }[] }[] }[] }).files[0]!.tokenCalls;
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]).toMatchObject({ kind: "your API", status: 200, because: "answered the token with HTTP 200 JSON", tokens: [{ kind: "access" }] });
    expect(tokenCalls[0]!.tokens[0]!.token).toMatch(/^eyJ\w{0,4}… \(JWT/);
  });

  it("an ID token to the app's API is caught by id-token-as-access-token, live and linted", async () => {
    const r = await run("mistake-id-token-to-resource-server.cjs");
    expect(r.result).toMatchObject({ ok: false, status: 401 });
    expect(r.calls.slice(0, 3)).toEqual(SIGN_IN);
    expect(r.calls).toContain("GET /api/messages 401");
    for (const fs of [r.live, r.linted]) {
      expect(ruleIds(fs)).toEqual(["id-token-as-access-token"]);
      const f = fs.find((x) => x.ruleId === "id-token-as-access-token")!;
      expect(f).toMatchObject({ severity: "error", confidence: "certain" });
      expect(f.message).toMatch(/^Your API GET http:\/\/127\.0\.0\.1:\d+\/api\/messages received an ID token as its Bearer credential/);
      expect(f.message).toContain('error="invalid_token"');
      expect(f.message).toMatch(/Entry 2 \(POST \/oauth2\/default\/v1\/token\) returned it together with an access_token: send that one\./);
    }
  });
});

describe("real mistakes with the same libraries are caught, the right rule first", { timeout: 240_000 }, () => {
  it("okta-sdk-nodejs given an access token as `token` (SSWS eyJ…): authorization-scheme, live and linted", async () => {
    const r = await run("mistake-sdk-access-token-as-api-token.cjs");
    expect(r.result).toMatchObject({ ok: false, status: 401 });
    expect(r.calls).toEqual(["GET /api/v1/users 401"]);
    for (const fs of [r.live, r.linted]) {
      expect(ruleIds(fs)[0]).toBe("authorization-scheme");
      expect(fs.find((f) => f.ruleId === "authorization-scheme")).toMatchObject({ severity: "error", entry: 0 });
      expect(fs.find((f) => f.ruleId === "authorization-scheme")!.message).toMatch(/SSWS/);
    }
  });

  it("openid-client private_key_jwt with the issuer as the assertion's aud: client-assertion-audience, live and linted", async () => {
    const r = await run("mistake-openid-client-issuer-audience.mjs");
    expect(r.result).toMatchObject({ ok: false });
    expect(r.calls).toEqual(["GET /.well-known/openid-configuration 200", "POST /oauth2/v1/token 401"]);
    for (const fs of [r.live, r.linted]) {
      expect(ruleIds(fs)).toEqual(["client-assertion-audience"]);
      const f = fs.find((x) => x.ruleId === "client-assertion-audience")!;
      expect(f).toMatchObject({ severity: "error", entry: 1 });
      expect(f.message).toContain(`${emu.url}/oauth2/v1/token`);
    }
  });

  it("a custom-AS access token on the management API (axios): custom-as-token-on-management-api, live and linted", async () => {
    const r = await run("mistake-custom-as-token-on-management.cjs");
    expect(r.result).toMatchObject({ ok: false, status: 401 });
    expect(r.calls).toEqual(["POST /oauth2/default/v1/token 200", "GET /api/v1/users 401"]);
    for (const fs of [r.live, r.linted]) {
      expect(ruleIds(fs)[0]).toBe("custom-as-token-on-management-api");
      expect(fs.find((f) => f.ruleId === "custom-as-token-on-management-api")).toMatchObject({ severity: "error", entry: 1 });
    }
  });
});

describe("the live session and `lint` of the HAR it wrote give the same findings, message for message", { timeout: 240_000 }, () => {
  const shown = (fs: Finding[]) =>
    fs.map((f) => [f.ruleId, f.severity, f.confidence, f.entry, f.message, f.symptoms.map((s) => [s.ruleId, s.severity, s.entry, s.message])]);
  it.each(Object.keys(PROGRAMS))("%s", async (program) => {
    const r = await run(program);
    expect(r.calls.length).toBeGreaterThan(0);
    expect(shown(r.linted)).toEqual(shown(r.live));
  });
});
