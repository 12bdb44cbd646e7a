import { InvalidArgumentError, Option, type Command } from "commander";
import { stat } from "node:fs/promises";
import { ruleById } from "../../rules/index.js";
import { failsThreshold } from "../engine/run.js";
import type { Severity } from "../engine/types.js";
import { captureToJson, findingToJson } from "../report/json.js";
import { formatStylish } from "../report/stylish.js";
import type { FileResult } from "../report/types.js";
import { expandInputs } from "./inputs.js";
import { lintAll } from "./pool.js";
import { Progress } from "./progress.js";
import { EXIT_FINDINGS, EXIT_USAGE, out, printError, raiseExitCode } from "./io.js";

interface LintCliOptions {
  format: "stylish" | "json";
  oktaDomain?: string[];
  rule: Record<string, Severity | "off">;
  failOn: Severity | "never";
  maxWarnings?: number;
}

const SEVERITIES = ["off", "info", "warning", "error"];

/** `--rule id=severity`, repeatable; unknown ids and severities are usage errors. */
function parseRuleSetting(value: string, previous: Record<string, Severity | "off">): Record<string, Severity | "off"> {
  const m = /^([a-z0-9-]+)=(\w+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`expected <rule-id>=off|info|warning|error, got '${value}'`);
  const [, id, sev] = m as unknown as [string, string, string];
  if (!ruleById(id)) throw new InvalidArgumentError(`unknown rule '${id}' (oktalint rules lists them)`);
  if (!SEVERITIES.includes(sev)) throw new InvalidArgumentError(`unknown severity '${sev}' for ${id} (use off, info, warning or error)`);
  return { ...previous, [id]: sev as Severity | "off" };
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}

export function registerLint(program: Command): void {
  program
    .command("lint")
    .description("lint captures (HAR files, `-` for stdin): every Okta call classified, every auth problem explained")
    .argument("<inputs...>", "capture files, directories (searched for .har, .zhar, .json), globs, or - for standard input")
    .addOption(new Option("-f, --format <format>", "output format").choices(["stylish", "json"]).default("stylish"))
    .option("--okta-domain <domain...>", "custom domain(s) of your Okta org, e.g. login.example.com")
    .option("--rule <id=severity>", "set a rule's severity or turn it off (repeatable)", parseRuleSetting, {})
    .addOption(new Option("--fail-on <severity>", "lowest severity that makes the exit code 1").choices(["error", "warning", "info", "never"]).default("error"))
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", parseCount)
    .action(async (inputs: string[], opts: LintCliOptions) => {
      const { files, missing } = await expandInputs(inputs);
      const totalBytes = await sizeOf(files);
      const progress = new Progress(files.length, totalBytes);
      const jobs = await lintAll(files, { oktaDomains: opts.oktaDomain ?? [], settings: opts.rule }, (p) => progress.update(p.done, p.path));
      progress.finish();
      const results: FileResult[] = jobs.map((j) => j.result);
      for (const m of missing) results.push({ path: m.input, findings: [], error: `${m.input}: ${m.reason}` });
      for (const j of jobs) for (const f of j.failures) printError(`rule ${f.ruleId} failed on ${j.result.path}: ${f.message}`);

      if (opts.format === "json") {
        const out = results.map((r) => ({
          ...(r.capture ? captureToJson(r.path, r.capture) : { path: r.path }),
          findings: r.findings.map(findingToJson),
          ...(r.error ? { error: r.error } : {}),
        }));
        await write(JSON.stringify({ files: out }, null, 2));
      } else {
        const width = Math.max(60, Math.min(process.stdout.columns ?? 100, 120));
        await write(formatStylish(results, width));
      }
      for (const r of results) if (r.error) printError(r.error);
      if (results.some((r) => r.error)) raiseExitCode(EXIT_USAGE);
      const all = results.flatMap((r) => r.findings);
      if (failsThreshold(all, opts.failOn, opts.maxWarnings)) raiseExitCode(EXIT_FINDINGS);
    });
}

async function sizeOf(files: readonly string[]): Promise<number> {
  let total = 0;
  for (const f of files) {
    if (f === "-") continue;
    try {
      total += (await stat(f)).size;
    } catch {
      /* the reader reports it */
    }
  }
  return total;
}

const write = out;
