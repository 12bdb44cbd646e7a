import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import zlib from "node:zlib";
import { RULES } from "../rules/index.js";
import { LiveSession } from "../src/live/session.js";
import { decodeContent, recordToEntry } from "../src/live/entry.js";
import type { TraceRecord } from "../src/live/record.js";
import type { Finding, Rule } from "../src/engine/types.js";
import { LivePrinter } from "../src/cli/live.js";
import { checkFile, lintFile } from "../src/index.js";
import { flowTable } from "../src/report/stylish.js";
import { buildHar, fakeApiToken, fakeJwt, fakeOneTimeToken, type CaptureSpec } from "../scripts/samples/builder.js";

const ORG = "https://dev-424242.okta.com";
const accessToken = fakeJwt({ iss: `${ORG}/oauth2/default`, aud: "api://default", scp: ["openid"], exp: 4102444800, iat: 1700000000, cid: "0oa1clientid" });
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");

let seq = 0;
function record(method: string, path: string, reqHeaders: [string, string][], status: number, resBody: unknown, extra: Partial<TraceRecord> = {}): TraceRecord {
  const text = JSON.stringify(resBody);
  return {
    v: 1,
    kind: "exchange",
    client: "http",
    pid: 4242,
    startedDateTime: new Date(Date.UTC(2026, 10, 28, 12, 0, seq++)).toISOString(),
    time: 12.5,
    timings: { send: 0.5, wait: 10, receive: 2 },
    request: { method, url: `${ORG}${path}`, httpVersion: "HTTP/1.1", headers: [["Host", "dev-424242.okta.com"], ["Accept", "application/json"], ...reqHeaders] },
    response: {
      status,
      statusText: status === 200 ? "OK" : "Unauthorized",
      httpVersion: "HTTP/1.1",
      headers: [["Content-Type", "application/json"], ["x-okta-request-id", `req${seq}`]],
      body: { size: Buffer.byteLength(text), base64: b64(text) },
    },
    ...extra,
  };
}

