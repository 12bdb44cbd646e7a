import kleur from "kleur";
import type { Capture, OktaCall } from "../engine/capture.js";
import { maskUrl } from "../okta/mask.js";
import type { Finding, Severity, Symptom } from "../engine/types.js";
import { FOREIGN_KIND, describeCredential, describeForeignCredential, describeProducer, pathOf } from "./describe.js";
import { countNotes } from "./json.js";
import { renderTable, type Column } from "./table.js";
import type { FileResult } from "./types.js";

export type { FileResult } from "./types.js";


const SEVERITY_STYLE: Record<Severity, (s: string) => string> = {
  error: (s) => kleur.red(s),
  warning: (s) => kleur.yellow(s),
  info: (s) => kleur.blue(s),
};
const SEVERITY_ICON: Record<Severity, string> = { error: "✖", warning: "⚠", info: "ℹ" };

/** Wrap text to `width` columns, indenting continuation lines. */
export function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && indent.length + line.length + 1 + word.length > width) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(indent + line);
  }
  return out.join("\n");
}

/** One row of the flow summary: an Okta call, or a call elsewhere that carried an Okta token. */
interface FlowRow {
  exchange: OktaCall["exchange"];
  path: string;
  kind: string;
  credential: string;
  status: string;
}

function callMark(row: FlowRow, worst: Severity | undefined): string {
  const s = row.exchange.response.status;
  if (s === 0 || s >= 400 || worst === "error") return kleur.red("✗");
  if (worst === "warning") return kleur.yellow("!");
  return kleur.green("✓");
}

