/**
 * The proxy section of `npm run bench`: what `oktalint proxy` costs on loopback.
 *
 * An upstream child process answers like Okta's GET /api/v1/users/me (a ~600-byte user JSON,
 * x-okta-request-id, rate-limit headers); the real CLI (`oktalint proxy --target <upstream>
 * --port 0`, linting every exchange) runs as another child; the load generator is an undici Pool in
 * this process. It measures requests/s with many connections, direct and through the proxy, and the
 * median latency of sequential requests on one connection, direct and through the proxy.
 *
 * The trace section runs a small program making sequential fetch and node:http calls to the same
 * upstream, alone and under `oktalint trace`, and compares the time per call it measures itself.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

/** Concurrent connections of the throughput runs. */
const CONNECTIONS = 32;
const WARMUP_MS = 1000;
const THROUGHPUT_MS = 5000;
const LATENCY_MS = 3000;
const TARGET_RPS = 2000;
const TARGET_ADDED_MS = 1;

/** Like Okta's GET /api/v1/users/me; prints its port on stdout. */
const UPSTREAM_SCRIPT = `
import { createServer } from "node:http";
const base = "http://127.0.0.1:" + process.argv[2];
let n = 0;
const server = createServer((req, res) => {
  req.resume();
  const body = JSON.stringify({
    id: "00ub0oNGTSWTBKOLGLNR", status: "ACTIVE", created: "2024-01-15T10:00:00.000Z", activated: "2024-01-15T10:00:01.000Z",
    statusChanged: "2024-01-15T10:00:01.000Z", lastLogin: "2026-11-20T16:01:12.000Z", lastUpdated: "2024-01-15T10:00:01.000Z",
    passwordChanged: "2024-01-15T10:00:01.000Z", type: { id: "oty1emulatortype0d7" },
    profile: { firstName: "Ada", lastName: "Lovelace", mobilePhone: null, secondEmail: null, login: "ada.lovelace@example.com", email: "ada.lovelace@example.com" },
    credentials: { password: {}, provider: { type: "OKTA", name: "OKTA" } },
    _links: { self: { href: "https://acme.okta.com/api/v1/users/00ub0oNGTSWTBKOLGLNR" } },
  });
  res.writeHead(200, {
    "content-type": "application/json;charset=UTF-8",
    "content-length": Buffer.byteLength(body),
    "x-okta-request-id": "aZ" + (n++).toString(36).padStart(25, "0"),
    "x-rate-limit-limit": "1000000",
    "x-rate-limit-remaining": "999999",
    "x-rate-limit-reset": String(Math.ceil(Date.now() / 1000) + 60),
    "cache-control": "no-cache, no-store",
    "strict-transport-security": "max-age=315360000; includeSubDomains",
  });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

const REQUEST_HEADERS = {
  accept: "application/json",
  "content-type": "application/json",
  "user-agent": "okta-sdk-nodejs/8.1.0 node/20.20.2 linux/6.8.0",
  authorization: "SSWS 00BenchFakeTokenNotReal0123456789abcdefghi",
};

interface Load {
  rps: number;
  errors: number;
}

/** `connections` loops of GET /api/v1/users/me for `ms` milliseconds; completed 200s per second. */
async function throughput(url: string, connections: number, ms: number): Promise<Load> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  let ok = 0;
  let errors = 0;
  const start = performance.now();
  const end = start + ms;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      try {
        const res = await pool.request({ path: "/api/v1/users/me", method: "GET", headers: REQUEST_HEADERS });
        await res.body.dump();
        if (res.statusCode === 200) ok++;
        else errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  return { rps: ok / seconds, errors };
}

/** Sequential requests on one connection for `ms` milliseconds; their latencies in ms. */
async function latencies(url: string, ms: number): Promise<number[]> {
  const pool = new Pool(url, { connections: 1, pipelining: 1 });
  const times: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    const res = await pool.request({ path: "/api/v1/users/me", method: "GET", headers: REQUEST_HEADERS });
    await res.body.dump();
    times.push(performance.now() - t0);
  }
  await pool.close();
  return times;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

/** Start a node child and resolve with the first match of `pattern` on the given stream. */
function startChild(args: string[], stream: "stdout" | "stderr", pattern: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", stream === "stdout" ? "pipe" : "ignore", "pipe"] });
  return new Promise((resolve, reject) => {
    let seen = "";
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`no ${pattern} from ${args.join(" ")} within 15 s:\n${seen}`)), 15_000);
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill();
      reject(err);
    };
    const watch = (s: NodeJS.ReadableStream | null): void => {
      s?.setEncoding("utf8");
      s?.on("data", (text: string) => {
        seen += text;
        const m = pattern.exec(seen);
        if (m && !settled) {
          settled = true;
          clearTimeout(timer);
          s.removeAllListeners("data");
          s.resume(); // keep draining, so the child never blocks on a full pipe
          resolve({ child, match: m });
        }
      });
    };
    watch(stream === "stdout" ? child.stdout : child.stderr);
    if (stream === "stdout") child.stderr?.pipe(process.stderr);
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`${args.join(" ")} exited (${code}) before it was ready:\n${seen}`)));
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}

const rate = (label: string, load: Load, note = ""): string =>
  `${label.padEnd(44)} ${load.rps.toFixed(0).padStart(7)} req/s${note}${load.errors ? `  (${load.errors} errors)` : ""}`;
const latency = (label: string, t: number[]): string =>
  `${label.padEnd(44)} median ${percentile(t, 50).toFixed(3)} ms  p99 ${percentile(t, 99).toFixed(3)} ms  (${t.length} requests)`;

/** Run the proxy section, printing as it goes; `dir` is a scratch folder for the child scripts. */
export async function benchProxy(dir: string): Promise<void> {
  const upstreamScript = join(dir, "proxy-upstream.mjs");
  writeFileSync(upstreamScript, UPSTREAM_SCRIPT);
  let upstream: ChildProcess | undefined;
  let proxy: ChildProcess | undefined;
  try {
    const up = await startChild([upstreamScript], "stdout", /^(\d+)\n/);
    upstream = up.child;
    const direct = `http://127.0.0.1:${up.match[1]}`;
    const started = await startChild([CLI, "proxy", "--target", direct, "--port", "0"], "stderr", /http:\/\/127\.0\.0\.1:\d+/);
    proxy = started.child;
    const viaProxy = started.match[0];

    console.log(
      "\nproxy overhead: GET /api/v1/users/me (~600-byte JSON) on loopback, oktalint proxy CLI (linting every exchange)",
    );
    await throughput(direct, CONNECTIONS, WARMUP_MS);
    const directLoad = await throughput(direct, CONNECTIONS, THROUGHPUT_MS);
    console.log(rate(`direct, ${CONNECTIONS} connections`, directLoad));
    await throughput(viaProxy, CONNECTIONS, WARMUP_MS);
    const proxyLoad = await throughput(viaProxy, CONNECTIONS, THROUGHPUT_MS);
    console.log(rate(`through oktalint proxy, ${CONNECTIONS} connections`, proxyLoad, `  (${((proxyLoad.rps / directLoad.rps) * 100).toFixed(0)}% of direct)`));

    await latencies(direct, WARMUP_MS / 2);
    const directTimes = await latencies(direct, LATENCY_MS);
    console.log(latency("direct, 1 connection, sequential", directTimes));
    await latencies(viaProxy, WARMUP_MS / 2);
    const proxyTimes = await latencies(viaProxy, LATENCY_MS);
    console.log(latency("through oktalint proxy, 1 connection", proxyTimes));

    const added = percentile(proxyTimes, 50) - percentile(directTimes, 50);
    const ok = proxyLoad.errors === 0;
    console.log(`\ntargets: proxy serves at least ${TARGET_RPS.toLocaleString("en-US")} req/s: ${proxyLoad.rps >= TARGET_RPS && ok ? "met" : "MISSED"} (${proxyLoad.rps.toFixed(0)} req/s)`);
    console.log(`         proxy adds under ${TARGET_ADDED_MS} ms median latency: ${added < TARGET_ADDED_MS ? "met" : "MISSED"} (+${added.toFixed(3)} ms)`);
  } finally {
    await stop(proxy);
    await stop(upstream);
  }
}

