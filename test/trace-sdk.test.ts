/**
 * `oktalint trace` around the real @okta/okta-sdk-nodejs (node:http through
 * node-fetch), against the loopback Okta emulator: the findings are asserted
 * from the JSON report, the live output from stderr while the program still runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { createServer } from "node:net";
import { execFile } from "node:child_process";
import { startOktaEmulator, type OktaEmulator } from "./emulator/okta-emulator.js";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "dist/src/cli/main.js");
const SDK = createRequire(join(ROOT, "package.json")).resolve("@okta/okta-sdk-nodejs");
const dir = mkdtempSync(join(tmpdir(), "oktalint-trace-sdk-"));
const execFileAsync = promisify(execFile);

// The traced program: list users with the token it is given, report what it saw, exit 3 on an Okta error.
const LIST_USERS = join(dir, "list-users.cjs");
writeFileSync(
  LIST_USERS,
  `const fs = require("node:fs");
const okta = require(${JSON.stringify(SDK)});
const client = new okta.Client({ orgUrl: process.env.ORG_URL, token: process.env.TOKEN,
  requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 }) });
(async () => {
  const logins = [];
  try {
    for await (const u of await client.userApi.listUsers()) logins.push(u.profile.login);
    console.log(JSON.stringify({ ok: true, logins }));
  } catch (e) {
    console.log(JSON.stringify({ ok: false, status: e.status, errorCode: e.errorCode }));
    process.exitCode = 3;
  }
  // Wait for the test's go-ahead, so it can check the finding was printed while the program still ran.
  const wait = process.env.WAIT_FOR;
  if (wait) while (!fs.existsSync(wait)) await new Promise((r) => setTimeout(r, 20));
})();
`,
);

interface Finding {
  ruleId: string;
  entry: number;
  severity: string;
  message: string;
}
interface Traced {
  code: number | null;
  stdout: string;
  stderr: string;
  findings: Finding[];
  har: { log: { creator: { name: string }; entries: { request: { method: string; url: string; headers: { name: string; value: string }[] }; response: { status: number } }[] } };
  harText: string;
  reportText: string;
}

let emu: OktaEmulator;
beforeAll(async () => {
  emu = await startOktaEmulator();
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** Run `oktalint trace` around a command; resolves when oktalint exits. `whileRunning` sees stderr as it grows. */
function trace(command: string[], env: Record<string, string>, extra: string[] = [], whileRunning?: (stderr: () => string) => Promise<void>): Promise<Traced> {
  const id = n++;
  const harPath = join(dir, `session-${id}.har`);
  const reportPath = join(dir, `report-${id}.json`);
  const args = [CLI, "trace", "--har", harPath, "--format", "json", "--output", reportPath, ...extra, "--", ...command];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, NO_COLOR: "1", FORCE_COLOR: undefined }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  if (process.env.DEBUG_TRACE) child.stderr.on("data", (d: Buffer) => process.stdout.write(`[trace ${id}] ${d}`));
  // A hung session must fail the test with what it printed, not time out silently.
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  child.on("close", () => clearTimeout(killer));
  const during = whileRunning?.(() => stderr);
  return new Promise((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("close", async (code) => {
      await during;
      const reportText = existsSync(reportPath) ? readFileSync(reportPath, "utf8") : "";
      const report = reportText ? (JSON.parse(reportText) as { files: { findings: Finding[] }[] }) : { files: [{ findings: [] }] };
      const harText = existsSync(harPath) ? readFileSync(harPath, "utf8") : "";
      resolvePromise({ code, stdout, stderr, findings: report.files[0]?.findings ?? [], har: harText ? JSON.parse(harText) : { log: { creator: { name: "" }, entries: [] } }, harText, reportText });
    });
  });
}

const node = (script: string) => [process.execPath, script];
/** The rules that found something, causes and their symptoms alike. */
const rules = (t: Traced) => [...new Set(t.findings.flatMap((f) => [f.ruleId, ...f.symptoms.map((s) => s.ruleId)]))].sort();

