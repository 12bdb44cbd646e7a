/**
 * The bundled samples say in each entry's `comment` which problems they
 * expect there, and capture-level ones in the log's comment:
 *
 *     expect: none
 *     expect: rule-a, rule-b (why)              two problems, each standing alone
 *     expect: rule-a > rule-b (why)             one problem: rule-a's finding, with
 *                                               rule-b's finding on the same entry
 *                                               attached as its symptom
 *     expect: rule-a > rule-b > rule-c@1        rule-a with two symptoms, rule-c's
 *                                               at entry 1 (`@N`: a symptom on
 *                                               another entry than its cause)
 *
 * A problem is listed at its cause's entry only. Every sample is linted with
 * every rule and the problems must be exactly those. The samples must also be
 * what scripts/gen-samples.ts writes.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lintFile, RULES } from "../src/index.js";
import { buildHar } from "../scripts/samples/builder.js";
import { SAMPLES, ruleSamples } from "../scripts/gen-samples.js";

const DIR = fileURLToPath(new URL("../samples/", import.meta.url));
const files = [
  ...readdirSync(DIR).filter((f) => f.endsWith(".har")),
  ...readdirSync(join(DIR, "rules")).filter((f) => f.endsWith(".har")).map((f) => `rules/${f}`),
];

/** `expect: a > b, c (why)` → ["a > b", "c"]; `expect: none` → []. Symptoms in entry order, then by id. */
function expected(comment: string | undefined, entry: number | null): string[] | undefined {
  const m = /expect:\s*([^(]*)/.exec(comment ?? "");
  if (!m) return undefined;
  const list = m[1]!.split(",").map((s) => s.trim()).filter(Boolean);
  if (list.length === 1 && list[0] === "none") return [];
  return list
    .map((item) => {
      const [cause, ...symptoms] = item.split(">").map((s) => s.trim());
      const parsed = symptoms.map((s) => {
        const [id, at] = s.split("@");
        return { ruleId: id!, entry: at === undefined ? entry : Number(at) };
      });
      return problemText(cause!, entry, parsed);
    })
    .sort();
}

/** One problem as the comments write it. */
function problemText(cause: string, entry: number | null, symptoms: readonly { ruleId: string; entry: number | null }[]): string {
  const sorted = [...symptoms].sort((a, b) => (a.entry ?? -1) - (b.entry ?? -1) || a.ruleId.localeCompare(b.ruleId));
  return [cause, ...sorted.map((s) => (s.entry === entry ? s.ruleId : `${s.ruleId}@${s.entry}`))].join(" > ");
}

describe("samples", () => {
  it("are exactly what scripts/gen-samples.ts writes", async () => {
    const specs = { ...SAMPLES, ...Object.fromEntries(Object.entries(await ruleSamples()).map(([k, v]) => [`rules/${k}`, v])) };
    expect(Object.keys(specs).sort()).toEqual([...files].sort());
    for (const [name, spec] of Object.entries(specs)) {
      expect(readFileSync(join(DIR, name), "utf8"), `${name} is stale: npm run gen:samples`).toBe(JSON.stringify(buildHar(spec), null, 2) + "\n");
    }
  });

  it("every rule has a firing and a non-firing sample", () => {
    for (const rule of RULES) {
      expect(files, rule.id).toContain(`rules/${rule.id}.fires.har`);
      expect(files, rule.id).toContain(`rules/${rule.id}.passes.har`);
    }
  });

  it.each(files)("%s: findings are exactly the ones its comments expect", async (file) => {
    const raw = JSON.parse(readFileSync(join(DIR, file), "utf8")) as { log: { comment?: string; entries: { comment?: string }[] } };
    const { findings, failures } = await lintFile(join(DIR, file));
    expect(failures).toEqual([]);
    const found = new Map<number | null, Set<string>>();
    for (const f of findings) {
      let set = found.get(f.entry);
      if (!set) found.set(f.entry, (set = new Set()));
      set.add(problemText(f.ruleId, f.entry, f.symptoms));
    }
    const got = (entry: number | null) => [...(found.get(entry) ?? [])].sort();
    raw.log.entries.forEach((e, i) => {
      const want = expected(e.comment, i);
      expect(want, `entry ${i} has no 'expect:' comment`).toBeDefined();
      expect(got(i), `entry ${i}: ${findings.filter((f) => f.entry === i).map((f) => f.message).join(" | ")}`).toEqual(want);
    });
    expect(got(null), "capture-level findings").toEqual(expected(raw.log.comment, null) ?? []);
    const base = file.replace(/^rules\//, "");
    const m = /^(.+)\.(fires|passes)\.har$/.exec(base);
    if (m) {
      const ids = findings.flatMap((f) => [f.ruleId, ...f.symptoms.map((s) => s.ruleId)]);
      if (m[2] === "fires") expect(ids, `${m[1]} must fire`).toContain(m[1]);
      else expect(ids, `${m[1]} must not fire`).not.toContain(m[1]);
    }
  });

  it("motivating-401: the first finding is at the 401 entry and names the token, the endpoint kind and the fix", async () => {
    const { findings } = await lintFile(join(DIR, "motivating-401.har"));
    const first = findings[0]!;
    expect(first.entry).toBe(2);
    expect(first.severity).toBe("error");
    expect(first.ruleId).toBe("session-token-misuse");
    expect(first.message).toMatch(/cookieToken 1028…iml \(42 chars\)/);
    expect(first.message).toContain("management endpoint");
    expect(first.message).toMatch(/redeem the sessionToken in a browser navigation/);
    expect(first.message).toMatch(/use an API token or an OAuth service app from your server/);
  });
});
