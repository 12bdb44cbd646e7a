/**
 * oktalint.config.json: discovery, every error path with its exact message,
 * ignore patterns, and how config and command line combine.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConfigError,
  applyIgnores,
  configSchema,
  didYouMean,
  editDistance,
  findConfigFile,
  formatPath,
  hostGlobToRegExp,
  ignoredBy,
  loadConfig,
  mergeOktaDomains,
  mergeSettings,
  normalizeUrlForMatch,
  parseConfigText,
  resolveThresholds,
  urlGlobToRegExp,
  validateConfig,
  type IgnoreEntry,
} from "../src/engine/config.js";
import type { Finding, Rule } from "../src/engine/types.js";
import { RULES } from "../rules/index.js";

/** A fixed rule set, so messages do not depend on how far the registry has grown. */
function fakeRule(id: string, severity: Rule["severity"] = "error"): Rule {
  return { id, severity, tags: [], title: `Title of ${id}`, explanation: "", fix: "", docs: [], messages: { m: "m" }, check() {} };
}
const TEST_RULES: readonly Rule[] = ["api-token-rejected", "missing-scope", "okta-error", "rate-limited", "wrong-base-url"].map((id) => fakeRule(id));

const problemsOf = (value: unknown) => validateConfig(value, TEST_RULES).problems;

const tmpRoot = mkdtempSync(join(tmpdir(), "oktalint-config-"));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string | null>): string {
  const root = join(tmpRoot, name);
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    if (content === null) mkdirSync(p, { recursive: true });
    else {
      mkdirSync(join(p, ".."), { recursive: true });
      writeFileSync(p, content);
    }
  }
  return root;
}