describe("oktalint trace around @okta/okta-sdk-nodejs", () => {
  it("listUsers with a good API token: every page recorded, no finding, the program's output and exit code unchanged", async () => {
    const env = { ORG_URL: emu.url, TOKEN: emu.apiToken };
    const t = await trace(node(LIST_USERS), env);
    // Not spawnSync: the emulator answers from this process's event loop.
    const direct = await execFileAsync(process.execPath, [LIST_USERS], { env: { ...process.env, ...env }, encoding: "utf8" });
    expect(t.code).toBe(0);
    expect(t.stdout).toBe(direct.stdout);
    expect(JSON.parse(t.stdout)).toEqual({ ok: true, logins: emu.users.map((u) => u.login) });
    expect(t.findings).toEqual([]);
    expect(t.har.log.creator.name).toBe("oktalint trace");
    expect(t.har.log.entries.map((e) => [e.request.method, new URL(e.request.url).pathname + new URL(e.request.url).search, e.response.status])).toEqual([
      ["GET", "/api/v1/users", 200],
      ["GET", "/api/v1/users?after=00ub0oNGTSWTBKOLGLNS&limit=2", 200],
      ["GET", "/api/v1/users?after=00ub0oNGTSWTBKOLGLNU&limit=2", 200],
    ]);
    // The HAR is masked: the API token is nowhere in it, yet each request still shows an SSWS credential.
    expect(t.harText).not.toContain(emu.apiToken);
    const auth = t.har.log.entries[0]!.request.headers.find((h) => h.name.toLowerCase() === "authorization")?.value;
    expect(auth).toMatch(/^SSWS 00/);
    expect(t.stderr).toMatch(/3 exchanges recorded/);
    // The closing flow summary: each call with its kind, masked credential and answer.
    expect(t.stderr).toMatch(/✓ +0 +GET +\/api\/v1\/users +management +SSWS 00.{2}….{3} \(42 chars\) +200/);
    expect(t.stderr.match(/ GET +\/api\/v1\/users/g)).toHaveLength(3);
    // oktalint's own reader and validate --strict accept the HAR.
    const harFile = join(dir, "good.har");
    writeFileSync(harFile, t.harText);
    const validate = spawnSync(process.execPath, [CLI, "validate", "--strict", harFile], { encoding: "utf8" });
    expect(validate.status, validate.stdout + validate.stderr).toBe(0);
  });

  it("an access token passed as the API token: authorization-scheme is printed while the program still runs, and the program's exit code is kept", async () => {
    const jwt = emu.mintAccessToken({ scopes: ["okta.users.read"] });
    const go = join(dir, "go-ahead");
    let printedWhileRunning = false;
    const t = await trace(node(LIST_USERS), { ORG_URL: emu.url, TOKEN: jwt, WAIT_FOR: go }, [], async (stderr) => {
      const deadline = Date.now() + 15_000;
      while (!/authorization-scheme/.test(stderr()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      printedWhileRunning = /authorization-scheme/.test(stderr());
      writeFileSync(go, "");
    });
    expect(printedWhileRunning).toBe(true);
    expect(t.code).toBe(3);
    expect(JSON.parse(t.stdout)).toEqual({ ok: false, status: 401, errorCode: "E0000011" });
    expect(rules(t)).toEqual(["api-token-rejected", "authorization-scheme"]);
    const scheme = t.findings.find((f) => f.ruleId === "authorization-scheme")!;
    expect(scheme.entry).toBe(0);
    expect(scheme.severity).toBe("error");
    // One problem: Okta's rejection of the token is the symptom of the wrong scheme.
    expect(t.findings.map((f) => [f.ruleId, f.symptoms.map((s) => s.ruleId)])).toEqual([["authorization-scheme", ["api-token-rejected"]]]);
    // The token is shown masked, never in full.
    expect(t.stderr).not.toContain(jwt);
    expect(t.harText).not.toContain(jwt);
    expect(t.stderr).toMatch(/✖ .*exited with code 3|exited with code 3/);
  });

  it("a 401 for a revoked API token: api-token-rejected, with --fail-on never passing the program's code through", async () => {
    emu.setMode({ tokenRevoked: true });
    try {
      const t = await trace(node(LIST_USERS), { ORG_URL: emu.url, TOKEN: emu.apiToken }, ["--fail-on", "never"]);
      expect(t.code).toBe(3);
      expect(rules(t)).toEqual(["api-token-rejected"]);
      expect(t.findings[0]!.message).toMatch(/E0000011/);
    } finally {
      emu.setMode({ tokenRevoked: false });
    }
  });

  it("findings over --fail-on turn a successful program's exit code into 1", async () => {
    // A program that succeeds although Okta refused one of its calls.
    const script = join(dir, "ignores-401.cjs");
    writeFileSync(script, `fetch(process.env.ORG_URL + "/api/v1/users/me", { headers: { Authorization: "SSWS " + process.env.TOKEN } }).then((r) => console.log(r.status));`);
    const jwt = emu.mintAccessToken({ scopes: ["okta.users.read"] });
    const t = await trace(node(script), { ORG_URL: emu.url, TOKEN: jwt });
    expect(t.stdout.trim()).toBe("401");
    expect(rules(t)).toContain("authorization-scheme");
    expect(t.code).toBe(1);
    const passed = await trace(node(script), { ORG_URL: emu.url, TOKEN: jwt }, ["--fail-on", "never"]);
    expect(passed.code).toBe(0);
  });
});

describe("oktalint trace: the command line", () => {
  it("names the session in the report, with a token passed as an argument masked", async () => {
    const t = await trace([process.execPath, "-e", "0", "--", "--token", emu.apiToken], {});
    expect(t.code).toBe(0);
    const report = JSON.parse(t.reportText) as { files: { path: string }[] };
    expect(report.files[0]!.path).toMatch(/^trace: .* -e 0 -- --token 00.{2}….{3} \(42 chars\)$/);
    expect(t.reportText).not.toContain(emu.apiToken);
    expect(t.stderr).not.toContain(emu.apiToken);
  });
});

describe("oktalint trace: programs that fail", () => {
  it("a command that does not exist: one line, exit 127", async () => {
    const t = await trace(["oktalint-no-such-command"], {});
    expect(t.code).toBe(127);
    expect(t.stderr.trim()).toBe("oktalint: command not found: oktalint-no-such-command");
  });

  it("a program that crashes: its own error output, then one line from oktalint, and its exit code", async () => {
    const script = join(dir, "crash.cjs");
    writeFileSync(script, `fetch(process.env.ORG_URL + "/api/v1/users", { headers: { Authorization: "SSWS " + process.env.TOKEN } }).then(() => { throw new Error("boom"); });`);
    const t = await trace(node(script), { ORG_URL: emu.url, TOKEN: emu.apiToken });
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/Error: boom/);
    expect(t.stderr).toMatch(/^oktalint: .* exited with code 1$/m);
    // What it did before crashing is still recorded.
    expect(t.har.log.entries.map((e) => e.response.status)).toEqual([200]);
  });

  it("a program killed by a signal: exit 128 + the signal's number", async () => {
    const script = join(dir, "killed.cjs");
    writeFileSync(script, `process.kill(process.pid, "SIGTERM"); setTimeout(() => {}, 10_000);`);
    const t = await trace(node(script), {});
    expect(t.code).toBe(143);
    expect(t.stderr).toMatch(/^oktalint: .* was killed by SIGTERM \(exit code 143\)$/m);
  });

  it("a call to a port that refuses connections is recorded as a failed exchange, and the program sees the same error", async () => {
    const script = join(dir, "refused.cjs");
    writeFileSync(script, `fetch("http://127.0.0.1:" + process.env.PORT + "/api/v1/users").then(() => console.log("ok"), (e) => console.log(e.cause && e.cause.code));`);
    const port = await new Promise<number>((r) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => r(p));
      });
    });
    const t = await trace(node(script), { PORT: String(port) });
    expect(t.stdout.trim()).toBe("ECONNREFUSED");
    expect(t.code).toBe(0);
    expect(t.har.log.entries).toHaveLength(1);
    expect(t.har.log.entries[0]!.response.status).toBe(0);
  });
});
