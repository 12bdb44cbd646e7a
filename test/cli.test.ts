/**
 * The CLI as users run it: the compiled `oktalint` (npm test builds first),
 * its output, its exit codes, and its one-line errors.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "dist/src/cli/main.js");
const CORPUS = fileURLToPath(new URL("../../shared/har-corpus/", import.meta.url));
const MOTIVATING = join(ROOT, "samples/motivating-401.har");

function run(args: string[], input?: string, cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One line, prefixed, and no stack trace. */
function expectOneLineError(stderr: string) {
  const lines = stderr.trimEnd().split("\n");
  expect(lines.length, stderr).toBe(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("README Quick start", () => {
  it("is exactly two commands, and the lint one succeeds on the bundled sample", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const block = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const commands = block.trim().split("\n");
    expect(commands).toHaveLength(2);
    expect(commands[1]).toBe("npm test");
    const lint = /npx oktalint (.+)$/.exec(commands[0]!)?.[1];
    expect(lint).toBeDefined();
    const r = run(lint!.split(" "));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("session-token-misuse");
  });
});

describe("oktalint lint", () => {
  it("shows every Okta call of the motivating sample, classified, and fails on its error", () => {
    const r = run(["lint", MOTIVATING]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const flow = r.stdout.split("\n").filter((l) => /^\s+[✓✗!]\s+\d/.test(l));
    expect(flow).toHaveLength(3);
    expect(flow[0]).toMatch(/0\s+POST\s+\/api\/v1\/authn\s+end-user\s+SSWS 00mZ…Ij4 \(42 chars\)\s+200/);
    expect(flow[1]).toMatch(/1\s+POST\s+\/api\/v1\/sessions\s+management/);
    expect(flow[2]).toMatch(/✗\s+2\s+GET\s+\/api\/v1\/users\/00u1ab2cdEFGH3ijK4l7\s+management\s+SSWS 1028…iml \(42 chars\)\s+401 E0000011/);
  });

  it("--format json gives the calls and findings as data, secrets masked", () => {
    const r = run(["lint", "--format", "json", MOTIVATING]);
    const data = JSON.parse(r.stdout) as { files: { path: string; producer: { name: string }; entries: number; oktaCalls: { entry: number; kind: string; operationId: string | null; status: number; errorCode: string | null; credential: { text: string } }[]; findings: { ruleId: string; entry: number; severity: string }[] }[] };
    const file = data.files[0]!;
    expect(file.producer.name).toBe("mitmproxy");
    expect(file.entries).toBe(3);
    expect(file.oktaCalls.map((c) => [c.entry, c.kind, c.operationId, c.status, c.errorCode])).toEqual([
      [0, "end-user", "authn.primary", 200, null],
      [1, "management", "createSession", 200, null],
      [2, "management", "getUser", 401, "E0000011"],
    ]);
    expect(file.findings[0]).toMatchObject({ entry: 2, severity: "error" });
    const raw = JSON.parse(readSample()) as { log: { entries: { request: { headers: { name: string; value: string }[] } }[] } };
    for (const e of raw.log.entries) {
      const auth = e.request.headers.find((h) => h.name === "Authorization")!.value.split(" ")[1]!;
      expect(r.stdout).not.toContain(auth);
    }
  });

  it("--fail-on never and --rule off change the exit code", () => {
    expect(run(["lint", "--fail-on", "never", MOTIVATING]).code).toBe(0);
    const off = run(["lint", "--format", "json", "--rule", "api-token-rejected=off", MOTIVATING]);
    const ids = (JSON.parse(off.stdout) as { files: { findings: { ruleId: string }[] }[] }).files[0]!.findings.map((f) => f.ruleId);
    expect(ids).not.toContain("api-token-rejected");
  });

  it("reads stdin with -", () => {
    const r = run(["lint", "--format", "json", "-"], readSample());
    expect((JSON.parse(r.stdout) as { files: { oktaCalls: unknown[] }[] }).files[0]!.oktaCalls).toHaveLength(3);
  });

  it("unreadable input: one line naming the file and the reason, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "oktalint-cli-"));
    const garbage = join(dir, "garbage.har");
    writeFileSync(garbage, "this is not a capture\n");
    let r = run(["lint", garbage]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr);
    expect(r.stderr).toContain(garbage);
    // The report does not call an unread capture clean.
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^✖ .*1 input not read to the end$/);
    r = run(["lint", join(dir, "missing.har")]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr);
    expect(r.stderr).toMatch(/missing\.har: no such file/);
  });

  it("usage errors exit 2", () => {
    expect(run(["lint"]).code).toBe(2);
    expect(run(["lint", "--format", "xml", MOTIVATING]).code).toBe(2);
    expect(run(["lint", "--rule", "no-such-rule=off", MOTIVATING]).code).toBe(2);
    expect(run(["frobnicate"]).code).toBe(2);
  });
});

