import { InvalidArgumentError, Option, type Command } from "commander";
import { lintCapture, readCapture } from "../index.js";
import { InputError } from "../ingest/types.js";
import { ruleById } from "../../rules/index.js";
import { failsThreshold, type RuleSettings } from "../engine/run.js";
import type { Severity } from "../engine/types.js";
import { captureToJson, findingToJson } from "../report/json.js";
import { formatStylish, type FileResult } from "../report/stylish.js";
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
    .argument("<inputs...>", "capture files, or - for standard input")
    .addOption(new Option("-f, --format <format>", "output format").choices(["stylish", "json"]).default("stylish"))
    .option("--okta-domain <domain...>", "custom domain(s) of your Okta org, e.g. login.example.com")
    .option("--rule <id=severity>", "set a rule's severity or turn it off (repeatable)", parseRuleSetting, {})
    .addOption(new Option("--fail-on <severity>", "lowest severity that makes the exit code 1").choices(["error", "warning", "info", "never"]).default("error"))
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", parseCount)
    .action(async (inputs: string[], opts: LintCliOptions) => {
      const settings: RuleSettings = opts.rule;
      const results: FileResult[] = [];
      for (const path of inputs) {
        try {
          const capture = await readCapture(path, { oktaDomains: opts.oktaDomain ?? [] });
          const { findings, failures } = lintCapture(capture, { settings });
          for (const f of failures) printError(`rule ${f.ruleId} failed on ${path}: ${f.message}`);
          const result: FileResult = { path, capture, findings };
          if (capture.error) result.error = `${capture.error.message} (the ${capture.stats.entries} entries before it were read)`;
          results.push(result);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          results.push({ path, findings: [], error: e.message });
        }
      }
      if (opts.format === "json") {
        const files = results.map((r) => ({
          ...(r.capture ? captureToJson(r.path, r.capture) : { path: r.path }),
          findings: r.findings.map(findingToJson),
          ...(r.error ? { error: r.error } : {}),
        }));
        await out(JSON.stringify({ files }, null, 2));
      } else {
        const width = Math.max(60, Math.min(process.stdout.columns ?? 100, 120));
        await out(formatStylish(results, width));
      }
      for (const r of results) if (r.error) printError(r.error);
      if (results.some((r) => r.error)) raiseExitCode(EXIT_USAGE);
      const all = results.flatMap((r) => r.findings);
      if (failsThreshold(all, opts.failOn, opts.maxWarnings)) raiseExitCode(EXIT_FINDINGS);
    });
}
