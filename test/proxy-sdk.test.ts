/**
 * `oktalint proxy` in front of the loopback Okta emulator, driven by the real
 * @okta/okta-auth-js in Node (fetch based): sign in through /api/v1/authn,
 * then a management call with the wrong credential.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { generateKeyPairSync } from "node:crypto";
import { OktaAuth } from "@okta/okta-auth-js";
import { startOktaEmulator, type OktaEmulator } from "./emulator/okta-emulator.js";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "dist/src/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "oktalint-proxy-sdk-"));
const okta = createRequire(import.meta.url)("@okta/okta-sdk-nodejs") as {
  Client: new (o: Record<string, unknown>) => { userApi: { listUsers(q?: Record<string, unknown>): Promise<AsyncIterable<unknown>> } };
  DefaultRequestExecutor: new (o: Record<string, unknown>) => unknown;
};

interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Ctrl-C, then the exit code. */
  stop(): Promise<number | null>;
}

/** Start `oktalint proxy --port 0 …` and wait for its listening line. */
async function startCli(args: string[]): Promise<RunningCli> {
  const child = spawn(process.execPath, [CLI, "proxy", "--port", "0", ...args], { env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${err}`)), 15_000);
    const check = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stderr.on("data", check);
    void exited.then((code) => reject(new Error(`proxy exited with ${code}: ${err}`)));
  });
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      child.kill("SIGINT");
      return exited;
    },
  };
}

async function waitFor(pred: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return pred();
}

let emu: OktaEmulator;
beforeAll(async () => {
  emu = await startOktaEmulator();
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("oktalint proxy with @okta/okta-auth-js", () => {
  it("signs in through the proxy, then a management call with the sessionToken as the API token: session-token-misuse, live", async () => {
    const report = join(dir, "auth-js.json");
    const har = join(dir, "auth-js.har");
    const proxy = await startCli(["--target", emu.url, "--har", har, "--format", "json", "--output", report]);
    try {
      const authClient = new OktaAuth({ issuer: `${proxy.url}/oauth2/default`, clientId: emu.clientId });
      const user = emu.users[0]!;
      const tx = await authClient.signInWithCredentials({ username: user.login, password: user.password });
      expect(tx.status).toBe("SUCCESS");
      expect(tx.sessionToken).toMatch(/^20111/);
      // The wrong credential: the one-time sessionToken sent as an API token.
      const res = await fetch(`${proxy.url}/api/v1/users/me`, { headers: { Authorization: `SSWS ${tx.sessionToken}`, Accept: "application/json" } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { errorCode: string }).errorCode).toBe("E0000011");
      // Printed as soon as that exchange completed, with the proxy still serving.
      expect(await waitFor(() => /session-token-misuse/.test(proxy.stdout()))).toBe(true);
      expect(proxy.stdout()).not.toContain(tx.sessionToken!);
    } finally {
      const code = await proxy.stop();
      expect(code).toBe(1);
    }
    const findings = (JSON.parse(readFileSync(report, "utf8")) as { files: { findings: { ruleId: string; entry: number }[] }[] }).files[0]!.findings;
    const ids = [...new Set(findings.map((f) => f.ruleId))];
    expect(ids).toContain("session-token-misuse");
    expect(findings.find((f) => f.ruleId === "session-token-misuse")!.entry).toBe(1);
    // The recorded requests name the org, not the proxy: that is what Okta saw.
    const entries = (JSON.parse(readFileSync(har, "utf8")) as { log: { entries: { request: { url: string }; response: { status: number } }[] } }).log.entries;
    expect(entries.map((e) => [e.request.url, e.response.status])).toEqual([
      [`${emu.url}/api/v1/authn`, 200],
      [`${emu.url}/api/v1/users/me`, 401],
    ]);
    expect(readFileSync(har, "utf8")).not.toContain(emu.users[0]!.password);
    const validate = spawnSync(process.execPath, [CLI, "validate", "--strict", har], { encoding: "utf8" });
    expect(validate.status, validate.stdout).toBe(0);
    expect(proxy.stdout()).toMatch(/2 exchanges recorded/);
  });

  it("okta-sdk-nodejs in PrivateKey mode through the proxy: its signed assertion names the proxy, Okta refuses it, and the finding is client-assertion-audience, not DPoP", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const report = join(dir, "private-key.json");
    const har = join(dir, "private-key.har");
    const proxy = await startCli(["--target", emu.url, "--har", har, "--format", "json", "--output", report]);
    let failure: { status?: number; error?: string } = {};
    try {
      const client = new okta.Client({
        orgUrl: proxy.url, authorizationMode: "PrivateKey", clientId: emu.clientId, scopes: ["okta.users.read"],
        privateKey: { ...privateKey.export({ format: "jwk" }), kid: "proxy-test-key" }, keyId: "proxy-test-key",
        requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: 0 }),
      });
      try {
        for await (const _ of await client.userApi.listUsers()) void _;
      } catch (e) {
        failure = e as typeof failure;
      }
      expect(failure.status).toBe(401);
      expect(await waitFor(() => /client-assertion-audience/.test(proxy.stdout()))).toBe(true);
    } finally {
      expect(await proxy.stop()).toBe(1);
    }
    // What Okta received: the org's token URL, with an assertion signed for the proxy's.
    const sent = emu.requests.filter((q) => q.url === "/oauth2/v1/token").at(-1)!;
    const assertion = new URLSearchParams(sent.body).get("client_assertion")!;
    expect(JSON.parse(Buffer.from(assertion.split(".")[1]!, "base64url").toString("utf8")).aud).toBe(`${proxy.url}/oauth2/v1/token`);
    expect(sent.status).toBe(401);
    const findings = (JSON.parse(readFileSync(report, "utf8")) as { files: { findings: { ruleId: string; entry: number; severity: string; message: string }[] }[] }).files[0]!.findings;
    // The SDK asks twice (it retries once on a 401): one problem, reported at the first.
    expect(emu.requests.filter((q) => q.url === "/oauth2/v1/token" && q.status === 401).length).toBeGreaterThanOrEqual(2);
    // (The SDK then calls the API without a token: Okta's 401 there is an okta-error info, a consequence.)
    const problems = findings.filter((f) => f.severity !== "info");
    expect(problems.map((f) => [f.ruleId, f.severity, f.entry])).toEqual([["client-assertion-audience", "error", 0]]);
    expect(problems[0]!.message).toContain(`aud is ${proxy.url}/oauth2/v1/token, but the request reached ${emu.url}/oauth2/v1/token`);
    expect(proxy.stdout()).not.toMatch(/dpop-misuse/);
    // Linting the proxy's HAR later says the same.
    const lint = spawnSync(process.execPath, [CLI, "lint", har, "--format", "json"], { encoding: "utf8" });
    const linted = (JSON.parse(lint.stdout) as { files: { findings: { ruleId: string; entry: number; severity: string; message: string }[] }[] }).files[0]!.findings;
    expect(linted.map((f) => [f.ruleId, f.severity, f.entry, f.message])).toEqual(findings.map((f) => [f.ruleId, f.severity, f.entry, f.message]));
  });

  it("an upstream that goes away: 502 with a clear body, one log line, and the proxy keeps serving", async () => {
    const other = await startOktaEmulator();
    const proxy = await startCli(["--target", other.url]);
    try {
      expect((await fetch(`${proxy.url}/.well-known/openid-configuration`)).status).toBe(200);
      await other.close();
      // A well-formed call (so that the only thing wrong is the missing upstream).
      const auth = { headers: { Authorization: `SSWS ${other.apiToken}` } };
      const res = await fetch(`${proxy.url}/api/v1/users`, auth);
      expect(res.status).toBe(502);
      const body = (await res.json()) as { errorCode: string; errorSummary: string };
      expect(body.errorCode).toBe("oktalint_upstream");
      expect(body.errorSummary).toMatch(/ECONNREFUSED/);
      expect(await waitFor(() => /oktalint proxy: .*ECONNREFUSED/.test(proxy.stdout() + proxy.stderr()))).toBe(true);
      // Still serving: another request gets its own 502, not a dead socket.
      expect((await fetch(`${proxy.url}/api/v1/groups`, auth)).status).toBe(502);
    } finally {
      // The failures are log lines, not findings: the session ends clean.
      expect(await proxy.stop()).toBe(0);
    }
    expect(proxy.stdout()).toMatch(/✓ 3 Okta calls: 0 problems/);
  });

  it("a target that refuses connections at start-up: one line, exit 2", async () => {
    const port = await new Promise<number>((r) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => r(p));
      });
    });
    const res = spawnSync(process.execPath, [CLI, "proxy", "--port", "0", "--target", `http://127.0.0.1:${port}`], { encoding: "utf8", timeout: 20_000 });
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split("\n")).toEqual([`oktalint: cannot reach http://127.0.0.1:${port}: connection refused (use --no-check to start anyway)`]);
  });

  it("a port already in use: one line, exit 2", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const res = spawnSync(process.execPath, [CLI, "proxy", "--port", String(port), "--target", emu.url], { encoding: "utf8", timeout: 20_000 });
      expect(res.status).toBe(2);
      expect(res.stderr.trim()).toBe(`oktalint: cannot listen on 127.0.0.1:${port}: port ${port} is already in use (pick another with --port)`);
    } finally {
      blocker.close();
    }
  });
});
