/**
 * SARIF output: every sample's SARIF passes Microsoft's SARIF validator
 * (`sarif-multitool validate`, SARIF and GitHub rule sets), rules and results
 * carry what GitHub code scanning shows, and fingerprints survive a re-recording.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Log, Result } from "sarif";
import { lintFile, RULES } from "../src/index.js";
import { InputError } from "../src/ingest/types.js";
import type { Finding, Symptom } from "../src/engine/types.js";
import type { FileResult, ReportContext } from "../src/report/types.js";
import { artifactLocationOf, buildSarifLog, escapeLinkText, FINGERPRINT_KEY, pascalCase, sarifReporter } from "../src/report/sarif.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SAMPLES = join(ROOT, "samples");
const MOTIVATING = join(SAMPLES, "motivating-401.har");

function ctx(over: Partial<ReportContext> = {}): ReportContext {
  return { rules: RULES, cwd: ROOT, failOn: "error", toolVersion: "0.1.0", ...over };
}

async function lintToResult(path: string, display = relative(ROOT, path)): Promise<FileResult> {
  try {
    const { capture, findings } = await lintFile(path);
    const r: FileResult = { path: display, capture, findings };
    if (capture.error) r.error = capture.error.message;
    return r;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { path: display, findings: [], error: e.message };
  }
}

/** The error at the motivating sample's 401 (entry 2), whichever rule explains it. */
function the401(findings: readonly Finding[]): Finding {
  const f = findings.find((x) => x.entry === 2 && x.severity === "error");
  expect(f, "an error finding at entry 2 of the motivating sample").toBeDefined();
  return f!;
}

/**
 * The motivating 401 as one problem seen by three rules: the cause (with a
 * bracket in its message, which the embedded links make literal), a symptom at
 * the same entry with its own JSON path, and one at entry 1 known only by entry
 * (its position comes from the capture). Written by hand: the engine's grouping
 * lands separately, and the reporter must show whatever it is given.
 */
function withSymptoms(f: Finding): Finding {
  const same: Symptom = {
    ruleId: "api-token-rejected",
    severity: "error",
    confidence: "likely",
    message: "Okta rejected the API token 1028…iml (42 chars) on GET /api/v1/users/{id} (401 E0000011)",
    messageId: "rejected",
    entry: 2,
    jsonPath: "log.entries[2].response.status",
    line: 260,
    column: 9,
    request: { method: "GET", url: "https://acme.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7" },
    evidence: ["HTTP 401 E0000011"],
    related: [],
    title: "Okta rejected the API token",
    fingerprint: "1".repeat(32),
    occurrences: 1,
  };
  const other: Symptom = { ...same, ruleId: "deprecated-api", severity: "warning", confidence: "certain", message: "POST /api/v1/sessions asked for a cookieToken (additionalFields=cookieToken)", messageId: "deprecated", entry: 1, evidence: [], fingerprint: "2".repeat(32) };
  delete other.jsonPath;
  delete other.line;
  delete other.column;
  return { ...f, message: `${f.message} [see log.entries[2]]`, symptoms: [same, other] };
}

/** Every capture under samples/ (samples/rules/ and whatever else appears there), found at test time. */
function sampleFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (/\.(har|zhar|json|flow|mitm|ndjson)$/i.test(d.name)) out.push(p);
    }
  };
  walk(SAMPLES);
  return out.sort();
}

// ---- the validator -------------------------------------------------------------------------

const require = createRequire(import.meta.url);

/** Path of the multitool's native executable (the npm package resolves its per-platform package). */
function multitoolPath(): string {
  return require("@microsoft/sarif-multitool") as string;
}

/**
 * Validator policy: every rule at its default except SARIF2006, which fetches
 * each URI in the log over the network (tests stay offline).
 */
const POLICY = `<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
`;

interface Verdict {
  /** Validator results per analysed file (absolute path), as `LEVEL RULEID: message`. */
  byFile: Map<string, string[]>;
  raw: Log;
}

