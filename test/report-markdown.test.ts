/**
 * Markdown output for tickets: exact structure on the motivating sample,
 * escaping of everything that comes from a capture, secrets masked.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lintFile, RULES } from "../src/index.js";
import type { OktaCall } from "../src/engine/capture.js";
import type { Finding, Symptom } from "../src/engine/types.js";
import type { FileResult, ReportContext } from "../src/report/types.js";
import { markdownReporter, mdCell, mdCode, mdEscape, mdProse } from "../src/report/markdown.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MOTIVATING = join(ROOT, "samples/motivating-401.har");

function ctx(over: Partial<ReportContext> = {}): ReportContext {
  return { rules: RULES, cwd: ROOT, failOn: "error", toolVersion: "0.1.0", ...over };
}

async function motivating(): Promise<FileResult> {
  const { capture, findings } = await lintFile(MOTIVATING);
  return { path: "samples/motivating-401.har", capture, findings };
}

/** Findings written for the test, so that the expected text does not move when rules are reworded. */
function demoFindings(): Finding[] {
  const f1: Finding = {
    ruleId: "demo-rule",
    severity: "error",
    confidence: "likely",
    message: "Okta said `401 E0000011` for 1028…iml (42 chars) | see *why*",
    messageId: "m",
    entry: 2,
    jsonPath: "log.entries[2]",
    line: 214,
    column: 7,
    request: { method: "GET", url: "https://acme.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7" },
    evidence: ["Authorization: SSWS 1028…iml (42 chars)", "a `tick` | pipe"],
    related: [1],
    title: "Demo",
    explanation: "Two worlds: <end-user> and management.",
    fix: "Send `Authorization: SSWS <token>` from a server.",
    docs: ["https://developer.okta.com/docs/a/", "https://developer.okta.com/docs/b/#x"],
    fingerprint: "f",
    occurrences: 1,
    symptoms: [],
  };
  const f2: Finding = { ...f1, severity: "warning", confidence: "certain", entry: 1, message: "Second one.", request: { method: "POST", url: "https://acme.okta.com/api/v1/sessions?additionalFields=cookieToken" }, evidence: [], related: [] };
  const f3: Finding = { ...f1, ruleId: "whole-capture", severity: "info", confidence: "certain", entry: null, message: "About the capture.", evidence: [], related: [], docs: [], explanation: "Because.", fix: "Nothing." };
  delete f3.request;
  delete f3.jsonPath;
  delete f3.line;
  delete f3.column;
  return [f1, f2, f3];
}

