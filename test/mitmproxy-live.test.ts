/**
 * mitmproxy, live: oktalint's addon (src/ingest/mitmproxy/oktalint_addon.py)
 * writes each flow the moment it completes, and `oktalint lint -` lints a
 * pipe of flows as they arrive.
 *
 * The first part needs no mitmproxy: synthetic flows written into a pipe one
 * at a time. The second drives the real mitmdump (Debian's 8.1.1 in CI,
 * installed by .ci/run) in reverse-proxy mode in front of the loopback Okta
 * emulator, with the real @okta/okta-sdk-nodejs sending an access token as
 * its API token (`SSWS eyJ…`, answered 401 E0000011).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { openCaptureStream } from "../src/ingest/open.js";
import { startOktaEmulator, type OktaEmulator } from "./emulator/okta-emulator.js";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "dist/src/cli/main.js");
const ADDON = join(ROOT, "src/ingest/mitmproxy/oktalint_addon.py");
const dir = mkdtempSync(join(tmpdir(), "oktalint-mitm-live-"));
const ENV = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined };

// ---------- synthetic flows (tnetstrings, as mitmproxy writes them) ----------
type V = Buffer | string | number | null | V[] | { [k: string]: V } | { float: number };
function enc(v: V): Buffer {
  const wrap = (payload: Buffer, type: string) => Buffer.concat([Buffer.from(`${payload.length}:`), payload, Buffer.from(type)]);
  if (v === null) return wrap(Buffer.alloc(0), "~");
  if (Buffer.isBuffer(v)) return wrap(v, ",");
  if (typeof v === "string") return wrap(Buffer.from(v, "utf8"), ";");
  if (typeof v === "number") return wrap(Buffer.from(String(v)), "#");
  if (Array.isArray(v)) return wrap(Buffer.concat(v.map(enc)), "]");
  if ("float" in v && typeof v.float === "number") return wrap(Buffer.from(String(v.float)), "^");
  return wrap(Buffer.concat(Object.entries(v as Record<string, V>).flatMap(([k, x]) => [enc(k), enc(x)])), "}");
}
const b = (s: string) => Buffer.from(s, "utf8");

/** A JWT-shaped access token (fake signature), as a misconfigured SDK would send after `SSWS`. */
const JWT = [
  Buffer.from(JSON.stringify({ alg: "RS256", kid: "k1" })).toString("base64url"),
  Buffer.from(JSON.stringify({ ver: 1, iss: "https://dev-1.okta.com", aud: "https://dev-1.okta.com", scp: ["okta.users.read"], exp: 1900000000 })).toString("base64url"),
  "c2lnbmF0dXJlLW5vdC1jaGVja2Vk",
].join(".");

/** One completed HTTP flow: GET `path` with `Authorization: <auth>`, answered 401 E0000011 (or with no body when `tiny`). */
function flow(path: string, auth: string, tiny = false): Buffer {
  const t = 1700000000;
  return enc({
    type: "http",
    version: 17,
    id: tiny ? "1" : `f-${path}`,
    request: {
      host: "dev-1.okta.com", port: 443, method: b("GET"), scheme: b("https"), authority: b(""), path: b(path),
      http_version: b("HTTP/1.1"), headers: tiny ? [] : [[b("Host"), b("dev-1.okta.com")], [b("Authorization"), b(auth)], [b("User-Agent"), b("okta-sdk-nodejs/7.0.0 node/20")]],
      content: b(""), trailers: null, timestamp_start: { float: t }, timestamp_end: { float: t + 0.001 },
    },
    response: {
      http_version: b("HTTP/1.1"), status_code: 401, reason: b("Unauthorized"),
      headers: tiny ? [] : [[b("Content-Type"), b("application/json")], [b("x-okta-request-id"), b("req1")]],
      content: tiny ? b("") : b('{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae1","errorCauses":[]}'),
      trailers: null, timestamp_start: { float: t + 0.1 }, timestamp_end: { float: t + 0.101 },
    },
  });
}

async function waitFor(pred: () => boolean, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!pred() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return pred();
}

interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function track(child: ChildProcess): Spawned {
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

interface JsonReport {
  files: { format: string; version: string; findings: { ruleId: string; entry: number; severity: string; symptoms: { ruleId: string; entry: number }[] }[]; oktaCalls: { method: string; url: string; status: number; errorCode?: string }[] }[];
}

function lintJson(file: string): { status: number | null; report: JsonReport; raw: string } {
  const r = spawnSync(process.execPath, [CLI, "lint", file, "--format", "json"], { encoding: "utf8", env: ENV });
  return { status: r.status, report: JSON.parse(r.stdout) as JsonReport, raw: r.stdout + r.stderr };
}

/** The rules that found something, causes and their symptoms alike. */
const ruleIds = (r: JsonReport) => [...new Set(r.files[0]!.findings.flatMap((f) => [f.ruleId, ...f.symptoms.map((s) => s.ruleId)]))].sort();

describe("lint - on a pipe of mitmproxy flows (no mitmproxy needed)", () => {
  it("opens a flow stream as soon as its first flow is complete, however small, without waiting for more input", async () => {
    const first = flow("/api/v1/users", "", true);
    // Smaller than the 512 bytes format sniffing looks at when it can.
    expect(first.length).toBeLessThan(512);
    const pipe = new PassThrough();
    pipe.write(first);
    // The pipe stays open: opening and the first exchange must not wait for more bytes or the end.
    const reader = await openCaptureStream(pipe, "-");
    expect(reader.meta.format).toBe("mitmproxy");
    expect(reader.meta.version).toBe("17");
    const it = reader.exchanges()[Symbol.asyncIterator]();
    const x0 = await it.next();
    expect(x0.done).toBe(false);
    expect(x0.value!.request.url.href).toBe("https://dev-1.okta.com/api/v1/users");
    // The second flow arrives in two pieces; it is yielded once whole.
    const second = flow("/api/v1/groups", `SSWS ${JWT}`);
    const next = it.next();
    pipe.write(second.subarray(0, 100));
    await new Promise((r) => setTimeout(r, 50));
    pipe.write(second.subarray(100));
    const x1 = await next;
    expect(x1.value!.request.url.href).toBe("https://dev-1.okta.com/api/v1/groups");
    pipe.end();
    expect((await it.next()).done).toBe(true);
  });

  it("prints each finding as its flow arrives, the summary at the end of the stream, exit 1", async () => {
    const lint = track(spawn(process.execPath, [CLI, "lint", "-"], { env: ENV, stdio: ["pipe", "pipe", "pipe"] }));
    try {
      lint.child.stdin!.write(flow("/api/v1/users", `SSWS ${JWT}`));
      // Printed while the stream is still open.
      expect(await waitFor(() => /authorization-scheme/.test(lint.stdout())), lint.stderr()).toBe(true);
      expect(lint.stdout()).not.toMatch(/Okta call/);
      lint.child.stdin!.end(flow("/api/v1/groups", `SSWS ${JWT}`));
      expect(await lint.exited).toBe(1);
    } finally {
      lint.child.kill("SIGKILL");
    }
    const out = lint.stdout();
    // authorization-scheme once (the second call repeats the same mistake), with api-token-rejected per call as its symptom:
    // the first under it, the second (a later flow) with the problem it belongs to.
    expect(out.match(/✖ error {2}entry \d+ {2}authorization-scheme/g)).toHaveLength(1);
    expect(out).not.toMatch(/✖ error {2}entry \d+ {2}api-token-rejected/);
    expect(out).toMatch(/authorization-scheme[^]*\n {4}↳ symptom {2}entry 0 {2}api-token-rejected\n/);
    expect(out).toMatch(/\n {2}↳ symptom {2}entry 1 {2}api-token-rejected {2}of the authorization-scheme problem at entry 0 above\n/);
    expect(out).toContain("✖ 2 Okta calls: 1 problem (1 error, 0 warnings, 0 info) · 2 symptoms shown under its cause");
    // The same as linting the whole stream at once.
    const whole = spawnSync(process.execPath, [CLI, "lint", "-", "--format", "json"], { input: Buffer.concat([flow("/api/v1/users", `SSWS ${JWT}`), flow("/api/v1/groups", `SSWS ${JWT}`)]), encoding: "utf8", env: ENV });
    const batch = (JSON.parse(whole.stdout) as JsonReport).files[0]!.findings.map((f) => [`${f.entry} ${f.ruleId}`, ...f.symptoms.map((s) => `${s.entry} ${s.ruleId}`)].join(" > "));
    expect(batch).toEqual(["0 authorization-scheme > 0 api-token-rejected > 1 api-token-rejected"]);
    expect(out).toContain("2 exchanges recorded");
    // The token never appears in full.
    expect(out).not.toContain(JWT);
  });

  it("a HAR piped in, or a machine format, is linted as a whole as before", () => {
    const har = readFileSync(join(ROOT, "samples/motivating-401.har"), "utf8");
    const stylish = spawnSync(process.execPath, [CLI, "lint", "-"], { input: har, encoding: "utf8", env: ENV });
    // The stylish report of a file starts with its path.
    expect(stylish.stdout.split("\n")[0]).toBe("-");
    expect(stylish.stdout).not.toMatch(/exchanges? recorded/);
    const flows = Buffer.concat([flow("/api/v1/users", `SSWS ${JWT}`)]);
    const json = spawnSync(process.execPath, [CLI, "lint", "-", "--format", "json"], { input: flows, encoding: "utf8", env: ENV });
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.files[0]!.format).toBe("mitmproxy");
    expect(ruleIds(report)).toEqual(["api-token-rejected", "authorization-scheme"]);
    expect(json.status).toBe(1);
  });

  it("oktalint mitmproxy-addon prints the addon's path, which package.json ships", () => {
    const r = spawnSync(process.execPath, [CLI, "mitmproxy-addon"], { encoding: "utf8", env: ENV });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${ADDON}\n`);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toContain("src/ingest/mitmproxy/oktalint_addon.py");
  });
});

// ---------- the real mitmdump ----------
const probe = spawnSync("mitmdump", ["--version"], { encoding: "utf8" });
const MITMDUMP = probe.status === 0 ? (/Mitmproxy:\s*(\S+)/.exec(probe.stdout)?.[1] ?? "unknown") : undefined;
/** mitmproxy's flow format version by release (its `version` field). */
const FLOW_VERSION: Record<string, string> = { "8.1.1": "17" };

interface OktaSdk {
  Client: new (config: Record<string, unknown>) => { userApi: { listUsers(): Promise<AsyncIterable<unknown>> } };
  DefaultRequestExecutor: new (config: Record<string, unknown>) => unknown;
}
const okta = createRequire(join(ROOT, "package.json"))("@okta/okta-sdk-nodejs") as OktaSdk;

/** List users through `orgUrl` with `token` as the SDK's API token; the SDK's error, if any. */
async function listUsers(orgUrl: string, token: string): Promise<{ status?: number; errorCode?: string }> {
  const client = new okta.Client({ orgUrl, token, requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 }) });
  try {
    for await (const _ of await client.userApi.listUsers());
    return {};
  } catch (e) {
    const err = e as { status?: number; errorCode?: string };
    return { ...(err.status !== undefined ? { status: err.status } : {}), ...(err.errorCode !== undefined ? { errorCode: err.errorCode } : {}) };
  }
}

/** The port mitmdump says it listens on (8.1.1: "Proxy server listening at 127.0.0.1:PORT"). */
async function listeningPort(p: Spawned): Promise<number> {
  const found = () => /listening at \S*?:(\d+)/.exec(p.stdout() + p.stderr());
  let done = false;
  void p.exited.then(() => (done = true));
  await waitFor(() => found() !== null || done, 20_000);
  const m = found();
  if (!m) throw new Error(`mitmdump did not start: ${p.stdout()}${p.stderr()}`);
  return Number(m[1]);
}

const mitmdumpArgs = (emu: OktaEmulator) => ["--mode", `reverse:${emu.url}`, "--listen-host", "127.0.0.1", "--listen-port", "0"];

describe.skipIf(MITMDUMP === undefined)(`mitmdump ${MITMDUMP ?? "(skipped: mitmdump is not installed; .ci/run installs Debian's mitmproxy)"} with oktalint's addon`, () => {
  let emu: OktaEmulator;
  beforeAll(async () => {
    emu = await startOktaEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  it("writes each flow as it completes (before mitmdump exits) the same as -w writes at the end: both lint to the same findings", async () => {
    const addonFile = join(dir, "addon.mitm");
    const wFile = join(dir, "w.mitm");
    const m = track(spawn("mitmdump", ["-s", ADDON, "--set", `oktalint_out=${addonFile}`, "-w", wFile, ...mitmdumpArgs(emu)], { stdio: ["ignore", "pipe", "pipe"] }));
    const jwt = emu.mintAccessToken({ scopes: ["okta.users.read"] });
    try {
      const port = await listeningPort(m);
      expect(await listUsers(`http://127.0.0.1:${port}`, jwt)).toEqual({ status: 401, errorCode: "E0000011" });
      // The SDK sent the access token after SSWS.
      expect(emu.requests.at(-1)!.headers.authorization).toBe(`SSWS ${jwt}`);
      // Already in the addon's file while mitmdump runs.
      expect(await waitFor(() => existsSync(addonFile) && statSync(addonFile).size > 0)).toBe(true);
      const during = lintJson(addonFile);
      expect(ruleIds(during.report)).toEqual(["api-token-rejected", "authorization-scheme"]);
      m.child.kill("SIGINT");
      expect(await m.exited).toBe(0);
    } finally {
      m.child.kill("SIGKILL");
    }
    for (const file of [wFile, addonFile]) {
      const { status, report, raw } = lintJson(file);
      expect(status, raw).toBe(1);
      const f = report.files[0]!;
      expect(f.format).toBe("mitmproxy");
      expect(f.version).toBe(FLOW_VERSION[MITMDUMP!] ?? f.version);
      expect(f.version).toMatch(/^\d+$/);
      expect(ruleIds(report)).toEqual(["api-token-rejected", "authorization-scheme"]);
      const scheme = f.findings.find((x) => x.ruleId === "authorization-scheme")!;
      expect(scheme).toMatchObject({ entry: 0, severity: "error" });
      expect(f.oktaCalls.map((c) => [c.method, c.url, c.status, c.errorCode])).toEqual([["GET", `${emu.url}/api/v1/users`, 401, "E0000011"]]);
      expect(raw).not.toContain(jwt);
    }
    // The same flow, byte for byte: the addon writes what -w writes, only sooner.
    expect(readFileSync(addonFile).equals(readFileSync(wFile))).toBe(true);
  }, 60_000);

  it("mitmdump -s addon … | oktalint lint -: the finding is printed while mitmdump runs; Ctrl-C ends both, oktalint exits 1 after the summary", async () => {
    const report = join(dir, "live.json");
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    // The README's command, with `node dist/…/main.js` for `oktalint`; the shell reports both exit codes.
    const oktalint = `${q(process.execPath)} ${q(CLI)}`;
    const script = `mitmdump -s "$(${oktalint} mitmproxy-addon)" ${mitmdumpArgs(emu).join(" ")} | ${oktalint} lint - -o ${q(report)} -f json; echo "exit codes: \${PIPESTATUS[*]}" >&2`;
    // Its own process group, so that the test can press Ctrl-C for the whole pipeline as a terminal does.
    const sh = track(spawn("bash", ["-c", script], { env: ENV, stdio: ["ignore", "pipe", "pipe"], detached: true }));
    const jwt = emu.mintAccessToken({ scopes: ["okta.users.read"] });
    try {
      // The addon moved mitmdump's own log to stderr: stdout carries nothing but oktalint's output.
      const port = await listeningPort(sh);
      expect(await listUsers(`http://127.0.0.1:${port}`, jwt)).toEqual({ status: 401, errorCode: "E0000011" });
      expect(await waitFor(() => /authorization-scheme/.test(sh.stdout())), sh.stdout() + sh.stderr()).toBe(true);
      // mitmdump still runs: the stream has not ended, no summary yet.
      expect(sh.stdout()).not.toMatch(/exchanges? recorded/);
      expect(sh.child.exitCode).toBe(null);
      process.kill(-sh.child.pid!, "SIGINT");
      expect(await sh.exited).toBe(0);
    } finally {
      try {
        process.kill(-sh.child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    const out = sh.stdout();
    expect(sh.stderr()).toContain("exit codes: 0 1");
    expect(out).toMatch(/✖ error {2}entry 0 {2}authorization-scheme/);
    expect(out).toContain("✖ 1 Okta call: 1 problem (1 error, 0 warnings, 0 info) · 1 symptom shown under its cause");
    expect(out).toContain("1 exchange recorded");
    expect(out).not.toContain(jwt);
    expect(out).not.toMatch(/listening at|client connect/);
    const json = JSON.parse(readFileSync(report, "utf8")) as JsonReport;
    expect(ruleIds(json)).toEqual(["api-token-rejected", "authorization-scheme"]);
  }, 60_000);
});