/**
 * Run `sarif-multitool validate` over files with the SARIF, GitHub and GitHub
 * Advanced Security rule sets, and read its own SARIF output. The exit code is
 * 0 whether or not the files are valid: the verdict is in that output.
 */
function validate(files: readonly string[], outDir: string): Verdict {
  const out = join(outDir, "validation.sarif");
  const policy = join(outDir, "policy.xml");
  writeFileSync(policy, POLICY);
  const r = spawnSync(
    multitoolPath(),
    ["validate", ...files, "--output", out, "--log", "ForceOverwrite", "--config", policy, "--rule-kind", "Sarif;Gh;Ghas", "--level", "Error;Warning;Note", "--threads", "2"],
    // Invariant globalization: the tool then needs no libicu.
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1", DOTNET_CLI_TELEMETRY_OPTOUT: "1" }, timeout: 170_000 },
  );
  if (r.error) throw r.error;
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toContain(`Done. ${files.length} files scanned.`);
  const raw = JSON.parse(readFileSync(out, "utf8")) as Log;
  const run = raw.runs[0]!;
  expect(run.invocations?.[0]?.executionSuccessful).toBe(true);
  const byFile = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const res of run.results ?? []) {
    const uri = res.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? "";
    const file = uri.startsWith("file:") ? fileURLToPath(uri) : uri;
    const list = byFile.get(file) ?? [];
    const args = res.message.arguments ?? [];
    list.push(`${res.level ?? "warning"} ${res.ruleId}: ${res.message.text ?? `${res.message.id ?? ""} ${args.join(" | ")}`}`);
    byFile.set(file, list);
  }
  return { byFile, raw };
}

/**
 * The validator silently accepts a log it cannot deserialize (an unknown enum
 * value, say) without running its rules and without a word. Its SARIF2003 note
 * (no version control provenance, which oktalint never claims) fires on every
 * log it did analyse: its presence proves that the rules ran on that log.
 */
const PROOF_OF_ANALYSIS = /^note SARIF2003: /;

/**
 * Best-practice notes the validator raises that do not apply to a capture linter:
 * message templates with arguments (SARIF2002: messages come filled from the rule),
 * version control provenance (SARIF2003: captures are often not in a repository),
 * opaque ids such as
 * ABC1234 (SARIF2009: rule ids are kebab-case and a contract), code snippets and
 * context regions (SARIF2010, SARIF2011) and embedded file contents (SARIF2013):
 * a capture's text holds secrets and is never copied into a report.
 */
const ACCEPTED_NOTES = new Set(["SARIF2002", "SARIF2003", "SARIF2009", "SARIF2010", "SARIF2011", "SARIF2013"]);

/**
 * What the validator holds against a log: its errors and warnings, any note
 * outside the accepted set, and a complaint of our own when the note that
 * proves analysis is missing (the log was then silently skipped).
 */
function complaints(lines: readonly string[] | undefined): string[] {
  const all = lines ?? [];
  const out = all.filter((l) => {
    const m = /^(\w+) (\w+):/.exec(l);
    return !m || m[1] !== "note" || !ACCEPTED_NOTES.has(m[2]!);
  });
  if (!all.some((l) => PROOF_OF_ANALYSIS.test(l))) out.push("not analysed: the validator could not read this log as SARIF 2.1.0");
  return out;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "oktalint-sarif-"));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Logs validated together: one validator start-up (several seconds) for all of them. */
interface Batch {
  broken: string;
  /** The log of all samples first, then one log per top-level sample. */
  samples: string[];
  /** Edge cases by name. */
  cases: Record<string, string>;
  verdict: Verdict;
}

/** Captures in the all-samples log (samples plus one unreadable input). */
let sampleCount = 0;