/** Every row the flow summary shows, in capture order: Okta calls and the calls elsewhere that carried an Okta token. */
function flowRows(capture: Capture): FlowRow[] {
  const rows: FlowRow[] = capture.calls.map((c) => {
    const s = c.exchange.response.status;
    return { exchange: c.exchange, path: pathOf(c), kind: c.classification.kind, credential: describeCredential(c.credential), status: `${s === 0 ? "—" : s}${c.errorCode ? ` ${c.errorCode}` : ""}` };
  });
  const foreign = capture.foreign ?? [];
  if (foreign.length === 0) return rows;
  for (const fc of foreign) {
    const s = fc.exchange.response.status;
    const url = fc.exchange.request.url;
    rows.push({ exchange: fc.exchange, path: url ? `${url.host}${maskUrl(url.pathname)}` : maskUrl(fc.exchange.request.rawUrl).replace(/[?#].*$/, ""), kind: FOREIGN_KIND[fc.role], credential: describeForeignCredential(fc), status: s === 0 ? "—" : String(s) });
  }
  return rows.sort((a, b) => a.exchange.index - b.exchange.index);
}

/** The flow summary: one row per Okta call and per call elsewhere carrying an Okta token (the last `max` of them, when given). */
export function flowTable(capture: Capture, findings: readonly Finding[], max?: number): string {
  const worst = new Map<number, Severity>();
  // A symptom marks its own entry too (a problem's cause may sit at another one).
  for (const f of findings.flatMap((p): readonly (Finding | Symptom)[] => [p, ...p.symptoms])) {
    if (f.entry === null) continue;
    const prev = worst.get(f.entry);
    if (!prev || (prev !== "error" && (f.severity === "error" || (f.severity === "warning" && prev === "info")))) worst.set(f.entry, f.severity);
  }
  const columns: Column<FlowRow>[] = [
    { header: " ", cell: () => " ", color: (_t, r) => callMark(r, worst.get(r.exchange.index)) },
    { header: "entry", cell: (r) => String(r.exchange.index), align: "right" },
    { header: "method", cell: (r) => r.exchange.request.method },
    { header: "path", cell: (r) => r.path, max: 52 },
    { header: "kind", cell: (r) => r.kind, color: (t) => (t === FOREIGN_KIND["third-party"] ? kleur.magenta(t) : kleur.cyan(t)) },
    { header: "credential", cell: (r) => r.credential, max: 44 },
    { header: "status", cell: (r) => r.status, color: (t, r) => (r.exchange.response.status === 0 || r.exchange.response.status >= 400 ? kleur.red(t) : t) },
  ];
  const all = flowRows(capture);
  const rows = max !== undefined && all.length > max ? all.slice(-max) : all;
  const table = renderTable(rows, columns, "  ", kleur.dim);
  const hidden = all.length - rows.length;
  return hidden > 0 ? `${kleur.dim(`  … ${hidden} earlier ${(capture.foreign ?? []).length === 0 ? "Okta " : ""}${hidden === 1 ? "call" : "calls"} not shown`)}\n${table}` : table;
}

/**
 * What a symptom saw, in one sentence: its message up to the first full stop
 * (what follows is its own advice, which the cause's fix replaces).
 */
export function shortMessage(message: string): string {
  const m = /^(.+?[.!?])\s+(?=[A-Z`(“"])/s.exec(message);
  return m ? m[1]! : message;
}

/** The lines of a symptom under its cause: rule id, entry, what it saw. */
export function formatSymptom(s: Symptom, width: number, note = ""): string[] {
  const where = s.entry === null ? "capture" : `entry ${s.entry}${s.occurrences > 1 ? ` and ${s.occurrences - 1} more` : ""}`;
  const head = `    ${kleur.dim("↳ symptom")}  ${where}  ${kleur.dim(s.ruleId)}${s.confidence === "certain" ? "" : kleur.dim(` (${s.confidence})`)}${note ? kleur.dim(`  ${note}`) : ""}`;
  return [head, wrap(shortMessage(s.message), width, "      ")];
}

/**
 * One finding: where, what, evidence, and (the first time a rule is seen, as
 * recorded in `explained`) why, fix and docs. The live commands print findings
 * one by one with the same lines.
 */
export function formatFinding(f: Finding, width: number, explained: Map<string, number | null>, earlier?: ReadonlySet<Symptom>): string[] {
  const lines: string[] = [];
  const sev = SEVERITY_STYLE[f.severity];
  const where = f.entry === null ? "capture" : `entry ${f.entry}${f.occurrences > 1 ? ` and ${f.occurrences - 1} more` : ""}`;
  const conf = f.confidence === "certain" ? "" : kleur.dim(` (${f.confidence})`);
  lines.push(`  ${sev(`${SEVERITY_ICON[f.severity]} ${f.severity}`)}  ${kleur.bold(where)}  ${kleur.dim(f.ruleId)}${conf}`);
  if (f.request) lines.push(kleur.dim(wrap(`${f.request.method} ${f.request.url}`, width, "    ")));
  lines.push(wrap(f.message, width, "    "));
  for (const e of f.evidence) lines.push(kleur.dim(wrap(`› ${e}`, width, "      ").replace(/^ {6}/, "    ")));
  if (f.occurrences > 1) {
    const shown = f.related.slice(0, 12).join(", ");
    lines.push(kleur.dim(wrap(`› the same at ${f.occurrences - 1} more entr${f.occurrences === 2 ? "y" : "ies"}: ${shown}${f.related.length > 12 || f.occurrences - 1 > f.related.length ? ", …" : ""}`, width, "      ").replace(/^ {6}/, "    ")));
  }
  // What other rules saw of the same problem: evidence, not problems of their own.
  for (const s of f.symptoms) lines.push(...formatSymptom(s, width, earlier?.has(s) ? "printed above on its own: this explains it" : ""));
  if (explained.has(f.ruleId)) {
    const first = explained.get(f.ruleId);
    lines.push(kleur.dim(`    why and fix: see ${first === null ? "above" : `entry ${first} above`}`));
    return lines;
  }
  explained.set(f.ruleId, f.entry);
  lines.push(kleur.dim(wrap(`why: ${f.explanation}`, width, "    ")));
  lines.push(wrap(`fix: ${f.fix}`, width, "    ").replace("fix:", kleur.green("fix:")));
  for (const d of f.docs) lines.push(`    ${kleur.dim("docs:")} ${kleur.underline(d)}`);
  return lines;
}

/** Findings of one capture, root cause first, with why / fix / docs (once per rule). */
function formatFindings(findings: readonly Finding[], width: number): string[] {
  const lines: string[] = [];
  const explained = new Map<string, number | null>();
  for (const f of findings) lines.push("", ...formatFinding(f, width, explained));
  return lines;
}

/** Problems by severity (a problem's severity is the highest of its cause and symptoms; symptoms are not counted). */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** ` · Okta tokens sent to 2 calls elsewhere (your API 1, third party 1)` */
function beyond(capture: Capture): string {
  const foreign = capture.foreign ?? [];
  if (foreign.length === 0) return "";
  const app = foreign.filter((f) => f.role === "app").length;
  const parts = [app > 0 ? `${FOREIGN_KIND.app} ${app}` : "", foreign.length - app > 0 ? `${FOREIGN_KIND["third-party"]} ${foreign.length - app}` : ""].filter(Boolean);
  return ` · Okta tokens on ${plural(foreign.length, "other call")} (${parts.join(", ")})`;
}

/** One capture: header, flow summary, findings. */
export function formatFile(result: FileResult, width: number): string {
  const lines: string[] = [kleur.bold().underline(result.path)];
  const capture = result.capture;
  if (!capture) {
    lines.push(kleur.red(`  ${result.error ?? "unreadable"}`));
    return lines.join("\n");
  }
  const hosts = capture.oktaHosts.length > 0 ? ` · Okta: ${capture.oktaHosts.join(", ")}` : "";
  lines.push(kleur.dim(`${describeProducer(capture)} · ${capture.stats.entries} ${capture.stats.entries === 1 ? "entry" : "entries"} · ${plural(capture.calls.length, "Okta call")}${beyond(capture)}${hosts}`));
  if (capture.calls.length > 0 || (capture.foreign ?? []).length > 0) lines.push("", flowTable(capture, result.findings));
  else lines.push(kleur.dim("  no Okta calls in this capture"));
  lines.push(...formatFindings(result.findings, width));
  const deviations = countNotes(capture, "error");
  if (deviations > 0) lines.push("", kleur.dim(`  ${plural(deviations, "HAR 1.2 deviation")} noted: oktalint validate ${result.path}`));
  if (result.error) lines.push("", kleur.red(`  ${result.error}`));
  return lines.join("\n");
}

/** The closing summary line over all files. */
export function formatSummary(results: readonly FileResult[]): string {
  const all = results.flatMap((r) => r.findings);
  const c = countBySeverity(all);
  const calls = results.reduce((n, r) => n + (r.capture?.calls.length ?? 0), 0);
  const files = results.length > 1 ? `${plural(results.length, "capture")}, ` : "";
  const symptoms = all.reduce((n, f) => n + f.symptoms.length, 0);
  let text = `${files}${plural(calls, "Okta call")}: ${plural(all.length, "problem")} (${plural(c.error, "error")}, ${plural(c.warning, "warning")}, ${c.info} info)`;
  const causes = all.filter((f) => f.symptoms.length > 0).length;
  if (symptoms > 0) text += ` · ${plural(symptoms, "symptom")} shown under ${causes === 1 ? "its cause" : "their causes"}`;
  const unreadable = results.filter((r) => r.error !== undefined).length;
  if (unreadable > 0) text += ` · ${unreadable} ${unreadable === 1 ? "input" : "inputs"} not read to the end`;
  const timed = results.filter((r) => r.ms !== undefined);
  if (timed.length > 1) {
    const slowest = timed.reduce((a, b) => (b.ms! > a.ms! ? b : a));
    text += ` · slowest: ${slowest.path} (${slowest.ms! >= 1000 ? `${(slowest.ms! / 1000).toFixed(1)} s` : `${Math.round(slowest.ms!)} ms`})`;
  }
  if (c.error > 0 || unreadable > 0) return kleur.red().bold(`✖ ${text}`);
  if (c.warning > 0) return kleur.yellow().bold(`⚠ ${text}`);
  return kleur.green().bold(`✓ ${text}`);
}

/** The whole stylish report. */
export function formatStylish(results: readonly FileResult[], width = 100): string {
  return [...results.map((r) => formatFile(r, width)), "", formatSummary(results)].join("\n\n").replace(/\n{3,}/g, "\n\n");
}
