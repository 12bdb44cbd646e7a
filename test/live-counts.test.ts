/**
 * Issue 11, class 7: a rule whose finding grows with later traffic (a burst
 * of 429s) must give the same findings live, whatever batches the exchanges
 * arrive in, as `lint` of the HAR the session wrote.
 */
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startOktaEmulator } from "./emulator/okta-emulator.js";
import { RULES } from "../rules/index.js";
import { LiveSession } from "../src/live/session.js";
import type { TraceRecord } from "../src/live/record.js";
import type { Finding } from "../src/engine/types.js";
import { lintFile } from "../src/index.js";
import { fakeApiToken } from "../scripts/samples/builder.js";

const ORG = "https://dev-424242.okta.com";
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const token = fakeApiToken("live-counts");
const tooMany = { errorCode: "E0000047", errorSummary: "API call exceeded rate limit due to too many requests.", errorLink: "E0000047", errorId: "oaeL1v3C0unt", errorCauses: [] };

/** One GET /api/v1/groups at `at` ms, answered `status` with X-Rate-Limit-* headers. */
function rl(at: number, status: number, remaining: number, resetMs: number): TraceRecord {
  const text = JSON.stringify(status === 429 ? tooMany : []);
  return {
    v: 1,
    kind: "exchange",
    client: "fetch",
    pid: 4242,
    startedDateTime: new Date(T0 + at).toISOString(),
    time: 5,
    timings: { send: 0, wait: 5, receive: 0 },
    request: { method: "GET", url: `${ORG}/api/v1/groups?limit=200`, httpVersion: "HTTP/1.1", headers: [["Host", "dev-424242.okta.com"], ["Accept", "application/json"], ["Authorization", `SSWS ${token}`]] },
    response: {
      status,
      statusText: status === 429 ? "Too Many Requests" : "OK",
      httpVersion: "HTTP/1.1",
      headers: [
        ["Content-Type", "application/json"],
        ["X-Rate-Limit-Limit", "100"],
        ["X-Rate-Limit-Remaining", String(remaining)],
        ["X-Rate-Limit-Reset", String(Math.floor((T0 + resetMs) / 1000))],
      ],
      body: { size: Buffer.byteLength(text), base64: Buffer.from(text).toString("base64") },
    },
  };
}

/** A client that gets a 429 and retries 30 times every 100 ms before the reset; then, a minute later, a second burst. */
function traffic(): TraceRecord[] {
  const first = [rl(0, 429, 0, 3_000), ...Array.from({ length: 30 }, (_, i) => rl(100 * (i + 1), 429, 0, 3_000))];
  const second = [rl(120_000, 429, 0, 125_000), rl(120_500, 429, 0, 125_000)];
  return [...first, ...second];
}

const shape = (fs: readonly Finding[]) => fs.filter((f) => f.ruleId === "rate-limited").map((f) => ({ entry: f.entry, severity: f.severity, message: f.message, evidence: f.evidence }));

/** Run a live session, feeding the records in batches of the given sizes with a lint pass after each. */
async function live(batches: number[]): Promise<{ seen: Finding[]; final: Finding[]; linted: Finding[] }> {
  const records = traffic();
  const path = join(mkdtempSync(join(tmpdir(), "oktalint-counts-")), "session.har");
  const seen: Finding[] = [];
  const session = new LiveSession({ rules: RULES, label: "counts", producer: { name: "oktalint trace", version: "0" }, har: { path }, onFinding: (f) => seen.push(f) });
  let i = 0;
  for (const n of batches) {
    for (const r of records.slice(i, i + n)) session.addRecord(r);
    i += n;
    session.flush();
  }
  for (const r of records.slice(i)) session.addRecord(r);
  const result = session.close();
  const linted = (await lintFile(path)).findings;
  return { seen, final: result.findings, linted };
}

