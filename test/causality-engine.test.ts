/**
 * Causality in the engine: a rule names the rules whose findings its own
 * explain (`Rule.explains`); the runner attaches each such finding to its
 * cause, so one problem is one finding with the symptom as its evidence.
 */
import { describe, expect, it } from "vitest";
import { lintSpec } from "./rule-tester.js";
import type { Rule, Severity } from "../src/engine/types.js";
import { explainsClosure, failsThreshold, runRules } from "../src/engine/run.js";
import { RULES } from "../rules/index.js";
import { fakeApiToken, type CaptureSpec } from "../scripts/samples/builder.js";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../dist/src/cli/main.js", import.meta.url));

const token = fakeApiToken("causality");
const call = (at: number, id: string) => ({
  method: "GET",
  url: `https://acme.okta.com/api/v1/users/${id}`,
  status: 200,
  from: { server: "node" },
  at,
  headers: { Authorization: `SSWS ${token}` },
  response: { id },
});
const capture: CaptureSpec = {
  producer: "proxy",
  start: "2026-11-21T10:00:00.000Z",
  entries: [call(0, "00u1ab2cdEFGH3ijK4l1"), call(10, "00u1ab2cdEFGH3ijK4l2"), call(20, "00u1ab2cdEFGH3ijK4l3"), call(30, "00u1ab2cdEFGH3ijK4l4")],
};

/** A rule reporting at the given entries (each with optional related entries). */
function at(id: string, hits: { entry: number; related?: number[]; severity?: Severity; explains?: string[] }[], extra: Partial<Rule> = {}): Rule {
  return {
    id,
    severity: "warning",
    tags: [],
    title: `rule ${id} for the tests`,
    explanation: "test",
    fix: `fix of ${id}`,
    docs: [`https://example.com/${id}`],
    foldRepeats: false,
    messages: { hit: `${id} at {{n}}` },
    check(ctx) {
      for (const h of hits) {
        const c = ctx.calls[h.entry]!;
        ctx.report({ call: c, messageId: "hit", data: { n: h.entry }, ...(h.related ? { related: h.related } : {}), ...(h.severity ? { severity: h.severity } : {}), ...(h.explains ? { explains: h.explains } : {}) });
      }
    },
    ...extra,
  };
}

const shape = (fs: Awaited<ReturnType<typeof lintSpec>>) => fs.map((f) => `${f.ruleId}@${f.entry}${f.symptoms.length ? ` > ${f.symptoms.map((s) => `${s.ruleId}@${s.entry}`).join(", ")}` : ""}`);

