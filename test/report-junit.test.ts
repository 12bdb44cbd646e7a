/**
 * JUnit output: well-formed XML (fast-xml-parser, then xmllint or Python's expat when installed),
 * one testsuite per capture and one testcase per Okta call, failures for the
 * findings at or above --fail-on, everything escaped.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { lintFile, RULES } from "../src/index.js";
import { InputError } from "../src/ingest/types.js";
import { SEVERITY_RANK } from "../src/engine/run.js";
import type { Finding, Severity, Symptom } from "../src/engine/types.js";
import type { FileResult, ReportContext } from "../src/report/types.js";
import { junitReporter, xmlAttr, xmlText } from "../src/report/junit.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SAMPLES = join(ROOT, "samples");
const MOTIVATING = join(SAMPLES, "motivating-401.har");

function ctx(over: Partial<ReportContext> = {}): ReportContext {
  return { rules: RULES, cwd: ROOT, failOn: "error", toolVersion: "0.1.0", ...over };
}

async function lintToResult(path: string): Promise<FileResult> {
  const display = relative(ROOT, path);
  try {
    const { capture, findings } = await lintFile(path);
    const r: FileResult = { path: display, capture, findings, ms: 25 };
    if (capture.error) r.error = capture.error.message;
    return r;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { path: display, findings: [], error: e.message };
  }
}

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

// ---- parsing -------------------------------------------------------------------------------

interface XFailure {
  "@_message": string;
  "@_type": string;
  "#text": string;
}
interface XCase {
  "@_classname": string;
  "@_name": string;
  "@_time": string;
  failure?: XFailure[];
  error?: { "@_message": string; "@_type": string; "#text": string }[];
  "system-out"?: string[];
}
interface XSuite {
  "@_name": string;
  "@_tests": string;
  "@_failures": string;
  "@_errors": string;
  "@_time": string;
  "@_timestamp"?: string;
  properties?: { property: { "@_name": string; "@_value": string }[] };
  testcase: XCase[];
}
interface XDoc {
  testsuites: { "@_name": string; "@_tests": string; "@_failures": string; "@_errors": string; testsuite: XSuite[] };
}

const ARRAYS = new Set(["testsuite", "testcase", "failure", "error", "system-out", "property"]);

/** Parse strictly: the validator first (well-formedness), then the parser with entities decoded and nothing coerced. */
function parse(xml: string): XDoc {
  const valid = XMLValidator.validate(xml);
  expect(valid, JSON.stringify(valid)).toBe(true);
  // XML 1.0 forbids C0 controls other than tab, LF and CR anywhere in a document.
  expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
  // Every `<` starts markup: none is left raw in an attribute or text.
  expect(xml).not.toMatch(/<(?![A-Za-z/?!])/);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    alwaysCreateTextNode: true,
    // Numeric character references (`&#10;`) are XML; the parser decodes them only with this on.
    htmlEntities: true,
    isArray: (name) => ARRAYS.has(name),
  });
  return parser.parse(xml) as XDoc;
}

/**
 * A strict XML 1.0 parser as a second opinion (fast-xml-parser's validator lets a
 * raw `<` in an attribute and control characters through): `xmllint --noout`
 * when installed, else Python's expat when python3 is. Skipped when neither is.
 */