describe("markdown reporter", () => {
  it("renders the motivating capture as summary, flow table and findings, exactly", async () => {
    const res = await motivating();
    const md = markdownReporter([{ ...res, findings: demoFindings() }], ctx());
    expect(md).toBe(
      [
        "## oktalint report",
        "",
        "1 capture · 3 Okta calls · 🔴 1 error · 🟠 1 warning · 🔵 1 info — oktalint 0.1.0",
        "",
        "### `samples/motivating-401.har`",
        "",
        "mitmproxy 10.4.2, HAR 1.2 · 3 entries · 3 Okta calls on acme.okta.com · 🔴 1 error · 🟠 1 warning · 🔵 1 info",
        "",
        "|   | Entry | Method | Path | Kind | Credential | Status |",
        "|:-:|------:|--------|------|------|------------|--------|",
        "| ✓ | 0 | POST | `/api/v1/authn` | end-user | SSWS 00mZ…Ij4 (42 chars) | 200 |",
        "| ⚠ | 1 | POST | `/api/v1/sessions` | management | SSWS 00mZ…Ij4 (42 chars) | 200 |",
        "| ✗ | 2 | GET | `/api/v1/users/00u1ab2cdEFGH3ijK4l7` | management | SSWS 1028…iml (42 chars) | 401 E0000011 |",
        "",
        "#### Findings",
        "",
        "**🔴 error · entry 2 · `demo-rule`** (likely)",
        "",
        "Okta said `401 E0000011` for 1028…iml (42 chars) \\| see \\*why\\*",
        "",
        "`GET https://acme.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7`",
        "",
        "Evidence:",
        "",
        "- `Authorization: SSWS 1028…iml (42 chars)`",
        "- ``a `tick` | pipe``",
        "",
        "Related entries: 1",
        "",
        "**Why it matters:** Two worlds: \\<end-user\\> and management.",
        "",
        "**Fix:** Send `Authorization: SSWS <token>` from a server.",
        "",
        "**Okta docs:** <https://developer.okta.com/docs/a/> · <https://developer.okta.com/docs/b/#x>",
        "",
        "**🟠 warning · entry 1 · `demo-rule`**",
        "",
        "Second one.",
        "",
        "`POST https://acme.okta.com/api/v1/sessions?additionalFields=cookieToken`",
        "",
        "*Why it matters and how to fix it: see entry 2 above.*",
        "",
        "**🔵 info · capture · `whole-capture`**",
        "",
        "About the capture.",
        "",
        "**Why it matters:** Because.",
        "",
        "**Fix:** Nothing.",
        "",
      ].join("\n"),
    );
  });

  it("lists every real finding of the motivating sample with its why, fix and docs, and no secret", async () => {
    const res = await motivating();
    const md = markdownReporter([res], ctx());
    const error = res.findings.find((f) => f.entry === 2 && f.severity === "error")!;
    expect(error).toBeDefined();
    expect(md).toContain(`| ✗ | 2 | GET | \`/api/v1/users/00u1ab2cdEFGH3ijK4l7\` | management | SSWS 1028…iml (42 chars) | 401 E0000011 |`);
    const headers = md.split("\n").filter((l) => /^\*\*[🔴🟠🔵] /u.test(l));
    expect(headers).toEqual(
      res.findings.map((f) => `**${{ error: "🔴", warning: "🟠", info: "🔵" }[f.severity]} ${f.severity} · ${f.entry === null ? "capture" : `entry ${f.entry}`} · \`${f.ruleId}\`**${f.confidence === "certain" ? "" : ` (${f.confidence})`}`),
    );
    for (const ruleId of new Set(res.findings.map((f) => f.ruleId))) {
      const f = res.findings.find((x) => x.ruleId === ruleId)!;
      expect(md).toContain(`**Why it matters:** ${mdProse(f.explanation)}`);
      expect(md).toContain(`**Fix:** ${mdProse(f.fix)}`);
      if (f.docs.length > 0) expect(md).toContain(`**Okta docs:** ${f.docs.map((d) => `<${d}>`).join(" · ")}`);
    }
    for (const f of res.findings) for (const e of f.evidence) expect(md).toContain(`- ${mdCode(e)}`);
    // Tokens, the password and the user's e-mail from the file never appear.
    const raw = readFileSync(MOTIVATING, "utf8");
    const secrets = new Set<string>(["correct-horse-battery-staple", "dana@example.com"]);
    for (const m of raw.matchAll(/SSWS ([A-Za-z0-9_-]{20,})/g)) secrets.add(m[1]!);
    for (const m of raw.matchAll(/(?:sessionToken|cookieToken)\\?"\s*:\s*\\?"([A-Za-z0-9_-]{12,})/g)) secrets.add(m[1]!);
    expect(secrets.size).toBeGreaterThanOrEqual(5);
    for (const s of secrets) expect(md).not.toContain(s);
  });

  it("shows a problem's symptoms nested under it, marks their entries, and counts the problem once", async () => {
    const res = await motivating();
    const [f1] = demoFindings();
    const same: Symptom = {
      ruleId: "api-token-rejected",
      severity: "error",
      confidence: "likely",
      message: "Okta rejected the token *as* `SSWS` | twice",
      messageId: "rejected",
      entry: 2,
      evidence: ["HTTP 401 E0000011", "a | pipe"],
      related: [],
      title: "Rejected",
      fingerprint: "s1",
      occurrences: 1,
    };
    const earlier: Symptom = { ...same, ruleId: "okta-error", severity: "info", confidence: "certain", message: "Okta said\n- so", entry: 0, evidence: [], fingerprint: "s2" };
    const whole: Symptom = { ...earlier, ruleId: "sanitized-capture", severity: "warning", message: "Sanitized.", entry: null, fingerprint: "s3" };
    const md = markdownReporter([{ ...res, findings: [{ ...f1!, related: [], symptoms: [same, earlier, whole] }] }], ctx());
    // One problem: the error symptom is not a second error, the warning and info ones are not counted at all.
    expect(md).toContain("1 capture · 3 Okta calls · 🔴 1 error · 🟠 0 warnings · 🔵 0 info — oktalint 0.1.0");
    expect(md.split("\n").filter((l) => /^\*\*[🔴🟠🔵] /u.test(l))).toEqual(["**🔴 error · entry 2 · `demo-rule`** (likely)"]);
    expect(md).toContain(
      [
        "- ``a `tick` | pipe``",
        "",
        "Also seen as:",
        "",
        "- 🔴 error · entry 2 · `api-token-rejected` (likely): Okta rejected the token \\*as\\* `SSWS` \\| twice",
        "  - `HTTP 401 E0000011`",
        "  - `a | pipe`",
        "- 🔵 info · entry 0 · `okta-error`: Okta said - so",
        "- 🟠 warning · capture · `sanitized-capture`: Sanitized.",
        "",
        "**Why it matters:** Two worlds: \\<end-user\\> and management.",
      ].join("\n"),
    );
    // Entry 0 answered 200, but a symptom of the error was seen there: its row is marked with the problem.
    expect(md).toContain("| ✗ | 0 | POST | `/api/v1/authn` |");
    expect(md).toContain("| ✓ | 1 | POST | `/api/v1/sessions` |");
  });

  it("says how often a folded problem occurs and where else", async () => {
    const res = await motivating();
    const [f1] = demoFindings();
    const md = markdownReporter([{ ...res, findings: [{ ...f1!, occurrences: 40, related: [3, 4, 5] }] }], ctx());
    expect(md).toContain("The same problem occurs 40 times; the other entries: 3, 4, 5, …");
    expect(md).not.toContain("Related entries:");
  });

  it("says when a capture cannot be read, broke partway or has no Okta calls", async () => {
    const res = await motivating();
    const md = markdownReporter(
      [
        { path: "gone.har", findings: [], error: "gone.har: no such file or directory" },
        { ...res, findings: [], error: "samples/motivating-401.har: unexpected end of input at line 300 (the 2 entries before it were read)" },
        { ...res, path: "other.har", findings: [], capture: { ...res.capture!, calls: [], oktaHosts: [] } },
      ],
      ctx(),
    );
    expect(md).toContain("3 captures · 3 Okta calls · 🔴 0 errors · 🟠 0 warnings · 🔵 0 info · 1 unreadable — oktalint 0.1.0");
    expect(md).toContain("### `gone.har`\n\n✗ Could not read this capture: gone.har: no such file or directory\n");
    expect(md).toContain("\n\n⚠ The capture broke partway: samples/motivating-401.har: unexpected end of input at line 300 (the 2 entries before it were read)\n");
    expect(md).toContain("### `other.har`\n\nmitmproxy 10.4.2, HAR 1.2 · 3 entries · 0 Okta calls · 🔴 0 errors · 🟠 0 warnings · 🔵 0 info\n\nNo Okta calls in this capture.");
  });

  it("keeps table rows whole and shows capture text literally: pipes, backticks, newlines, HTML", async () => {
    const res = await motivating();
    const call = res.capture!.calls[2]!;
    // A relative URL as written in a capture (no URL parsing to percent-encode anything).
    const evil: OktaCall = {
      ...call,
      exchange: { ...call.exchange, request: { ...call.exchange.request, method: "GET|X", url: null, rawUrl: "/api/v1/a|b`c/<img src=x onerror=alert(1)>?token=x" } },
      errorCode: "E|1\n<b>",
    };
    const md = markdownReporter([{ ...res, capture: { ...res.capture!, calls: [evil] }, findings: [] }], ctx());
    const rows = md.split("\n").filter((l) => l.startsWith("| "));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toBe("| ✗ | 2 | GET\\|X | ``/api/v1/a\\|b`c/<img src=x onerror=alert(1)>`` | management | SSWS 1028…iml (42 chars) | 401 E\\|1<br>\\<b\\> |");
    // Unescaped cell separators: exactly the 8 of a 7-column row.
    expect(rows[1]!.replace(/\\\|/g, "").split("|")).toHaveLength(9);
    // HTML only ever inside a code span.
    expect(md.split("``/api/v1/a\\|b`c/<img src=x onerror=alert(1)>``").join("")).not.toMatch(/<img|<b>/);
  });

  it("escapes text, code, prose and cells exactly", () => {
    expect(mdEscape("a|b *c* _d_ snake_case <b>&amp; [x](y) `t` \\ ~s~")).toBe("a\\|b \\*c\\* \\_d\\_ snake_case \\<b\\>\\&amp; \\[x\\](y) \\`t\\` \\\\ \\~s\\~");
    expect(mdEscape("# h\n1. x\n- y\n+ z\n> q\n=== \u0001")).toBe("\\# h\n1\\. x\n\\- y\n\\+ z\n\\> q\n\\=== \\\\x01");
    expect(mdCode("a`b``c")).toBe("```a`b``c```");
    expect(mdCode("`x`")).toBe("`` `x` ``");
    expect(mdCode("two\nlines")).toBe("`two lines`");
    expect(mdCode("")).toBe("` `");
    expect(mdProse("use `Authorization: SSWS <token>` not *this* or ` stray")).toBe("use `Authorization: SSWS <token>` not \\*this\\* or \\` stray");
    expect(mdCell(`${mdCode("a|b")} ${mdEscape("c|d")}\nnext`)).toBe("`a\\|b` c\\|d<br>next");
  });
});