async function buildBatch(): Promise<Batch> {
  const dir = mkdtempSync(join(work, "batch-"));
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const broken = write(
    "broken.sarif",
    JSON.stringify({
      $schema: "https://json.schemastore.org/sarif-2.1.0.json",
      version: "2.1.0",
      runs: [{ tool: { driver: { name: "x", version: "1", informationUri: "https://example.com/" } }, results: [{ ruleId: "R1", ruleIndex: 3, message: { text: "Bad." }, locations: [{ physicalLocation: { artifactLocation: { uri: "a b" }, region: { startLine: 0 } } }] }] }],
    }),
  );

  const results = await Promise.all(sampleFiles().map((f) => lintToResult(f)));
  results.push({ path: "samples/does-not-exist.har", findings: [], error: "samples/does-not-exist.har: no such file" });
  // One log of every sample (as CI runs oktalint over a directory), and one log per capture for the
  // top-level samples and the unreadable input (as CI runs it per capture). Every file costs the
  // validator about half a second, so the per-capture logs are not repeated for all of samples/rules/.
  const logs: [string, string][] = [["all.sarif", sarifReporter(results, ctx())]];
  results.forEach((r, i) => {
    if (!r.path.startsWith("samples/rules/")) logs.push([`s${i}-${r.path.replace(/[^A-Za-z0-9.-]+/g, "_")}.sarif`, sarifReporter([r], ctx())]);
  });
  const samples = logs.map(([name, text]) => write(name, text));
  sampleCount = results.length;

  const base = results.find((r) => r.path === relative(ROOT, MOTIVATING))!;
  const f = the401(base.findings);
  const captureLevel: Finding = { ...f, entry: null, related: [], fingerprint: "0".repeat(32) };
  delete captureLevel.line;
  delete captureLevel.column;
  delete captureLevel.jsonPath;
  delete captureLevel.request;
  const edge: Record<string, FileResult[]> = {
    captureLevel: [{ ...base, findings: [captureLevel] }],
    stdin: [{ ...base, path: "-" }],
    outside: [{ ...base, path: "/var/tmp/elsewhere/capture.har" }],
    zhar: [{ ...base, path: "captures/flow.zhar", capture: { ...base.capture!, meta: { ...base.capture!.meta, wrappers: ["zlib"] } } }],
    odd: [{ ...base, path: "dir with spaces/50% #1 [x].har" }],
    related: [{ ...base, findings: [{ ...f, related: [0, 1, 7] }] }],
    symptoms: [{ ...base, findings: [withSymptoms({ ...f, related: [1] })] }],
    symptomsStdin: [{ ...base, path: "-", findings: [{ ...withSymptoms(f), symptoms: [...withSymptoms(f).symptoms, { ...withSymptoms(f).symptoms[1]!, entry: null }] }] }],
    symptomOfCapture: [{ ...base, findings: [{ ...withSymptoms(f), symptoms: [{ ...withSymptoms(f).symptoms[1]!, entry: null }] }] }],
  };
  const cases = Object.fromEntries(Object.entries(edge).map(([name, r]) => [name, write(`case-${name}.sarif`, sarifReporter(r, ctx()))]));

  const verdict = validate([broken, ...samples, ...Object.values(cases)], dir);
  return { broken, samples, cases, verdict };
}

describe("sarif-multitool validate", () => {
  let batch: Batch;
  beforeAll(async () => {
    batch = await buildBatch();
  }, 180_000);

  it("is installed and runs offline", () => {
    const r = spawnSync(multitoolPath(), ["--version"], { encoding: "utf8", env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" } });
    expect(r.status).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/SARIF Multitool 5\.7\.0\b/);
  });

  it("reports a broken log (so a clean verdict means something)", () => {
    expect(complaints([])).toEqual(["not analysed: the validator could not read this log as SARIF 2.1.0"]);
    const ids = batch.verdict.byFile.get(batch.broken)!.map((l) => l.split(":")[0]);
    expect(ids).toEqual(expect.arrayContaining(["error JSON1008", "error SARIF1002", "error SARIF1009"]));
  });

  it("finds nothing to say about the SARIF of every sample (and of an unreadable input)", () => {
    expect(sampleCount).toBeGreaterThanOrEqual(3);
    const all = JSON.parse(readFileSync(batch.samples[0]!, "utf8")) as Log;
    expect(all.runs[0]!.artifacts).toHaveLength(sampleCount);
    expect(batch.samples.length).toBeGreaterThanOrEqual(4);
    const verdicts = Object.fromEntries(batch.samples.map((t) => [t, complaints(batch.verdict.byFile.get(t))]));
    expect(verdicts).toEqual(Object.fromEntries(batch.samples.map((t) => [t, []])));
  });

  it("finds nothing to say about capture-level findings, stdin, compressed captures, odd names, related entries and symptoms", () => {
    const { outside, ...rest } = batch.cases;
    const verdicts = Object.fromEntries(Object.entries(rest).map(([name, t]) => [name, complaints(batch.verdict.byFile.get(t))]));
    expect(verdicts).toEqual(Object.fromEntries(Object.keys(rest).map((name) => [name, []])));
    // A capture outside the working directory can only be named by an absolute URI: a note says relative ones are preferred.
    const notes = complaints(batch.verdict.byFile.get(outside!));
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) expect(n).toMatch(/^note SARIF2016: Note_Default runs\[0\]\.results\[\d+\]\.locations\[0\]\.physicalLocation\.artifactLocation\.uri \| file:\/\/\/var\/tmp\/elsewhere\/capture\.har$/);
  });
});