function strictCheck(xml: string): void {
  const dir = mkdtempSync(join(tmpdir(), "oktalint-junit-"));
  const file = join(dir, "report.xml");
  writeFileSync(file, xml);
  try {
    if (!spawnSync("xmllint", ["--version"], { encoding: "utf8" }).error) {
      const r = spawnSync("xmllint", ["--noout", file], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      return;
    }
    const py = spawnSync("python3", ["-c", "import sys, xml.parsers.expat as e; e.ParserCreate().ParseFile(open(sys.argv[1], 'rb'))", file], { encoding: "utf8" });
    if (py.error) return;
    expect(py.status, py.stderr).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The error at the motivating sample's 401 (entry 2), whichever rule explains it. */
function the401(findings: readonly Finding[]): Finding {
  const f = findings.find((x) => x.entry === 2 && x.severity === "error");
  expect(f, "an error finding at entry 2 of the motivating sample").toBeDefined();
  return f!;
}

const atOrAbove = (f: Finding, failOn: Severity | "never") => failOn !== "never" && SEVERITY_RANK[f.severity] <= SEVERITY_RANK[failOn];

describe("junit reporter", () => {
  it("turns the motivating sample into one suite of three calls with one failure at entry 2", async () => {
    const res = await lintToResult(MOTIVATING);
    const xml = junitReporter([res], ctx());
    strictCheck(xml);
    const doc = parse(xml);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="oktalint" ')).toBe(true);
    const suite = doc.testsuites.testsuite[0]!;
    expect(suite["@_name"]).toBe("samples/motivating-401.har");
    expect(suite["@_tests"]).toBe("3");
    expect(suite["@_errors"]).toBe("0");
    expect(suite["@_time"]).toBe("0.025");
    expect(suite["@_timestamp"]).toBe("2026-11-20T16:04:31");
    expect(suite.properties!.property.map((p) => [p["@_name"], p["@_value"]])).toEqual([
      ["producer", "mitmproxy 10.4.2, HAR 1.2"],
      ["entries", "3"],
      ["oktaCalls", "3"],
      ["oktaHosts", "acme.okta.com"],
    ]);
    expect(suite.testcase.slice(0, 3).map((c) => [c["@_classname"], c["@_name"], c["@_time"]])).toEqual([
      ["samples/motivating-401.har", "#0 POST /api/v1/authn (end-user)", "0.092"],
      ["samples/motivating-401.har", "#1 POST /api/v1/sessions (management)", "0.129"],
      ["samples/motivating-401.har", "#2 GET /api/v1/users/00u1ab2cdEFGH3ijK4l7 (management)", "0.166"],
    ]);
    const rejected = the401(res.findings);
    // Entry 2's testcase fails with each error there; warnings elsewhere do not fail (--fail-on error).
    expect(suite.testcase[2]!.failure!.map((x) => x["@_type"])).toEqual(res.findings.filter((f) => f.entry === 2 && f.severity === "error").map((f) => f.ruleId));
    expect(suite["@_failures"]).toBe(String(new Set(res.findings.filter((f) => f.severity === "error").map((f) => f.entry)).size));
    const failure = suite.testcase[2]!.failure!.find((x) => x["@_type"] === rejected.ruleId)!;
    expect(failure["@_message"]).toBe(rejected.message);
    const body = failure["#text"];
    expect(body.startsWith(`${rejected.message}\n\nerror · ${rejected.ruleId} · entry 2${rejected.confidence === "certain" ? "" : ` · ${rejected.confidence}`}\nGET https://acme.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7\n`)).toBe(true);
    expect(body).toContain(`\n\nEvidence:\n${rejected.evidence.map((e) => `  ${e}`).join("\n")}\n`);
    expect(body).toContain("  Authorization: SSWS 1028…iml (42 chars)\n");
    expect(body).toContain(`\n\nWhy: ${rejected.explanation}\n\nFix: ${rejected.fix}\n\nDocs:\n${rejected.docs.map((d) => `  ${d}`).join("\n")}`);
    // No secret from the file reaches the report.
    const raw = JSON.parse(readFileSync(MOTIVATING, "utf8")) as { log: { entries: { request: { headers: { name: string; value: string }[] } }[] } };
    for (const e of raw.log.entries) expect(xml).not.toContain(e.request.headers.find((h) => h.name === "Authorization")!.value.split(" ")[1]!);
  });

  it("counts testcases and failures as the findings say, for every sample and threshold", async () => {
    const results = await Promise.all(sampleFiles().map(lintToResult));
    for (const failOn of ["error", "warning", "info", "never"] as const) {
      const xml = junitReporter(results, ctx({ failOn }));
      strictCheck(xml);
      const doc = parse(xml);
      const suites = doc.testsuites.testsuite;
      expect(suites.map((s) => s["@_name"])).toEqual(results.map((r) => r.path));
      let tests = 0;
      let failing = 0;
      results.forEach((r, i) => {
        const suite = suites[i]!;
        const calls = r.capture?.calls ?? [];
        const callEntries = new Set(calls.map((c) => c.exchange.index));
        const otherEntries = new Set(r.findings.filter((f) => f.entry !== null && !callEntries.has(f.entry) && f.request).map((f) => f.entry));
        const captureLevel = r.findings.some((f) => f.entry === null || (!callEntries.has(f.entry) && !f.request));
        const expectedCases = calls.length + otherEntries.size + (captureLevel ? 1 : 0) + (r.error ? 1 : 0);
        expect(suite.testcase, r.path).toHaveLength(expectedCases);
        expect(Number(suite["@_tests"])).toBe(expectedCases);
        // Each finding at or above the threshold is one <failure> of its rule; the others are listed in system-out.
        const failures = suite.testcase.flatMap((c) => c.failure ?? []);
        expect(failures.map((x) => x["@_type"]).sort(), `${r.path} ${failOn}`).toEqual(r.findings.filter((f) => atOrAbove(f, failOn)).map((f) => f.ruleId).sort());
        expect(failures.map((x) => x["@_message"]).sort()).toEqual(r.findings.filter((f) => atOrAbove(f, failOn)).map((f) => f.message).sort());
        const notes = suite.testcase.flatMap((c) => (c["system-out"] ?? []).flatMap((t) => (t as unknown as { "#text": string })["#text"].split("\n")));
        // One line per problem below the threshold, its symptoms indented beneath it.
        const below = r.findings.filter((f) => !atOrAbove(f, failOn));
        expect(notes.filter((l) => !l.startsWith("  "))).toHaveLength(below.length);
        expect(notes.filter((l) => l.startsWith("  also seen as "))).toHaveLength(below.reduce((n, f) => n + f.symptoms.length, 0));
        // Failures sit on the testcase of their entry.
        for (const f of r.findings.filter((x) => atOrAbove(x, failOn) && x.entry !== null && callEntries.has(x.entry))) {
          const tc = suite.testcase.find((c) => c["@_name"].startsWith(`#${f.entry} `))!;
          expect(tc.failure!.some((x) => x["@_message"] === f.message)).toBe(true);
        }
        const failingCases = suite.testcase.filter((c) => (c.failure ?? []).length > 0).length;
        expect(Number(suite["@_failures"])).toBe(failingCases);
        expect(Number(suite["@_errors"])).toBe(r.error ? 1 : 0);
        tests += expectedCases;
        failing += failingCases;
      });
      expect(Number(doc.testsuites["@_tests"])).toBe(tests);
      expect(Number(doc.testsuites["@_failures"])).toBe(failing);
      if (failOn === "never") expect(failing).toBe(0);
    }
  });

  it("gives an unreadable capture a suite with one errored testcase", () => {
    const xml = junitReporter([{ path: "gone.har", findings: [], error: "gone.har: no such file or directory" }], ctx());
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="oktalint" tests="1" failures="0" errors="1" time="0">',
        '  <testsuite name="gone.har" tests="1" failures="0" errors="1" skipped="0" time="0">',
        '    <testcase classname="gone.har" name="read capture" time="0">',
        '      <error message="gone.har: no such file or directory" type="input-error">gone.har: no such file or directory</error>',
        "    </testcase>",
        "  </testsuite>",
        "</testsuites>",
        "",
      ].join("\n"),
    );
  });

  it("puts capture-level findings in a testcase named capture and keeps findings below the threshold out of the failures", async () => {
    const res = await lintToResult(MOTIVATING);
    const base = the401(res.findings);
    const whole: Finding = { ...base, ruleId: "sanitized-capture", severity: "warning", entry: null, message: "The capture was sanitized.", symptoms: [] };
    delete whole.request;
    const doc = parse(junitReporter([{ ...res, findings: [base, whole] }], ctx({ failOn: "error" })));
    const cases = doc.testsuites.testsuite[0]!.testcase;
    expect(cases.map((c) => c["@_name"])).toEqual([
      "#0 POST /api/v1/authn (end-user)",
      "#1 POST /api/v1/sessions (management)",
      "#2 GET /api/v1/users/00u1ab2cdEFGH3ijK4l7 (management)",
      "capture",
    ]);
    expect(cases[3]!.failure).toBeUndefined();
    expect((cases[3]!["system-out"]![0] as unknown as { "#text": string })["#text"]).toBe("warning sanitized-capture: The capture was sanitized.");
    const asWarning = parse(junitReporter([{ ...res, findings: [base, whole] }], ctx({ failOn: "warning" })));
    const capture = asWarning.testsuites.testsuite[0]!.testcase[3]!;
    expect(capture.failure!.map((x) => [x["@_type"], x["@_message"]])).toEqual([["sanitized-capture", "The capture was sanitized."]]);
    expect(capture.failure![0]!["#text"]).toContain("warning · sanitized-capture · the capture as a whole");
    expect(asWarning.testsuites.testsuite[0]!["@_failures"]).toBe("2");
  });

  it("gives a finding at an entry that is not an Okta call its own testcase, in entry order", async () => {
    const res = await lintToResult(MOTIVATING);
    const base = the401(res.findings);
    const elsewhere: Finding = { ...base, ruleId: "client-secret-in-browser", entry: 1, message: "Secret sent to the app.", request: { method: "POST", url: "https://app.example.com/api/login?client_secret=%E2%80%A2%E2%80%A2%E2%80%A2" } };
    const capture = { ...res.capture!, calls: res.capture!.calls.filter((c) => c.exchange.index !== 1) };
    const doc = parse(junitReporter([{ ...res, capture, findings: [base, elsewhere] }], ctx()));
    const cases = doc.testsuites.testsuite[0]!.testcase;
    expect(cases.map((c) => [c["@_name"], (c.failure ?? []).map((x) => x["@_type"])])).toEqual([
      ["#0 POST /api/v1/authn (end-user)", []],
      ["#1 POST /api/login (not Okta)", ["client-secret-in-browser"]],
      ["#2 GET /api/v1/users/00u1ab2cdEFGH3ijK4l7 (management)", [base.ruleId]],
    ]);
    expect(doc.testsuites.testsuite[0]!["@_tests"]).toBe("3");
    expect(doc.testsuites.testsuite[0]!["@_failures"]).toBe("2");
  });

  it("fails a problem once: a cause with two symptoms is one failure, its symptoms listed beneath it", async () => {
    const res = await lintToResult(MOTIVATING);
    const cause = the401(res.findings);
    const same: Symptom = {
      ruleId: "api-token-rejected",
      severity: "error",
      confidence: "likely",
      message: "Okta rejected the API token 1028…iml (42 chars) (401 E0000011).",
      messageId: "rejected",
      entry: 2,
      evidence: ["HTTP 401 E0000011"],
      related: [],
      title: "Okta rejected the API token",
      fingerprint: "s1",
      occurrences: 1,
    };
    // An error-level symptom at another call: still no failure (and no testcase) of its own.
    const elsewhere: Symptom = { ...same, ruleId: "wrong-base-url", confidence: "certain", message: "The call went to the -admin host.", entry: 1, evidence: ["Host: acme-admin.okta.com", "Authorization: SSWS 1028…iml (42 chars)"], fingerprint: "s2" };
    const problem: Finding = { ...cause, symptoms: [same, elsewhere] };
    const xml = junitReporter([{ ...res, findings: [problem] }], ctx());
    strictCheck(xml);
    const doc = parse(xml);
    const suite = doc.testsuites.testsuite[0]!;
    expect(suite["@_tests"]).toBe("3");
    expect(suite["@_failures"]).toBe("1");
    expect(doc.testsuites["@_failures"]).toBe("1");
    expect(suite.testcase.map((c) => (c.failure ?? []).map((x) => x["@_type"]))).toEqual([[], [], [cause.ruleId]]);
    expect(suite.testcase.every((c) => c["system-out"] === undefined)).toBe(true);
    const failure = suite.testcase[2]!.failure![0]!;
    expect(failure["@_message"]).toBe(cause.message);
    const body = failure["#text"];
    expect(body).toContain(
      [
        "",
        "Also seen as (symptoms of this problem, not counted on their own):",
        "  - api-token-rejected (error, entry 2, likely): Okta rejected the API token 1028…iml (42 chars) (401 E0000011).",
        "      HTTP 401 E0000011",
        "  - wrong-base-url (error, entry 1): The call went to the -admin host.",
        "      Host: acme-admin.okta.com",
        "      Authorization: SSWS 1028…iml (42 chars)",
        "",
        `Why: ${cause.explanation}`,
      ].join("\n"),
    );
    // The cause comes first: its message, its evidence, then the symptoms.
    expect(body.indexOf("Evidence:")).toBeLessThan(body.indexOf("Also seen as"));
    expect(body.startsWith(cause.message)).toBe(true);

    // Below the threshold the problem is one line of system-out, its symptoms indented beneath it.
    const asWarning: Finding = { ...problem, severity: "warning" };
    const quiet = parse(junitReporter([{ ...res, findings: [asWarning] }], ctx({ failOn: "error" }))).testsuites.testsuite[0]!;
    expect(quiet["@_failures"]).toBe("0");
    expect((quiet.testcase[2]!["system-out"]![0] as unknown as { "#text": string })["#text"]).toBe(
      [
        `warning ${cause.ruleId}: ${cause.message}`,
        "  also seen as api-token-rejected (error, entry 2, likely): Okta rejected the API token 1028…iml (42 chars) (401 E0000011).",
        "  also seen as wrong-base-url (error, entry 1): The call went to the -admin host.",
      ].join("\n"),
    );
  });

  it("escapes everything: markup, quotes, CDATA ends and characters XML cannot carry", async () => {
    const res = await lintToResult(MOTIVATING);
    const evil = `<&]]>"'\u0001\u0000\u001f\ud800`;
    const shown = `<&]]>"'\\x01\\x00\\x1f\\ud800`;
    const f = the401(res.findings);
    const bad: Finding = { ...f, message: `msg ${evil}\ttab\nline`, evidence: [`ev ${evil}`], fix: `fix ${evil}` };
    const xml = junitReporter([{ ...res, path: `dir/${evil}.har`, findings: [bad] }], ctx());
    strictCheck(xml);
    expect(xml).not.toContain("]]>");
    const doc = parse(xml);
    const suite = doc.testsuites.testsuite[0]!;
    expect(suite["@_name"]).toBe(`dir/${shown}.har`);
    expect(suite.testcase[0]!["@_classname"]).toBe(`dir/${shown}.har`);
    const failure = suite.testcase[2]!.failure![0]!;
    expect(failure["@_message"]).toBe(`msg ${shown}\ttab\nline`);
    expect(failure["#text"]).toContain(`\n  ev ${shown}\n`);
    expect(failure["#text"]).toContain(`Fix: fix ${shown}`);
  });

  it("escapes attribute and text values exactly", () => {
    expect(xmlAttr(`a<b>&"c"'d'\te\nf\rg\u0001`)).toBe("a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#9;e&#10;f&#13;g\\x01");
    expect(xmlText(`a<b>&"c"\te\nf ]]> \u0007 \ufffe 😀`)).toBe(`a&lt;b&gt;&amp;"c"\te\nf ]]&gt; \\x07 \\ufffe 😀`);
  });
});