describe("causality: grouping findings into problems", () => {
  it("attaches a symptom on the same entry to its cause: one finding, the cause's message, fix, docs and fingerprint", async () => {
    const cause = at("cause", [{ entry: 1 }], { explains: ["symptom"] });
    const alone = await lintSpec(capture, [at("cause", [{ entry: 1 }])]);
    const fs = await lintSpec(capture, [at("symptom", [{ entry: 1 }]), cause]);
    expect(shape(fs)).toEqual(["cause@1 > symptom@1"]);
    expect(fs[0]).toMatchObject({ message: "cause at 1", fix: "fix of cause", docs: ["https://example.com/cause"], fingerprint: alone[0]!.fingerprint });
    expect(fs[0]!.symptoms[0]).toMatchObject({ ruleId: "symptom", message: "symptom at 1", entry: 1, severity: "warning", request: { method: "GET" } });
    expect(fs[0]!.symptoms[0]).not.toHaveProperty("fix");
  });

  it("leaves unrelated entries apart, and relates entries through `related` either way, nearest first", async () => {
    const fs = await lintSpec(capture, [
      at("cause", [{ entry: 0 }, { entry: 3, related: [1] }], { explains: ["symptom"] }),
      at("symptom", [{ entry: 1 }, { entry: 2, related: [0] }]),
    ]);
    // entry 1 is named by the cause at 3; entry 2 names the cause at 0; nothing ties them to the other one.
    expect(shape(fs)).toEqual(["cause@0 > symptom@2", "cause@3 > symptom@1"]);
    const far = await lintSpec(capture, [at("cause", [{ entry: 0 }], { explains: ["symptom"] }), at("symptom", [{ entry: 3 }])]);
    expect(shape(far)).toEqual(["cause@0", "symptom@3"]);
    // Related to two causes: the nearer one takes it, and only one.
    const two = await lintSpec(capture, [at("cause", [{ entry: 0, related: [2] }, { entry: 3, related: [2] }], { explains: ["symptom"] }), at("symptom", [{ entry: 2 }])]);
    expect(shape(two)).toEqual(["cause@0", "cause@3 > symptom@2"]);
  });

  it("prefers the same entry to a related one", async () => {
    const fs = await lintSpec(capture, [at("cause", [{ entry: 1, related: [2] }, { entry: 2 }], { explains: ["symptom"] }), at("symptom", [{ entry: 2 }])]);
    expect(shape(fs)).toEqual(["cause@1", "cause@2 > symptom@2"]);
  });

  it("follows chains: A explains B explains C ends flat under A, in entry order", async () => {
    const fs = await lintSpec(capture, [
      at("c-rule", [{ entry: 2, related: [1] }]),
      at("b-rule", [{ entry: 1 }], { explains: ["c-rule"] }),
      at("a-rule", [{ entry: 1 }], { explains: ["b-rule"] }),
    ]);
    expect(shape(fs)).toEqual(["a-rule@1 > b-rule@1, c-rule@2"]);
    // Without a finding of B in between, A does not explain C.
    const noB = await lintSpec(capture, [at("c-rule", [{ entry: 1 }]), at("b-rule", [], { explains: ["c-rule"] }), at("a-rule", [{ entry: 1 }], { explains: ["b-rule"] })]);
    expect(shape(noB)).toEqual(["a-rule@1", "c-rule@1"]);
    expect(explainsClosure([at("a", [], { explains: ["b"] }), at("b", [], { explains: ["c"] }), at("c", [])]).get("a")).toEqual(new Set(["b", "c"]));
  });

  it("does not pull a cause with a symptom on its own entry under a cause on another entry", async () => {
    // b@1 repeats at entry 2 (related), where a explains it; but at entry 1, b explains c: that stays its own problem.
    const rules = [at("a", [{ entry: 2 }], { explains: ["b"] }), at("b", [{ entry: 1, related: [2] }], { explains: ["c"] }), at("c", [{ entry: 1 }])];
    expect(shape(await lintSpec(capture, rules))).toEqual(["b@1 > c@1", "a@2"]);
    // Without a symptom of its own, b@1 is a's symptom through the related entry.
    expect(shape(await lintSpec(capture, rules.slice(0, 2)))).toEqual(["a@2 > b@1"]);
  });

  it("takes the highest severity of cause and symptoms, so grouping never lowers what fails a run", async () => {
    const rules = [at("cause", [{ entry: 1, severity: "info" }], { explains: ["symptom"] }), at("symptom", [{ entry: 1, severity: "error" }])];
    const fs = await lintSpec(capture, rules);
    expect(fs.map((f) => [f.ruleId, f.severity, f.symptoms[0]?.severity])).toEqual([["cause", "error", "error"]]);
    expect(failsThreshold(fs, "error")).toBe(true);
  });

  it("counts problems, not symptoms: --max-warnings and the threshold see one finding", async () => {
    const fs = await lintSpec(capture, [at("cause", [{ entry: 1 }], { explains: ["symptom"] }), at("symptom", [{ entry: 1 }])]);
    expect(fs).toHaveLength(1);
    expect(failsThreshold(fs, "never", 1)).toBe(false);
    expect(failsThreshold(fs, "never", 0)).toBe(true);
  });

  it("lets the symptom stand alone again when the user turns the cause's rule off", async () => {
    const { readCaptureStream } = await import("../src/index.js");
    const { buildHar } = await import("../scripts/samples/builder.js");
    const { Readable } = await import("node:stream");
    const c = await readCaptureStream(Readable.from([Buffer.from(JSON.stringify(buildHar(capture)))]), "spec.har");
    const rules = [at("cause", [{ entry: 1 }], { explains: ["symptom"] }), at("symptom", [{ entry: 1 }])];
    expect(shape(runRules(c, { rules, settings: { cause: "off" } }).findings)).toEqual(["symptom@1"]);
    expect(shape(runRules(c, { rules, group: false }).findings)).toEqual(["cause@1", "symptom@1"]);
    // A chain through a rule that is off is broken there.
    const chain = [at("a", [{ entry: 1 }], { explains: ["b"] }), at("b", [{ entry: 1 }], { explains: ["c"] }), at("c", [{ entry: 1 }])];
    expect(shape(runRules(c, { rules: chain, settings: { b: "off" } }).findings)).toEqual(["a@1", "c@1"]);
  });

  it("a finding explains only the rules its report names (Report.explains narrows its rule's explains)", async () => {
    // The cause at entry 1 predicts the symptom there; the one at entry 2 does not (another failure on the same call).
    const rules = [at("cause", [{ entry: 1 }, { entry: 2, explains: [] }], { explains: ["symptom"] }), at("symptom", [{ entry: 1 }, { entry: 2 }])];
    expect(shape(await lintSpec(capture, rules))).toEqual(["cause@1 > symptom@1", "cause@2", "symptom@2"]);
  });

  it("keeps a cause with its own symptom under a cause on another entry that explains both", async () => {
    // a explains b and c; b explains c on entry 1; a at entry 2 relates to entry 1 (the cookieToken under the misused sessionToken).
    const rules = [at("a", [{ entry: 2, related: [1] }], { explains: ["b", "c"] }), at("b", [{ entry: 1 }], { explains: ["c"] }), at("c", [{ entry: 1 }])];
    expect(shape(await lintSpec(capture, rules))).toEqual(["a@2 > b@1, c@1"]);
  });

  it("drops a fallback finding at an entry another finding names as related (a repeat the rule grouped itself)", async () => {
    const fs = await lintSpec(capture, [at("rule", [{ entry: 1, related: [2] }]), at("fallback", [{ entry: 2 }, { entry: 3 }], { fallback: true })]);
    expect(shape(fs)).toEqual(["rule@1", "fallback@3"]);
  });

  it("drops a fallback rule's finding where another rule found something, cause or symptom", async () => {
    const fs = await lintSpec(capture, [at("cause", [{ entry: 1 }], { explains: ["symptom"] }), at("symptom", [{ entry: 1 }, { entry: 2 }]), at("fallback", [{ entry: 1 }, { entry: 2 }, { entry: 3 }], { fallback: true })]);
    expect(shape(fs)).toEqual(["cause@1 > symptom@1", "symptom@2", "fallback@3"]);
  });

  it("refuses a rule set whose rules explain each other in a cycle", () => {
    expect(() => explainsClosure([at("a", [], { explains: ["b"] }), at("b", [], { explains: ["a"] })])).toThrow(/cycle: a > b > a/);
  });
});

