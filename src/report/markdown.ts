/**
 * Markdown output, ready to paste into a ticket (GitHub-flavoured Markdown:
 * GitHub, GitLab, Jira Cloud's Markdown paste, most help desks): per capture a
 * summary line, the flow of Okta calls as a table, and each finding with its
 * evidence, why it matters, the fix and Okta's docs. Secrets are masked:
 * findings arrive masked, credentials go through describeCredential and URLs
 * through maskUrl. Everything taken from a capture is escaped so that it shows
 * as written and cannot inject markup (HTML, links, table cells).
 *
 * One finding is one problem: the findings of other rules that it explains (its
 * symptoms) are a nested list "Also seen as" under it, and the totals count
 * problems, not symptoms.
 */
import type { Capture, OktaCall } from "../engine/capture.js";
import type { Finding, Severity, Symptom } from "../engine/types.js";
import { maskUrl } from "../okta/mask.js";
import { FOREIGN_KIND, describeCredential, describeForeignCredential, describeProducer } from "./describe.js";
import { countNotes } from "./json.js";
import type { FileResult, ReportContext } from "./types.js";

const SEVERITY_EMOJI: Record<Severity, string> = { error: "🔴", warning: "🟠", info: "🔵" };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Control characters other than tab and newline, shown visibly (`\x01`) instead of dropped silently. */
function visibleControls(s: string): string {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => (c === "\r" ? "" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));
}

/**
 * Escape plain text so Markdown shows it literally: backslash, backtick,
 * emphasis, link, HTML and table characters, and heading/list markers at a line's start.
 * Intraword underscores are left alone (they never make emphasis in GFM).
 */
