/**
 * SARIF 2.1.0 output, shaped for GitHub code scanning: every rule of the run in
 * `tool.driver.rules`, one result per finding located in the capture file (the
 * entry's line and column) and inside it (the JSON path), with fingerprints that
 * survive a re-recording of the same traffic.
 *
 * One result is one problem: the findings of other rules that a finding
 * explains (its symptoms) are not results of their own but related locations
 * of their cause, linked from the result's message (SARIF 2.1.0 §3.11.6) and
 * named in `properties.symptoms`. Counts, rules and fingerprints are the cause's.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type {
  Artifact,
  ArtifactLocation,
  Invocation,
  Location,
  Log,
  Notification,
  Region,
  ReportingDescriptor,
  Result,
  Run,
} from "sarif";
import type { OktaCall } from "../engine/capture.js";
import type { Finding, Rule, Severity, Symptom } from "../engine/types.js";
import { maskUrl } from "../okta/mask.js";
import type { FileResult, ReportContext } from "./types.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const INFORMATION_URI = "https://www.npmjs.com/package/oktalint";
/** Key of oktalint's fingerprint in `partialFingerprints`; bump the version if the fingerprint recipe changes. */
export const FINGERPRINT_KEY = "oktalint/v1";
const SRCROOT = "%SRCROOT%";

type Level = "error" | "warning" | "note";
const LEVEL: Record<Severity, Level> = { error: "error", warning: "warning", info: "note" };
/** GitHub code scanning shows `problem.severity` for rules that are not security queries. */
const PROBLEM_SEVERITY: Record<Severity, string> = { error: "error", warning: "warning", info: "recommendation" };

/** `api-token-rejected` → `ApiTokenRejected` (SARIF's friendly rule name). */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}

/** What a rule descriptor is built from: a Rule, or the same fields carried by a finding. */
type RuleText = Pick<Rule, "id" | "severity" | "tags" | "title" | "explanation" | "fix" | "docs">;

function helpText(r: RuleText): string {
  const parts = [r.explanation, `Fix: ${r.fix}`];
  if (r.docs.length > 0) parts.push(`Okta documentation:\n${r.docs.map((d) => `- ${d}`).join("\n")}`);
  return parts.join("\n\n");
}

function helpMarkdown(r: RuleText): string {
  const parts = [`## ${r.title}`, `**Why it matters.** ${r.explanation}`, `**How to fix it.** ${r.fix}`];
  if (r.docs.length > 0) parts.push(`**Okta documentation**\n\n${r.docs.map((d) => `- <${d}>`).join("\n")}`);
  return parts.join("\n\n");
}

function descriptor(r: RuleText): ReportingDescriptor {
  const d: ReportingDescriptor = {
    id: r.id,
    name: pascalCase(r.id),
    shortDescription: { text: r.title },
    fullDescription: { text: r.explanation },
    help: { text: helpText(r), markdown: helpMarkdown(r) },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { tags: [...r.tags], "problem.severity": PROBLEM_SEVERITY[r.severity] },
  };
  if (r.docs[0]) d.helpUri = r.docs[0];
  return d;
}

/** A finding of a rule that is not in the run's rule list (e.g. reported by a plugin) still gets a descriptor. */
function ruleTextOfFinding(f: Finding): RuleText {
  return { id: f.ruleId, severity: f.severity, tags: [], title: f.title, explanation: f.explanation, fix: f.fix, docs: f.docs };
}

/** Percent-encode each path segment so any file name makes a valid relative URI reference. */
function encodeSegments(segments: readonly string[]): string {
  return segments.map((s) => encodeURIComponent(s)).join("/");
}

/**
 * Where a capture file is, as a SARIF artifact location: relative to `%SRCROOT%`
 * (the working directory) when it is inside it, an absolute file URI otherwise,
 * and nothing for standard input.
 */
