/**
 * `oktalint.config.json`: discovery, a strict zod schema with readable errors
 * that name the key path (`rules.missing-scop: unknown rule (did you mean
 * missing-scope?)`), the JSON Schema editors use, ignore patterns, and how
 * config values combine with command-line options.
 *
 * Discovery: from the working directory upward, the first
 * `oktalint.config.json` wins. The search stops after the repository root (the
 * first directory holding a `.git` directory or file, so worktrees and
 * submodules count) or at the filesystem root outside a repository. A config in
 * a parent of the checkout (a home directory, a CI runner's workspace) never
 * applies to a repository by surprise, while a support engineer working in
 * `~/tickets/1234/` outside any repository still picks up `~/oktalint.config.json`.
 * `--config FILE` skips discovery. Configs do not cascade or merge.
 *
 * Ignore patterns (`ignore[].url`, `ignore[].host`) are globs matched against
 * the request URL as reports show it: scheme and host lower-cased, a default
 * port (`:443`, `:80`) and user info dropped, secret query values masked (so a
 * pattern never has to contain a secret, and `*` stands in for masked values).
 * - In a URL pattern `*` matches any run of characters except `/`; `**` matches
 *   anything including `/`; `/**` at the end, or `/**\/` in the middle, also
 *   matches zero path segments (`https://acme.okta.com/api/v1/users/**` matches
 *   `/api/v1/users` and everything below it).
 * - A URL pattern without `?` is matched against the URL without its query
 *   (`…/api/v1/logs*` matches `/api/v1/logs?since=…`); a pattern with `?`
 *   matches the query too, where `*` matches any characters. `?` is literal,
 *   never a wildcard; there are no character classes or braces.
 * - A host pattern is matched against the host name without its port; `*`
 *   matches any run of characters including dots, so `*.oktapreview.com`
 *   matches every subdomain (but not `oktapreview.com` itself). Case-insensitive.
 * - An entry with both `url` and `host` needs both to match; `rules` (default:
 *   every rule) limits which findings it hides. Findings about a capture as a
 *   whole (no request) are never matched by a pattern.
 */