// ---- content -------------------------------------------------------------------------------

describe("sarif content", () => {
  it("lists every rule of the run with GitHub's fields", async () => {
    const log = buildSarifLog([await lintToResult(MOTIVATING)], ctx());
    const driver = log.runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: "oktalint", version: "0.1.0", informationUri: "https://www.npmjs.com/package/oktalint" });
    expect(driver.rules!.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    const rule = RULES.find((r) => r.id === "api-token-rejected")!;
    const d = driver.rules!.find((r) => r.id === "api-token-rejected")!;
    expect(d.name).toBe("ApiTokenRejected");
    for (const x of driver.rules!) expect(x.name).toBe(pascalCase(x.id));
    expect(d.shortDescription).toEqual({ text: rule.title });
    expect(d.fullDescription).toEqual({ text: rule.explanation });
    expect(d.helpUri).toBe(rule.docs[0]);
    expect(d.defaultConfiguration).toEqual({ level: "error" });
    expect(d.properties).toEqual({ tags: [...rule.tags], "problem.severity": "error" });
    expect(d.help!.text).toBe(`${rule.explanation}\n\nFix: ${rule.fix}\n\nOkta documentation:\n${rule.docs.map((x) => `- ${x}`).join("\n")}`);
    expect(d.help!.markdown).toBe(
      `## ${rule.title}\n\n**Why it matters.** ${rule.explanation}\n\n**How to fix it.** ${rule.fix}\n\n**Okta documentation**\n\n${rule.docs.map((x) => `- <${x}>`).join("\n")}`,
    );
  });

  it("maps severities to levels, info to note", () => {
    const info = { ...RULES[0]!, id: "some-info-rule", severity: "info" as const };
    const log = buildSarifLog([], ctx({ rules: [info] }));
    expect(log.runs[0]!.tool.driver.rules![0]!.defaultConfiguration).toEqual({ level: "note" });
    expect(log.runs[0]!.tool.driver.rules![0]!.properties!["problem.severity"]).toBe("recommendation");
    expect(pascalCase("id-token-as-access-token")).toBe("IdTokenAsAccessToken");
  });

  it("locates the motivating 401 in the file and inside it", async () => {
    const res = await lintToResult(MOTIVATING);
    const f = the401(res.findings);
    const log = buildSarifLog([res], ctx());
    const run = log.runs[0]!;
    const r = run.results![res.findings.indexOf(f)]!;
    expect(r.ruleId).toBe(f.ruleId);
    expect(r.ruleIndex).toBe(RULES.findIndex((x) => x.id === f.ruleId));
    expect(r.level).toBe("error");
    const sentence = f.message.endsWith(".") ? f.message : `${f.message}.`;
    if (f.symptoms.length === 0) expect(r.message.text).toBe(sentence);
    else expect(r.message.text!.startsWith(`${escapeLinkText(sentence)} Also seen as [`)).toBe(true);
    // Entry 2 starts at the `{` on this line of the file.
    const lines = readFileSync(MOTIVATING, "utf8").split("\n");
    const region = r.locations![0]!.physicalLocation!.region!;
    expect(region.startLine).toBe(f.line);
    expect(lines[region.startLine! - 1]![region.startColumn! - 1]).toBe("{");
    expect(r.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: "samples/motivating-401.har", uriBaseId: "%SRCROOT%", index: 0 });
    expect(r.locations![0]!.logicalLocations).toEqual([{ fullyQualifiedName: f.jsonPath, kind: "element" }]);
    expect(f.jsonPath).toMatch(/^log\.entries\[2\]\.request\.headers\[\d+\]$/);
    expect(r.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: f.fingerprint });
    expect(r.properties).toMatchObject({ entry: 2, confidence: f.confidence, evidence: f.evidence, request: { method: "GET", url: "https://acme.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7" } });
    expect(r.webRequest).toEqual({ method: "GET", target: "https://acme.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7" });
    expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: pathToFileURL(ROOT).href.replace(/\/?$/, "/") } });
    expect(run.artifacts).toEqual([{ location: { uri: "samples/motivating-401.har", uriBaseId: "%SRCROOT%" }, roles: ["analysisTarget"] }]);
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
  });

  it("never prints the sample's secrets", async () => {
    const text = sarifReporter([await lintToResult(MOTIVATING)], ctx());
    const raw = JSON.parse(readFileSync(MOTIVATING, "utf8")) as { log: { entries: { request: { headers: { name: string; value: string }[] } }[] } };
    for (const e of raw.log.entries) {
      const auth = e.request.headers.find((h) => h.name === "Authorization")!.value.split(" ")[1]!;
      expect(text).not.toContain(auth);
    }
  });

  it("reports unreadable inputs as tool notifications and an unsuccessful run", () => {
    const log = buildSarifLog([{ path: "missing.har", findings: [], error: "missing.har: no such file" }], ctx());
    expect(log.runs[0]!.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: "error", message: { text: "missing.har: no such file." }, locations: [{ physicalLocation: { artifactLocation: { uri: "missing.har", uriBaseId: "%SRCROOT%", index: 0 } } }] },
        ],
      },
    ]);
  });

  it("anchors findings without a usable position at the start of the file, and stdin findings only inside the capture", async () => {
    const base = await lintToResult(MOTIVATING);
    const loc = (r: FileResult): NonNullable<Result["locations"]>[0] => buildSarifLog([r], ctx()).runs[0]!.results![0]!.locations![0]!;
    const stdin = loc({ ...base, path: "-" });
    expect(stdin.physicalLocation).toBeUndefined();
    expect(stdin.logicalLocations).toEqual([{ fullyQualifiedName: base.findings[0]!.jsonPath, kind: "element" }]);
    const zhar = loc({ ...base, path: "a.zhar", capture: { ...base.capture!, meta: { ...base.capture!.meta, wrappers: ["zlib"] } } });
    expect(zhar.physicalLocation).toEqual({ artifactLocation: { uri: "a.zhar", uriBaseId: "%SRCROOT%", index: 0 }, region: { startLine: 1 } });
    const f = { ...base.findings[0]!, entry: null };
    delete f.line;
    delete f.column;
    delete f.jsonPath;
    expect(loc({ ...base, findings: [f] })).toEqual({ physicalLocation: { artifactLocation: { uri: "samples/motivating-401.har", uriBaseId: "%SRCROOT%", index: 0 }, region: { startLine: 1 } } });
  });

  it("makes artifact URIs relative to the working directory with forward slashes, encoded", () => {
    expect(artifactLocationOf("samples/rules/x.har", ROOT)).toEqual({ uri: "samples/rules/x.har", uriBaseId: "%SRCROOT%" });
    expect(artifactLocationOf(join(ROOT, "samples", "a b#1%.har"), ROOT)).toEqual({ uri: "samples/a%20b%231%25.har", uriBaseId: "%SRCROOT%" });
    expect(artifactLocationOf("/elsewhere/c.har", "/work/main")).toEqual({ uri: "file:///elsewhere/c.har" });
    expect(artifactLocationOf("../c.har", "/work/main")).toEqual({ uri: "file:///work/c.har" });
    expect(artifactLocationOf("..hidden.har", "/work/main")).toEqual({ uri: "..hidden.har", uriBaseId: "%SRCROOT%" });
    expect(artifactLocationOf("-", ROOT)).toBeUndefined();
  });

  it("shows a problem with two symptoms as one result with the symptoms as related locations linked from its message", async () => {
    const res = await lintToResult(MOTIVATING);
    const cause = withSymptoms({ ...the401(res.findings), related: [1] });
    const log = buildSarifLog([{ ...res, findings: [cause] }], ctx());
    const run = log.runs[0]!;
    // One problem, one result: the symptoms are not results, and add no rule descriptor.
    expect(run.results).toHaveLength(1);
    expect(run.tool.driver.rules!.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    const r = run.results![0]!;
    expect(r.ruleId).toBe(cause.ruleId);
    expect(r.level).toBe("error");
    expect(r.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: cause.fingerprint });
    expect(r.properties!["symptoms"]).toEqual(["api-token-rejected", "deprecated-api"]);
    expect(r.properties!["related"]).toEqual([1]);
    const artifactLocation = { uri: "samples/motivating-401.har", uriBaseId: "%SRCROOT%", index: 0 };
    const entry1 = res.capture!.calls.find((c) => c.exchange.index === 1)!.exchange.source!;
    // The related entry first (id 1), then one location per symptom: where it was seen and what its rule said.
    expect(r.relatedLocations).toHaveLength(3);
    expect(r.relatedLocations![0]!.id).toBe(1);
    expect(r.relatedLocations![0]!.message!.text).toMatch(/^Entry 1: POST /);
    expect(r.relatedLocations!.slice(1)).toEqual([
      {
        id: 2,
        message: { text: "api-token-rejected: Okta rejected the API token 1028…iml (42 chars) on GET /api/v1/users/{id} (401 E0000011)." },
        logicalLocations: [{ fullyQualifiedName: "log.entries[2].response.status", kind: "element" }],
        physicalLocation: { artifactLocation, region: { startLine: 260, startColumn: 9 } },
      },
      {
        id: 3,
        message: { text: "deprecated-api: POST /api/v1/sessions asked for a cookieToken (additionalFields=cookieToken)." },
        logicalLocations: [{ fullyQualifiedName: entry1.jsonPath, kind: "element" }],
        physicalLocation: { artifactLocation, region: { startLine: entry1.line, startColumn: entry1.column } },
      },
    ]);
    // The message links each symptom by its id, says where one seen elsewhere was seen, and keeps its own brackets literal.
    const sentence = cause.message.endsWith(".") ? cause.message : `${cause.message}.`;
    expect(r.message.text).toBe(`${sentence.replace(/[[\]]/g, (c) => `\\${c}`)} Also seen as [api-token-rejected](2) and [deprecated-api](3) at entry 1.`);
    expect(r.message.text).toContain("\\[see log.entries\\[2\\]\\]");
    const linked = [...r.message.text!.matchAll(/(?<!\\)\[([a-z-]+)\]\((\d+)\)/g)].map((m) => [m[1], Number(m[2])]);
    expect(linked).toEqual(r.relatedLocations!.slice(1).map((l) => [l.message!.text!.split(":")[0], l.id]));
    // Without symptoms the message is the finding's, as written.
    const alone = buildSarifLog([{ ...res, findings: [{ ...cause, symptoms: [] }] }], ctx()).runs[0]!.results![0]!;
    expect(alone.message.text).toBe(sentence);
    expect(alone.relatedLocations).toHaveLength(1);
    expect(alone.properties!["symptoms"]).toBeUndefined();
  });

  it("describes a finding's rule even when the rule is not in the run's list", async () => {
    const res = await lintToResult(MOTIVATING);
    const log = buildSarifLog([res], ctx({ rules: [] }));
    const rules = log.runs[0]!.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual([...new Set(res.findings.map((f) => f.ruleId))]);
    expect(log.runs[0]!.results![0]!.ruleIndex).toBe(0);
  });
});

