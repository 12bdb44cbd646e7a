import { createHash } from "node:crypto";
import type { Capture, OktaCall } from "./capture.js";
import type { Finding, Report, Rule, RuleContext, Severity, Symptom } from "./types.js";
import { maskUrl } from "../okta/mask.js";

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Per-rule severity overrides: `off` turns a rule off. */
export type RuleSettings = Readonly<Record<string, Severity | "off">>;

export interface RunOptions {
  rules: readonly Rule[];
  settings?: RuleSettings;
  /**
   * `false`: every rule's findings stand alone (fallbacks still dropped where
   * another rule found something); a live session groups them itself, with
   * `groupFindings`, once it knows which ones it has printed.
   */
  group?: boolean;
}

/** A rule that threw: the run goes on without it and the CLI says so in one line. */
export interface RuleFailure {
  ruleId: string;
  message: string;
}

export interface RunResult {
  findings: Finding[];
  failures: RuleFailure[];
}

/** Replace `{{name}}` placeholders with the report's data. */
export function fillTemplate(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => (key in data ? String(data[key]) : `{{${key}}}`));
}

const ID_SEGMENT = /^(?=.*\d)[A-Za-z0-9_-]{8,}$/;

/** Host + path template (or the path with id-like segments folded) — what stays the same when a problem is recorded again. */
export function normalizedTarget(call: OktaCall | undefined, rawUrl: string): string {
  if (call?.classification.pathTemplate) return `${call.host.host}${call.classification.pathTemplate}`;
  try {
    const u = new URL(rawUrl);
    return u.host + u.pathname.split("/").map((s) => (ID_SEGMENT.test(s) ? "{id}" : s)).join("/");
  } catch {
    return rawUrl.split("?")[0] ?? rawUrl;
  }
}

export function fingerprintOf(ruleId: string, method: string, target: string, messageId: string): string {
  return createHash("sha256").update(`${ruleId}\0${method}\0${target}\0${messageId}`).digest("hex").slice(0, 32);
}

function toFinding(rule: Rule, severity: Severity, report: Report, capture: Capture): Finding {
  const call = report.call;
  const entryIndex = call ? call.exchange.index : (report.entry ?? null);
  const exchange = call?.exchange;
  const template = rule.messages[report.messageId];
  if (template === undefined) throw new Error(`rule ${rule.id} reported unknown messageId '${report.messageId}'`);
  const finding: Finding = {
    ruleId: rule.id,
    severity: report.severity ?? severity,
    confidence: report.confidence ?? "certain",
    message: fillTemplate(template, report.data),
    messageId: report.messageId,
    entry: entryIndex,
    evidence: [...(report.evidence ?? [])],
    related: [...(report.related ?? [])],
    title: rule.title,
    explanation: rule.explanation,
    fix: rule.fix,
    docs: [...rule.docs],
    fingerprint: "",
    occurrences: 1,
    symptoms: [],
  };
  if (exchange) {
    finding.request = { method: exchange.request.method, url: maskUrl(exchange.request.rawUrl) };
    const base = exchange.source?.jsonPath ?? `log.entries[${exchange.index}]`;
    finding.jsonPath = report.path ? `${base}.${report.path}` : base;
    if (exchange.source) {
      finding.line = exchange.source.line;
      finding.column = exchange.source.column;
    }
  } else if (entryIndex !== null) {
    finding.jsonPath = `log.entries[${entryIndex}]${report.path ? `.${report.path}` : ""}`;
  }
  const method = exchange?.request.method ?? "";
  finding.fingerprint = fingerprintOf(rule.id, method, exchange ? normalizedTarget(call, exchange.request.rawUrl) : capture.meta.path, report.messageId);
  return finding;
}

/** Related entries kept on a folded finding (the count says how many there were). */
const MAX_RELATED = 50;

/**
 * The same problem at the same endpoint, reported again and again (a loop
 * sending a browser-side API token 700 times), is one finding: the first
 * occurrence, with the others as related entries and a count.
 */