import { readFile, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import type { Finding, Rule, Severity } from "./types.js";
import type { RuleSettings } from "./run.js";

export const CONFIG_FILE_NAME = "oktalint.config.json";

export type RuleSetting = Severity | "off";
export type FailOn = Severity | "never";

export interface IgnoreEntry {
  url?: string;
  host?: string;
  /** Rule ids this entry hides; absent means every rule. */
  rules?: string[];
  reason?: string;
}

export interface OktalintConfig {
  $schema?: string;
  rules?: Partial<Record<string, RuleSetting>>;
  oktaDomains?: string[];
  ignore?: IgnoreEntry[];
  failOn?: FailOn;
  maxWarnings?: number;
}

/** A config that cannot be used: the CLI prints `message` and exits 2. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** One line per problem, each naming its key path (or the JSON position). */
  readonly problems: string[];
  /** The config file (absolute), as found or as given with --config. */
  readonly path: string;
  /** Where invalid JSON broke (1-based), when that was the problem. */
  readonly line?: number;
  readonly column?: number;

  constructor(path: string, problems: string[], position?: { line: number; column: number }) {
    super(problems.length === 1 ? `${path}: ${problems[0]}` : `${path}: ${problems.length} problems\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.path = path;
    this.problems = problems;
    if (position) {
      this.line = position.line;
      this.column = position.column;
    }
  }
}

// ---------------------------------------------------------------------------
// Suggestions

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

/**
 * The closest candidate to a mistyped name, or undefined when none is close:
 * within a third of the longer name's length (at least 2 edits), or a
 * candidate that starts with what was typed (3+ characters). Case-insensitive.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = editDistance(typed, lc);
    const limit = Math.max(2, Math.floor(Math.max(typed.length, lc.length) / 3));
    const prefix = typed.length >= 3 && lc.startsWith(typed);
    if (d > limit && !prefix) continue;
    const score = prefix ? Math.min(d, 1.5) : d;
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------
// Value checks shared by the schema and the matcher

const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
/** What `oktaDomains` accepts: a host name, optionally with a leading `*.` label. */
export const DOMAIN_PATTERN = `^(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`;
const DOMAIN_RE = new RegExp(DOMAIN_PATTERN);
/** What `ignore[].host` accepts: host name characters and `*`. */
export const HOST_GLOB_PATTERN = "^[A-Za-z0-9*](?:[A-Za-z0-9*.-]*[A-Za-z0-9*])?$";
const HOST_GLOB_RE = new RegExp(HOST_GLOB_PATTERN);
/** What `ignore[].url` accepts: `scheme://authority` then anything without spaces or a fragment. */
export const URL_GLOB_PATTERN = "^[A-Za-z*][A-Za-z0-9+.*-]*://[^/?#\\s]+[^#\\s]*$";
const URL_GLOB_RE = new RegExp(URL_GLOB_PATTERN);

const quote = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** Pull the host name out of something that looks like a URL or host:port, for a hint. */
function hostHint(value: string): string {
  return value
    .replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/^.*@/, "")
    .replace(/:\d*$/, "")
    .replace(/\.+$/, "")
    .toLowerCase();
}

/** Why a custom domain is not acceptable, or undefined when it is. */
function domainProblem(value: string): string | undefined {
  if (DOMAIN_RE.test(value)) return undefined;
  const hint = hostHint(value);
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) || value.includes("/"))
    return `${quote(value)} is a URL, not a host name${DOMAIN_RE.test(hint) ? ` (write ${hint})` : ""}`;
  if (/:\d*$/.test(value)) return `${quote(value)} has a port; give the host name only${DOMAIN_RE.test(hint) ? ` (${hint})` : ""}`;
  if (value.includes("*")) return `${quote(value)} is not a host name: a wildcard must be a whole leading label, as in *.example.com`;
  if (value.trim() !== value) return `${quote(value)} has surrounding spaces`;
  return `${quote(value)} is not a valid host name`;
}

function urlPatternProblem(value: string): string | undefined {
  if (URL_GLOB_RE.test(value)) return undefined;
  if (/\s/.test(value)) return `${quote(value)} contains whitespace`;
  if (value.includes("#")) return `${quote(value)} has a fragment; fragments are never sent to a server, leave it out`;
  if (!value.includes("://")) return `${quote(value)} is not a URL pattern: start it with a scheme (https://${value.replace(/^\/+/, "")})`;
  return `${quote(value)} is not a URL pattern like https://acme.okta.com/api/v1/logs*`;
}

function hostPatternProblem(value: string): string | undefined {
  if (HOST_GLOB_RE.test(value)) return undefined;
  if (value.includes("://") || value.includes("/")) return `${quote(value)} is a URL; a host pattern is a host name like *.oktapreview.com (use url for URL patterns)`;
  if (/:\d*$/.test(value)) return `${quote(value)} has a port; host patterns match the host name only`;
  return `${quote(value)} is not a host pattern like *.oktapreview.com`;
}

// ---------------------------------------------------------------------------
// Schema

const SEVERITY_SETTINGS = ["off", "info", "warning", "error"] as const;
const FAIL_ON = ["error", "warning", "info", "never"] as const;

function withCheck(schema: z.ZodString, problem: (v: string) => string | undefined): z.ZodString {
  return schema.check((ctx) => {
    const p = problem(ctx.value);
    if (p) ctx.issues.push({ code: "custom", message: p, input: ctx.value });
  });
}

const schemaCache = new WeakMap<readonly Rule[], z.ZodType<OktalintConfig>>();

/**
 * The config schema for a rule set (default: the registry). Built at run time
 * so every registered rule is a known key; unknown ids are errors.
 */
export function configSchema(rules: readonly Rule[]): z.ZodType<OktalintConfig> {
  const cached = schemaCache.get(rules);
  if (cached) return cached;
  const ids = rules.map((r) => r.id);
  const setting = z.enum(SEVERITY_SETTINGS);
  const ruleProps: Record<string, z.ZodOptional<typeof setting>> = {};
  for (const r of rules) {
    ruleProps[r.id] = setting.meta({ description: `${r.title} (default: ${r.severity})` }).optional();
  }
  // An empty registry still yields a usable schema (every id unknown).
  const ruleId = ids.length > 0 ? z.enum(ids as [string, ...string[]]) : z.never();
  const ignoreEntry = z
    .strictObject({
      url: withCheck(z.string(), urlPatternProblem)
        .meta({ description: "URL glob matched against the request URL as reports show it (secrets masked): * matches within a path segment, ** across segments; without ? the query is not compared.", pattern: URL_GLOB_PATTERN, examples: ["https://acme.okta.com/api/v1/logs*", "https://*.okta.com/oauth2/**"] })
        .optional(),
      host: withCheck(z.string(), hostPatternProblem)
        .meta({ description: "Host glob matched against the request's host name (no port): * matches any characters, dots included.", pattern: HOST_GLOB_PATTERN, examples: ["*.oktapreview.com"] })
        .optional(),
      rules: z.array(ruleId).min(1).meta({ description: "Rule ids to ignore there (default: every rule)." }).optional(),
      reason: z.string().meta({ description: "Why these findings are ignored (kept for reviewers)." }).optional(),
    })
    .meta({
      description: "Hide findings on requests matching url and/or host (both must match when both are given).",
      anyOf: [{ required: ["url"] }, { required: ["host"] }],
    })
    .check((ctx) => {
      const v = ctx.value;
      if (v.url === undefined && v.host === undefined)
        ctx.issues.push({ code: "custom", message: `give a url or host pattern (to turn a rule off everywhere, set it to "off" under rules)`, input: v, continue: true });
    });
  const schema = z
    .strictObject({
      $schema: z.string().meta({ description: "The JSON Schema of this file (for editors)." }).optional(),
      rules: z.strictObject(ruleProps).meta({ description: "Severity per rule id: off, info, warning or error." }).optional(),
      oktaDomains: z
        .array(withCheck(z.string(), domainProblem).meta({ pattern: DOMAIN_PATTERN }))
        .meta({ description: "Custom domains of your Okta orgs (login.example.com, or *.id.example.com for every subdomain).", examples: [["login.example.com"]] })
        .optional(),
      ignore: z.array(ignoreEntry).meta({ description: "Findings to hide, by request URL / host pattern and rule." }).optional(),
      failOn: z.enum(FAIL_ON).meta({ description: "Lowest severity that makes the exit code 1 (never: findings never fail the run)." }).optional(),
      maxWarnings: z.int().min(0).meta({ description: "Exit 1 when there are more warnings than this." }).optional(),
    })
    .meta({ title: "oktalint configuration", description: "Configuration of oktalint, the auth-flow linter for Okta traffic (oktalint.config.json)." });
  schemaCache.set(rules, schema as z.ZodType<OktalintConfig>);
  return schema as z.ZodType<OktalintConfig>;
}

/** The JSON Schema (draft-07, which VS Code supports best) for editors, generated from the zod schema. */
export function configJsonSchema(rules: readonly Rule[]): Record<string, unknown> {
  const json = z.toJSONSchema(configSchema(rules), { target: "draft-7", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return json;
}

/** The text of `oktalint.schema.json`: stable, two-space indented, with a final newline. */
export function configJsonSchemaText(rules: readonly Rule[]): string {
  return JSON.stringify(configJsonSchema(rules), null, 2) + "\n";
}

// ---------------------------------------------------------------------------
// Turning zod issues into one line per problem

/** `rules.missing-scope`, `ignore[0].url`, `["odd key"]`; the empty path is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const s = String(seg);
      out += /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out || "(root)";
}

function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return quote(v);
  return String(v);
}

const EXPECTED: Record<string, string> = {
  object: "an object",
  array: "an array",
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
};

function orList(values: readonly string[]): string {
  const q = values.map((v) => JSON.stringify(v));
  return q.length <= 1 ? (q[0] ?? "") : `${q.slice(0, -1).join(", ")} or ${q[q.length - 1]}`;
}

/** The keys a strict object at `path` accepts (for "did you mean"). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  for (const seg of path) {
    s = unwrap(s);
    if (!s) return [];
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(seg)];
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else return [];
  }
  s = unwrap(s);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

function formatIssue(issue: z.core.$ZodIssue, schema: z.ZodType, ruleIds: readonly string[]): string[] {
  const where = formatPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys": {
      const underRules = issue.path.length === 1 && issue.path[0] === "rules";
      const known = underRules ? ruleIds : keysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const at = formatPath([...issue.path, key]);
        const guess = didYouMean(key, known);
        if (underRules) return `${at}: unknown rule (${guess ? `did you mean ${guess}?` : "oktalint rules lists them"})`;
        const expected = known.filter((k) => k !== "$schema");
        return `${at}: unknown key (${guess ? `did you mean ${guess}?` : `expected ${expected.join(", ")}`})`;
      });
    }
    case "invalid_value": {
      const values = issue.values.map(String);
      const isRuleId = issue.path.length === 4 && issue.path[0] === "ignore" && issue.path[2] === "rules";
      if (isRuleId) {
        const guess = typeof input === "string" ? didYouMean(input, values) : undefined;
        return [`${where}: unknown rule ${describeValue(input)} (${guess ? `did you mean ${guess}?` : "oktalint rules lists them"})`];
      }
      const guess = typeof input === "string" ? didYouMean(input, values) : undefined;
      return [`${where}: expected ${orList(values)}, got ${describeValue(input)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ""}`];
    }
    case "invalid_type": {
      if (issue.expected === "never") {
        // The rule-id enum of an empty registry.
        return [`${where}: unknown rule ${describeValue(input)} (oktalint rules lists them)`];
      }
      const wanted = issue.path[issue.path.length - 1] === "maxWarnings" ? "a non-negative whole number" : (EXPECTED[issue.expected] ?? issue.expected);
      return [`${where}: expected ${wanted}, got ${describeValue(input)}`];
    }
    case "too_small": {
      if (issue.origin === "array") return [`${where}: empty list (leave it out to mean every rule)`];
      if (issue.origin === "number" || issue.origin === "int") return [`${where}: expected a non-negative whole number, got ${describeValue(input)}`];
      return [`${where}: too small`];
    }
    case "custom":
      return [`${where}: ${issue.message}`];
    default:
      return [`${where}: ${issue.message}`];
  }
}

/**
 * Validate a parsed config value. Returns the config, or the problems (one
 * line each, naming the key path).
 */
export function validateConfig(value: unknown, rules: readonly Rule[]): { config: OktalintConfig; problems: [] } | { config?: undefined; problems: string[] } {
  const schema = configSchema(rules);
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { config: result.data, problems: [] };
  const ids = rules.map((r) => r.id);
  const problems = result.error.issues.flatMap((i) => formatIssue(i, schema, ids));
  return { problems: [...new Set(problems)] };
}

// ---------------------------------------------------------------------------
// Loading

/** Where a JSON text stops being JSON (offset), or -1 when it parses. */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) fail();
  };
  const string = () => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 92) {
        i++;
        const e = text[i];
        if (e === "u") {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? "")) ((i += k), fail());
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
    fail();
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "" || m[0] === "-") fail();
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) fail();
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") return void i++;
        fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") return void i++;
        fail();
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    fail();
  };
  try {
    value(0);
    ws();
    if (i < n) fail();
    return -1;
  } catch (e) {
    if (typeof e === "number") return e;
    throw e;
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      start = k + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Parse the config text (a UTF-8 BOM is allowed) and validate it; throws ConfigError. */
export function parseConfigText(text: string, path: string, rules: readonly Rule[]): OktalintConfig {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") throw new ConfigError(path, ["the file is empty (write {} for a config with no settings)"]);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    const offset = jsonErrorOffset(body);
    const pos = lineColumn(body, offset < 0 ? body.length : offset);
    const what = offset >= body.length ? "unexpected end of file" : `unexpected ${offset >= 0 ? JSON.stringify(body[offset]) : "input"}`;
    const detail = e instanceof SyntaxError ? e.message.replace(/(?: in JSON)? at position \d+.*$/s, "").replace(/, ".*" is not valid JSON$/s, "").replace(/ after JSON$/, " after the JSON value") : "";
    const hint = /^\s*(?:\/\/|\/\*)/m.test(body) ? " (comments are not allowed in JSON)" : "";
    throw new ConfigError(path, [`invalid JSON at line ${pos.line}, column ${pos.column}: ${what}${detail && !/^Unexpected (?:token|end)/.test(detail) ? ` (${detail.charAt(0).toLowerCase()}${detail.slice(1)})` : ""}${hint}`], pos);
  }
  const result = validateConfig(value, rules);
  if (result.config === undefined) throw new ConfigError(path, result.problems);
  return result.config;
}

