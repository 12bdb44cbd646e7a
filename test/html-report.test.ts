/**
 * The HTML flow report: the generated document (escaping, masking, CSP, the
 * diagram's data), and the page itself in headless Chromium (Debian's
 * `chromium` driven by playwright-core; skipped when it is not installed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { lintFile, readCaptureStream, RULES } from "../src/index.js";
import type { Capture } from "../src/engine/capture.js";
import type { Finding, Symptom } from "../src/engine/types.js";
import { maskSecret } from "../src/okta/mask.js";
import { escapeHtml, htmlReporter } from "../src/report/html.js";
import type { FileResult, ReportContext } from "../src/report/types.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MOTIVATING = join(ROOT, "samples/motivating-401.har");
const OUT = join(ROOT, "test-output");
const CHROMIUM = "/usr/bin/chromium";

const CTX: ReportContext = { rules: RULES, cwd: ROOT, failOn: "error", toolVersion: "0.0.0-test" };
const CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`;

/** Secrets of samples/motivating-401.har that must never appear in full. */
const SSWS = "00mZcKylnlUY7uxnWSS9UhVwkhmOsnos7zEmuoTIj4";
const COOKIE_TOKEN = "1028dufJcqFO8yQBoFElCp7lF2MXAbdUDxV5NsAiml";
const SAMPLE_SECRETS = [SSWS, COOKIE_TOKEN, "20111BtDLdEchNkyf7eGuIPCo21alXCP5TE8hrJi0a", "correct-horse-battery-staple", "1022tuYarJG7wKCdPB00G4tAl"];

const SCRIPT_XSS = "<script>alert(1)</script>";
const ATTR_XSS = `"><img src=x onerror=alert(1)>`;

async function motivating(): Promise<FileResult> {
  const { capture, findings } = await lintFile(MOTIVATING);
  return { path: "samples/motivating-401.har", capture, findings, ms: 3 };
}

/**
 * The error finding at entry 2 of the motivating sample (the cookieToken sent
 * as an API token). Rules are still being written: which rule explains it may
 * change, that some error is reported at entry 2 may not.
 */
function entry2Error(result: FileResult): Finding {
  const f = result.findings.find((x) => x.entry === 2 && x.severity === "error");
  expect(f, JSON.stringify(result.findings.map((x) => [x.ruleId, x.entry, x.severity]))).toBeDefined();
  return f!;
}

interface EntryOpts {
  method?: string;
  url: string;
  status: number;
  at: number;
  requestHeaders?: { name: string; value: string }[];
  responseHeaders?: { name: string; value: string }[];
  body?: unknown;
  comment?: string;
}