describe("fingerprints", () => {
  /** Another value of the same shape: same prefix (token kind), every other letter and digit shifted. */
  function shifted(value: string): string {
    const shift = (c: string) => {
      if (/[0-8a-yA-Y]/.test(c)) return String.fromCharCode(c.charCodeAt(0) + 1);
      if (c === "9") return "0";
      if (c === "z") return "a";
      if (c === "Z") return "A";
      return c;
    };
    return value.slice(0, 3) + [...value.slice(3)].map(shift).join("");
  }

  /**
   * The motivating capture recorded again: other tokens, session and user ids
   * throughout (consistently, as a real re-recording would have them), two
   * unrelated calls first, and other formatting.
   */
  function rerecord(dir: string): string {
    let text = readFileSync(MOTIVATING, "utf8");
    const secrets = new Set<string>(["00u1ab2cdEFGH3ijK4l7"]);
    for (const m of text.matchAll(/SSWS ([A-Za-z0-9_-]{20,})/g)) secrets.add(m[1]!);
    for (const m of text.matchAll(/(?:sessionToken|cookieToken|"id)\\?"\s*:\s*\\?"([A-Za-z0-9_-]{12,})/g)) secrets.add(m[1]!);
    expect(secrets.size).toBeGreaterThanOrEqual(4);
    for (const v of secrets) text = text.split(v).join(shifted(v));
    const har = JSON.parse(text) as { log: { entries: { request: { method: string; url: string; headers: unknown[] } }[] } };
    const entries = har.log.entries;
    const noise = (n: number) => {
      const e = JSON.parse(JSON.stringify(entries[0])) as (typeof entries)[number];
      e.request.method = "GET";
      e.request.url = `https://app.example.com/static/${n}.js`;
      e.request.headers = [];
      return e;
    };
    har.log.entries = [noise(1), noise(2), ...entries];
    const p = join(dir, "rerecorded.har");
    writeFileSync(p, JSON.stringify(har, null, 1));
    return p;
  }

  it("stay the same when the same problem is recorded again at another entry and line", async () => {
    const dir = mkdtempSync(join(work, "fp-"));
    const a = await lintToResult(MOTIVATING);
    const b = await lintToResult(rerecord(dir));
    const fa = the401(a.findings);
    const fb = b.findings.find((x) => x.entry === 4 && x.ruleId === fa.ruleId && x.messageId === fa.messageId);
    expect(fb, "the same finding at entry 4 of the re-recording").toBeDefined();
    // Nothing of the re-recording's findings differs but their place.
    expect(b.findings.map((f) => [f.ruleId, f.entry! - 2])).toEqual(a.findings.map((f) => [f.ruleId, f.entry]));
    const la = buildSarifLog([a], ctx()).runs[0]!.results!;
    const lb = buildSarifLog([b], ctx()).runs[0]!.results!;
    const ra = la[a.findings.indexOf(fa)]!;
    const rb = lb[b.findings.indexOf(fb!)]!;
    expect(rb.properties!.entry).toBe(4);
    expect(rb.locations![0]!.physicalLocation!.region!.startLine).not.toBe(ra.locations![0]!.physicalLocation!.region!.startLine);
    expect(rb.locations![0]!.logicalLocations![0]!.fullyQualifiedName).toMatch(/^log\.entries\[4\]/);
    expect(rb.partialFingerprints![FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
    expect(rb.partialFingerprints).toEqual(ra.partialFingerprints);
    expect(rb.message.text).not.toBe(ra.message.text); // other (masked) token values, same problem
    expect(lb.map((r) => r.partialFingerprints![FINGERPRINT_KEY])).toEqual(la.map((r) => r.partialFingerprints![FINGERPRINT_KEY]));
  });

  it("differ between different problems", async () => {
    const a = await lintToResult(MOTIVATING);
    const prints = buildSarifLog([a], ctx()).runs[0]!.results!.map((r) => `${r.ruleId} ${r.partialFingerprints![FINGERPRINT_KEY]}`);
    expect(new Set(prints.map((p) => p.split(" ")[1])).size).toBe(new Set(prints).size);
  });
});