describe("the rule registry's causality", () => {
  it("names only rules that exist, never itself, and has no cycle", () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const r of RULES) {
      for (const id of r.explains ?? []) {
        expect(ids.has(id), `${r.id} explains unknown rule ${id}`).toBe(true);
        expect(id, `${r.id} explains itself`).not.toBe(r.id);
      }
    }
    expect(() => explainsClosure(RULES)).not.toThrow();
  });

  it("never lets a fallback rule explain another (a fallback is what no other rule explains)", () => {
    for (const r of RULES) if (r.fallback) expect(r.explains ?? [], r.id).toEqual([]);
  });

  it("oktalint explain says which rules a rule explains and which explain it", () => {
    const r = spawnSync(process.execPath, [CLI, "explain", "authorization-scheme", "--format", "json"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ explains: ["api-token-rejected", "id-token-as-access-token", "api-token-on-cookie-endpoint", "ssws-in-browser", "untrusted-origin"], explainedBy: ["custom-as-token-on-management-api", "session-token-misuse"] });
    const text = spawnSync(process.execPath, [CLI, "explain", "api-token-rejected", "--no-color"], { encoding: "utf8" }).stdout.replace(/\s+/g, " ");
    expect(text).toContain("Shown as a symptom beneath a finding of authorization-scheme, session-token-misuse, wrong-base-url on the same or a related entry.");
  });
});
