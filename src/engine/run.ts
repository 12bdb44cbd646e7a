import { createHash } from "node:crypto";
import type { Capture, OktaCall } from "./capture.js";
import type { Finding, Report, Rule, RuleContext, Severity } from "./types.js";
import { maskUrl } from "../okta/mask.js";

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Per-rule severity overrides: `off` turns a rule off. */
export type RuleSettings = Readonly<Record<string, Severity | "off">>;

export interface RunOptions {
  rules: readonly Rule[];
  settings?: RuleSettings;
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

/**
 * Run the rules over a capture. A user's override sets a rule's severity (or
 * turns it off); a rule's milder per-report severity is kept unless the user
 * overrode the rule. Rules that throw are reported in `failures`.
 */
export function runRules(capture: Capture, options: RunOptions): RunResult {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  const active = options.rules.filter((r) => options.settings?.[r.id] !== "off");
  const fallbacks = new Set(active.filter((r) => r.fallback).map((r) => r.id));
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
  // Fallback findings only stand where no other rule explains the entry.
  const explained = new Set(findings.filter((f) => !fallbacks.has(f.ruleId) && f.entry !== null).map((f) => f.entry));
  const kept = fallbacks.size === 0 ? findings : findings.filter((f) => !fallbacks.has(f.ruleId) || !explained.has(f.entry));
  kept.sort(compareFindings);
  return { findings: kept, failures };
}

/** Does this set of findings fail the run? `failOn` is the lowest severity that fails; `maxWarnings` caps warnings. */
export function failsThreshold(findings: readonly Finding[], failOn: Severity | "never", maxWarnings?: number): boolean {
  if (maxWarnings !== undefined && findings.filter((f) => f.severity === "warning").length > maxWarnings) return true;
  if (failOn === "never") return false;
  const limit = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] <= limit);
}