describe("live counts (issue 11, class 7)", () => {
  it("a growing burst gives the same findings live, in any batches, as lint of the session's HAR", async () => {
    const runs = [await live([1, 1, 5, 10]), await live([2, 29, 2]), await live([33]), await live([])];
    const expected = shape(runs[0]!.linted);
    expect(expected.map((f) => f.entry)).toEqual([0, 31]);
    expect(expected[0]!.message).toContain("the client sent 30 more requests to it before X-Rate-Limit-Reset");
    expect(expected[0]!.evidence).toContain("sent before X-Rate-Limit-Reset: entries 1, 2, 3, 4, 5, 6, 7, 8 … (+22 more)");
    expect(expected[1]!.message).toContain("at entry 31, the client sent 1 more request to it before X-Rate-Limit-Reset (2026-11-28T12:02:05Z), 1 of them rate-limited again");
    for (const run of runs) {
      expect(shape(run.linted)).toEqual(expected);
      expect(shape(run.final)).toEqual(expected);
      // Reported once each, with the final count, never an early version of the same burst.
      expect(shape(run.seen)).toEqual(expected);
    }
  });

  it("running low and then waiting for the reset is an info, live as in the file", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "oktalint-counts-")), "session.har");
    const seen: Finding[] = [];
    const session = new LiveSession({ rules: RULES, label: "counts", producer: { name: "oktalint trace", version: "0" }, har: { path }, onFinding: (f) => seen.push(f) });
    session.addRecord(rl(0, 200, 1, 3_000));
    session.flush();
    session.addRecord(rl(200, 200, 0, 3_000));
    session.flush();
    session.addRecord(rl(4_000, 200, 99, 64_000));
    const result = session.close();
    const linted = (await lintFile(path)).findings;
    expect(shape(result.findings)).toEqual(shape(linted));
    expect(shape(seen)).toEqual(shape(linted));
    expect(shape(linted).map((f) => [f.entry, f.severity])).toEqual([[0, "info"]]);
    expect(shape(linted)[0]!.message).toContain("The client then waited");
  });
});

describe("live counts under the real `oktalint trace` (issue 11, class 7)", () => {
  it("a client retrying 30 times before the reset: one finding with the count its evidence lists, as lint of the HAR gives", async () => {
    const emu = await startOktaEmulator({ rateLimit: 1 });
    const dir = mkdtempSync(join(tmpdir(), "oktalint-counts-trace-"));
    try {
      const script = join(dir, "retry.mjs");
      // Retries a rate-limited call without waiting for X-Rate-Limit-Reset.
      writeFileSync(
        script,
        `for (let i = 0; i < 31; i++) await fetch(process.env.ORG_URL + "/api/v1/groups", { headers: { authorization: "SSWS " + process.env.TOKEN, accept: "application/json" } }).then((r) => r.text());\n`,
      );
      const har = join(dir, "session.har");
      const report = join(dir, "report.json");
      const cli = join(resolve(import.meta.dirname, ".."), "dist/src/cli/main.js");
      const code = await new Promise<number | null>((done, fail) => {
        const child = spawn(process.execPath, [cli, "trace", "--har", har, "--format", "json", "--output", report, "--", process.execPath, script], {
          env: { ...process.env, ORG_URL: emu.url, TOKEN: emu.apiToken, NO_COLOR: "1" },
          stdio: "ignore",
        });
        const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
        child.on("error", fail);
        child.on("close", (c) => {
          clearTimeout(killer);
          done(c);
        });
      });
      expect(existsSync(report)).toBe(true);
      const live = (JSON.parse(readFileSync(report, "utf8")) as { files: { findings: Finding[] }[] }).files[0]!.findings;
      const linted = (await lintFile(har)).findings;
      const got = shape(live);
      expect(got).toHaveLength(1);
      expect(got[0]!.message).toContain("the client sent 29 more requests to it before X-Rate-Limit-Reset");
      expect(got[0]!.evidence).toContain("sent before X-Rate-Limit-Reset: entries 2, 3, 4, 5, 6, 7, 8, 9 … (+21 more)");
      expect(shape(linted)).toEqual(got);
      expect(code).not.toBeNull();
    } finally {
      await emu.close();
    }
  }, 90_000);
});
