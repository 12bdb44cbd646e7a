/**
 * JUnit XML output for CI test reports: one testsuite per capture, one testcase
 * per Okta call, a failure for each finding at or above `--fail-on`.
 *
 * Counting: `tests` is the number of testcases (the Okta calls, plus a
 * `capture` testcase when there are findings about the capture as a whole or
 * about entries that are not Okta calls' own, plus a `read capture` testcase
 * when the input could not be read to the end); `failures` counts testcases
 * with at least one failure and `errors` testcases with an error, so
 * tests − failures − errors is the number that passed. Findings below the
 * threshold are listed in the testcase's `system-out` and do not fail it.
 *
 * One failure is one problem: the findings of other rules that a finding
 * explains (its symptoms) are listed in its failure text, beneath the cause,
 * and are neither failures nor testcases of their own, wherever they were seen.
 *
 * Times: a testcase's `time` is the recorded duration of the Okta call (what
 * the capture says the request took), a testsuite's `time` the wall time
 * oktalint spent reading and linting the capture.
 */
import type { OktaCall } from "../engine/capture.js";
import { SEVERITY_RANK } from "../engine/run.js";
import type { Finding, Severity, Symptom } from "../engine/types.js";
import { maskUrl } from "../okta/mask.js";
import { describeProducer } from "./describe.js";
import type { FileResult, ReportContext } from "./types.js";

/** Characters XML 1.0 does not allow at all (C0 controls other than tab, LF, CR; U+FFFE/U+FFFF; lone surrogates). */
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Show a character XML cannot carry as visible text: `\x01`, `\ud800`. */
function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Escape text content: markup characters as entities, forbidden characters as visible escapes. */
export function xmlText(s: string): string {
  return s.replace(FORBIDDEN, visible).replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** Escape an attribute value: also quotes, and tab/LF/CR as character references so parsers keep them. */
export function xmlAttr(s: string): string {
  return s.replace(FORBIDDEN, visible).replace(/[&<>"'\t\n\r]/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "'":
        return "&apos;";
      default:
        return `&#${c.charCodeAt(0)};`;
    }
  });
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join("");
}

const seconds = (ms: number) => (ms > 0 ? (ms / 1000).toFixed(3) : "0");

