/**
 * Baselines: a file of findings already known, so a CI that adopts oktalint on
 * old recordings starts green and fails on new problems only.
 *
 * The file is keyed by the same fingerprint SARIF's partialFingerprints use
 * (rule + method + normalized URL + kind of problem; never line numbers), and
 * it is count-aware like ESLint's bulk suppressions: a fingerprint recorded N
 * times hides N findings, the N+1th shows. Findings are matched in the order
 * they are given (the CLI's output order), so which one shows is stable.
 *
 *     {
 *       "version": 1,
 *       "tool": "oktalint",
 *       "findings": {
 *         "<fingerprint>": { "ruleId": "…", "message": "…", "count": 2, "firstSeen": "2026-11-21" }
 *       }
 *     }
 *
 * Entries are ordered by rule id, then fingerprint, and every object's keys in
 * a fixed order, so a re-recorded baseline diffs line by line. Nothing secret
 * is written: fingerprints are hashes and messages are masked by the rules.
 * `firstSeen` (a UTC date) is carried over from the previous file when a
 * fingerprint was already there, so an unchanged baseline rewrites to the same
 * bytes.
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { z } from "zod";
import type { Finding } from "./types.js";

export const BASELINE_VERSION = 1;
/** A name to suggest when `--update-baseline` is given without `--baseline`. */
export const DEFAULT_BASELINE_FILE = "oktalint.baseline.json";

export interface BaselineEntry {
  ruleId: string;
  /** The (masked) message of the first finding recorded, for people reading the file. */
  message: string;
  /** How many findings with this fingerprint are hidden. */
  count: number;
  /** UTC date (YYYY-MM-DD) the fingerprint first went into the baseline. */
  firstSeen?: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  tool: "oktalint";
  findings: Record<string, BaselineEntry>;
}

/** A baseline that cannot be read or would be unsafe to overwrite: the CLI prints it and exits 2. */
export class BaselineError extends Error {
  override readonly name = "BaselineError";
  readonly path: string;
  readonly reason: "missing" | "unreadable" | "invalid" | "unwritable";
  constructor(path: string, reason: "missing" | "unreadable" | "invalid" | "unwritable", detail: string) {
    super(`${path}: ${detail}`);
    this.path = path;
    this.reason = reason;
  }
}

const entrySchema = z.strictObject({
  ruleId: z.string().min(1),
  message: z.string(),
  count: z.int().min(1),
  firstSeen: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});

const baselineSchema = z.strictObject({
  version: z.literal(BASELINE_VERSION),
  tool: z.literal("oktalint"),
  findings: z.record(z.string().regex(/^[0-9a-f]{8,128}$/), entrySchema),
});

export function emptyBaseline(): Baseline {
  return { version: BASELINE_VERSION, tool: "oktalint", findings: {} };
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("") || "(root)";
}

/** Validate a parsed baseline document. Throws BaselineError naming what is wrong. */
export function parseBaseline(value: unknown, path: string): Baseline {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (v["tool"] !== undefined && v["tool"] !== "oktalint") throw new BaselineError(path, "invalid", `not an oktalint baseline (tool is ${JSON.stringify(v["tool"])})`);
    if (typeof v["version"] === "number" && v["version"] > BASELINE_VERSION)
      throw new BaselineError(path, "invalid", `baseline version ${v["version"]} is newer than this oktalint reads (${BASELINE_VERSION}); upgrade oktalint`);
  }
  const r = baselineSchema.safeParse(value);
  if (!r.success) {
    const first = r.error.issues[0]!;
    const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problems)` : "";
    throw new BaselineError(path, "invalid", `not a valid oktalint baseline: ${pathOf(first.path)}: ${first.message}${more}`);
  }
  return r.data as Baseline;
}

/**
 * Read a baseline file. A missing file is an error (`reason: "missing"`: a
 * mistyped `--baseline` path must not silently hide nothing) unless
 * `allowMissing` is set, as `--update-baseline` does, which then gets an empty
 * baseline.
 */
export async function readBaseline(path: string, options: { allowMissing?: boolean } = {}): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      if (options.allowMissing) return emptyBaseline();
      throw new BaselineError(path, "missing", "baseline file not found (create it with --update-baseline)");
    }
    throw new BaselineError(path, "unreadable", code === "EISDIR" ? "is a directory, not a baseline file" : `cannot read the baseline (${(e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new BaselineError(path, "invalid", `not a valid oktalint baseline: invalid JSON (${(e as Error).message})`);
  }
  return parseBaseline(value, path);
}

export interface BaselineResult {
  /** Findings the baseline does not cover, in their order. */
  shown: Finding[];
  /** Findings the baseline hides. */
  hidden: Finding[];
}

/**
 * Applies a baseline across several calls (one per capture of a batch), so a
 * fingerprint recorded N times hides N findings in the whole run, not N per
 * file. Call `apply` in the run's output order.
 */
export class BaselineMatcher {
  private readonly remaining = new Map<string, number>();

  constructor(readonly baseline: Baseline) {
    for (const [fp, e] of Object.entries(baseline.findings)) this.remaining.set(fp, e.count);
  }

  apply(findings: readonly Finding[]): BaselineResult {
    const shown: Finding[] = [];
    const hidden: Finding[] = [];
    for (const f of findings) {
      // A finding stands for all its occurrences (repeats are folded into one):
      // it is hidden only while the baseline still covers every one of them.
      const n = f.occurrences ?? 1;
      const left = this.remaining.get(f.fingerprint) ?? 0;
      if (left >= n) {
        this.remaining.set(f.fingerprint, left - n);
        hidden.push(f);
      } else {
        this.remaining.set(f.fingerprint, 0);
        shown.push(f);
      }
    }
    return { shown, hidden };
  }

  /**
   * Baseline entries that matched fewer findings than recorded (problems
   * that were fixed): fingerprint → how many recorded findings did not occur.
   * Meaningful after the whole run; `--update-baseline` prunes them.
   */
  unmatched(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [fp, left] of this.remaining) if (left > 0) out.set(fp, left);
    return out;
  }
}