describe("oktalint lint: config, baselines, formats, batches", () => {
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), "oktalint-cli-"));
    copyFileSync(MOTIVATING, join(dir, "a.har"));
    return dir;
  };

  it("baseline round trip: record, lint again clean, a new problem fails", () => {
    const dir = fresh();
    expect(run(["lint", "a.har"], undefined, dir).code).toBe(1);
    const update = run(["lint", "a.har", "--update-baseline"], undefined, dir);
    expect(update.code).toBe(0);
    expect(existsSync(join(dir, "oktalint.baseline.json"))).toBe(true);
    expect(readFileSync(join(dir, "oktalint.baseline.json"), "utf8")).not.toMatch(/1028[A-Za-z0-9]{30}/);
    expect(run(["lint", "a.har", "--baseline"], undefined, dir).code).toBe(0);
    copyFileSync(join(ROOT, "samples/rules/ssws-in-browser.fires.har"), join(dir, "b.har"));
    const again = run(["lint", "--format", "json", "a.har", "b.har", "--baseline"], undefined, dir);
    expect(again.code).toBe(1);
    const files = (JSON.parse(again.stdout) as { files: { path: string; findings: unknown[] }[] }).files;
    expect(files.find((f) => f.path === "a.har")!.findings).toEqual([]);
    expect(files.find((f) => f.path === "b.har")!.findings.length).toBeGreaterThan(0);
    const missing = run(["lint", "a.har", "--baseline", "nope.json"], undefined, dir);
    expect(missing.code).toBe(2);
    expectOneLineError(missing.stderr);
  });

  it("config: severities and failOn apply; errors name the key path and exit 2", () => {
    const dir = fresh();
    writeFileSync(join(dir, "oktalint.config.json"), JSON.stringify({ rules: { "session-token-misuse": "warning" }, failOn: "never" }));
    const ok = run(["lint", "--format", "json", "a.har"], undefined, dir);
    expect(ok.code).toBe(0);
    const f = (JSON.parse(ok.stdout) as { files: { findings: { ruleId: string; severity: string }[] }[] }).files[0]!.findings;
    expect(f.find((x) => x.ruleId === "session-token-misuse")?.severity).toBe("warning");
    writeFileSync(join(dir, "oktalint.config.json"), JSON.stringify({ rules: { "missing-scop": "off" } }));
    const bad = run(["lint", "a.har"], undefined, dir);
    expect(bad.code).toBe(2);
    expectOneLineError(bad.stderr);
    expect(bad.stderr).toContain("rules.missing-scop: unknown rule (did you mean missing-scope?)");
    const other = run(["lint", "a.har", "--config", join(dir, "missing.json")], undefined, dir);
    expect(other.code).toBe(2);
  });

  it("every format writes with -o and the summary goes to stdout", () => {
    const dir = fresh();
    for (const format of ["sarif", "junit", "markdown", "html", "json"]) {
      const r = run(["lint", "a.har", "--format", format, "-o", `out.${format}`], undefined, dir);
      expect(r.code, format).toBe(1);
      expect(r.stdout).toContain(`report written to out.${format}`);
      const text = readFileSync(join(dir, `out.${format}`), "utf8");
      expect(text.length).toBeGreaterThan(200);
      expect(text).not.toMatch(/1028[A-Za-z0-9]{30}/);
    }
    expect(JSON.parse(readFileSync(join(dir, "out.sarif"), "utf8")).version).toBe("2.1.0");
  });

  it("a directory of many captures is linted in parallel with output in a stable order", () => {
    const dir = mkdtempSync(join(tmpdir(), "oktalint-many-"));
    for (let i = 0; i < 12; i++) copyFileSync(i % 2 ? MOTIVATING : join(ROOT, "samples/spa-signin.har"), join(dir, `c${String(i).padStart(2, "0")}.har`));
    const parallel = run(["lint", "--format", "json", dir]);
    const serial = spawnSync(process.execPath, [CLI, "lint", "--format", "json", dir], { encoding: "utf8", env: { ...process.env, OKTALINT_THREADS: "1" } });
    expect(parallel.stdout).toBe(serial.stdout);
    const paths = (JSON.parse(parallel.stdout) as { files: { path: string }[] }).files.map((f) => f.path.split("/").pop());
    expect(paths).toEqual(Array.from({ length: 12 }, (_, i) => `c${String(i).padStart(2, "0")}.har`));
  });
});