describe("did you mean", () => {
  it("measures edits, counting a swap of neighbours as one", () => {
    expect(editDistance("missing-scop", "missing-scope")).toBe(1);
    expect(editDistance("misisng-scope", "missing-scope")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
  it("suggests the closest name, a name that starts with the input, or nothing", () => {
    const ids = TEST_RULES.map((r) => r.id);
    expect(didYouMean("missing-scop", ids)).toBe("missing-scope");
    expect(didYouMean("Rate-Limitd", ids)).toBe("rate-limited");
    expect(didYouMean("warn", ["off", "info", "warning", "error"])).toBe("warning");
    expect(didYouMean("eror", ["off", "info", "warning", "error"])).toBe("error");
    expect(didYouMean("completely-different", ids)).toBeUndefined();
    expect(didYouMean("x", ids)).toBeUndefined();
  });
  it("formats key paths with dots and [i]", () => {
    expect(formatPath(["rules", "missing-scope"])).toBe("rules.missing-scope");
    expect(formatPath(["ignore", 2, "rules", 0])).toBe("ignore[2].rules[0]");
    expect(formatPath(["rules", "has space"])).toBe('rules["has space"]');
    expect(formatPath([])).toBe("(root)");
  });
});

describe("config validation", () => {
  it("accepts a full config and returns it as written", () => {
    const config = {
      $schema: "./node_modules/oktalint/oktalint.schema.json",
      rules: { "missing-scope": "warning", "okta-error": "off" },
      oktaDomains: ["login.example.com", "*.id.example.com", "127.0.0.1", "localhost"],
      ignore: [
        { url: "https://acme.okta.com/api/v1/logs*", reason: "log polling is a known exception" },
        { host: "*.oktapreview.com", rules: ["rate-limited"] },
      ],
      failOn: "warning",
      maxWarnings: 0,
    };
    expect(validateConfig(config, TEST_RULES)).toEqual({ config, problems: [] });
    expect(validateConfig({}, TEST_RULES)).toEqual({ config: {}, problems: [] });
  });

  it("names unknown rules with a suggestion", () => {
    expect(problemsOf({ rules: { "missing-scop": "error" } })).toEqual(["rules.missing-scop: unknown rule (did you mean missing-scope?)"]);
    expect(problemsOf({ rules: { "no-such-thing": "error" } })).toEqual(["rules.no-such-thing: unknown rule (oktalint rules lists them)"]);
    expect(problemsOf({ rules: { "missing-scop": "off", "okta-eror": "off" } })).toEqual([
      "rules.missing-scop: unknown rule (did you mean missing-scope?)",
      "rules.okta-eror: unknown rule (did you mean okta-error?)",
    ]);
  });

  it("rejects bad severities, with a suggestion when one is close", () => {
    expect(problemsOf({ rules: { "missing-scope": "warn" } })).toEqual([
      'rules.missing-scope: expected "off", "info", "warning" or "error", got "warn" (did you mean "warning"?)',
    ]);
    expect(problemsOf({ rules: { "missing-scope": "fatal" } })).toEqual(['rules.missing-scope: expected "off", "info", "warning" or "error", got "fatal"']);
    expect(problemsOf({ rules: { "missing-scope": 2 } })).toEqual(['rules.missing-scope: expected "off", "info", "warning" or "error", got 2']);
    expect(problemsOf({ rules: { "missing-scope": true } })).toEqual(['rules.missing-scope: expected "off", "info", "warning" or "error", got true']);
  });

  it("rejects failOn and maxWarnings values", () => {
    expect(problemsOf({ failOn: "warnings" })).toEqual(['failOn: expected "error", "warning", "info" or "never", got "warnings" (did you mean "warning"?)']);
    expect(problemsOf({ failOn: null })).toEqual(['failOn: expected "error", "warning", "info" or "never", got null']);
    expect(problemsOf({ maxWarnings: -1 })).toEqual(["maxWarnings: expected a non-negative whole number, got -1"]);
    expect(problemsOf({ maxWarnings: 1.5 })).toEqual(["maxWarnings: expected a non-negative whole number, got 1.5"]);
    expect(problemsOf({ maxWarnings: "3" })).toEqual(['maxWarnings: expected a non-negative whole number, got "3"']);
  });

  it("rejects wrong types at every level", () => {
    expect(problemsOf([])).toEqual(["(root): expected an object, got an array"]);
    expect(problemsOf("rules")).toEqual(['(root): expected an object, got "rules"']);
    expect(problemsOf({ rules: null, oktaDomains: "login.example.com", ignore: {}, $schema: 1 })).toEqual([
      "$schema: expected a string, got 1",
      "rules: expected an object, got null",
      'oktaDomains: expected an array, got "login.example.com"',
      "ignore: expected an array, got an object",
    ]);
    expect(problemsOf({ rules: ["missing-scope"] })).toEqual(["rules: expected an object, got an array"]);
    expect(problemsOf({ oktaDomains: [42] })).toEqual(["oktaDomains[0]: expected a string, got 42"]);
    expect(problemsOf({ ignore: ["https://acme.okta.com/*"] })).toEqual(['ignore[0]: expected an object, got "https://acme.okta.com/*"']);
    expect(problemsOf({ ignore: [{ url: "https://a.okta.com/x", rules: "okta-error", reason: 5 }] })).toEqual([
      'ignore[0].rules: expected an array, got "okta-error"',
      "ignore[0].reason: expected a string, got 5",
    ]);
  });

  it("rejects unknown keys at each level, with a suggestion", () => {
    expect(problemsOf({ rule: {} })).toEqual(["rule: unknown key (did you mean rules?)"]);
    expect(problemsOf({ oktaDomain: [] })).toEqual(["oktaDomain: unknown key (did you mean oktaDomains?)"]);
    expect(problemsOf({ plugins: [] })).toEqual(["plugins: unknown key (expected rules, oktaDomains, ignore, failOn, maxWarnings)"]);
    expect(problemsOf({ ignore: [{ url: "https://a.okta.com/*", rule: ["okta-error"] }] })).toEqual(["ignore[0].rule: unknown key (did you mean rules?)"]);
    expect(problemsOf({ ignore: [{ host: "a.okta.com", why: "x" }] })).toEqual(["ignore[0].why: unknown key (expected url, host, rules, reason)"]);
  });

  it("validates custom domains", () => {
    expect(
      problemsOf({
        oktaDomains: ["https://login.example.com/", "login.example.com:443", "*login.example.com", "login.*.example.com", "login example.com", " login.example.com", "-bad.example.com", "ok.example.com", "*.ok.example.com"],
      }),
    ).toEqual([
      'oktaDomains[0]: "https://login.example.com/" is a URL, not a host name (write login.example.com)',
      'oktaDomains[1]: "login.example.com:443" has a port; give the host name only (login.example.com)',
      'oktaDomains[2]: "*login.example.com" is not a host name: a wildcard must be a whole leading label, as in *.example.com',
      'oktaDomains[3]: "login.*.example.com" is not a host name: a wildcard must be a whole leading label, as in *.example.com',
      'oktaDomains[4]: "login example.com" is not a valid host name',
      'oktaDomains[5]: " login.example.com" has surrounding spaces',
      'oktaDomains[6]: "-bad.example.com" is not a valid host name',
    ]);
  });

  it("validates ignore entries", () => {
    expect(
      problemsOf({
        ignore: [
          { url: "acme.okta.com/api/v1/logs*" },
          { url: "https://acme.okta.com/x#frag" },
          { url: "https://acme.okta.com/a b" },
          { host: "https://acme.okta.com/" },
          { host: "acme.okta.com:443" },
          { host: "acme_okta.com" },
          { url: "https://acme.okta.com/*", rules: ["missing-scop", "okta-error", "nope"] },
          { url: "https://acme.okta.com/*", rules: [] },
          { reason: "everything" },
          {},
        ],
      }),
    ).toEqual([
      'ignore[0].url: "acme.okta.com/api/v1/logs*" is not a URL pattern: start it with a scheme (https://acme.okta.com/api/v1/logs*)',
      'ignore[1].url: "https://acme.okta.com/x#frag" has a fragment; fragments are never sent to a server, leave it out',
      'ignore[2].url: "https://acme.okta.com/a b" contains whitespace',
      'ignore[3].host: "https://acme.okta.com/" is a URL; a host pattern is a host name like *.oktapreview.com (use url for URL patterns)',
      'ignore[4].host: "acme.okta.com:443" has a port; host patterns match the host name only',
      'ignore[5].host: "acme_okta.com" is not a host pattern like *.oktapreview.com',
      'ignore[6].rules[0]: unknown rule "missing-scop" (did you mean missing-scope?)',
      'ignore[6].rules[2]: unknown rule "nope" (oktalint rules lists them)',
      "ignore[7].rules: empty list (leave it out to mean every rule)",
      'ignore[8]: give a url or host pattern (to turn a rule off everywhere, set it to "off" under rules)',
      'ignore[9]: give a url or host pattern (to turn a rule off everywhere, set it to "off" under rules)',
    ]);
  });

  it("reports every problem of a file, one line each", () => {
    expect(problemsOf({ rules: { "missing-scop": "error", "okta-error": "warn" }, failOn: "all", extra: 1 })).toEqual([
      'rules.okta-error: expected "off", "info", "warning" or "error", got "warn" (did you mean "warning"?)',
      "rules.missing-scop: unknown rule (did you mean missing-scope?)",
      'failOn: expected "error", "warning", "info" or "never", got "all"',
      "extra: unknown key (expected rules, oktaDomains, ignore, failOn, maxWarnings)",
    ]);
  });

  it("knows every rule in the registry", () => {
    const rules = Object.fromEntries(RULES.map((r) => [r.id, "warning"]));
    expect(validateConfig({ rules }, RULES).problems).toEqual([]);
    const id = RULES[0]!.id;
    expect(validateConfig({ rules: { [id.slice(0, -1)]: "off" } }, RULES).problems).toEqual([`rules.${id.slice(0, -1)}: unknown rule (did you mean ${id}?)`]);
  });

  it("caches the schema per rule set", () => {
    expect(configSchema(TEST_RULES)).toBe(configSchema(TEST_RULES));
  });
});

describe("config text", () => {
  const P = "/repo/oktalint.config.json";
  function jsonError(text: string): { message: string; problems: string[]; line?: number; column?: number } {
    try {
      parseConfigText(text, P, TEST_RULES);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const c = e as ConfigError;
      return { message: c.message, problems: c.problems, ...(c.line !== undefined ? { line: c.line, column: c.column! } : {}) };
    }
    throw new Error("expected a ConfigError");
  }

  it("gives line and column of invalid JSON", () => {
    expect(jsonError('{\n  "rules": {\n    "okta-error": "off",\n  }\n}')).toEqual({
      message: `${P}: invalid JSON at line 4, column 3: unexpected "}" (expected double-quoted property name)`,
      problems: ['invalid JSON at line 4, column 3: unexpected "}" (expected double-quoted property name)'],
      line: 4,
      column: 3,
    });
    expect(jsonError('{"failOn" "error"}')).toMatchObject({ problems: [`invalid JSON at line 1, column 11: unexpected "\\"" (expected ':' after property name)`], line: 1, column: 11 });
    expect(jsonError('{"failOn": tru}')).toMatchObject({ problems: ['invalid JSON at line 1, column 15: unexpected "}"'], line: 1, column: 15 });
    expect(jsonError('{\n  "rules": {')).toMatchObject({ problems: ["invalid JSON at line 2, column 13: unexpected end of file (expected property name or '}')"], line: 2, column: 13 });
    expect(jsonError("{} {}")).toMatchObject({ problems: ['invalid JSON at line 1, column 4: unexpected "{" (unexpected non-whitespace character after the JSON value)'] });
    expect(jsonError('// settings\n{"failOn": "error"}')).toMatchObject({ problems: ['invalid JSON at line 1, column 1: unexpected "/" (comments are not allowed in JSON)'], line: 1, column: 1 });
  });

  it("says when the file is empty", () => {
    expect(jsonError(" \n")).toEqual({ message: `${P}: the file is empty (write {} for a config with no settings)`, problems: ["the file is empty (write {} for a config with no settings)"] });
  });

  it("lists several problems under the file name", () => {
    expect(jsonError('{"rule": {}, "maxWarnings": -2}').message).toBe(
      `${P}: 2 problems\n  maxWarnings: expected a non-negative whole number, got -2\n  rule: unknown key (did you mean rules?)`,
    );
  });

  it("accepts a UTF-8 byte order mark", () => {
    expect(parseConfigText('\uFEFF{"failOn": "never"}', P, TEST_RULES)).toEqual({ failOn: "never" });
  });
});

describe("config discovery", () => {
  it("finds the nearest config upward from the working directory", async () => {
    const root = tree("nested", {
      ".git": null,
      "oktalint.config.json": '{"failOn": "warning"}',
      "packages/app/oktalint.config.json": '{"failOn": "info"}',
      "packages/app/e2e/recordings/x.har": "{}",
      "packages/lib/src/x.ts": "",
    });
    expect(await findConfigFile(join(root, "packages/app/e2e/recordings"))).toBe(join(root, "packages/app/oktalint.config.json"));
    expect(await findConfigFile(join(root, "packages/lib/src"))).toBe(join(root, "oktalint.config.json"));
    expect(await loadConfig({ cwd: join(root, "packages/app/e2e"), rules: TEST_RULES })).toEqual({ config: { failOn: "info" }, path: join(root, "packages/app/oktalint.config.json") });
    expect(await loadConfig({ cwd: root, rules: TEST_RULES })).toEqual({ config: { failOn: "warning" }, path: join(root, "oktalint.config.json") });
  });

  it("stops at the repository root (a .git directory or file)", async () => {
    const outer = tree("outer", {
      "oktalint.config.json": '{"failOn": "never"}',
      "repo/.git": null,
      "repo/src/deep": null,
      "worktree/.git": "gitdir: /somewhere/.git/worktrees/w\n",
      "worktree/sub": null,
      "plain/sub": null,
    });
    expect(await findConfigFile(join(outer, "repo/src/deep"))).toBeNull();
    expect(await findConfigFile(join(outer, "worktree/sub"))).toBeNull();
    expect(await loadConfig({ cwd: join(outer, "repo/src/deep"), rules: TEST_RULES })).toEqual({ config: {}, path: null });
    // Outside a repository the search goes on upward.
    expect(await findConfigFile(join(outer, "plain/sub"))).toBe(join(outer, "oktalint.config.json"));
  });

  it("ignores a directory named like the config", async () => {
    const root = tree("dirconfig", { ".git": null, "oktalint.config.json/x": "", "a/b": null });
    expect(await findConfigFile(join(root, "a/b"))).toBeNull();
  });

  it("uses --config instead of discovery, relative to the working directory", async () => {
    const root = tree("explicit", {
      ".git": null,
      "oktalint.config.json": '{"failOn": "warning"}',
      "ci/strict.json": '{"failOn": "info", "maxWarnings": 0}',
    });
    expect(await loadConfig({ cwd: root, configPath: "ci/strict.json", rules: TEST_RULES })).toEqual({ config: { failOn: "info", maxWarnings: 0 }, path: join(root, "ci/strict.json") });
    expect(await loadConfig({ cwd: "/", configPath: join(root, "ci/strict.json"), rules: TEST_RULES })).toMatchObject({ path: join(root, "ci/strict.json") });
  });

  it("fails on a --config file that is missing, a directory, or invalid", async () => {
    const root = tree("broken", { ".git": null, "bad.json": '{"rules": {"missing-scop": "error"}}', "dir.json/x": "" });
    const attempt = (configPath: string) => loadConfig({ cwd: root, configPath, rules: TEST_RULES }).then(() => null, (e: unknown) => e);
    const missing = (await attempt("nope.json")) as ConfigError;
    expect(missing).toBeInstanceOf(ConfigError);
    expect(missing.message).toBe(`${join(root, "nope.json")}: config file not found`);
    expect(missing.path).toBe(join(root, "nope.json"));
    expect(((await attempt("dir.json")) as ConfigError).problems).toEqual(["is a directory, not a config file"]);
    const invalid = (await attempt("bad.json")) as ConfigError;
    expect(invalid.problems).toEqual(["rules.missing-scop: unknown rule (did you mean missing-scope?)"]);
    expect(invalid.message).toBe(`${join(root, "bad.json")}: rules.missing-scop: unknown rule (did you mean missing-scope?)`);
  });

  it("fails on a discovered config that is invalid", async () => {
    const root = tree("discovered-bad", { ".git": null, "oktalint.config.json": '{"maxWarnings": "ten"}', "sub": null });
    await expect(loadConfig({ cwd: join(root, "sub"), rules: TEST_RULES })).rejects.toMatchObject({
      name: "ConfigError",
      path: join(root, "oktalint.config.json"),
      problems: ['maxWarnings: expected a non-negative whole number, got "ten"'],
    });
  });
});

describe("combining config and command line", () => {
  it("merges rule settings, the command line winning rule by rule", () => {
    expect(mergeSettings({ "missing-scope": "warning", "okta-error": "off" }, { "okta-error": "error", "rate-limited": "info" })).toEqual({
      "missing-scope": "warning",
      "okta-error": "error",
      "rate-limited": "info",
    });
    expect(mergeSettings(undefined, undefined)).toEqual({});
    expect(mergeSettings({ "missing-scope": undefined }, {})).toEqual({});
  });

  it("resolves thresholds: command line, then config, then defaults", () => {
    expect(resolveThresholds({})).toEqual({ failOn: "error" });
    expect(resolveThresholds({ failOn: "warning", maxWarnings: 3 })).toEqual({ failOn: "warning", maxWarnings: 3 });
    expect(resolveThresholds({ failOn: "warning", maxWarnings: 3 }, { failOn: "never", maxWarnings: 0 })).toEqual({ failOn: "never", maxWarnings: 0 });
    expect(resolveThresholds({ failOn: "info" }, { failOn: undefined })).toEqual({ failOn: "info" });
  });

  it("uses custom domains from both", () => {
    expect(mergeOktaDomains({ oktaDomains: ["login.example.com", "*.id.example.com"] }, ["login.example.com", "auth.example.org"])).toEqual([
      "login.example.com",
      "*.id.example.com",
      "auth.example.org",
    ]);
    expect(mergeOktaDomains({})).toEqual([]);
  });
});

describe("ignore patterns", () => {
  it("normalizes the URL the way patterns see it", () => {
    expect(normalizeUrlForMatch("HTTPS://user:pw@Acme.OKTA.com:443/api/v1/Users?limit=2#x")).toEqual({
      withoutQuery: "https://acme.okta.com/api/v1/Users",
      withQuery: "https://acme.okta.com/api/v1/Users?limit=2",
      host: "acme.okta.com",
    });
    expect(normalizeUrlForMatch("http://127.0.0.1:8080")).toEqual({ withoutQuery: "http://127.0.0.1:8080/", withQuery: "http://127.0.0.1:8080/", host: "127.0.0.1" });
    expect(normalizeUrlForMatch("http://[::1]:80/x")).toEqual({ withoutQuery: "http://[::1]/x", withQuery: "http://[::1]/x", host: "::1" });
    expect(normalizeUrlForMatch("/relative")).toBeNull();
  });

  it("compiles URL globs: * within a segment, ** across, ? literal", () => {
    const t = (pattern: string, url: string) => {
      const n = normalizeUrlForMatch(url)!;
      return urlGlobToRegExp(pattern).test(pattern.includes("?") ? n.withQuery : n.withoutQuery);
    };
    const logs = "https://acme.okta.com/api/v1/logs*";
    expect(t(logs, "https://acme.okta.com/api/v1/logs")).toBe(true);
    expect(t(logs, "https://acme.okta.com/api/v1/logs?since=2026-01-01T00:00:00Z&after=a/b")).toBe(true);
    expect(t(logs, "https://acme.okta.com/api/v1/logstream")).toBe(true);
    expect(t(logs, "https://acme.okta.com/api/v1/logs/stream")).toBe(false);
    expect(t(logs, "https://other.okta.com/api/v1/logs")).toBe(false);
    expect(t(logs, "http://acme.okta.com/api/v1/logs")).toBe(false);
    const users = "https://acme.okta.com/api/v1/users/**";
    expect(t(users, "https://acme.okta.com/api/v1/users")).toBe(true);
    expect(t(users, "https://acme.okta.com/api/v1/users/00u1/factors/x")).toBe(true);
    expect(t(users, "https://acme.okta.com/api/v1/usersX")).toBe(false);
    const members = "https://*.okta.com/api/v1/groups/**/users";
    expect(t(members, "https://acme.okta.com/api/v1/groups/00g1/users")).toBe(true);
    expect(t(members, "https://acme-admin.okta.com/api/v1/groups/users")).toBe(true);
    expect(t(members, "https://acme.okta.com/api/v1/groups/00g1/roles")).toBe(false);
    expect(t(members, "https://evil.com/x.okta.com/api/v1/groups/users")).toBe(false);
    expect(t("https://acme.okta.com", "https://acme.okta.com/")).toBe(true);
    expect(t("https://acme.okta.com", "https://acme.okta.com/api")).toBe(false);
    expect(t("https://ACME.okta.com/API/**", "https://acme.okta.com/API/x")).toBe(true);
    expect(t("https://acme.okta.com/API/**", "https://acme.okta.com/api/x")).toBe(false);
    expect(t("*://acme.okta.com/**", "http://acme.okta.com/x")).toBe(true);
    expect(t("http://127.0.0.1:*/**", "http://127.0.0.1:4010/api/v1/users")).toBe(true);
    // A pattern with ? compares the query; ? and . are literal.
    const q = "https://acme.okta.com/api/v1/users?search=*";
    expect(t(q, "https://acme.okta.com/api/v1/users?search=profile.login%20eq%20%22a/b%22")).toBe(true);
    expect(t(q, "https://acme.okta.com/api/v1/users?limit=2")).toBe(false);
    expect(t("https://acme.okta.com/a.b", "https://acme.okta.com/aXb")).toBe(false);
  });

  it("compiles host globs: * across dots, no port, any case", () => {
    const re = hostGlobToRegExp("*.OktaPreview.com");
    expect(re.test("acme.oktapreview.com")).toBe(true);
    expect(re.test("a.b.oktapreview.com")).toBe(true);
    expect(re.test("oktapreview.com")).toBe(false);
    expect(re.test("acme.oktapreview.com.evil.io")).toBe(false);
    expect(hostGlobToRegExp("acme-*.okta.com").test("acme-admin.okta.com")).toBe(true);
  });

  const finding = (ruleId: string, url: string | null, entry = 0): Finding => ({
    ruleId,
    severity: "error",
    confidence: "certain",
    message: `${ruleId} at ${url}`,
    messageId: "m",
    entry,
    ...(url ? { request: { method: "GET", url } } : {}),
    evidence: [],
    related: [],
    title: "",
    explanation: "",
    fix: "",
    docs: [],
    fingerprint: `${ruleId}-${entry}`,
    occurrences: 1,
    symptoms: [],
  });

  it("hides findings by URL, host and rule subset", () => {
    const findings = [
      finding("okta-error", "https://acme.okta.com/api/v1/logs?since=2026-11-01", 0),
      finding("rate-limited", "https://acme.okta.com/api/v1/logs?since=2026-11-01", 1),
      finding("missing-scope", "https://dev-1.oktapreview.com:443/api/v1/users", 2),
      finding("rate-limited", "https://dev-1.oktapreview.com/api/v1/users", 3),
      finding("okta-error", "https://acme.okta.com/api/v1/users", 4),
      finding("sanitized-capture", null, 5),
    ];
    const ignores: IgnoreEntry[] = [
      { url: "https://acme.okta.com/api/v1/logs*", reason: "log polling" },
      { host: "*.oktapreview.com", rules: ["rate-limited"] },
    ];
    expect(applyIgnores(findings, ignores).map((f) => f.entry)).toEqual([2, 4, 5]);
    expect(ignoredBy(findings[1]!, ignores)).toBe(ignores[0]);
    expect(ignoredBy(findings[3]!, ignores)).toBe(ignores[1]);
    expect(ignoredBy(findings[2]!, ignores)).toBeUndefined();
    expect(applyIgnores(findings, [])).toEqual(findings);
    expect(applyIgnores(findings, undefined)).toEqual(findings);
  });

  it("needs both url and host to match when both are given", () => {
    const f = finding("okta-error", "https://acme.okta.com/api/v1/users");
    expect(applyIgnores([f], [{ url: "https://*/api/v1/users", host: "acme.okta.com" }])).toEqual([]);
    expect(applyIgnores([f], [{ url: "https://*/api/v1/users", host: "other.okta.com" }])).toEqual([f]);
  });

  it("matches masked URLs, with * standing in for masked values", () => {
    // Reports mask secret query values; patterns are written against what reports show.
    const f = finding("okta-error", "https://acme.okta.com/login/sessionCookieRedirect?token=2011…Xy9 (42 chars)&redirectUrl=https://app.example.com/");
    expect(applyIgnores([f], [{ url: "https://acme.okta.com/login/sessionCookieRedirect" }])).toEqual([]);
    expect(applyIgnores([f], [{ url: "https://acme.okta.com/login/sessionCookieRedirect?token=*&redirectUrl=https://app.example.com/" }])).toEqual([]);
    expect(applyIgnores([f], [{ url: "https://acme.okta.com/login/sessionCookieRedirect?redirectUrl=*" }])).toEqual([f]);
  });
});