export function mdEscape(text: string): string {
  return visibleControls(text)
    .replace(/[\\`*~[\]<>&|]/g, (c) => `\\${c}`)
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\_")
    .replace(/^(\s*)(\d{1,9})([.)])(?=\s|$)/gm, "$1$2\\$3")
    .replace(/^(\s*)([#+=-])/gm, "$1\\$2");
}

/** A code span that holds any text: a fence longer than any backtick run inside, padded when the text touches a backtick. */
export function mdCode(text: string): string {
  const t = visibleControls(text).replace(/\n/g, " ");
  if (t === "") return "` `";
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = t.startsWith("`") || t.endsWith("`") || (t.startsWith(" ") && t.endsWith(" ") && t.trim() !== "") ? " " : "";
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * Prose written by a rule (messages, explanations, fixes): its `code` spans stay
 * code, everything else is escaped. A stray backtick from capture data is escaped too.
 */
export function mdProse(text: string): string {
  const out: string[] = [];
  const re = /`([^`\n]+)`/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(mdEscape(text.slice(last, m.index)), mdCode(m[1]!));
    last = m.index + m[0].length;
  }
  out.push(mdEscape(text.slice(last)));
  return out.join("");
}

/** A table cell: no line breaks, and `|` escaped everywhere (GFM splits cells on it even inside code spans). */
export function mdCell(markdown: string): string {
  return markdown
    .replace(/\r?\n/g, "<br>")
    .replace(/(\\*)\|/g, (_m, slashes: string) => (slashes.length % 2 === 1 ? `${slashes}|` : `${slashes}\\|`));
}

/** A URL as a link that cannot break out of its angle brackets. */
function mdLink(url: string): string {
  if (/^https?:\/\/[^\s<>]+$/.test(url)) return `<${url}>`;
  return mdCode(url);
}

/** A URL's path for display, secrets masked, without query or fragment. */
function displayPath(call: OktaCall): string {
  const url = call.exchange.request.url;
  const path = url ? url.pathname : (call.exchange.request.rawUrl.split(/[?#]/)[0] ?? "");
  return maskUrl(path);
}

/** The worst problem touching each entry: where it was found, and where its symptoms were seen (at the problem's severity). */
function worstByEntry(findings: readonly Finding[]): Map<number, Severity> {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  const worst = new Map<number, Severity>();
  const mark = (entry: number | null, sev: Severity) => {
    if (entry === null) return;
    const prev = worst.get(entry);
    if (!prev || rank[sev] < rank[prev]) worst.set(entry, sev);
  };
  for (const f of findings) {
    mark(f.entry, f.severity);
    for (const s of f.symptoms) mark(s.entry, f.severity);
  }
  return worst;
}

function mark(call: OktaCall, worst: Severity | undefined): string {
  const s = call.exchange.response.status;
  if (s === 0 || s >= 400 || worst === "error") return "✗";
  if (worst === "warning") return "⚠";
  return "✓";
}

function flowTable(capture: Capture, findings: readonly Finding[]): string[] {
  const worst = worstByEntry(findings);
  const rows = [
    "|   | Entry | Method | Path | Kind | Credential | Status |",
    "|:-:|------:|--------|------|------|------------|--------|",
  ];
  for (const call of capture.calls) {
    const ex = call.exchange;
    const status = `${ex.response.status === 0 ? "—" : ex.response.status}${call.errorCode ? ` ${call.errorCode}` : ""}`;
    const cells = [
      mark(call, worst.get(ex.index)),
      String(ex.index),
      mdEscape(ex.request.method),
      mdCode(displayPath(call)),
      mdEscape(call.classification.kind),
      mdEscape(describeCredential(call.credential)),
      mdEscape(status),
    ];
    rows.push(`| ${cells.map(mdCell).join(" | ")} |`);
  }
  const foreign = capture.foreign ?? [];
  if (foreign.length === 0) return rows;
  // Calls elsewhere that carried an Okta token, in entry order among the Okta calls.
  const at = new Map<number, string>();
  for (const fc of foreign) {
    const ex = fc.exchange;
    const url = ex.request.url;
    const s = ex.response.status;
    const mk = s === 0 || s >= 400 || worst.get(ex.index) === "error" ? "✗" : worst.get(ex.index) === "warning" ? "⚠" : "✓";
    const cells = [mk, String(ex.index), mdEscape(ex.request.method), mdCode(url ? `${url.host}${maskUrl(url.pathname)}` : maskUrl(ex.request.rawUrl).replace(/[?#].*$/, "")), mdEscape(FOREIGN_KIND[fc.role]), mdEscape(describeForeignCredential(fc)), mdEscape(s === 0 ? "—" : String(s))];
    at.set(ex.index, `| ${cells.map(mdCell).join(" | ")} |`);
  }
  const okta = rows.slice(2).map((r, i) => [capture.calls[i]!.exchange.index, r] as const);
  const merged = [...okta, ...at].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  return [...rows.slice(0, 2), ...merged];
}

function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

function countsText(c: Record<Severity, number>): string {
  return `${SEVERITY_EMOJI.error} ${plural(c.error, "error")} · ${SEVERITY_EMOJI.warning} ${plural(c.warning, "warning")} · ${SEVERITY_EMOJI.info} ${c.info} info`;
}

/** A symptom as a list item, its evidence nested beneath: `- 🟠 warning · entry 3 · \`rule\`: message`. */
function symptomItem(s: Symptom): string[] {
  const where = s.entry === null ? "capture" : `entry ${s.entry}`;
  const confidence = s.confidence === "certain" ? "" : ` (${s.confidence})`;
  return [`- ${SEVERITY_EMOJI[s.severity]} ${s.severity} · ${where} · ${mdCode(s.ruleId)}${confidence}: ${mdProse(s.message.replace(/\s*\n\s*/g, " "))}`, ...s.evidence.map((e) => `  - ${mdCode(e)}`)];
}

function findingBlock(f: Finding, explainedAt: ReadonlyMap<string, number | null>): string[] {
  const where = f.entry === null ? "capture" : `entry ${f.entry}`;
  const confidence = f.confidence === "certain" ? "" : ` (${f.confidence})`;
  const lines: string[] = [`**${SEVERITY_EMOJI[f.severity]} ${f.severity} · ${where} · ${mdCode(f.ruleId)}**${confidence}`, "", mdProse(f.message)];
  if (f.request) lines.push("", mdCode(`${f.request.method} ${f.request.url}`));
  if (f.evidence.length > 0) lines.push("", "Evidence:", "", ...f.evidence.map((e) => `- ${mdCode(e)}`));
  if (f.occurrences > 1) lines.push("", `The same problem occurs ${f.occurrences} times; the other entries: ${f.related.join(", ")}${f.related.length < f.occurrences - 1 ? ", …" : ""}`);
  else if (f.related.length > 0) lines.push("", `Related entries: ${f.related.join(", ")}`);
  if (f.symptoms.length > 0) lines.push("", "Also seen as:", "", ...f.symptoms.flatMap(symptomItem));
  const first = explainedAt.get(f.ruleId);
  if (first !== undefined) {
    lines.push("", `*Why it matters and how to fix it: see ${first === null ? "the capture finding" : `entry ${first}`} above.*`);
  } else {
    lines.push("", `**Why it matters:** ${mdProse(f.explanation)}`, "", `**Fix:** ${mdProse(f.fix)}`);
    if (f.docs.length > 0) lines.push("", `**Okta docs:** ${f.docs.map(mdLink).join(" · ")}`);
  }
  return lines;
}

/** One capture as a Markdown section. */
export function formatCaptureMarkdown(r: FileResult): string {
  const lines: string[] = [`### ${mdCode(r.path)}`, ""];
  const capture = r.capture;
  if (!capture) {
    lines.push(`✗ Could not read this capture: ${mdProse(r.error ?? "unreadable")}`);
    return lines.join("\n");
  }
  const hosts = capture.oktaHosts.length > 0 ? ` on ${capture.oktaHosts.map(mdEscape).join(", ")}` : "";
  const entries = `${capture.stats.entries} ${capture.stats.entries === 1 ? "entry" : "entries"}`;
  lines.push(`${mdEscape(describeProducer(capture))} · ${entries} · ${plural(capture.calls.length, "Okta call")}${hosts} · ${countsText(severityCounts(r.findings))}`);
  if (capture.calls.length > 0 || (capture.foreign ?? []).length > 0) lines.push("", ...flowTable(capture, r.findings));
  else lines.push("", "No Okta calls in this capture.");
  if (r.findings.length > 0) {
    lines.push("", "#### Findings");
    const explainedAt = new Map<string, number | null>();
    for (const f of r.findings) {
      lines.push("", ...findingBlock(f, explainedAt));
      if (!explainedAt.has(f.ruleId)) explainedAt.set(f.ruleId, f.entry);
    }
  }
  const deviations = countNotes(capture, "error");
  if (deviations > 0) lines.push("", `${plural(deviations, "HAR 1.2 deviation")} noted: run ${mdCode(`oktalint validate ${r.path}`)} for details.`);
  if (r.error) lines.push("", `⚠ The capture broke partway: ${mdProse(r.error)}`);
  return lines.join("\n");
}

/** `--format markdown`: the whole report. */
export function markdownReporter(results: readonly FileResult[], ctx: ReportContext): string {
  const all = results.flatMap((r) => r.findings);
  const calls = results.reduce((n, r) => n + (r.capture?.calls.length ?? 0), 0);
  const unreadable = results.filter((r) => !r.capture).length;
  const head = [
    `${plural(results.length, "capture")}`,
    `${plural(calls, "Okta call")}`,
    countsText(severityCounts(all)),
    ...(unreadable > 0 ? [`${unreadable} unreadable`] : []),
  ].join(" · ");
  const out = ["## oktalint report", "", `${head} — oktalint ${mdEscape(ctx.toolVersion)}`];
  for (const r of results) out.push("", formatCaptureMarkdown(r));
  return `${out.join("\n")}\n`;
}