function harEntry(o: EntryOpts) {
  const text = o.body === undefined ? "" : JSON.stringify(o.body);
  return {
    startedDateTime: new Date(o.at).toISOString(),
    time: 40,
    request: { method: o.method ?? "GET", url: o.url, httpVersion: "HTTP/1.1", headers: o.requestHeaders ?? [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
    response: {
      status: o.status,
      statusText: o.status === 200 ? "OK" : o.status === 401 ? "Unauthorized" : "",
      httpVersion: "HTTP/1.1",
      headers: [{ name: "content-type", value: "application/json" }, ...(o.responseHeaders ?? [])],
      cookies: [],
      content: { size: text.length, mimeType: "application/json", text },
      redirectURL: "",
      headersSize: -1,
      bodySize: text.length,
    },
    cache: {},
    timings: { send: 1, wait: 30, receive: 9 },
    ...(o.comment ? { comment: o.comment } : {}),
  };
}

async function captureOf(entries: ReturnType<typeof harEntry>[], creator = "mitmproxy"): Promise<Capture> {
  const har = { log: { version: "1.2", creator: { name: creator, version: "1" }, pages: [], entries } };
  return readCaptureStream(Readable.from([Buffer.from(JSON.stringify(har))]), "test.har");
}

const INVALID_TOKEN = { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae1", errorCauses: [] };

/** A capture whose every attacker-controlled string carries markup. */
async function maliciousResult(): Promise<FileResult> {
  const t0 = Date.parse("2026-11-20T16:00:00.000Z");
  const capture = await captureOf(
    [
      harEntry({
        url: `https://acme.okta.com/api/v1/users/me?x=${encodeURIComponent(SCRIPT_XSS)}`,
        status: 401,
        at: t0,
        requestHeaders: [
          { name: "User-Agent", value: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 ${SCRIPT_XSS}` },
          { name: "Origin", value: `https://app.example.com${ATTR_XSS}` },
          { name: "X-Evil", value: SCRIPT_XSS },
          { name: `X-Name${ATTR_XSS}`, value: ATTR_XSS },
        ],
        responseHeaders: [
          { name: "X-Note", value: ATTR_XSS },
          { name: "WWW-Authenticate", value: `Bearer realm="${SCRIPT_XSS}"` },
        ],
        body: { errorCode: "E0000011", errorSummary: `Invalid token ${SCRIPT_XSS}`, errorCauses: [] },
        comment: ATTR_XSS,
      }),
    ],
    `Evil${SCRIPT_XSS}`,
  );
  const finding: Finding = {
    ruleId: "api-token-rejected",
    severity: "error",
    confidence: "likely",
    message: `Message with ${SCRIPT_XSS} and ${ATTR_XSS}`,
    messageId: "rejected",
    entry: 0,
    request: { method: "GET", url: `https://acme.okta.com/api/v1/users/me?x=${ATTR_XSS}` },
    evidence: [`X-Evil: ${SCRIPT_XSS}`, ATTR_XSS],
    related: [],
    title: `Title ${SCRIPT_XSS}`,
    explanation: `Explanation \`${SCRIPT_XSS}\``,
    fix: `Fix ${ATTR_XSS}`,
    docs: ["https://developer.okta.com/docs/reference/error-codes/#E0000011", `javascript:alert(1)${ATTR_XSS}`],
    fingerprint: "f",
    occurrences: 1,
    symptoms: [],
  };
  return { path: `evil${ATTR_XSS}.har`, capture, findings: [finding], error: `broke ${SCRIPT_XSS}` };
}

/** 240 calls from browser, server and unknown senders, with failures, a pause and findings at the end. */
async function largeResult(): Promise<FileResult> {
  const t0 = Date.parse("2026-11-20T16:00:00.000Z");
  const token = "00" + "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7s".slice(0, 40);
  const browser = [
    { name: "User-Agent", value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36" },
    { name: "Origin", value: "https://app.example.com" },
    { name: "Sec-Fetch-Mode", value: "cors" },
  ];
  const server = [
    { name: "User-Agent", value: "okta-sdk-nodejs/7.1.1 node/20.20.2" },
    { name: "Authorization", value: `SSWS ${token}` },
  ];
  const entries: ReturnType<typeof harEntry>[] = [];
  for (let i = 0; i < 240; i++) {
    const at = t0 + i * 350 + (i >= 120 ? 6 * 60_000 : 0);
    if (i % 3 === 0) entries.push(harEntry({ url: "https://acme.okta.com/api/v1/users/me", status: 200, at, requestHeaders: browser, body: { id: "00u1" } }));
    else if (i % 3 === 1) entries.push(harEntry({ url: `https://acme.okta.com/api/v1/groups/00g${String(i).padStart(17, "0")}/users`, status: 200, at, requestHeaders: server, body: [] }));
    else entries.push(harEntry({ url: "https://acme.okta.com/oauth2/default/v1/keys", status: i % 30 === 2 ? 0 : 200, at, requestHeaders: [], body: { keys: [] } }));
  }
  // The last three: the API token is rejected.
  for (let k = 0; k < 3; k++) {
    entries.push(harEntry({ url: "https://acme.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7", status: 401, at: t0 + 239 * 350 + 6 * 60_000 + 2 * 60_000 + k * 500, requestHeaders: server, body: INVALID_TOKEN }));
  }
  const capture = await captureOf(entries, "Playwright");
  // Findings written here rather than by a rule: the layout is what is tested.
  const findings = [240, 241, 242].map((entry): Finding => ({
    ruleId: "api-token-rejected",
    severity: "error",
    confidence: "certain",
    message: `Okta rejected the API token ${maskSecret(token)} on GET /api/v1/users/00u1ab2cdEFGH3ijK4l7 (401 E0000011). The same token worked here at entry 238.`,
    messageId: "rejected",
    entry,
    request: { method: "GET", url: "https://acme.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7" },
    evidence: [`Authorization: SSWS ${maskSecret(token)}`, "HTTP 401 E0000011"],
    related: [238],
    title: "Okta rejected the SSWS API token (401 E0000011)",
    explanation: "The token is not a live API token of this org.",
    fix: "Send a live API token of this org from your server.",
    docs: ["https://developer.okta.com/docs/reference/error-codes/#E0000011"],
    fingerprint: `fp${entry}`,
    occurrences: 1,
    symptoms: [],
  }));
  return { path: "recorded/e2e-checkout.har", capture, findings };
}

/**
 * The motivating 401 as one problem that two other rules also saw: one at the
 * same call, one at entry 0 (which answered 200). Written by hand: the engine's
 * grouping lands separately, and the report must show whatever it is given.
 * The symptom at entry 0 carries markup and a raw API token in its evidence:
 * the report escapes and masks what it shows.
 */
async function withSymptoms(): Promise<{ result: FileResult; cause: Finding }> {
  const result = await motivating();
  const base = entry2Error(result);
  const same: Symptom = {
    ruleId: "api-token-rejected",
    severity: "error",
    confidence: "likely",
    message: `Okta rejected the API token ${maskSecret(COOKIE_TOKEN)} (401 E0000011)`,
    messageId: "rejected",
    entry: 2,
    evidence: ["HTTP 401 E0000011"],
    related: [],
    title: "Okta rejected the API token",
    fingerprint: "s1",
    occurrences: 1,
  };
  const first: Symptom = { ...same, ruleId: "deprecated-api", severity: "warning", confidence: "certain", message: `Sign-in started here ${SCRIPT_XSS}`, entry: 0, evidence: [`Authorization: SSWS ${SSWS}`], fingerprint: "s2" };
  const cause: Finding = { ...base, symptoms: [same, first] };
  return { result: { ...result, findings: [cause] }, cause };
}

/** Attributes of the diagram row of one entry. */
function callRow(html: string, cap: number, entry: number): string | undefined {
  return new RegExp(`<g class="[^"]*" data-cap="${cap}" data-entry="${entry}"[^>]*>`).exec(html)?.[0];
}

/** Lanes of one capture's diagram: [title, subtitle]. */
function laneTitles(html: string, cap: number): string[][] {
  const section = new RegExp(`<div class="diagram-scroll" data-cap="${cap}">[\\s\\S]*?</svg>`).exec(html)?.[0] ?? "";
  return [...section.matchAll(/<text class="lane-title"[^>]*>([^<]*)<\/text><text class="lane-sub"[^>]*>([^<]*)<\/text>/g)].map((m) => [m[1]!, m[2]!]);
}

const BEYOND = ["trust-beyond-spa-own-api", "trust-beyond-id-token-to-api", "trust-beyond-analytics-id-token"];

/** The samples of calls elsewhere (the SPA's own API, the ID token sent to it, the ID token sent to an analytics host), and every JWT in them. */
async function beyondResults(): Promise<{ results: FileResult[]; tokens: string[] }> {
  const results: FileResult[] = [];
  const tokens = new Set<string>();
  for (const name of BEYOND) {
    const file = join(ROOT, "samples/rules", `${name}.har`);
    const { capture, findings } = await lintFile(file);
    results.push({ path: `samples/rules/${name}.har`, capture, findings });
    for (const m of readFileSync(file, "utf8").matchAll(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g)) tokens.add(m[0]);
  }
  return { results, tokens: [...tokens] };
}

describe("html report document", () => {
  it("is one self-contained document with a strict CSP and nothing to load", async () => {
    const html = htmlReporter([await motivating()], CTX);
    expect(html.startsWith("<!doctype html>\n<html lang=\"en\">")).toBe(true);
    expect(html).toContain(CSP);
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toMatch(/<script>\n\(function \(\) \{/);
    expect(html).not.toMatch(/<(?:script|img|iframe|link|source|video|audio)\b[^>]*\s(?:src|href)="(?!data:)[^"]*"/);
    expect(html.match(/<link\b[^>]*>/g)).toEqual([`<link rel="icon" href="data:,">`]);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it("draws the motivating flow: three server calls to acme.okta.com, the 401 at entry 2 failed and marked", async () => {
    const result = await motivating();
    const html = htmlReporter([result], CTX);
    const rows = [0, 1, 2].map((e) => callRow(html, 0, e));
    expect(rows[0]).toContain('class="call st-ok"');
    expect(rows[0]).toContain('data-sender="server"');
    expect(rows[1]).toMatch(/class="call st-ok[" ]/);
    expect(rows[2]).toMatch(/^<g class="call st-fail failed has-findings" data-cap="0" data-entry="2" data-sender="server" data-status="401" data-worst="error" data-vis="error"/);
    expect(html).toContain(">401 · E0000011</text>");
    expect(html).toContain('<text class="lane-sub" x="750" y="41" text-anchor="middle">acme.okta.com</text>');
    expect(html).toContain(">App server</text>");
    // The finding, beside the diagram, pointing at entry 2.
    const f = entry2Error(result);
    expect(html).toMatch(new RegExp(`<article class="finding sev-error(?: has-symptoms)?" data-list="main" data-sev="error" data-rule="${f.ruleId}" data-cap="0" data-entry="2" data-entries="2[^"]*" id="f0-\\d+">`));
    expect(html).toContain('<button type="button" class="entry-ref goto" data-cap="0" data-goto="2">entry 2</button>');
    // The details of entry 2: status, Okta error with its summary, the credential, masked.
    const detail = /<section class="detail" data-cap="0" data-entry="2"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    expect(detail).toContain('<span class="status-pill st-fail">401 · E0000011</span>');
    expect(detail).toContain('<dt>Okta error</dt><dd><code class="fail">E0000011</code> — Invalid token provided</dd>');
    expect(detail).toContain(`<dt>Credential</dt><dd><code>SSWS ${maskSecret(COOKIE_TOKEN)}</code></dd>`);
    expect(detail).toContain(`<tr><th scope="row">Authorization</th><td>SSWS ${maskSecret(COOKIE_TOKEN)}</td></tr>`);
    expect(detail).toContain("<li><code>User-Agent: axios/1.7.7</code></li>");
    // The summary.
    expect(html).toMatch(/<div class="tile "><span class="v">1<\/span><span class="l">capture<\/span><\/div><div class="tile "><span class="v">3<\/span><span class="l">Okta calls<\/span><\/div>/);
    expect(html).toContain('<div class="tile t-fail"><span class="v">1</span><span class="l">failed calls</span></div>');
    expect(html).toContain("mitmproxy 10.4.2, HAR 1.2");
    expect(html).toContain("3 entries");
  });

  it("never shows a secret of the sample in full, and shows the masked forms", async () => {
    const html = htmlReporter([await motivating()], CTX);
    for (const secret of SAMPLE_SECRETS) expect(html, secret).not.toContain(secret);
    expect(maskSecret(SSWS)).toBe("00mZ…Ij4 (42 chars)");
    expect(html).toContain("SSWS 00mZ…Ij4 (42 chars)");
    expect(html).toContain("SSWS 1028…iml (42 chars)");
  });

  it("escapes every capture and finding string: no injected markup survives", async () => {
    const html = htmlReporter([await maliciousResult()], CTX);
    // Only our own script tag, and no element or attribute from the capture.
    expect(html.match(/<script\b/gi)).toHaveLength(1);
    expect(html).not.toContain(SCRIPT_XSS);
    expect(html).not.toContain(ATTR_XSS);
    expect(html).not.toMatch(/<img\b/i);
    // No tag carries an event handler (attribute values, all double-quoted, are set aside first).
    const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(100);
    expect(tags.map((t) => t.replace(/"[^"]*"/g, '""')).filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([]);
    expect(html).not.toMatch(/href="javascript:/i);
    // The values are shown, as text.
    const escScript = escapeHtml(SCRIPT_XSS);
    const escAttr = escapeHtml(ATTR_XSS);
    expect(escScript).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(escAttr).toBe("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain(`<tr><th scope="row">X-Evil</th><td>${escScript}</td></tr>`);
    expect(html).toContain(`<tr><th scope="row">X-Name${escAttr}</th><td>${escAttr}</td></tr>`);
    expect(html).toContain(`<tr><th scope="row">X-Note</th><td>${escAttr}</td></tr>`);
    expect(html).toContain(`<span class="file">evil${escAttr}.har</span>`);
    expect(html).toContain(`<p class="msg">Message with ${escScript} and ${escAttr}</p>`);
    expect(html).toContain(`<details class="why"><summary>Why it matters</summary><p>Explanation <code>${escScript}</code></p></details>`);
    expect(html).toContain(`<span class="doc">javascript:alert(1)${escAttr}</span>`);
    expect(html).toContain(`Evil${escScript}`);
    expect(html).toContain(`<p class="input-error" role="alert">broke ${escScript}</p>`);
    expect(html).toContain(`<dt>Okta error</dt><dd><code class="fail">E0000011</code> — Invalid token ${escScript}</dd>`);
  });

  it("renders an unreadable input and a capture without Okta calls", async () => {
    const empty = await captureOf([harEntry({ url: "https://example.com/", status: 200, at: Date.parse("2026-11-20T16:00:00Z") })]);
    const html = htmlReporter(
      [
        { path: "missing.har", findings: [], error: "missing.har: no such file" },
        { path: "other.har", capture: empty, findings: [] },
      ],
      CTX,
    );
    expect(html).toContain('<p class="input-error" role="alert">missing.har: no such file</p>');
    expect(html).toContain('<p class="empty">No Okta calls in this capture (1 entry to other hosts).</p>');
    expect(html).toContain('<div class="tile t-error"><span class="v">1</span><span class="l">unreadable</span></div>');
    expect(html).toContain('<nav class="toc" aria-label="Captures">');
    expect(html).not.toContain('class="call ');
  });

  it("keeps 240 calls compact: one row each, lanes by sender, a separator at the 6-minute pause", async () => {
    const result = await largeResult();
    const html = htmlReporter([result], CTX);
    expect(html.match(/<g class="call /g)).toHaveLength(243);
    expect(html.match(/data-sender="browser"/g)).toHaveLength(80);
    expect(html.match(/data-sender="server"/g)).toHaveLength(83);
    expect(html.match(/<g class="call[^"]*sender-unknown/g)).toHaveLength(80);
    expect(html.match(/<g class="call st-fail failed[ "]/g)).toHaveLength(11);
    expect(html.match(/<g class="call st-fail failed sender-unknown" data-cap="0" data-entry="(2|32|62|92|122|152|182|212)" /g)).toHaveLength(8);
    expect(html.match(/<g class="call st-fail failed has-findings" data-cap="0" data-entry="24[012]" /g)).toHaveLength(3);
    expect(html).toContain(">6 min later</text>");
    expect(html).toContain(">2 min later</text>");
    // 243 rows of 32px, two 22px separators, 6px top and 10px bottom padding.
    expect(html).toContain(`<svg class="seq" width="900" height="${6 + 243 * 32 + 2 * 22 + 10}"`);
    expect(html).toContain('<text class="lane-title" x="210" y="26" text-anchor="middle">Browser</text>');
  });
});

describe("html report: calls elsewhere that carried an Okta token", () => {
  it("draws them in lanes of their own (your API, third party), the token masked, findings linked as for Okta calls, counts unchanged", async () => {
    const { results, tokens } = await beyondResults();
    const html = htmlReporter(results, CTX);
    // The SPA's own API: two hosts, each its own "Your API" lane; the analytics host: a "Third party" lane.
    expect(laneTitles(html, 0)).toEqual([["Browser", "page, SPA, redirects"], ["App server", "no calls"], ["Okta", "acme.okta.com"], ["Your API", "app.example.com"], ["Your API", "api.example.com"]]);
    expect(laneTitles(html, 2)).toEqual([["Browser", "page, SPA, redirects"], ["App server", "no calls"], ["Okta", "acme.okta.com"], ["Third party", "www.google-analytics.com"]]);
    expect(callRow(html, 0, 1)).toMatch(/^<g class="call st-ok to-app" data-cap="0" data-entry="1" data-sender="browser" data-status="200" data-to="app"/);
    expect(callRow(html, 1, 1)).toMatch(/^<g class="call st-fail failed to-app has-findings" data-cap="1" data-entry="1" data-sender="browser" data-status="401" data-to="app" data-worst="error"/);
    expect(callRow(html, 2, 1)).toMatch(/^<g class="call st-ok to-third-party has-findings" data-cap="2" data-entry="1" data-sender="browser" data-status="204" data-to="third-party" data-worst="error"/);
    expect(html).toContain("GET</tspan> www.google-analytics.com/g/collect</text>");
    // Their details: whose host it is and why, the token masked.
    const detail = /<section class="detail foreign" data-cap="2" data-entry="1" data-to="third-party"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    expect(detail).toContain('<span class="tag to-third-party">third party</span>');
    expect(detail).toContain("<dt>Why</dt><dd>a known analytics or tag host</dd>");
    expect(detail).toMatch(/<dt>Okta token<\/dt><dd><ul class="plain"><li><code>ID token in query dl eyJr… \(JWT, exp [^)]+\)<\/code><\/li><\/ul><\/dd>/);
    expect(detail).toContain("Findings on this call (1)");
    const api = /<section class="detail foreign" data-cap="1" data-entry="1" data-to="app"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    expect(api).toContain("<dt>Why</dt><dd>answered the token with WWW-Authenticate: Bearer</dd>");
    expect(api).toContain("<dt>WWW-Authenticate</dt>");
    expect(api).toMatch(/<dt>Okta token<\/dt><dd><ul class="plain"><li><code>Bearer ID token eyJr… /);
    // The findings at those calls lead to them, as for an Okta call.
    for (const cap of [1, 2]) expect(html).toContain(`<button type="button" class="entry-ref goto" data-cap="${cap}" data-goto="1">entry 1</button>`);
    expect(html).not.toContain('title="not an Okta call">entry 1<');
    // The raw tokens never appear; counts are of Okta calls and problems, as before.
    expect(tokens.length).toBeGreaterThanOrEqual(2); // the access token and the ID token of one sign-in
    for (const t of tokens) {
      expect(html).not.toContain(t);
      expect(html).not.toContain(t.split(".").slice(0, 2).join("."));
    }
    expect(html).toMatch(/<span class="v">3<\/span><span class="l">captures<\/span><\/div><div class="tile "><span class="v">3<\/span><span class="l">Okta calls<\/span>/);
    expect(html).toContain("Okta tokens on 2 other calls (your API 2)");
    expect(html).toContain("Okta tokens on 1 other call (third party 1)");
    for (const [i, r] of results.entries()) expect(html).toContain(`data-count-cap="${i}">${r.findings.length}</span>`);
    expect(results.map((r) => r.findings.map((f) => `${f.ruleId}@${f.entry}`))).toEqual([[], ["id-token-as-access-token@1"], ["token-to-third-party@1"]]);
  });

  it("a capture with no Okta call but calls elsewhere that carried an Okta token still gets its diagram", async () => {
    const { results } = await beyondResults();
    const r = results[2]!;
    const capture = { ...r.capture!, calls: [], oktaHosts: [] } as Capture;
    const html = htmlReporter([{ ...r, capture, findings: [] }], CTX);
    expect(html).not.toContain('<p class="empty">No Okta calls in this capture');
    expect(laneTitles(html, 0)).toEqual([["Browser", "page, SPA, redirects"], ["App server", "no calls"], ["Third party", "www.google-analytics.com"]]);
    expect(callRow(html, 0, 1)).toContain('data-to="third-party"');
  });
});

describe("html report stylesheet and script", () => {
  const HTML_DIR = join(ROOT, "src/report/html");

  it("are the files in src/report/html, inlined as they are", async () => {
    const html = htmlReporter([await motivating()], CTX);
    expect(/<style>\n([\s\S]*?)<\/style>/.exec(html)?.[1]).toBe(readFileSync(join(HTML_DIR, "report.css"), "utf8"));
    expect(/<script>\n([\s\S]*?)<\/script>/.exec(html)?.[1]).toBe(readFileSync(join(HTML_DIR, "report.js"), "utf8"));
    const gen = spawnSync(process.execPath, [join(ROOT, "scripts/gen-html-assets.mjs"), "--check"], { encoding: "utf8" });
    expect(gen.stderr).toBe("");
    expect(gen.status).toBe(0);
  });

  it("type-checks the browser script as browser JavaScript (strict, DOM)", () => {
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(HTML_DIR, "tsconfig.json")], { encoding: "utf8", timeout: 120_000 });
    expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
    expect(tsc.status).toBe(0);
  });
});

describe("html report: a problem with its symptoms", () => {
  it("shows one card with its symptoms, counts one problem, and marks the symptoms' calls as the cause's", async () => {
    const { result, cause } = await withSymptoms();
    const html = htmlReporter([result], CTX);
    // One problem: one card in the list, one in the counts, chips and tiles; the symptoms' rules get no chip.
    const cards = html.match(/<article class="finding[^"]*" data-list="main"[^>]*>/g) ?? [];
    expect(cards).toEqual([
      `<article class="finding sev-error has-symptoms" data-list="main" data-sev="error" data-rule="${cause.ruleId}" data-cap="0" data-entry="2" data-entries="2 0" id="f0-0">`,
    ]);
    expect(html).toContain('Findings <span class="tab-count" data-count-cap="0">1</span>');
    expect(html).toContain('<span class="shown" aria-live="polite" data-shown>1 of 1 finding shown</span>');
    expect(html).toContain('<div class="verdict verdict-error">');
    expect(html).toContain("<span>1 problem in 1 rule</span>");
    expect(html).toContain('<div class="tile t-error"><span class="v">1</span><span class="l">error</span></div>');
    expect(html).toContain('<div class="tile "><span class="v">0</span><span class="l">warnings</span></div>');
    expect(html).toContain('<span class="n">1</span></label><label class="chip sev-warning zero">');
    expect(html.match(/<label class="chip rule">/g)).toHaveLength(1);
    expect(html).not.toContain('data-filter="rule" value="deprecated-api"');

    // The card lists the symptoms beneath the cause: rule, a link to the entry, message, evidence (escaped and masked).
    const card = /<article class="finding[^"]*" data-list="main"[\s\S]*?<\/article>/.exec(html)![0];
    expect(card).toContain('<p class="sym-head">Also seen as <span class="muted">(2 symptoms of this problem, not counted on their own)</span></p>');
    const items = card.match(/<li class="symptom [^"]*" data-rule="[^"]*" data-entry="\d+">/g);
    expect(items).toEqual(['<li class="symptom sev-error" data-rule="api-token-rejected" data-entry="2">', '<li class="symptom sev-warning" data-rule="deprecated-api" data-entry="0">']);
    expect(card).toContain('<code class="rule">deprecated-api</code><button type="button" class="entry-ref goto" data-cap="0" data-goto="0">entry 0</button>');
    expect(card).toContain(`<p class="sym-msg">Okta rejected the API token ${maskSecret(COOKIE_TOKEN)} (401 E0000011)</p>`);
    expect(card).toContain(`<p class="sym-msg">Sign-in started here ${escapeHtml(SCRIPT_XSS)}</p>`);
    expect(card).toContain(`<li><code>Authorization: SSWS ${maskSecret(SSWS)}</code></li>`);
    expect(card.indexOf('class="evidence"')).toBeLessThan(card.indexOf('class="symptoms"'));
    expect(card.indexOf('class="symptoms"')).toBeLessThan(card.indexOf('class="why"'));
    for (const secret of SAMPLE_SECRETS) expect(html, secret).not.toContain(secret);
    expect(html).not.toContain(SCRIPT_XSS);

    // The diagram: entry 0 answered 200 but belongs to the error at entry 2, and a bracket joins the two rows.
    expect(callRow(html, 0, 0)).toBe(
      '<g class="call st-ok has-findings symptom-of symptom-only" data-cap="0" data-entry="0" data-sender="server" data-status="200" data-worst="error" data-vis="error" data-symptom-of="f0-0" transform="translate(0 6)" tabindex="0" role="button" aria-pressed="false">',
    );
    expect(callRow(html, 0, 1)).not.toContain("has-findings");
    expect(callRow(html, 0, 2)).toMatch(/^<g class="call st-fail failed has-findings" /);
    expect(html).toContain(`<title>#0 POST https://acme.okta.com/api/v1/authn · → 200 · sender: server · deprecated-api: symptom of ${cause.ruleId} at entry 2</title>`);
    const link = /<g class="sym-link sev-error" data-finding="f0-0" aria-hidden="true">[\s\S]*?<\/g>/.exec(html)?.[0];
    expect(link).toBe('<g class="sym-link sev-error" data-finding="f0-0" aria-hidden="true"><line x1="5" y1="28" x2="5" y2="92"/><circle class="sym-cause" cx="5" cy="92" r="2.6"/><circle class="sym-at" cx="5" cy="28" r="2.4"/></g>');
    expect(html).toContain("a problem (dot) and the calls where it was also seen (rings)");

    // The details of entry 0 say whose symptom it is and show the problem.
    const detail = /<section class="detail" data-cap="0" data-entry="0"[\s\S]*?<\/section>/.exec(html)![0];
    expect(detail).toContain(`<p class="sym-note">Seen here as a symptom of <code>${cause.ruleId}</code> at <button type="button" class="entry-ref goto" data-cap="0" data-goto="2">entry 2</button>: one problem, counted once, where its cause is.</p>`);
    expect(detail).toContain(`<article class="finding sev-error has-symptoms" data-list="detail" data-sev="error" data-rule="${cause.ruleId}" data-cap="0" data-entry="2" data-entries="2 0">`);
    expect(detail).toContain('<button type="button" class="link show-finding" data-cap="0" data-finding="f0-0">Why and how to fix →</button>');
  });

  it("draws no bracket and no symptom marks for a problem seen at one call only", async () => {
    const { result, cause } = await withSymptoms();
    const html = htmlReporter([{ ...result, findings: [{ ...cause, symptoms: [cause.symptoms[0]!] }] }], CTX);
    expect(html).not.toContain('<g class="sym-link');
    expect(html).not.toContain("symptom-of");
    expect(html).toContain('data-entry="2" data-entries="2" id="f0-0"');
    expect(html).toContain("(1 symptom of this problem, not counted on their own)");
  });
});

// ---------------------------------------------------------------------------
// In the browser
// ---------------------------------------------------------------------------

const HAVE_CHROMIUM = existsSync(CHROMIUM);

describe.skipIf(!HAVE_CHROMIUM)(`html report in headless Chromium (${HAVE_CHROMIUM ? CHROMIUM : `skipped: ${CHROMIUM} is not installed (apt-get install chromium)`})`, () => {
  type Pw = typeof import("playwright-core");
  let context: Awaited<ReturnType<Pw["chromium"]["launchPersistentContext"]>>;
  let profile: string;
  let dir: string;

  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    profile = mkdtempSync(join(tmpdir(), "oktalint-chromium-"));
    dir = mkdtempSync(join(tmpdir(), "oktalint-html-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1440, height: 900 },
      colorScheme: "light",
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Open a report from a file:// URL, recording console errors, page errors, dialogs and requests. */
  async function open(html: string, name: string) {
    const file = join(dir, name);
    writeFileSync(file, html);
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("request", (r) => requests.push(r.url()));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: "load" });
    return { page, problems, requests, dialogs, url };
  }

  it("shows the motivating 401 as failed, its details on click, hides the finding by filter, and writes a screenshot", async () => {
    const result = await motivating();
    const rule = entry2Error(result).ruleId;
    const { page, problems, requests, url } = await open(htmlReporter([result], CTX), "motivating.html");
    const arrow = page.locator('.call[data-cap="0"][data-entry="2"]');
    expect(await arrow.getAttribute("class")).toContain("failed");
    expect(await arrow.getAttribute("data-status")).toBe("401");
    expect(await page.locator('.call[data-entry="0"]').getAttribute("class")).not.toContain("failed");

    // Click the arrow: the details tab opens on entry 2.
    await arrow.click();
    expect(await arrow.getAttribute("class")).toContain("selected");
    const detail = page.locator('.detail[data-cap="0"][data-entry="2"]');
    await detail.waitFor({ state: "visible" });
    const text = await detail.innerText();
    expect(text).toContain("401");
    expect(text).toContain("E0000011");
    expect(text).toContain("Invalid token provided");
    expect(text).not.toContain(COOKIE_TOKEN);
    expect(await page.locator('.detail[data-entry="0"]').isVisible()).toBe(false);
    expect(await page.locator('.tab[data-tab="details"]').getAttribute("aria-selected")).toBe("true");
    expect(page.url()).toBe(`${url}#c0-e2`);

    // Back on the findings tab, clicking the finding selects its arrow.
    await page.locator('.tab[data-tab="findings"]').click();
    const card = page.locator(`.finding[data-list="main"][data-sev="error"][data-rule="${rule}"][data-entry="2"]`).first();
    await card.waitFor({ state: "visible" });
    await page.locator('.call[data-entry="0"]').click();
    await page.locator('.tab[data-tab="findings"]').click();
    await card.locator("h4").click();
    expect(await card.getAttribute("class")).toContain("active");
    expect(await arrow.getAttribute("class")).toContain("selected");
    expect(await page.locator('.call[data-entry="0"]').getAttribute("class")).not.toContain("selected");

    // Keyboard: Up from entry 2 selects entry 1.
    await arrow.focus();
    await page.keyboard.press("ArrowUp");
    expect(await page.locator('.call[data-entry="1"]').getAttribute("class")).toContain("selected");

    // The severity filter hides the finding and dims its arrow; turning it back on restores both.
    await page.locator('.tab[data-tab="findings"]').click();
    expect(await card.isVisible()).toBe(true);
    const total = result.findings.length;
    const errors = result.findings.filter((x) => x.severity === "error").length;
    await page.locator("label.chip.sev-error").click();
    expect(await page.locator('input[data-filter="severity"][value="error"]').isChecked()).toBe(false);
    expect(await card.isHidden()).toBe(true);
    expect(await arrow.getAttribute("data-vis")).not.toBe("error");
    expect(await page.locator("[data-shown]").innerText()).toBe(`${total - errors} of ${total} finding${total === 1 ? "" : "s"} shown`);
    // With every severity off, the arrow has no visible finding left and is dimmed.
    await page.locator("label.chip.sev-warning").click();
    await page.locator("label.chip.sev-info").click();
    expect(await arrow.getAttribute("class")).toContain("dimmed");
    expect(await arrow.getAttribute("data-vis")).toBe("none");
    expect(await page.locator(".all-hidden").isVisible()).toBe(true);
    for (const s of ["error", "warning", "info"]) await page.locator(`label.chip.sev-${s}`).click();
    expect(await card.isVisible()).toBe(true);
    expect(await arrow.getAttribute("class")).not.toContain("dimmed");
    expect(await arrow.getAttribute("data-vis")).toBe("error");
    expect(await page.locator("[data-shown]").innerText()).toBe(`${total} of ${total} finding${total === 1 ? "" : "s"} shown`);

    // The rule filter does the same.
    const ruleChip = page.locator(`label.chip.rule:has(input[value="${rule}"])`);
    await ruleChip.click();
    expect(await card.isHidden()).toBe(true);
    await ruleChip.click();
    expect(await card.isVisible()).toBe(true);

    // From the call's details, "Why and how to fix" opens the finding in the list.
    await arrow.click();
    await page.locator(`.detail[data-entry="2"] .finding[data-rule="${rule}"] button.show-finding`).click();
    expect(await page.locator('.tab[data-tab="findings"]').getAttribute("aria-selected")).toBe("true");
    expect(await card.getAttribute("class")).toContain("active");
    expect(await card.locator("details.why").getAttribute("open")).toBe("");

    // The screenshots: entry 2 selected with its details open, then the findings list.
    await arrow.click();
    await page.evaluate(() => window.scrollTo(0, 0));
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, "html-report.html"), await page.content());
    await page.screenshot({ path: join(OUT, "html-report.png") });
    expect(existsSync(join(OUT, "html-report.png"))).toBe(true);
    await page.locator('.tab[data-tab="findings"]').click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUT, "html-report-findings.png") });

    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it("links a problem's symptoms to their calls, and filters the problem with its symptoms", async () => {
    const { result } = await withSymptoms();
    const { page, problems, requests, url } = await open(htmlReporter([result], CTX), "symptoms.html");
    const card = page.locator('.finding[data-list="main"]');
    expect(await card.count()).toBe(1);
    const symptoms = card.locator(".symptom");
    expect(await symptoms.count()).toBe(2);
    expect(await symptoms.nth(1).innerText()).toContain(`Sign-in started here ${SCRIPT_XSS}`);
    const row0 = page.locator('.call[data-cap="0"][data-entry="0"]');
    const row2 = page.locator('.call[data-cap="0"][data-entry="2"]');
    const link = page.locator('.sym-link[data-finding="f0-0"]');
    expect(await link.isVisible()).toBe(true);
    expect(await row0.getAttribute("data-vis")).toBe("error");

    // Clicking the card selects the cause and lights up every call of the problem.
    await card.locator("h4").click();
    expect(await row2.getAttribute("class")).toContain("selected");
    expect(await row2.getAttribute("class")).toContain("linked");
    expect(await row0.getAttribute("class")).toContain("linked");
    expect(await page.locator('.call[data-entry="1"]').getAttribute("class")).not.toContain("linked");
    // A symptom's entry button selects the call where it was seen.
    await symptoms.nth(1).locator("button.goto").click();
    expect(await row0.getAttribute("class")).toContain("selected");
    expect(page.url()).toBe(`${url}#c0-e0`);

    // Hiding errors hides the one problem: its card, its bracket, and the marks of both calls.
    await page.locator('.tab[data-tab="findings"]').click();
    await page.locator("label.chip.sev-error").click();
    expect(await card.isHidden()).toBe(true);
    expect(await link.isHidden()).toBe(true);
    expect(await row0.getAttribute("data-vis")).toBe("none");
    expect(await row0.getAttribute("class")).toContain("dimmed");
    expect(await row2.getAttribute("data-vis")).toBe("none");
    expect(await page.locator("[data-shown]").innerText()).toBe("0 of 1 finding shown");
    // The symptom's own severity (a warning) does not keep it shown: it is not a finding of its own.
    expect(await page.locator('input[data-filter="severity"][value="warning"]').isChecked()).toBe(true);
    await page.locator("label.chip.sev-error").click();
    expect(await card.isVisible()).toBe(true);
    expect(await link.isVisible()).toBe(true);
    expect(await row0.getAttribute("data-vis")).toBe("error");
    expect(await page.locator("[data-shown]").innerText()).toBe("1 of 1 finding shown");

    // The details of entry 0 lead to the problem's card.
    await row0.click();
    await page.locator('.detail[data-entry="0"] button.show-finding').click();
    expect(await card.getAttribute("class")).toContain("active");
    mkdirSync(OUT, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUT, "html-report-symptoms.png") });
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it("shows calls elsewhere that carried an Okta token: their lanes, their details on click, a finding's entry selects its call; no raw token in the page", async () => {
    const { results, tokens } = await beyondResults();
    const { page, problems, requests, url } = await open(htmlReporter(results, CTX), "beyond.html");
    const lanes = page.locator('.capture[data-cap="2"] .lane-head .lane-title');
    expect(await lanes.allTextContents()).toEqual(["Browser", "App server", "Okta", "Third party"]);
    const row = page.locator('.call[data-cap="2"][data-entry="1"]');
    expect(await row.isVisible()).toBe(true);
    await row.click();
    expect(await row.getAttribute("class")).toContain("selected");
    const detail = page.locator('.detail[data-cap="2"][data-entry="1"]');
    expect(await detail.isVisible()).toBe(true);
    const text = await detail.innerText();
    expect(text).toContain("third party");
    expect(text).toContain("a known analytics or tag host");
    expect(text).toMatch(/ID token in query dl eyJr… \(JWT, exp /);
    // The finding's entry button (in the findings list) selects the call elsewhere, as for an Okta call.
    await page.locator('.capture[data-cap="1"] .tab[data-tab="findings"]').click();
    await page.locator('.capture[data-cap="1"] .finding[data-list="main"] button.goto[data-goto="1"]').first().click();
    expect(await page.locator('.call[data-cap="1"][data-entry="1"]').getAttribute("class")).toContain("selected");
    // Its details are the selected call's (the list stays on the findings tab, as for an Okta call).
    expect(await page.locator('.detail[data-cap="1"][data-entry="1"]').getAttribute("hidden")).toBeNull();
    const all = await page.content();
    for (const t of tokens) expect(all).not.toContain(t);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, "html-report-beyond.png"), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it("renders the same page in dark mode without errors", async () => {
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: "dark" });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    const file = join(dir, "dark.html");
    writeFileSync(file, htmlReporter([await motivating()], CTX));
    await page.goto(pathToFileURL(file).href);
    await page.locator('.call[data-entry="2"]').click();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe("rgb(14, 17, 22)");
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, "html-report-dark.png") });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("runs no injected script from a malicious capture", async () => {
    const { page, problems, requests, dialogs, url } = await open(htmlReporter([await maliciousResult()], CTX), "malicious.html");
    await page.locator('.call[data-entry="0"]').click();
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("script").count()).toBe(1);
    expect(await page.locator('.detail[data-entry="0"] tr:has(th:text-is("X-Evil")) td').innerText()).toBe(SCRIPT_XSS);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it("stays usable with 240 calls: a finding at the end scrolls its arrow into view", async () => {
    const { page, problems } = await open(htmlReporter([await largeResult()], CTX), "large.html");
    expect(await page.locator(".call").count()).toBe(243);
    const scroller = page.locator(".diagram-scroll");
    expect(await scroller.evaluate((el) => el.scrollTop)).toBe(0);
    const last = page.locator('.call[data-entry="242"]');
    expect(await last.isVisible()).toBe(true);
    const inView = () =>
      last.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const s = el.closest(".diagram-scroll")!.getBoundingClientRect();
        return box.top >= s.top && box.bottom <= s.bottom;
      });
    expect(await inView()).toBe(false);
    await page.locator('.finding[data-list="main"][data-entry="242"] button.goto').first().click();
    // The row ends up inside the diagram's scroll box, below its lane header, and inside the window below the toolbar.
    await page.waitForFunction(() => {
      const el = document.querySelector('.call[data-entry="242"]')!;
      const box = el.getBoundingClientRect();
      const scroller = el.closest(".diagram-scroll")!;
      const s = scroller.getBoundingClientRect();
      const head = scroller.querySelector(".lanes-sticky")!.getBoundingClientRect();
      const bar = document.querySelector(".toolbar")!.getBoundingClientRect();
      return box.top >= head.bottom && box.bottom <= s.bottom && head.top >= bar.bottom && box.bottom <= window.innerHeight;
    });
    expect(await last.getAttribute("class")).toContain("selected");
    // The lane header stays on top while the rows scroll.
    const header = await page.locator(".lanes-sticky").evaluate((el) => el.getBoundingClientRect().top - el.closest(".diagram-scroll")!.getBoundingClientRect().top);
    expect(Math.abs(header)).toBeLessThanOrEqual(1);
    // Up walks to the previous call.
    await last.focus();
    await page.keyboard.press("ArrowUp");
    expect(await page.locator('.call[data-entry="241"]').getAttribute("class")).toContain("selected");
    await page.waitForTimeout(700);
    await page.screenshot({ path: join(OUT, "html-report-large.png") });
    expect(problems).toEqual([]);
    await page.close();
  });
});
