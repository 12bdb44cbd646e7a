/**
 * Which findings fire together and stay apart: lint a capture with every rule,
 * once ungrouped and once grouped, and list each pair of findings of two rules
 * on the same or related entries that did not end up in one problem. Used by
 * test/causality.test.ts (the documented list) and test/pairs.enumerate.test.ts
 * (the enumeration over samples, rule tables and the corpus).
 */
import type { Capture } from "../src/engine/capture.js";
import { groupFindings, runRules } from "../src/engine/run.js";
import type { Finding, Rule } from "../src/engine/types.js";

export interface CoFiring {
  /** `rule-a + rule-b`, ids sorted. */
  pair: string;
  entries: [number, number];
  messages: [string, string];
}

const key = (f: Finding) => `${f.ruleId}\0${f.entry}\0${f.fingerprint}\0${f.message}`;

function related(a: Finding, b: Finding): boolean {
  if (a.entry === null || b.entry === null) return false;
  return a.entry === b.entry || a.related.includes(b.entry) || b.related.includes(a.entry);
}

/**
 * Pairs of findings on the same or related entries: `grouped` ended in one problem, `apart` are two
 * problems (both findings stand as causes; a finding shown as a symptom elsewhere is explained there).
 */
export function coFiring(capture: Capture, rules: readonly Rule[]): { grouped: CoFiring[]; apart: CoFiring[] } {
  const { findings: single } = runRules(capture, { rules, group: false });
  const problems = groupFindings(single, rules);
  const problemOf = new Map<string, number>();
  const roots = new Set<string>();
  problems.forEach((p, i) => {
    problemOf.set(key(p), i);
    roots.add(key(p));
    for (const s of p.symptoms) problemOf.set(`${s.ruleId}\0${s.entry}\0${s.fingerprint}\0${s.message}`, i);
  });
  const grouped: CoFiring[] = [];
  const apart: CoFiring[] = [];
  for (let i = 0; i < single.length; i++) {
    for (let j = i + 1; j < single.length; j++) {
      const [a, b] = [single[i]!, single[j]!].sort((x, y) => x.ruleId.localeCompare(y.ruleId)) as [Finding, Finding];
      if (a.ruleId === b.ruleId || !related(a, b)) continue;
      const c: CoFiring = { pair: `${a.ruleId} + ${b.ruleId}`, entries: [a.entry!, b.entry!], messages: [a.message, b.message] };
      const pa = problemOf.get(key(a));
      if (pa !== undefined && pa === problemOf.get(key(b))) grouped.push(c);
      else if (roots.has(key(a)) && roots.has(key(b))) apart.push(c);
    }
  }
  return { grouped, apart };
}