const e0000011 = { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae1", errorCauses: [] };

describe("recordToEntry", () => {
  it("decodes gzip bodies, parses cookies, query and Set-Cookie, and keeps timings non-negative", () => {
    const json = JSON.stringify({ id: "00u1", profile: { login: "a@example.com" } });
    const r = record("GET", "/api/v1/users?limit=2&q=a%20b", [["Cookie", "sid=abc; DT=xyz"]], 200, {});
    r.response!.headers.push(["Content-Encoding", "gzip"], ["Set-Cookie", "sid=102abc; Path=/; Secure; HttpOnly; SameSite=None"]);
    r.response!.body = { size: 99, base64: zlib.gzipSync(json).toString("base64") };
    r.timings = { send: -1, wait: 4, receive: -1 };
    const e = recordToEntry(r);
    expect(e.request.queryString).toEqual([{ name: "limit", value: "2" }, { name: "q", value: "a b" }]);
    expect(e.request.cookies).toEqual([{ name: "sid", value: "abc" }, { name: "DT", value: "xyz" }]);
    expect(e.response.content.text).toBe(json);
    expect(e.response.content.size).toBe(json.length);
    expect(e.response.bodySize).toBe(99);
    // HAR 1.2 cookies have no sameSite field (SameSite stays in the Set-Cookie header).
    expect(e.response.cookies).toEqual([{ name: "sid", value: "102abc", path: "/", httpOnly: true, secure: true }]);
    expect(e.timings).toEqual({ blocked: -1, dns: -1, connect: -1, send: 0, wait: 4, receive: 0 });
    expect(e._client).toBe("http");
  });

  it("decodes a truncated gzip body as far as it goes, and keeps binary bodies as base64", () => {
    const text = "x".repeat(50_000) + "tail";
    const gz = zlib.gzipSync(Buffer.from(text));
    const part = decodeContent(gz.subarray(0, Math.floor(gz.length / 2)), "gzip");
    expect(part.decoded).toBe(true);
    expect(text.startsWith(part.bytes.toString())).toBe(true);
    const r = record("GET", "/logo.png", [], 200, {});
    r.response!.headers = [["Content-Type", "image/png"]];
    r.response!.body = { size: 4, base64: b64(Buffer.from([0x89, 0x50, 0x4e, 0x47])) };
    const e = recordToEntry(r);
    expect(e.response.content).toMatchObject({ encoding: "base64", text: "iVBORw==" });
  });

  it("records a failed exchange with status 0 and the error", () => {
    const r = record("GET", "/api/v1/users/me", [], 200, {});
    delete r.response;
    r.error = "connect ECONNREFUSED 127.0.0.1:1";
    const e = recordToEntry(r);
    expect(e.response.status).toBe(0);
    expect(e._error).toBe("connect ECONNREFUSED 127.0.0.1:1");
  });
});

describe("LiveSession", () => {
  it("reports a finding as soon as the exchange that proves it arrives, once per problem", async () => {
    const seen: Finding[] = [];
    const session = new LiveSession({ rules: RULES, label: "test", producer: { name: "oktalint test", version: "0" }, onFinding: (f) => seen.push(f) });
    session.addRecord(record("GET", "/api/v1/users?limit=200", [["Authorization", `SSWS ${fakeApiToken("good")}`]], 200, []));
    session.flush();
    expect(seen).toEqual([]);
    // An access token sent with the SSWS scheme: authorization-scheme proves itself on this exchange.
    session.addRecord(record("GET", "/api/v1/users?limit=200", [["Authorization", `SSWS ${accessToken}`]], 401, e0000011));
    session.flush();
    // The wrong scheme, with Okta's 401 for a value that is no API token as its symptom: one problem.
    expect(seen.map((f) => [f.ruleId, f.entry, f.symptoms.map((s) => s.ruleId)])).toEqual([["authorization-scheme", 1, ["api-token-rejected"]]]);
    expect(JSON.stringify(seen)).not.toContain(accessToken);
    // The same mistake again is folded into the first finding, not printed again.
    session.addRecord(record("GET", "/api/v1/users?limit=200", [["Authorization", `SSWS ${accessToken}`]], 401, e0000011));
    session.flush();
    expect(seen).toHaveLength(1);
    const result = session.close();
    expect(result.exchanges).toBe(3);
    expect(result.findings.map((f) => [f.ruleId, f.occurrences, f.symptoms.map((s) => [s.ruleId, s.occurrences])])).toEqual([["authorization-scheme", 1, [["api-token-rejected", 2]]]]);
    expect(result.capture.calls).toHaveLength(3);
  });

  it("the closing flow summary shows the last calls and says how many earlier ones it leaves out", () => {
    const session = new LiveSession({ rules: RULES, label: "test", producer: { name: "t", version: "0" } });
    for (let i = 0; i < 5; i++) session.addRecord(record("GET", `/api/v1/groups/00g${i}abcdefghij`, [["Authorization", `SSWS ${fakeApiToken("g")}`]], 200, {}));
    const result = session.close();
    const table = flowTable(result.capture, result.findings, 3).replace(/\x1b\[[0-9;]*m/g, "").split("\n");
    expect(table[0]).toBe("  … 2 earlier Okta calls not shown");
    expect(table.slice(2).map((l) => l.trim().split(/ +/).slice(1, 3))).toEqual([["2", "GET"], ["3", "GET"], ["4", "GET"]]);
  });

  it("lints on its own shortly after an exchange arrives (no flush needed)", async () => {
    const seen: Finding[] = [];
    const session = new LiveSession({ rules: RULES, label: "test", producer: { name: "t", version: "0" }, onFinding: (f) => seen.push(f) });
    session.addRecord(record("GET", "/api/v1/users/me", [["Authorization", `SSWS ${accessToken}`]], 401, e0000011));
    await new Promise((r) => setTimeout(r, 150));
    expect(seen.map((f) => f.ruleId)).toContain("authorization-scheme");
    session.close();
  });

  it("holds findings that rest on something not happening until the session ends", () => {
    const seen: string[] = [];
    const session = new LiveSession({ rules: RULES, label: "test", producer: { name: "t", version: "0" }, onFinding: (f) => seen.push(f.ruleId) });
    const sessionToken = fakeOneTimeToken("st");
    const authn = record("POST", "/api/v1/authn", [["Content-Type", "application/json"]], 200, {
      status: "SUCCESS",
      sessionToken,
      expiresAt: "2026-11-28T12:05:00.000Z",
      _embedded: { user: { id: "00u1", profile: { login: "a@example.com" } } },
    });
    authn.request.body = { size: 40, base64: b64(JSON.stringify({ username: "a@example.com", password: "hunter2hunter2" })) };
    session.addRecord(authn);
    session.flush();
    expect(seen).not.toContain("session-token-not-exchanged");
    session.close();
    expect(seen).toContain("session-token-not-exchanged");
  });

  it("withdraws a finding that later evidence refutes, and the final report equals lint of its HAR, message for message", async () => {
    // Chromium timestamps a preflight after its own request, and the request may arrive in a later pass: the
    // preflight alone says "no request followed"; the request then shows the SSWS token itself.
    const APP = "http://localhost:5173";
    const token = fakeApiToken("retract");
    const spec: CaptureSpec = {
      producer: "chrome",
      start: "2026-11-28T12:00:00.000Z",
      entries: [
        {
          method: "OPTIONS",
          url: `${ORG}/api/v1/users?limit=20`,
          status: 200,
          from: { browser: APP },
          at: 0,
          headers: { "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
          responseHeaders: { "access-control-allow-origin": APP, "access-control-allow-methods": "GET", "access-control-allow-headers": "authorization" },
          extra: { _oktalint: { source: "browse", sender: "browser" } },
        },
        {
          method: "GET",
          url: `${ORG}/api/v1/users?limit=20`,
          status: 200,
          from: { browser: APP },
          at: 5,
          headers: { authorization: `SSWS ${token}` },
          responseHeaders: { "access-control-allow-origin": APP },
          response: [] as unknown as Record<string, unknown>,
          extra: { _oktalint: { source: "browse", sender: "browser" } },
        },
      ],
    };
    const entries = (buildHar(spec) as { log: { entries: object[] } }).log.entries;
    const dir = mkdtempSync(join(tmpdir(), "oktalint-live-"));
    const har = join(dir, "retract.har");
    const events: string[] = [];
    const out: string[] = [];
    const printer = new LivePrinter({ write: (s: string) => out.push(s), columns: 120 } as unknown as NodeJS.WritableStream, { rules: {}, ignore: [] } as never);
    const session = new LiveSession({
      rules: RULES,
      label: "test",
      producer: { name: "oktalint browse", version: "0", browser: { name: "Chromium", version: "156" } },
      // Masked, as by default: the redactor's markers keep what a mask shows, so the messages agree.
      har: { path: har, raw: false },
      onFinding: (f) => {
        events.push(`+ ${f.ruleId}/${f.messageId}@${f.entry}`);
        printer.finding(f);
      },
      onRetract: (f, replacement) => {
        events.push(`- ${f.ruleId}/${f.messageId}@${f.entry}${replacement ? " (replaced)" : ""}`);
        printer.retract(f, replacement);
      },
    });
    session.addEntry(entries[0]!);
    session.flush();
    expect(events).toEqual(["+ ssws-in-browser/preflight@0"]);
    session.addEntry(entries[1]!);
    session.flush();
    expect(events).toEqual(["+ ssws-in-browser/preflight@0", "- ssws-in-browser/preflight@0", "+ ssws-in-browser/browser@1"]);
    expect(session.withdrawn).toBe(1);
    const text = out.join("");
    expect(text).toMatch(/⊘ withdrawn {2}ssws-in-browser at entry 0 printed above: later traffic refutes it/);
    expect(text).not.toContain(token);
    const result = session.close();
    expect(readFileSync(har, "utf8")).not.toContain(token);
    const linted = await lintFile(har);
    const shape = (fs: readonly Finding[]) => fs.map((f) => [f.ruleId, f.entry, f.severity, f.confidence, f.message, f.symptoms.map((x) => x.message)]);
    expect(shape(result.findings)).toEqual(shape(linted.findings));
    expect(result.findings.map((f) => `${f.ruleId}/${f.messageId}@${f.entry}`)).toContain("ssws-in-browser/browser@1");
    expect(result.findings.some((f) => f.messageId === "preflight")).toBe(false);
  });

  it("writes a HAR that validates strictly, lints the same, and masks secrets unless raw", async () => {
    const dir = mkdtempSync(join(tmpdir(), "oktalint-live-"));
    const write = async (raw: boolean) => {
      const path = join(dir, raw ? "raw.har" : "masked.har");
      const session = new LiveSession({ rules: RULES, label: "test", producer: { name: "oktalint trace", version: "0.1.0" }, har: { path, raw } });
      session.addRecord(record("GET", "/api/v1/users", [["Authorization", `SSWS ${accessToken}`]], 401, e0000011));
      const groups = record("GET", "/api/v1/groups", [["Authorization", `SSWS ${fakeApiToken("g")}`]], 200, []);
      // A Set-Cookie with SameSite and Expires: both must still be valid HAR 1.2 in the cookies list.
      groups.response!.headers.push(["Set-Cookie", "DT=dt123; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure; SameSite=None"]);
      session.addRecord(groups);
      const result = session.close();
      return { path, result };
    };
    const masked = await write(false);
    const raw = await write(true);
    expect(masked.result.harEntries).toBe(2);
    const maskedText = readFileSync(masked.path, "utf8");
    expect(maskedText).not.toContain(accessToken);
    expect(maskedText).not.toContain(fakeApiToken("g"));
    expect(readFileSync(raw.path, "utf8")).toContain(accessToken);
    expect((await checkFile(masked.path)).findings).toEqual([]);
    const rawHar = JSON.parse(readFileSync(raw.path, "utf8")) as { log: { entries: { response: { cookies: unknown[] } }[] } };
    expect(rawHar.log.entries[1]!.response.cookies).toEqual([{ name: "DT", value: "dt123", path: "/", expires: "2026-10-21T07:28:00.000Z", secure: true }]);
    for (const { path, result } of [masked, raw]) {
      const linted = await lintFile(path);
      expect(linted.capture.notes.filter((n) => n.level === "error")).toEqual([]);
      const shape = (fs: readonly Finding[]) => fs.map((f) => [f.ruleId, f.entry, f.severity, f.symptoms.map((s) => [s.ruleId, s.entry])]);
      expect(shape(linted.findings)).toEqual(shape(result.findings));
      expect(shape(result.findings)).toEqual([["authorization-scheme", 0, "error", [["api-token-rejected", 0]]]]);
    }
  });

  describe("grouping, as lint groups", () => {
    /** A test rule reporting at the given entries once they have arrived (with `related` entries). */
    const rule = (id: string, hits: { entry: number; related?: number[] }[], extra: Partial<Rule> = {}): Rule => ({
      id,
      severity: "warning",
      tags: [],
      title: `test rule ${id}`,
      explanation: "test",
      fix: `fix of ${id}`,
      docs: ["https://example.com/"],
      foldRepeats: false,
      messages: { hit: `${id} saw entry {{n}}. Its own advice.` },
      check(ctx) {
        for (const h of hits) {
          const call = ctx.calls.find((c) => c.exchange.index === h.entry);
          if (call && (h.related ?? []).every((r) => ctx.calls.some((c) => c.exchange.index === r))) ctx.report({ call, messageId: "hit", data: { n: h.entry }, ...(h.related ? { related: h.related } : {}) });
        }
      },
      ...extra,
    });
    const users = (n: number) => record("GET", `/api/v1/users/00u${n}abcdefghij`, [["Authorization", `SSWS ${fakeApiToken("grouping")}`]], 200, {});

    function run(rules: Rule[], entries: number, passes: number[]) {
      const events: string[] = [];
      const session = new LiveSession({
        rules,
        label: "test",
        producer: { name: "t", version: "0" },
        onFinding: (f, earlier) => events.push(`problem ${f.ruleId}@${f.entry}${f.symptoms.map((s) => ` > ${s.ruleId}@${s.entry}${earlier.includes(s) ? " (earlier)" : ""}`).join("")}`),
        onSymptom: (s, cause) => events.push(`symptom ${s.ruleId}@${s.entry} of ${cause.ruleId}@${cause.entry}`),
      });
      for (let i = 0; i < entries; i++) {
        session.addRecord(users(i));
        if (passes.includes(i)) session.flush();
      }
      return { events, result: session.close() };
    }

    it("a symptom that arrives in the same pass as its cause is reported under it", () => {
      const { events, result } = run([rule("cause", [{ entry: 1 }], { explains: ["symptom"] }), rule("symptom", [{ entry: 1 }])], 2, [1]);
      expect(events).toEqual(["problem cause@1 > symptom@1"]);
      expect(result.findings.map((f) => [f.ruleId, f.symptoms.map((s) => s.ruleId)])).toEqual([["cause", ["symptom"]]]);
    });

    it("a symptom found after its cause was reported is reported as that problem's symptom", () => {
      const { events } = run([rule("cause", [{ entry: 0 }], { explains: ["symptom"] }), rule("symptom", [{ entry: 1, related: [0] }])], 2, [0, 1]);
      expect(events).toEqual(["problem cause@0", "symptom symptom@1 of cause@0"]);
    });

    it("a cause found after its symptom was reported says that it explains it", () => {
      const { events, result } = run([rule("cause", [{ entry: 2, related: [0] }], { explains: ["symptom"] }), rule("symptom", [{ entry: 0 }])], 3, [0, 2]);
      expect(events).toEqual(["problem symptom@0", "problem cause@2 > symptom@0 (earlier)"]);
      // The session's findings are grouped as lint groups them: one problem.
      expect(result.findings.map((f) => [f.ruleId, f.entry, f.symptoms.map((s) => s.ruleId)])).toEqual([["cause", 2, ["symptom"]]]);
    });

    it("prints the cause, its symptoms beneath, and a later symptom with the problem it belongs to", () => {
      const out: string[] = [];
      const stream = { write: (s: string) => out.push(s), columns: 100 } as unknown as NodeJS.WritableStream;
      const printer = new LivePrinter(stream, {});
      const session = new LiveSession({
        rules: [rule("cause", [{ entry: 0 }], { explains: ["symptom", "late"] }), rule("symptom", [{ entry: 0 }]), rule("late", [{ entry: 1, related: [0] }])],
        label: "test",
        producer: { name: "t", version: "0" },
        onFinding: printer.finding,
        onSymptom: printer.symptom,
      });
      session.addRecord(users(0));
      session.flush();
      session.addRecord(users(1));
      session.close();
      const text = out.join("").replace(/\x1b\[[0-9;]*m/g, "");
      expect(text).toContain("cause saw entry 0. Its own advice.");
      expect(text).toMatch(/↳ symptom {2}entry 0 {2}symptom\n {6}symptom saw entry 0\.\n/);
      expect(text).toMatch(/↳ symptom {2}entry 1 {2}late {2}of the cause problem at entry 0 above\n {4}late saw entry 1\.\n/);
      expect(text).not.toContain("fix of symptom");
    });

    it("prints a cause found after its symptom with a line saying it explains the one printed above", () => {
      const out: string[] = [];
      const stream = { write: (s: string) => out.push(s), columns: 100 } as unknown as NodeJS.WritableStream;
      const printer = new LivePrinter(stream, {});
      const session = new LiveSession({
        rules: [rule("cause", [{ entry: 1, related: [0] }], { explains: ["symptom"] }), rule("symptom", [{ entry: 0 }])],
        label: "test",
        producer: { name: "t", version: "0" },
        onFinding: printer.finding,
        onSymptom: printer.symptom,
      });
      session.addRecord(users(0));
      session.flush();
      session.addRecord(users(1));
      const result = session.close();
      const blocks = out.map((s) => s.replace(/\x1b\[[0-9;]*m/g, ""));
      expect(blocks).toHaveLength(2);
      expect(blocks[0]).toMatch(/⚠ warning {2}entry 0 {2}symptom\n/);
      expect(blocks[1]).toMatch(/⚠ warning {2}entry 1 {2}cause\n/);
      expect(blocks[1]).toMatch(/↳ symptom {2}entry 0 {2}symptom {2}printed above on its own: this explains it\n/);
      expect(result.findings.map((f) => [f.ruleId, f.symptoms.map((s) => s.ruleId)])).toEqual([["cause", ["symptom"]]]);
    });
  });
});