async function exists(path: string): Promise<"file" | "dir" | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? "dir" : "file";
  } catch {
    return null;
  }
}

/**
 * Find `oktalint.config.json` from `cwd` upward: the first one wins; the search
 * ends after the directory that holds `.git` (the repository root) or at the
 * filesystem root.
 */
export async function findConfigFile(cwd: string): Promise<string | null> {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if ((await exists(candidate)) === "file") return candidate;
    if ((await exists(join(dir, ".git"))) !== null) return null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export interface LoadConfigOptions {
  /** Where discovery starts and what a relative `configPath` is resolved against. */
  cwd: string;
  /** `--config FILE`: use this file, no discovery; it must exist. */
  configPath?: string;
  /** The rules that are known ids (the engine is handed its rules: the CLI passes the registry). */
  rules: readonly Rule[];
}

/**
 * Load the config: `configPath` if given, else the discovered file, else an
 * empty config (`path: null`). Throws ConfigError for a file that cannot be
 * read, is not JSON, or does not validate.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<{ config: OktalintConfig; path: string | null }> {
  const path = options.configPath !== undefined ? resolve(options.cwd, options.configPath) : await findConfigFile(options.cwd);
  if (path === null) return { config: {}, path: null };
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem =
      code === "ENOENT" ? "config file not found" : code === "EISDIR" ? "is a directory, not a config file" : code === "EACCES" || code === "EPERM" ? "permission denied" : `cannot read the config file (${(e as Error).message})`;
    throw new ConfigError(path, [problem]);
  }
  return { config: parseConfigText(text, path, options.rules), path };
}

// ---------------------------------------------------------------------------
// Combining with the command line

/** Rule severities from the config, overridden rule by rule by `--rule` (the command line wins). */
export function mergeSettings(configRules: OktalintConfig["rules"] | undefined, cliRules: RuleSettings | undefined): RuleSettings {
  const out: Record<string, RuleSetting> = {};
  for (const src of [configRules, cliRules]) {
    if (!src) continue;
    for (const [id, v] of Object.entries(src)) if (v !== undefined) out[id] = v;
  }
  return out;
}

/** `failOn` and `maxWarnings`: a value given on the command line wins, then the config, then the defaults (error, no cap). */
export function resolveThresholds(config: OktalintConfig, cli: { failOn?: FailOn | undefined; maxWarnings?: number | undefined } = {}): { failOn: FailOn; maxWarnings?: number } {
  const failOn = cli.failOn ?? config.failOn ?? "error";
  const maxWarnings = cli.maxWarnings ?? config.maxWarnings;
  return maxWarnings === undefined ? { failOn } : { failOn, maxWarnings };
}

/** Custom Okta domains from the config and `--okta-domain`, both apply (in that order, without duplicates). */
export function mergeOktaDomains(config: OktalintConfig, cli: readonly string[] = []): string[] {
  return [...new Set([...(config.oktaDomains ?? []), ...cli])];
}

// ---------------------------------------------------------------------------
// Ignores

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** A URL as ignore patterns see it: scheme and host lower-cased, default port and user info dropped, no fragment. */
export function normalizeUrlForMatch(url: string): { withQuery: string; withoutQuery: string; host: string } | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/.exec(url);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  let authority = m[2]!.replace(/^.*@/, "").toLowerCase();
  const defaultPort = scheme === "https" || scheme === "wss" ? ":443" : scheme === "http" || scheme === "ws" ? ":80" : null;
  if (defaultPort && authority.endsWith(defaultPort)) authority = authority.slice(0, -defaultPort.length);
  const host = (authority.startsWith("[") ? authority.slice(1, authority.indexOf("]") > 0 ? authority.indexOf("]") : undefined) : authority.replace(/:\d*$/, "")).replace(/\.+$/, "");
  const base = `${scheme}://${authority}${m[3] || "/"}`;
  return { withoutQuery: base, withQuery: base + (m[4] ?? ""), host };
}