describe("oktalint classify / explain / rules / validate", () => {
  it("classify says kind, API, operation, credentials and browser use", () => {
    const r = run(["classify", "GET", "/api/v1/users/00u1"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("management · User · getUser · SSWS API token or Bearer org-AS token with okta.users.read · server side only");
    const json = JSON.parse(run(["classify", "POST", "https://acme.okta.com/oauth2/default/v1/token", "--format", "json"]).stdout) as { kind: string; authorizationServer: { type: string; id: string } };
    expect(json.kind).toBe("oauth");
    expect(json.authorizationServer).toEqual({ type: "custom", id: "default" });
  });

  it("explain prints an Okta code, an OAuth error and a rule; unknown codes exit 2", () => {
    const e = run(["explain", "E0000011"]);
    expect(e.code).toBe(0);
    expect(e.stdout).toContain("Invalid token provided");
    expect(e.stdout).toContain("https://developer.okta.com/docs/reference/error-codes/#E0000011");
    expect(run(["explain", "invalid_client"]).code).toBe(0);
    expect(run(["explain", "api-token-rejected"]).stdout).toContain("Why it matters");
    const u = run(["explain", "E9999999"]);
    expect(u.code).toBe(2);
    expectOneLineError(u.stderr);
  });

  it("rules lists every rule with its severity", () => {
    const rules = JSON.parse(run(["rules", "--format", "json"]).stdout) as { id: string; severity: string }[];
    expect(rules.find((r) => r.id === "api-token-rejected")?.severity).toBe("error");
  });

  it("validate passes the sample and --strict fails a file with deviations", () => {
    expect(run(["validate", "--strict", MOTIVATING]).code).toBe(0);
    if (!existsSync(CORPUS)) return;
    const firebug = join(CORPUS, "playwright/har-unstable-network.har");
    const r = run(["validate", "--strict", "--format", "json", firebug]);
    const data = JSON.parse(r.stdout) as { valid: boolean; errors: number; notes: { path: string }[] };
    expect(data.valid).toBe(false);
    expect(r.code).toBe(1);
    expect(data.notes[0]!.path).toMatch(/^log\./);
    expect(run(["validate", firebug]).code).toBe(0);
  });
});

describe.skipIf(!existsSync(CORPUS))("every capture of the corpus through the CLI", () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(har|zhar|mitm)$/.test(name)) files.push(p);
    }
  };
  if (existsSync(CORPUS)) walk(CORPUS);
  const REJECTED = new Set(["not-json.har", "brokenfile.har", "not-valid.har", "single_entry.har", "har_extractor.har"]);

  it.each(files.map((f) => [f.slice(CORPUS.length), f]))("%s: read, or rejected in one line with exit 2", (_name, file) => {
    const r = run(["lint", "--format", "json", file]);
    const base = file.split("/").pop()!;
    if (REJECTED.has(base)) {
      expect(r.code).toBe(2);
      expectOneLineError(r.stderr);
      expect(r.stderr).toContain(file);
    } else {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      const data = JSON.parse(r.stdout) as { files: { entries: number; findings: { severity: string }[] }[] };
      expect(data.files[0]!.entries).toBeGreaterThanOrEqual(0);
      // No Okta traffic in the corpus: nothing of severity warning or error.
      expect(data.files[0]!.findings.filter((f) => f.severity !== "info")).toEqual([]);
    }
  });
});

function readSample(): string {
  return readFileSync(MOTIVATING, "utf8");
}