/** Split one list of findings into those the baseline hides and those it does not. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): BaselineResult {
  return new BaselineMatcher(baseline).apply(findings);
}

const utcDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The baseline recording `findings` (every finding of the run, after config
 * ignores and severity settings, in output order). `previous` supplies
 * `firstSeen` dates for fingerprints already recorded; new ones get `now`.
 */
export function createBaseline(findings: readonly Finding[], options: { previous?: Baseline; now?: Date } = {}): Baseline {
  const today = utcDate(options.now ?? new Date());
  const byFp = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const n = f.occurrences ?? 1;
    const e = byFp.get(f.fingerprint);
    if (e) e.count += n;
    else {
      const firstSeen = options.previous?.findings[f.fingerprint]?.firstSeen ?? today;
      byFp.set(f.fingerprint, { ruleId: f.ruleId, message: f.message, count: n, firstSeen });
    }
  }
  const keys = [...byFp.keys()].sort((a, b) => {
    const ra = byFp.get(a)!.ruleId;
    const rb = byFp.get(b)!.ruleId;
    return ra < rb ? -1 : ra > rb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  const out: Record<string, BaselineEntry> = {};
  for (const k of keys) out[k] = byFp.get(k)!;
  return { version: BASELINE_VERSION, tool: "oktalint", findings: out };
}

/** The file text of a baseline: fixed key order, two-space indent, final newline. */
export function serializeBaseline(baseline: Baseline): string {
  const findings: Record<string, BaselineEntry> = {};
  for (const [fp, e] of Object.entries(baseline.findings)) {
    findings[fp] = { ruleId: e.ruleId, message: e.message, count: e.count, ...(e.firstSeen ? { firstSeen: e.firstSeen } : {}) };
  }
  return JSON.stringify({ version: baseline.version, tool: baseline.tool, findings }, null, 2) + "\n";
}

/**
 * Write the baseline for `findings` to `path` (atomically: a temporary file
 * renamed over it). An existing baseline's `firstSeen` dates are kept; an
 * existing file that is not an oktalint baseline is left alone and a
 * BaselineError thrown, so a wrong path never overwrites a capture.
 */
export async function writeBaseline(path: string, findings: readonly Finding[], options: { now?: Date } = {}): Promise<Baseline> {
  const previous = await readBaseline(path, { allowMissing: true }).catch((e: unknown) => {
    if (e instanceof BaselineError && e.reason !== "missing") throw new BaselineError(path, e.reason, `refusing to overwrite: ${e.message.slice(path.length + 2)}`);
    throw e;
  });
  const baseline = createBaseline(findings, { previous, ...(options.now ? { now: options.now } : {}) });
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, serializeBaseline(baseline), "utf8");
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new BaselineError(path, "unwritable", `cannot write the baseline (${(e as Error).message})`);
  }
  return baseline;
}