interface CompiledIgnore {
  url?: RegExp;
  urlHasQuery: boolean;
  host?: RegExp;
  rules?: ReadonlySet<string>;
}

/** Compile a URL glob (see the module comment for the semantics). */
export function urlGlobToRegExp(pattern: string): RegExp {
  const m = /^([^:/]*):\/\/([^/?]*)(.*)$/.exec(pattern);
  let text = pattern;
  if (m) {
    let path = m[3]!;
    if (path === "" || path.startsWith("?")) path = "/" + path;
    text = `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}${path}`;
  }
  const q = text.indexOf("?");
  const pathPart = q >= 0 ? text.slice(0, q) : text;
  const queryPart = q >= 0 ? text.slice(q) : "";
  let re = "";
  for (let i = 0; i < pathPart.length; ) {
    if (pathPart.startsWith("/**/", i)) {
      re += "(?:/.*)?/";
      i += 4;
    } else if (pathPart.startsWith("/**", i) && i + 3 === pathPart.length) {
      re += "(?:/.*)?";
      i += 3;
    } else if (pathPart.startsWith("**", i)) {
      re += ".*";
      i += 2;
    } else if (pathPart[i] === "*") {
      re += "[^/]*";
      i++;
    } else {
      re += escapeRe(pathPart[i]!);
      i++;
    }
  }
  for (const ch of queryPart) re += ch === "*" ? ".*" : escapeRe(ch);
  return new RegExp(`^${re.replace(/(?:\.\*)+/g, ".*")}$`, "s");
}