/** A URL's path for display, secrets masked, without query or fragment. */
function displayPath(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // A relative or malformed URL: keep it as written, up to its query.
  }
  return maskUrl(path.split(/[?#]/)[0] ?? path);
}

/** `#2 GET /api/v1/users/00u1… (management)` */
export function testcaseName(call: OktaCall): string {
  return `#${call.exchange.index} ${call.exchange.request.method} ${displayPath(call.exchange.request.rawUrl)} (${call.classification.kind})`;
}

/** `authorization-scheme (warning, entry 3): message`: a symptom in one line. */
function symptomLine(s: Symptom): string {
  const where = s.entry === null ? "the capture as a whole" : `entry ${s.entry}`;
  return `${s.ruleId} (${s.severity}, ${where}${s.confidence === "certain" ? "" : `, ${s.confidence}`}): ${s.message}`;
}

/** The failure text: what was seen, its symptoms, why it matters, what to do, where to read more. */
function failureBody(f: Finding): string {
  const lines: string[] = [f.message, ""];
  const where = f.entry === null ? "the capture as a whole" : `entry ${f.entry}`;
  lines.push(`${f.severity} · ${f.ruleId} · ${where}${f.confidence === "certain" ? "" : ` · ${f.confidence}`}`);
  if (f.request) lines.push(`${f.request.method} ${f.request.url}`);
  if (f.evidence.length > 0) lines.push("", "Evidence:", ...f.evidence.map((e) => `  ${e}`));
  if (f.related.length > 0) lines.push("", `Related entries: ${f.related.join(", ")}`);
  if (f.symptoms.length > 0) {
    lines.push("", "Also seen as (symptoms of this problem, not counted on their own):");
    for (const s of f.symptoms) lines.push(`  - ${symptomLine(s)}`, ...s.evidence.map((e) => `      ${e}`));
  }
  lines.push("", `Why: ${f.explanation}`, "", `Fix: ${f.fix}`);
  if (f.docs.length > 0) lines.push("", "Docs:", ...f.docs.map((d) => `  ${d}`));
  return lines.join("\n");
}

interface Case {
  /** Entry index, for ordering. */
  entry: number;
  classname: string;
  name: string;
  timeMs: number;
  failures: Finding[];
  /** Findings below the threshold: reported, not failing. */
  notes: Finding[];
  error?: string;
}

function renderCase(c: Case, indent: string): string {
  const head = `${indent}<testcase${attrs({ classname: c.classname, name: c.name, time: seconds(c.timeMs) })}`;
  const body: string[] = [];
  if (c.error !== undefined) body.push(`${indent}  <error${attrs({ message: c.error, type: "input-error" })}>${xmlText(c.error)}</error>`);
  for (const f of c.failures) body.push(`${indent}  <failure${attrs({ message: f.message, type: f.ruleId })}>${xmlText(failureBody(f))}</failure>`);
  if (c.notes.length > 0) {
    const text = c.notes.flatMap((f) => [`${f.severity} ${f.ruleId}: ${f.message}`, ...f.symptoms.map((x) => `  also seen as ${symptomLine(x)}`)]).join("\n");
    body.push(`${indent}  <system-out>${xmlText(text)}</system-out>`);
  }
  return body.length === 0 ? `${head}/>` : `${head}>\n${body.join("\n")}\n${indent}</testcase>`;
}

function fails(f: Finding, failOn: Severity | "never"): boolean {
  return failOn !== "never" && SEVERITY_RANK[f.severity] <= SEVERITY_RANK[failOn];
}

/** The testcases of one capture, in entry order. */
function casesOf(r: FileResult, failOn: Severity | "never"): Case[] {
  const cases: Case[] = [];
  const byEntry = new Map<number, Case>();
  for (const call of r.capture?.calls ?? []) {
    const c: Case = { entry: call.exchange.index, classname: r.path, name: testcaseName(call), timeMs: Math.max(0, call.exchange.time), failures: [], notes: [] };
    cases.push(c);
    byEntry.set(call.exchange.index, c);
  }
  let captureCase: Case | undefined;
  for (const f of r.findings) {
    let c = f.entry === null ? undefined : byEntry.get(f.entry);
    if (!c && f.entry !== null && f.request) {
      // A finding at an entry that is not an Okta call (a secret sent to the app's own server, say).
      c = { entry: f.entry, classname: r.path, name: `#${f.entry} ${f.request.method} ${displayPath(f.request.url)} (not Okta)`, timeMs: 0, failures: [], notes: [] };
      cases.push(c);
      byEntry.set(f.entry, c);
    }
    if (!c) c = captureCase ??= { entry: -1, classname: r.path, name: "capture", timeMs: 0, failures: [], notes: [] };
    (fails(f, failOn) ? c.failures : c.notes).push(f);
  }
  cases.sort((a, b) => a.entry - b.entry);
  if (captureCase) cases.push(captureCase);
  if (r.error !== undefined) cases.push({ entry: -1, classname: r.path, name: "read capture", timeMs: 0, failures: [], notes: [], error: r.error });
  return cases;
}

/** An ISO 8601 timestamp without zone, as the JUnit schema has it. */
function timestampOf(r: FileResult): string | undefined {
  const first = r.capture?.calls.find((c) => c.exchange.startedAt !== null)?.exchange.startedAt;
  if (first === undefined || first === null) return undefined;
  const d = new Date(first);
  // Dates outside what ISO 8601 can write (a producer's garbage) are left out rather than thrown on.
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 0 || d.getUTCFullYear() > 9999 ? undefined : d.toISOString().slice(0, 19);
}

function renderSuite(r: FileResult, failOn: Severity | "never"): { xml: string; tests: number; failures: number; errors: number; ms: number } {
  const cases = casesOf(r, failOn);
  const failures = cases.filter((c) => c.failures.length > 0).length;
  const errors = cases.filter((c) => c.error !== undefined).length;
  const ms = r.ms ?? 0;
  const lines: string[] = [];
  lines.push(`  <testsuite${attrs({ name: r.path, tests: cases.length, failures, errors, skipped: 0, time: seconds(ms), timestamp: timestampOf(r) })}>`);
  if (r.capture) {
    const cap = r.capture;
    const props: [string, string][] = [
      ["producer", describeProducer(cap)],
      ["entries", String(cap.stats.entries)],
      ["oktaCalls", String(cap.calls.length)],
      ["oktaHosts", cap.oktaHosts.join(" ")],
    ];
    lines.push("    <properties>");
    for (const [name, value] of props) lines.push(`      <property${attrs({ name, value })}/>`);
    lines.push("    </properties>");
  }
  for (const c of cases) lines.push(renderCase(c, "    "));
  lines.push("  </testsuite>");
  return { xml: lines.join("\n"), tests: cases.length, failures, errors, ms };
}

/** `--format junit`: a JUnit XML report. */
export function junitReporter(results: readonly FileResult[], ctx: ReportContext): string {
  const suites = results.map((r) => renderSuite(r, ctx.failOn));
  const total = suites.reduce((t, s) => ({ tests: t.tests + s.tests, failures: t.failures + s.failures, errors: t.errors + s.errors, ms: t.ms + s.ms }), { tests: 0, failures: 0, errors: 0, ms: 0 });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: "oktalint", tests: total.tests, failures: total.failures, errors: total.errors, time: seconds(total.ms) })}>`,
    ...suites.map((s) => s.xml),
    "</testsuites>",
    "",
  ].join("\n");
}
