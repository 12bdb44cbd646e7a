import { describe, expect, it } from "vitest";
import { lintSpec } from "./rule-tester.js";
import type { Rule } from "../src/engine/types.js";
import { compareFindings, failsThreshold, fillTemplate } from "../src/engine/run.js";
import { LazyArray, jsonChunks, lazyMap } from "../src/report/json-stream.js";
import { fakeApiToken, type CaptureSpec } from "../scripts/samples/builder.js";

const token = fakeApiToken("engine");
const call = (at: number, id: string) => ({
  method: "GET",
  url: `https://acme.okta.com/api/v1/users/${id}`,
  status: 200,
  from: { server: "node" },
  at,
  headers: { Authorization: `SSWS ${token}` },
  response: { id },
});
const capture: CaptureSpec = { producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries: [call(0, "00u1ab2cdEFGH3ijK4l1"), call(10, "00u1ab2cdEFGH3ijK4l2"), call(20, "00u1ab2cdEFGH3ijK4l3")] };

const everyCall = (extra: Partial<Rule> = {}): Rule => ({
  id: "every-call",
  severity: "warning",
  tags: [],
  title: "reports every call",
  explanation: "test",
  fix: "test",
  docs: ["https://example.com/"],
  messages: { hit: "call {{n}} to {{path}}" },
  check(ctx) {
    for (const c of ctx.calls) ctx.report({ call: c, messageId: "hit", data: { n: c.exchange.index, path: c.exchange.request.url!.pathname } });
  },
  ...extra,
});

describe("rule runner", () => {
  it("folds repeats of one problem (same fingerprint) into the first, counting them", async () => {
    const [f, ...rest] = await lintSpec(capture, [everyCall()]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ entry: 0, occurrences: 3, related: [1, 2], message: "call 0 to /api/v1/users/00u1ab2cdEFGH3ijK4l1", jsonPath: "log.entries[0]" });
  });

  it("drops a fallback finding at an entry folded into another rule's finding as a repeat of the same problem", async () => {
    const fallback: Rule = { ...everyCall(), id: "fallback-rule", severity: "info", fallback: true, messages: { hit: "fallback at {{n}}" },
      check(ctx) { for (const c of ctx.calls) if (c.exchange.index > 0) ctx.report({ call: c, messageId: "hit", data: { n: c.exchange.index } }); } };
    const findings = await lintSpec(capture, [everyCall(), fallback]);
    // every-call is one finding at entry 0 standing for 1 and 2: the fallback has nothing left to say.
    expect(findings.map((f) => [f.ruleId, f.entry, f.occurrences])).toEqual([["every-call", 0, 3]]);
  });

  it("keeps them apart for a rule that groups repeats itself", async () => {
    const findings = await lintSpec(capture, [everyCall({ foldRepeats: false })]);
    expect(findings.map((f) => [f.entry, f.occurrences])).toEqual([[0, 1], [1, 1], [2, 1]]);
    // The same problem re-recorded elsewhere keeps its fingerprint: not the line, the endpoint.
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(1);
  });

  it("fills templates, orders root cause first, and applies thresholds", () => {
    expect(fillTemplate("{{a}} and {{ b }} but {{c}}", { a: 1, b: "two" })).toBe("1 and two but {{c}}");
    const base = { ruleId: "r", message: "m" } as const;
    const list = [
      { ...base, severity: "warning", entry: 1 },
      { ...base, severity: "error", entry: 5 },
      { ...base, severity: "error", entry: 2 },
      { ...base, severity: "info", entry: null },
    ] as unknown as Parameters<typeof compareFindings>[0][];
    expect([...list].sort(compareFindings).map((f) => `${f.severity}@${f.entry}`)).toEqual(["error@2", "error@5", "warning@1", "info@null"]);
    expect(failsThreshold(list, "error")).toBe(true);
    expect(failsThreshold(list.filter((f) => f.severity !== "error"), "error")).toBe(false);
    expect(failsThreshold(list.filter((f) => f.severity !== "error"), "warning")).toBe(true);
    expect(failsThreshold(list, "never")).toBe(false);
    expect(failsThreshold(list, "never", 0)).toBe(true);
  });
});

describe("streamed JSON", () => {
  it("writes exactly what JSON.stringify(…, null, 2) writes", () => {
    const calls = [{ a: 1, b: [1, 2, { c: "x\ny" }] }, { a: 2, b: [] }];
    const value = { files: [{ path: "p", empty: [], calls, nested: { deep: [calls] } }], n: null, s: "t" };
    const lazy = { files: lazyMap([0], () => ({ path: "p", empty: new LazyArray(0, []), calls: lazyMap(calls, (c) => c), nested: { deep: [calls] } })), n: null, s: "t" };
    expect([...jsonChunks(lazy)].join("")).toBe(JSON.stringify(value, null, 2));
    expect([...jsonChunks(value)].join("")).toBe(JSON.stringify(value, null, 2));
  });
});

describe("capture building", () => {
  it("recognises a custom domain by Okta's response headers, admitting calls held before the proof", async () => {
    const { Readable } = await import("node:stream");
    const { readCaptureStream } = await import("../src/index.js");
    const { buildHar } = await import("../scripts/samples/builder.js");
    const spec: CaptureSpec = {
      producer: "proxy",
      start: "2026-11-21T10:00:00.000Z",
      entries: [
        { method: "GET", url: "https://login.example.com/api/v1/users/me", status: 0, from: { server: "node" }, at: 0, okta: false },
        { method: "POST", url: "https://login.example.com/api/v1/authn", status: 401, from: { server: "node" }, at: 5, response: { errorCode: "E0000004", errorSummary: "Authentication failed" } },
        { method: "GET", url: "https://api.example.com/api/v1/orders", status: 200, from: { server: "node" }, at: 9, okta: false, response: [] as unknown as Record<string, unknown> },
      ],
    };
    const capture = await readCaptureStream(Readable.from([Buffer.from(JSON.stringify(buildHar(spec)))]), "custom.har");
    expect(capture.oktaHosts).toEqual(["login.example.com"]);
    expect(capture.calls.map((c) => [c.exchange.index, c.host.custom, c.classification.operationId])).toEqual([
      [0, true, "users.me"],
      [1, true, "authn.primary"],
    ]);
    expect(capture.calls[1]!.errorCode).toBe("E0000004");
    expect(capture.stats.entries).toBe(3);
  });
});
