/**
 * Baselines at the library level: lint the samples, record them, lint again
 * (nothing shows), add a new problem (only it shows), counts, batches, the
 * file format and its errors.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Readable } from "node:stream";
import { lintCapture, readCapture, readCaptureStream } from "../src/index.js";
import {
  BaselineError,
  BaselineMatcher,
  applyBaseline,
  createBaseline,
  emptyBaseline,
  parseBaseline,
  readBaseline,
  serializeBaseline,
  writeBaseline,
  type Baseline,
} from "../src/engine/baseline.js";
import type { Finding } from "../src/engine/types.js";
import { buildHar, fakeOneTimeToken, type CaptureSpec, type EntrySpec } from "../scripts/samples/builder.js";

const SAMPLES = fileURLToPath(new URL("../samples/", import.meta.url));
const tmpRoot = mkdtempSync(join(tmpdir(), "oktalint-baseline-"));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));
const NOW = new Date("2026-11-21T09:30:00Z");

/** The bundled top-level samples, in a stable order. */
const sampleFiles = readdirSync(SAMPLES)
  .filter((f) => f.endsWith(".har"))
  .sort()
  .map((f) => join(SAMPLES, f));

async function lintSamples(): Promise<Finding[][]> {
  const out: Finding[][] = [];
  for (const file of sampleFiles) out.push(lintCapture(await readCapture(file)).findings);
  return out;
}

async function lintSpecAll(spec: CaptureSpec): Promise<Finding[]> {
  const capture = await readCaptureStream(Readable.from([Buffer.from(JSON.stringify(buildHar(spec)))]), "spec.har");
  return lintCapture(capture).findings;
}

/**
 * The motivating mistake, recorded by a proxy: a server sends a cookieToken as
 * if it were an API token to a management endpoint and gets 401 E0000011.
 * `seed` changes every secret and id, as a new recording would.
 */
function cookieTokenAsApiToken(seed: string, userId: string, host = "https://acme.okta.com", calls = 1): CaptureSpec {
  const token = fakeOneTimeToken(`cookie-token-${seed}`, "102");
  const call = (i: number): EntrySpec => ({
    method: "GET",
    url: `${host}/api/v1/users/${userId}`,
    status: 401,
    from: { server: "axios/1.7.7" },
    at: 500 * i,
    headers: { Authorization: `SSWS ${token}` },
    response: { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: `oae${seed}${i}`, errorCauses: [] },
  });
  return { producer: "proxy", start: "2026-11-20T16:04:31.120Z", entries: Array.from({ length: calls }, (_, i) => call(i)) };
}

const synthetic = (fingerprint: string, ruleId: string, entry: number, message = `${ruleId} at ${entry}`): Finding => ({
  ruleId,
  severity: "error",
  confidence: "certain",
  message,
  messageId: "m",
  entry,
  evidence: [],
  related: [],
  title: "",
  explanation: "",
  fix: "",
  docs: [],
  fingerprint,
  occurrences: 1,
  symptoms: [],
});