/** The traced program: sequential calls with fetch, then node:http; prints the ms per call of each. */
const TRACED_SCRIPT = `
import http from "node:http";
const base = process.argv[2];
const n = Number(process.argv[3]);
const headers = { authorization: "SSWS 00BenchFakeTokenNotReal0123456789abcdefghi", accept: "application/json" };
for (let i = 0; i < 200; i++) await (await fetch(base + "/api/v1/users/me", { headers })).text();
let t0 = performance.now();
for (let i = 0; i < n; i++) await (await fetch(base + "/api/v1/users/me", { headers })).text();
const fetchMs = (performance.now() - t0) / n;
const agent = new http.Agent({ keepAlive: true });
const get = () => new Promise((resolve, reject) => {
  http.get(base + "/api/v1/users/me", { agent, headers }, (res) => { res.resume(); res.on("end", resolve); }).on("error", reject);
});
for (let i = 0; i < 200; i++) await get();
t0 = performance.now();
for (let i = 0; i < n; i++) await get();
const httpMs = (performance.now() - t0) / n;
agent.destroy();
console.log(JSON.stringify({ fetchMs, httpMs }));
`;

const TRACE_CALLS = 2000;

/** Run the traced program (directly, or under `oktalint trace`): the per-call times it measured. */
function runTraced(args: string[]): Promise<{ fetchMs: number; httpMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (t: string) => (out += t));
    child.once("error", reject);
    child.once("close", () => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (!line) reject(new Error(`no timing from ${args.join(" ")}`));
      else resolve(JSON.parse(line) as { fetchMs: number; httpMs: number });
    });
  });
}