/** The rules a finding explains, where its report narrowed its rule's `explains` (`Report.explains`). */
const narrowed = new WeakMap<Finding, ReadonlySet<string>>();

/** Does this finding explain findings of that rule (its rule declares it, and its report did not leave it out)? */
function explainsRule(cause: Finding, ruleId: string): boolean {
  return narrowed.get(cause)?.has(ruleId) ?? true;
}

/** Every entry a folded finding stands for (its repeats, uncapped): a fallback finding there is explained too. */
const repeatEntries = new WeakMap<Finding, Set<number>>();

export function foldRepeats(findings: readonly Finding[]): Finding[] {
  const first = new Map<string, Finding>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.fingerprint}\0${f.severity}`;
    const kept = first.get(key);
    if (!kept) {
      first.set(key, f);
      out.push(f);
      continue;
    }
    kept.occurrences++;
    if (f.entry !== null) {
      let set = repeatEntries.get(kept);
      if (!set) repeatEntries.set(kept, (set = new Set()));
      set.add(f.entry);
    }
    if (f.entry !== null && kept.related.length < MAX_RELATED && f.entry !== kept.entry && !kept.related.includes(f.entry)) kept.related.push(f.entry);
  }
  for (const f of out) if (f.occurrences > 1) f.related.sort((a, b) => a - b);
  return out;
}

/** Root cause first: severity, then the entry where the problem starts, then rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (a.entry ?? -1) - (b.entry ?? -1) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.message.localeCompare(b.message)
  );
}

/** The rules a run uses: the user's settings may turn some off. */
export function activeRules(rules: readonly Rule[], settings?: RuleSettings): Rule[] {
  return rules.filter((r) => settings?.[r.id] !== "off");
}

/**
 * Run the rules over a capture. A user's override sets a rule's severity (or
 * turns it off); a rule's milder per-report severity is kept unless the user
 * overrode the rule. Rules that throw are reported in `failures`. The findings
 * are problems: a finding another rule's finding explains is attached to it
 * as a symptom (see `groupFindings`).
 */
export function runRules(capture: Capture, options: RunOptions): RunResult {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  const active = activeRules(options.rules, options.settings);
  for (const rule of active) {
    const setting = options.settings?.[rule.id] as Severity | undefined; // "off" was filtered out above
    const overridden = setting !== undefined;
    const severity: Severity = setting ?? rule.severity;
    const collected: Finding[] = [];
    const ctx: RuleContext = {
      capture,
      calls: capture.calls,
      rules: active,
      report(report) {
        const f = toFinding(rule, severity, overridden ? { ...report, severity } : report, capture);
        if (report.explains) narrowed.set(f, new Set(report.explains));
        collected.push(f);
      },
    };
    try {
      rule.check(ctx);
      findings.push(...(rule.foldRepeats === false ? collected : foldRepeats(collected)));
    } catch (e) {
      failures.push({ ruleId: rule.id, message: e instanceof Error ? e.message : String(e) });
    }
  }
  if (options.group === false) return { findings: dropExplainedFallbacks(findings, active).sort(compareFindings), failures };
  return { findings: groupFindings(findings, active), failures };
}

/**
 * Fallback findings (`Rule.fallback`) only stand where no other rule found
 * something at the entry, or at an entry folded into another rule's finding as
 * a repeat of the same problem (an SDK's retry of a refused token request).
 */
export function dropExplainedFallbacks(findings: readonly Finding[], rules: readonly Rule[]): Finding[] {
  const fallbacks = new Set(rules.filter((r) => r.fallback).map((r) => r.id));
  if (fallbacks.size === 0) return [...findings];
  const explained = new Set<number | null>();
  for (const f of findings) {
    if (fallbacks.has(f.ruleId) || f.entry === null) continue;
    explained.add(f.entry);
    for (const e of repeatEntries.get(f) ?? []) explained.add(e);
    // The entries it names: repeats a rule groups itself (the same token on 30 calls), the other end of its flow.
    for (const e of f.related) explained.add(e);
  }
  return findings.filter((f) => !fallbacks.has(f.ruleId) || !explained.has(f.entry));
}

/**
 * For each rule, every rule whose findings it explains, directly or through a
 * chain (A explains B explains C: A explains C). Ids of rules not in `rules`
 * are left out: a chain through a rule that is off is broken there. Throws on
 * a cycle, which no rule set may have.
 */
export function explainsClosure(rules: readonly Rule[]): Map<string, Set<string>> {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const closure = new Map<string, Set<string>>();
  const visiting: string[] = [];
  const visit = (id: string): Set<string> => {
    const done = closure.get(id);
    if (done) return done;
    if (visiting.includes(id)) throw new Error(`rules explain each other in a cycle: ${[...visiting.slice(visiting.indexOf(id)), id].join(" > ")}`);
    visiting.push(id);
    const out = new Set<string>();
    for (const next of byId.get(id)?.explains ?? []) {
      if (!byId.has(next)) continue;
      out.add(next);
      for (const further of visit(next)) out.add(further);
    }
    visiting.pop();
    closure.set(id, out);
    return out;
  };
  for (const r of rules) visit(r.id);
  return closure;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** How far apart a cause and a symptom are (0: the same entry), or undefined when they are not related. */
function distance(cause: Finding, symptom: Finding): number | undefined {
  if (cause.entry === null || symptom.entry === null) return undefined;
  if (cause.entry === symptom.entry) return 0;
  if (cause.related.includes(symptom.entry) || symptom.related.includes(cause.entry)) return Math.abs(cause.entry - symptom.entry);
  return undefined;
}

/** A finding as the symptom of another (what it saw; its fix is the cause's). */
export function toSymptom(f: Finding): Symptom {
  const s: Symptom = {
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    message: f.message,
    messageId: f.messageId,
    entry: f.entry,
    evidence: f.evidence,
    related: f.related,
    title: f.title,
    fingerprint: f.fingerprint,
    occurrences: f.occurrences,
  };
  if (f.jsonPath !== undefined) s.jsonPath = f.jsonPath;
  if (f.line !== undefined) s.line = f.line;
  if (f.column !== undefined) s.column = f.column;
  if (f.request) s.request = f.request;
  return s;
}

/**
 * One problem, one finding. Each finding of rule B is attached to a finding of
 * a rule that explains B (`Rule.explains`) on the same entry,
 * else on the nearest related one (either names the other's entry in
 * `related`). A symptom has one cause; chains (A explains B explains C, with
 * findings of all three) end flat under the root cause,
 * in entry order. A finding that is the cause of a symptom on its own entry
 * is not pulled under a cause on another entry. The problem keeps the cause's message, fix, docs and
 * fingerprint and takes the highest severity among them, so grouping never
 * lowers what fails a run. Fallback findings are dropped where another rule
 * found something. `findings` are single findings (no symptoms yet), of the
 * rules in `rules` (the run's active ones); they are not modified.
 */
export function groupFindings(findings: readonly Finding[], rules: readonly Rule[]): Finding[] {
  return groupCauses(findings, rules).map(toProblem).sort(compareFindings);
}

/** A cause and the single findings it explains (its symptoms, in entry order). */
export interface CauseGroup {
  cause: Finding;
  symptoms: Finding[];
}

/** The problem a group makes: the cause's finding, the highest severity of all, the symptoms attached. */
export function toProblem(group: CauseGroup): Finding {
  let severity = group.cause.severity;
  for (const s of group.symptoms) if (SEVERITY_RANK[s.severity] < SEVERITY_RANK[severity]) severity = s.severity;
  return { ...group.cause, severity, symptoms: group.symptoms.map(toSymptom) };
}

/**
 * `groupFindings` before the problems are made: which single finding (the
 * same objects as given) explains which. Fallback findings dropped where
 * another rule found something are in no group.
 */
export function groupCauses(findings: readonly Finding[], rules: readonly Rule[]): CauseGroup[] {
  const units = dropExplainedFallbacks(findings, rules);
  explainsClosure(rules); // refuses a cycle
  // Direct causes only: A explains C through a finding of B in between (A explains B explains C), not by itself.
  const active = new Set(rules.map((r) => r.id));
  const causesOf = new Map<string, string[]>();
  for (const r of rules) for (const id of r.explains ?? []) if (active.has(id) && id !== r.id) push(causesOf, id, r.id);
  if (causesOf.size === 0) return units.map((cause) => ({ cause, symptoms: [] }));
  // The findings of each rule by the entries they touch (their own and their related ones): big
  // captures have thousands of findings, and a symptom only looks at the causes on its entries.
  const touching = new Map<string, Map<number, Finding[]>>();
  for (const f of units) {
    if (f.entry === null) continue;
    let byEntry = touching.get(f.ruleId);
    if (!byEntry) touching.set(f.ruleId, (byEntry = new Map()));
    for (const e of new Set([f.entry, ...f.related])) push(byEntry, e, f);
  }
  // Each finding's parent: the nearest finding of a rule that explains it.
  const parent = new Map<Finding, Finding>();
  const near = new Map<Finding, number>();
  for (const f of units) {
    if (f.entry === null) continue;
    let best: { cause: Finding; d: number } | undefined;
    for (const causeRule of causesOf.get(f.ruleId) ?? []) {
      const byEntry = touching.get(causeRule);
      if (!byEntry) continue;
      for (const e of new Set([f.entry, ...f.related])) {
        for (const c of byEntry.get(e) ?? []) {
          if (!explainsRule(c, f.ruleId)) continue;
          const d = distance(c, f);
          if (d === undefined) continue;
          if (!best || d < best.d || (d === best.d && compareFindings(c, best.cause) < 0)) best = { cause: c, d };
        }
      }
    }
    if (best) {
      parent.set(f, best.cause);
      near.set(f, best.d);
    }
  }
  // A finding that is the cause of a symptom on its own entry is a problem of its own there: it is
  // not pulled under a cause on another entry (that cause does not explain this entry's symptom).
  // Unless that cause explains those symptoms too (a sessionToken misused at entry 2 explains the deprecated cookieToken
  // at entry 1 and the token never redeemed there): then all of them are its problem.
  const hereOf = new Map<Finding, Finding[]>();
  for (const [f, p] of parent) if (near.get(f) === 0 && f.entry === p.entry) push(hereOf, p, f);
  for (const [f, own] of hereOf) {
    const p = parent.get(f);
    if (!p || (near.get(f) ?? 0) === 0) continue;
    if (!own.every((s) => (causesOf.get(s.ruleId) ?? []).includes(p.ruleId) && explainsRule(p, s.ruleId))) parent.delete(f);
  }
  // The rule graph is acyclic, so following parents ends at a root cause.
  const rootOf = (f: Finding): Finding => {
    let r = f;
    for (let p = parent.get(r); p; p = parent.get(r)) r = p;
    return r;
  };
  const symptomsOf = new Map<Finding, Finding[]>();
  for (const f of units) if (parent.has(f)) push(symptomsOf, rootOf(f), f);
  const groups: CauseGroup[] = [];
  for (const f of units) {
    if (parent.has(f)) continue;
    groups.push({ cause: f, symptoms: (symptomsOf.get(f) ?? []).sort((a, b) => (a.entry ?? -1) - (b.entry ?? -1) || compareFindings(a, b)) });
  }
  return groups;
}

/**
 * Does this set of findings fail the run? `failOn` is the lowest severity that
 * fails; `maxWarnings` caps warnings. Problems are counted, not their symptoms
 * (a problem's severity is already the highest of its cause and symptoms).
 */
export function failsThreshold(findings: readonly Finding[], failOn: Severity | "never", maxWarnings?: number): boolean {
  if (maxWarnings !== undefined && findings.filter((f) => f.severity === "warning").length > maxWarnings) return true;
  if (failOn === "never") return false;
  const limit = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] <= limit);
}