describe("baseline round trip over the samples", () => {
  it("records the samples' findings, then hides all of them", async () => {
    const before = (await lintSamples()).flat();
    expect(before.length).toBeGreaterThan(0);
    const path = join(tmpRoot, "round-trip.json");
    const written = await writeBaseline(path, before, { now: NOW });
    const read = await readBaseline(path);
    expect(read).toEqual(written);
    const total = Object.values(read.findings).reduce((n, e) => n + e.count, 0);
    expect(total).toBe(before.length);

    const matcher = new BaselineMatcher(read);
    const again = await lintSamples();
    const results = again.map((findings) => matcher.apply(findings));
    expect(results.flatMap((r) => r.shown)).toEqual([]);
    expect(results.flatMap((r) => r.hidden)).toHaveLength(before.length);
    expect(matcher.unmatched().size).toBe(0);
  });

  it("shows exactly the new problem when a capture with a different problem is added", async () => {
    const baseline = createBaseline((await lintSamples()).flat(), { now: NOW });
    const recorded = new Set(Object.keys(baseline.findings));
    // The same mistake on the Admin Console host: a different URL, so a different fingerprint.
    const fresh = await lintSpecAll(cookieTokenAsApiToken("new", "00u9zz8yyXXW7vvU6t5s", "https://acme-admin.okta.com"));
    const matcher = new BaselineMatcher(baseline);
    for (const findings of await lintSamples()) expect(matcher.apply(findings).shown).toEqual([]);
    const { shown, hidden } = matcher.apply(fresh);
    expect(hidden).toEqual([]);
    expect(shown).toEqual(fresh);
    // On the -admin host, Okta's rejection of the token is a symptom of the wrong host: one problem.
    expect(shown.map((f) => [f.ruleId, f.entry, f.symptoms.map((s) => s.ruleId)])).toEqual([["wrong-base-url", 0, ["api-token-rejected"]]]);
    for (const f of shown) expect(recorded.has(f.fingerprint)).toBe(false);
  });

  it("keeps hiding a problem recorded again with new tokens and ids", async () => {
    const first = await lintSpecAll(cookieTokenAsApiToken("one", "00u1ab2cdEFGH3ijK4l7"));
    const second = await lintSpecAll(cookieTokenAsApiToken("two", "00u5zyx4WVUT3srQ2p1o"));
    expect(first.map((f) => f.ruleId)).toContain("api-token-rejected");
    expect(second.map((f) => f.fingerprint)).toEqual(first.map((f) => f.fingerprint));
    expect(second.map((f) => f.message)).not.toEqual(first.map((f) => f.message)); // different token, same problem
    expect(applyBaseline(second, createBaseline(first, { now: NOW }))).toEqual({ shown: [], hidden: second });
  });

  it("honours counts: two recorded calls cover two, a third occurrence shows the problem again", async () => {
    const two = await lintSpecAll(cookieTokenAsApiToken("c", "00u1ab2cdEFGH3ijK4l7", "https://acme.okta.com", 2));
    const three = await lintSpecAll(cookieTokenAsApiToken("c", "00u1ab2cdEFGH3ijK4l7", "https://acme.okta.com", 3));
    const rejected = (fs: Finding[]) => fs.filter((f) => f.ruleId === "api-token-rejected");
    // Repeats of one problem are folded into one finding that counts them.
    expect(rejected(two).map((f) => [f.entry, f.occurrences, f.related])).toEqual([[0, 2, [1]]]);
    const baseline = createBaseline(two, { now: NOW });
    const entry = baseline.findings[rejected(two)[0]!.fingerprint]!;
    expect(entry.count).toBe(2);
    expect(rejected(applyBaseline(two, baseline).hidden).map((f) => f.entry)).toEqual([0]);
    const { shown, hidden } = applyBaseline(three, baseline);
    expect(rejected(shown).map((f) => [f.entry, f.occurrences])).toEqual([[0, 3]]);
    expect(rejected(hidden)).toEqual([]);
  });

  it("writes no secret of the captures into the baseline", async () => {
    const path = join(tmpRoot, "secrets.json");
    const spec = cookieTokenAsApiToken("secret", "00u1ab2cdEFGH3ijK4l7");
    await writeBaseline(path, [...(await lintSamples()).flat(), ...(await lintSpecAll(spec))], { now: NOW });
    const text = readFileSync(path, "utf8");
    const captures = [...sampleFiles.map((f) => readFileSync(f, "utf8")), JSON.stringify(buildHar(spec))].join("\n");
    const secrets = new Set<string>();
    for (const m of captures.matchAll(/\b(00[A-Za-z0-9_-]{40}|102[A-Za-z0-9]{39}|20111[A-Za-z0-9]{37}|eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\b/g)) secrets.add(m[1]!);
    expect(secrets.size).toBeGreaterThan(0);
    for (const s of secrets) expect(text.includes(s), `secret ${s.slice(0, 6)}… in the baseline`).toBe(false);
  });
});

describe("baseline matching", () => {
  const A = "a".repeat(32);
  const B = "b".repeat(32);
  const C = "c".repeat(32);

  it("hides the first N findings of a fingerprint recorded N times, in the given order", () => {
    const baseline = createBaseline([synthetic(A, "r1", 0), synthetic(A, "r1", 1), synthetic(B, "r2", 2)], { now: NOW });
    const findings = [synthetic(A, "r1", 5), synthetic(B, "r2", 6), synthetic(A, "r1", 7), synthetic(A, "r1", 8), synthetic(C, "r3", 9), synthetic(B, "r2", 10)];
    const { shown, hidden } = applyBaseline(findings, baseline);
    expect(hidden.map((f) => f.entry)).toEqual([5, 6, 7]);
    expect(shown.map((f) => f.entry)).toEqual([8, 9, 10]);
  });

  it("counts across the captures of a batch and reports what no longer occurs", () => {
    const baseline = createBaseline([synthetic(A, "r1", 0), synthetic(A, "r1", 1), synthetic(B, "r2", 2), synthetic(B, "r2", 3), synthetic(C, "r3", 4)], { now: NOW });
    const matcher = new BaselineMatcher(baseline);
    expect(matcher.apply([synthetic(A, "r1", 0), synthetic(B, "r2", 1)]).shown).toEqual([]);
    const second = matcher.apply([synthetic(A, "r1", 0), synthetic(A, "r1", 1)]);
    expect(second.hidden.map((f) => f.entry)).toEqual([0]);
    expect(second.shown.map((f) => f.entry)).toEqual([1]);
    expect([...matcher.unmatched()]).toEqual([
      [B, 1],
      [C, 1],
    ]);
  });

  it("hides nothing with an empty baseline", () => {
    const f = [synthetic(A, "r1", 0)];
    expect(applyBaseline(f, emptyBaseline())).toEqual({ shown: f, hidden: [] });
  });
});

describe("baseline file", () => {
  const A = "0123456789abcdef0123456789abcdef";
  const B = "fedcba9876543210fedcba9876543210";
  const C = "00000000000000000000000000000000";

  it("has a versioned format, entries ordered by rule id then fingerprint", () => {
    const baseline = createBaseline(
      [synthetic(B, "okta-error", 3, "first message"), synthetic(A, "okta-error", 1), synthetic(C, "rate-limited", 0), synthetic(B, "okta-error", 4, "later message")],
      { now: NOW },
    );
    expect(serializeBaseline(baseline)).toBe(
      [
        "{",
        '  "version": 1,',
        '  "tool": "oktalint",',
        '  "findings": {',
        `    "${A}": {`,
        '      "ruleId": "okta-error",',
        '      "message": "okta-error at 1",',
        '      "count": 1,',
        '      "firstSeen": "2026-11-21"',
        "    },",
        `    "${B}": {`,
        '      "ruleId": "okta-error",',
        '      "message": "first message",',
        '      "count": 2,',
        '      "firstSeen": "2026-11-21"',
        "    },",
        `    "${C}": {`,
        '      "ruleId": "rate-limited",',
        '      "message": "rate-limited at 0",',
        '      "count": 1,',
        '      "firstSeen": "2026-11-21"',
        "    }",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("keeps firstSeen of recorded fingerprints and rewrites an unchanged baseline to the same bytes", async () => {
    const path = join(tmpRoot, "dates.json");
    await writeBaseline(path, [synthetic(A, "okta-error", 0)], { now: new Date("2026-01-05T23:59:59Z") });
    const first = readFileSync(path, "utf8");
    await writeBaseline(path, [synthetic(A, "okta-error", 0)], { now: NOW });
    expect(readFileSync(path, "utf8")).toBe(first);
    const updated = await writeBaseline(path, [synthetic(A, "okta-error", 0), synthetic(B, "rate-limited", 1)], { now: NOW });
    expect(updated.findings[A]!.firstSeen).toBe("2026-01-05");
    expect(updated.findings[B]!.firstSeen).toBe("2026-11-21");
    // A fixed problem drops out on update.
    const pruned = await writeBaseline(path, [synthetic(B, "rate-limited", 1)], { now: NOW });
    expect(Object.keys(pruned.findings)).toEqual([B]);
    expect(readdirSync(tmpRoot).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("reads a baseline with a byte order mark or without firstSeen", async () => {
    const path = join(tmpRoot, "minimal.json");
    writeFileSync(path, `\uFEFF{"version":1,"tool":"oktalint","findings":{"${A}":{"ruleId":"okta-error","message":"m","count":3}}}`);
    expect(await readBaseline(path)).toEqual({ version: 1, tool: "oktalint", findings: { [A]: { ruleId: "okta-error", message: "m", count: 3 } } });
  });

  async function failure(p: Promise<unknown>): Promise<BaselineError> {
    const e = await p.then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(BaselineError);
    return e as BaselineError;
  }

  it("fails on a missing file unless it may be created", async () => {
    const path = join(tmpRoot, "missing.json");
    const e = await failure(readBaseline(path));
    expect(e.reason).toBe("missing");
    expect(e.message).toBe(`${path}: baseline file not found (create it with --update-baseline)`);
    expect(await readBaseline(path, { allowMissing: true })).toEqual(emptyBaseline());
    const dir = await failure(readBaseline(tmpRoot));
    expect(dir.message).toBe(`${tmpRoot}: is a directory, not a baseline file`);
  });

  it("names what is wrong with an invalid file", async () => {
    const check = (value: unknown) => {
      try {
        parseBaseline(value, "b.json");
      } catch (e) {
        expect(e).toBeInstanceOf(BaselineError);
        return (e as Error).message;
      }
      return "valid";
    };
    expect(check({ version: 1, tool: "eslint", findings: {} })).toBe('b.json: not an oktalint baseline (tool is "eslint")');
    expect(check({ version: 2, tool: "oktalint", findings: {} })).toBe("b.json: baseline version 2 is newer than this oktalint reads (1); upgrade oktalint");
    expect(check({ log: { entries: [] } })).toMatch(/^b\.json: not a valid oktalint baseline: version: .+ \(and 3 more problems\)$/);
    expect(check({ version: 1, tool: "oktalint", findings: { [A]: { ruleId: "r", message: "m", count: 0 } } })).toMatch(
      new RegExp(`^b\\.json: not a valid oktalint baseline: findings\\.${A}\\.count: .+$`),
    );
    expect(check({ version: 1, tool: "oktalint", findings: { "not-a-hash": { ruleId: "r", message: "m", count: 1 } } })).toMatch(/^b\.json: not a valid oktalint baseline: findings/);
    expect(check({ version: 1, tool: "oktalint", findings: {} })).toBe("valid");
    const path = join(tmpRoot, "broken.json");
    writeFileSync(path, "{");
    expect((await failure(readBaseline(path))).message).toMatch(/: not a valid oktalint baseline: invalid JSON \(/);
  });

  it("refuses to overwrite a file that is not a baseline", async () => {
    const path = join(tmpRoot, "capture.har");
    const har = JSON.stringify({ log: { version: "1.2", entries: [] } });
    writeFileSync(path, har);
    const e = await failure(writeBaseline(path, [synthetic(A, "r", 0)]));
    expect(e.reason).toBe("invalid");
    expect(e.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: refusing to overwrite: not a valid oktalint baseline: `));
    expect(readFileSync(path, "utf8")).toBe(har);
  });

  it("creates the file, and fails cleanly where it cannot write", async () => {
    const path = join(tmpRoot, "new", "baseline.json");
    mkdirSync(join(tmpRoot, "new"));
    const b: Baseline = await writeBaseline(path, [], { now: NOW });
    expect(b).toEqual(emptyBaseline());
    expect(readFileSync(path, "utf8")).toBe('{\n  "version": 1,\n  "tool": "oktalint",\n  "findings": {}\n}\n');
    const e = await failure(writeBaseline(join(tmpRoot, "no-such-dir", "b.json"), []));
    expect(e.reason).toBe("unwritable");
    expect(e.message).toMatch(/: cannot write the baseline \(ENOENT/);
  });
});
