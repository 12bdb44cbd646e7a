/**
 * ESLint RuleTester, for captures: each rule gets a table of valid captures
 * (the rule must stay silent) and invalid ones (it must report exactly the
 * listed findings, at the listed entries). Captures are built in memory with
 * the same builder that writes samples/.
 */
import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { readCaptureStream } from "../src/index.js";
import { runRules } from "../src/engine/run.js";
import type { Finding, Rule, Severity } from "../src/engine/types.js";
import { buildHar, type CaptureSpec } from "../scripts/samples/builder.js";

export interface ExpectedFinding {
  entry: number | null;
  messageId?: string;
  severity?: Severity;
  /** Substrings the message must contain. */
  message?: string | RegExp;
}

export interface InvalidCase {
  name: string;
  capture: CaptureSpec;
  errors: ExpectedFinding[];
}

export interface ValidCase {
  name: string;
  capture: CaptureSpec;
}

/** Lint an in-memory capture spec with the given rules. */
export async function lintSpec(spec: CaptureSpec, rules: readonly Rule[]): Promise<Finding[]> {
  const text = JSON.stringify(buildHar(spec));
  const capture = await readCaptureStream(Readable.from([Buffer.from(text)]), "spec.har");
  const { findings, failures } = runRules(capture, { rules });
  if (failures.length > 0) throw new Error(`rule failed: ${failures.map((f) => `${f.ruleId}: ${f.message}`).join("; ")}`);
  return findings;
}

/** Every secret-looking value in a spec, to assert none reaches a finding unmasked. */
function secretsOf(spec: CaptureSpec): string[] {
  const out = new Set<string>();
  const text = JSON.stringify(buildHar(spec));
  for (const m of text.matchAll(/\b(00[A-Za-z0-9_-]{40}|eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/g)) out.add(m[1]!);
  return [...out];
}

/** Set by test/pairs.enumerate.test.ts: the rule tables' captures are collected instead of run. */
export const collectedCases: { rule: string; name: string; capture: CaptureSpec }[] | undefined = (globalThis as { __oktalintCollectCases?: { rule: string; name: string; capture: CaptureSpec }[] }).__oktalintCollectCases;

export function ruleTester(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  if (collectedCases) {
    for (const c of [...cases.invalid, ...cases.valid]) collectedCases.push({ rule: rule.id, name: c.name, capture: c.capture });
    return;
  }
  describe(`rule ${rule.id}`, () => {
    it("has complete metadata", () => {
      expect(rule.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(["error", "warning", "info"]).toContain(rule.severity);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.explanation.length).toBeGreaterThan(40);
      expect(rule.fix.length).toBeGreaterThan(20);
      expect(rule.docs.length).toBeGreaterThan(0);
      for (const d of rule.docs) expect(d).toMatch(/^https:\/\//);
      expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const findings = (await lintSpec(c.capture, [rule])).filter((f) => f.ruleId === rule.id);
        expect(findings.map((f) => `${f.entry}: ${f.message}`)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const findings = (await lintSpec(c.capture, [rule])).filter((f) => f.ruleId === rule.id);
        expect(findings.map((f) => f.entry), findings.map((f) => f.message).join("\n")).toEqual(c.errors.map((e) => e.entry));
        c.errors.forEach((e, i) => {
          const f = findings[i]!;
          if (e.messageId) expect(f.messageId).toBe(e.messageId);
          if (e.severity) expect(f.severity).toBe(e.severity);
          if (typeof e.message === "string") expect(f.message).toContain(e.message);
          else if (e.message) expect(f.message).toMatch(e.message);
        });
        const secrets = secretsOf(c.capture);
        const out = JSON.stringify(findings);
        for (const s of secrets) expect(out.includes(s), `secret ${s.slice(0, 6)}… leaked into a finding`).toBe(false);
      });
    }
  });
}