export function artifactLocationOf(path: string, cwd: string): ArtifactLocation | undefined {
  if (path === "-" || path === "") return undefined;
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  if (rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) {
    return { uri: encodeSegments(rel.split(sep)), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(abs).href };
}

function srcRootUri(cwd: string): string {
  const href = pathToFileURL(resolve(cwd)).href;
  return href.endsWith("/") ? href : `${href}/`;
}

/** Line/column positions refer to the decompressed text: meaningless in a compressed file. */
function positionsApply(result: FileResult): boolean {
  const wrappers = result.capture?.meta.wrappers ?? [];
  return !wrappers.includes("zlib") && !wrappers.includes("gzip");
}

/**
 * The region of a location: the entry's line and column when they are known and
 * mean something in the file; otherwise the start of the file, standing for the
 * capture as a whole (GitHub code scanning needs a `startLine` on every result,
 * and the SARIF validator warns about a physical location without a region).
 */
function regionOf(line: number | undefined, column: number | undefined, positions: boolean): Region {
  if (!positions || line === undefined || line < 1) return { startLine: 1 };
  return column !== undefined && column > 0 ? { startLine: line, startColumn: column } : { startLine: line };
}

/** SARIF messages read best as sentences (validator rule SARIF2001). */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function findingLocation(f: Finding, artifact: ArtifactLocation | undefined, positions: boolean): Location {
  const loc: Location = {};
  if (artifact) loc.physicalLocation = { artifactLocation: { ...artifact }, region: regionOf(f.line, f.column, positions) };
  if (f.jsonPath) loc.logicalLocations = [{ fullyQualifiedName: f.jsonPath, kind: "element" }];
  return loc;
}

function relatedLocations(f: Finding, artifact: ArtifactLocation | undefined, positions: boolean, byEntry: ReadonlyMap<number, OktaCall>): Location[] {
  const out: Location[] = [];
  for (const entry of f.related) {
    const call = byEntry.get(entry);
    const src = call?.exchange.source;
    const what = call ? `: ${call.exchange.request.method} ${maskUrl(call.exchange.request.rawUrl)} → ${call.exchange.response.status || "no response"}` : "";
    const loc: Location = {
      id: out.length + 1,
      message: { text: `Entry ${entry}${what}.` },
      logicalLocations: [{ fullyQualifiedName: src?.jsonPath ?? `log.entries[${entry}]`, kind: "element" }],
    };
    if (artifact) loc.physicalLocation = { artifactLocation: { ...artifact }, region: regionOf(src?.line, src?.column, positions) };
    out.push(loc);
  }
  return out;
}

/**
 * A symptom as a related location: where the other rule saw the problem (its
 * entry's line and column, its JSON path) and what it said there, as
 * `<rule-id>: <message>`. Symptom messages arrive masked, like findings.
 */
function symptomLocation(s: Symptom, id: number, artifact: ArtifactLocation | undefined, positions: boolean, byEntry: ReadonlyMap<number, OktaCall>): Location {
  const src = s.entry === null ? undefined : byEntry.get(s.entry)?.exchange.source;
  const loc: Location = { id, message: { text: sentence(`${s.ruleId}: ${s.message}`) } };
  const path = s.jsonPath ?? src?.jsonPath ?? (s.entry === null ? undefined : `log.entries[${s.entry}]`);
  if (path) loc.logicalLocations = [{ fullyQualifiedName: path, kind: "element" }];
  if (artifact) loc.physicalLocation = { artifactLocation: { ...artifact }, region: regionOf(s.line ?? src?.line, s.column ?? src?.column, positions) };
  return loc;
}

/**
 * Literal `\`, `[` and `]` escaped: a message with embedded links must not have
 * brackets of its own read as links (SARIF 2.1.0 §3.11.6).
 */
export function escapeLinkText(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

/**
 * The result message of a problem: the cause's message, then each symptom as an
 * embedded link to its related location, e.g.
 * `… Also seen as [api-token-rejected](3) and [okta-error](4) at entry 5.`
 */
function problemMessage(f: Finding, links: readonly { symptom: Symptom; id: number }[]): string {
  const cause = sentence(f.message);
  if (links.length === 0) return cause;
  const parts = links.map(({ symptom, id }) => `[${symptom.ruleId}](${id})${symptom.entry !== f.entry ? (symptom.entry === null ? " in the capture as a whole" : ` at entry ${symptom.entry}`) : ""}`);
  const list = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]!}`;
  return `${escapeLinkText(cause)} Also seen as ${list}.`;
}

/** Build the SARIF log object (the reporter serializes it). */
export function buildSarifLog(results: readonly FileResult[], ctx: ReportContext): Log {
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (r: RuleText) => {
    if (ruleIndex.has(r.id)) return;
    ruleIndex.set(r.id, rules.length);
    rules.push(descriptor(r));
  };
  for (const r of ctx.rules) addRule(r);
  for (const res of results) for (const f of res.findings) if (!ruleIndex.has(f.ruleId)) addRule(ruleTextOfFinding(f));

  const artifacts: Artifact[] = [];
  const artifactIndex = new Map<string, number>();
  const sarifResults: Result[] = [];
  const notifications: Notification[] = [];

  for (const res of results) {
    const base = artifactLocationOf(res.path, ctx.cwd);
    let artifact: ArtifactLocation | undefined;
    if (base) {
      let index = artifactIndex.get(base.uri!);
      if (index === undefined) {
        index = artifacts.length;
        artifactIndex.set(base.uri!, index);
        artifacts.push({ location: { ...base }, roles: ["analysisTarget"] });
      }
      artifact = { ...base, index };
    }
    const positions = positionsApply(res);
    const byEntry = new Map<number, OktaCall>();
    for (const c of res.capture?.calls ?? []) byEntry.set(c.exchange.index, c);

    for (const f of res.findings) {
      const related = relatedLocations(f, artifact, positions, byEntry);
      // Symptoms follow the related entries; their ids are what the message links to.
      const links = f.symptoms.map((symptom, i) => ({ symptom, id: related.length + i + 1 }));
      for (const l of links) related.push(symptomLocation(l.symptom, l.id, artifact, positions, byEntry));
      const result: Result = {
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId)!,
        level: LEVEL[f.severity],
        message: { text: problemMessage(f, links) },
        locations: [findingLocation(f, artifact, positions)],
        partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
        properties: {
          entry: f.entry,
          confidence: f.confidence,
          evidence: [...f.evidence],
          ...(f.request ? { request: { ...f.request } } : {}),
          ...(f.related.length > 0 ? { related: [...f.related] } : {}),
          ...(f.occurrences > 1 ? { occurrences: f.occurrences } : {}),
          ...(f.symptoms.length > 0 ? { symptoms: f.symptoms.map((x) => x.ruleId) } : {}),
        },
      };
      if (related.length > 0) result.relatedLocations = related;
      if (f.request) result.webRequest = { method: f.request.method, target: f.request.url };
      sarifResults.push(result);
    }

    if (res.error) {
      const n: Notification = { level: "error", message: { text: sentence(res.error) } };
      if (artifact) n.locations = [{ physicalLocation: { artifactLocation: { ...artifact } } }];
      notifications.push(n);
    }
  }

  const invocation: Invocation = { executionSuccessful: results.every((r) => !r.error) };
  if (notifications.length > 0) invocation.toolExecutionNotifications = notifications;

  const run: Run = {
    tool: {
      driver: {
        name: "oktalint",
        version: ctx.toolVersion,
        informationUri: INFORMATION_URI,
        rules,
      },
    },
    invocations: [invocation],
    originalUriBaseIds: { [SRCROOT]: { uri: srcRootUri(ctx.cwd) } },
    artifacts,
    results: sarifResults,
  };
  return { $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run] };
}

/** `--format sarif`: the SARIF log as pretty-printed JSON. */
export function sarifReporter(results: readonly FileResult[], ctx: ReportContext): string {
  return JSON.stringify(buildSarifLog(results, ctx), null, 2);
}