/** Compile a host glob: `*` matches any characters, dots included; case-insensitive. */
export function hostGlobToRegExp(pattern: string): RegExp {
  const re = pattern
    .toLowerCase()
    .split("*")
    .map(escapeRe)
    .join(".*");
  return new RegExp(`^${re}$`);
}

const compiledCache = new WeakMap<IgnoreEntry, CompiledIgnore>();

function compile(entry: IgnoreEntry): CompiledIgnore {
  let c = compiledCache.get(entry);
  if (!c) {
    c = { urlHasQuery: entry.url?.includes("?") ?? false };
    if (entry.url !== undefined) c.url = urlGlobToRegExp(entry.url);
    if (entry.host !== undefined) c.host = hostGlobToRegExp(entry.host);
    if (entry.rules) c.rules = new Set(entry.rules);
    compiledCache.set(entry, c);
  }
  return c;
}

/** The ignore entry that hides this finding, if any (the first one that matches). */
export function ignoredBy(finding: Finding, ignores: readonly IgnoreEntry[] | undefined): IgnoreEntry | undefined {
  if (!ignores || ignores.length === 0 || !finding.request) return undefined;
  const url = normalizeUrlForMatch(finding.request.url);
  if (!url) return undefined;
  for (const entry of ignores) {
    const c = compile(entry);
    if (!c.url && !c.host) continue;
    if (c.rules && !c.rules.has(finding.ruleId)) continue;
    if (c.url && !c.url.test(c.urlHasQuery ? url.withQuery : url.withoutQuery)) continue;
    if (c.host && !c.host.test(url.host)) continue;
    return entry;
  }
  return undefined;
}

/** The findings no ignore entry matches, in their order. */
export function applyIgnores(findings: readonly Finding[], ignores: readonly IgnoreEntry[] | undefined): Finding[] {
  if (!ignores || ignores.length === 0) return [...findings];
  return findings.filter((f) => ignoredBy(f, ignores) === undefined);
}