/** Best of three: the least disturbed run of each. */
async function bestOf3(args: string[]): Promise<{ fetchMs: number; httpMs: number }> {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await runTraced(args));
  return { fetchMs: Math.min(...runs.map((r) => r.fetchMs)), httpMs: Math.min(...runs.map((r) => r.httpMs)) };
}

/** The trace section: what `oktalint trace` adds to each call of a traced program. */
export async function benchTrace(dir: string): Promise<void> {
  const upstreamScript = join(dir, "trace-upstream.mjs");
  writeFileSync(upstreamScript, UPSTREAM_SCRIPT);
  const script = join(dir, "traced.mjs");
  writeFileSync(script, TRACED_SCRIPT);
  let upstream: ChildProcess | undefined;
  try {
    const up = await startChild([upstreamScript], "stdout", /^(\d+)\n/);
    upstream = up.child;
    const base = `http://127.0.0.1:${up.match[1]}`;
    const direct = await bestOf3([script, base, String(TRACE_CALLS)]);
    const traced = await bestOf3([CLI, "trace", "--fail-on", "never", "--", process.execPath, script, base, String(TRACE_CALLS)]);
    const row = (label: string, a: number, b: number): string =>
      `${label.padEnd(44)} ${a.toFixed(3)} ms alone, ${b.toFixed(3)} ms traced  (+${(b - a).toFixed(3)} ms per call)`;
    console.log(`\ntrace overhead: ${TRACE_CALLS} sequential GET /api/v1/users/me per client, time per call measured by the program (best of 3)`);
    console.log(row("global fetch", direct.fetchMs, traced.fetchMs));
    console.log(row("node:http (keep-alive agent)", direct.httpMs, traced.httpMs));
  } finally {
    await stop(upstream);
  }
}
