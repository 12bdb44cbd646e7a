import { Option, type Command } from "commander";
import { createWriteStream } from "node:fs";
import { RULES } from "../../rules/index.js";
import { failsThreshold } from "../engine/run.js";
import type { Severity } from "../engine/types.js";
import { applyIgnores } from "../engine/config.js";
import { BaselineError, BaselineMatcher, DEFAULT_BASELINE_FILE, readBaseline, writeBaseline } from "../engine/baseline.js";
import { REPORTERS, FORMATS, type Format } from "../report/index.js";
import { formatSummary } from "../report/stylish.js";
import type { FileResult, ReportContext } from "../report/types.js";
import { expandInputs } from "./inputs.js";
import { parseCount, parseRuleSetting } from "./options.js";
import { lintAll } from "./pool.js";
import { lintLive, liveLintSource } from "./lint-live.js";
import { resolveSettings } from "./live.js";
import { Progress } from "./progress.js";
import { EXIT_FINDINGS, EXIT_USAGE, out, packageVersion, printError, raiseExitCode, writeReport } from "./io.js";

export interface LintCliOptions {
  format: Format;
  output?: string;
  config?: string;
  oktaDomain?: string[];
  rule: Record<string, Severity | "off">;
  failOn: Severity | "never";
  maxWarnings?: number;
  baseline?: string | true;
  updateBaseline?: boolean;
}

export function registerLint(program: Command): void {
  program
    .command("lint")
    .description("lint captures: every Okta call classified, every auth problem explained, root cause first")
    .argument("<inputs...>", "capture files (HAR or mitmproxy flows), directories (searched for .har, .zhar, .json, .mitm, .flow), globs, or - for standard input")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("stylish"))
    .option("-o, --output <file>", "write the report to a file (the summary still goes to stdout)")
    .option("-c, --config <file>", "config file (default: oktalint.config.json found upward from here)")
    .option("--okta-domain <domain...>", "custom domain(s) of your Okta org, e.g. login.example.com")
    .addOption(new Option("--rule <id=severity>", "set a rule's severity (off, info, warning, error); repeatable").argParser(parseRuleSetting).default({}, "the config's, else each rule's own"))
    .addOption(new Option("--fail-on <severity>", "lowest severity that makes the exit code 1").choices(["error", "warning", "info", "never"]).default("error"))
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", parseCount)
    .option("--baseline [file]", `hide the problems recorded in a baseline (default ${DEFAULT_BASELINE_FILE})`)
    .option("--update-baseline", "record the problems found now in the baseline file")
    .action(async (inputs: string[], opts: LintCliOptions, command: Command) => {
      // A pipe or FIFO of mitmproxy flows (mitmdump -s <addon> | oktalint lint -): findings as each flow completes.
      const liveSource = await liveLintSource(inputs, opts);
      if (liveSource) return lintLive(liveSource, opts, command);
      const resolved = await resolveSettings(opts, command);
      if (!resolved) return;
      const { config, settings, failOn, maxWarnings, oktaDomains } = resolved;

      const baselinePath = typeof opts.baseline === "string" ? opts.baseline : opts.baseline || opts.updateBaseline ? DEFAULT_BASELINE_FILE : undefined;
      let matcher: BaselineMatcher | undefined;
      if (baselinePath && opts.baseline) {
        try {
          matcher = new BaselineMatcher(await readBaseline(baselinePath, { allowMissing: Boolean(opts.updateBaseline) }));
        } catch (e) {
          if (!(e instanceof BaselineError)) throw e;
          printError(e.message);
          raiseExitCode(EXIT_USAGE);
          return;
        }
      }

      const { files, sizes, missing } = await expandInputs(inputs);
      const progress = new Progress(files.length, sizes.reduce((a, b) => a + b, 0));
      const jobs = await lintAll(files, sizes, { oktaDomains, settings }, (p) => progress.update(p.done, p.path, p.bytes));
      progress.finish();
      const results: FileResult[] = jobs.map((j) => j.result);
      for (const m of missing) results.push({ path: m.input, findings: [], error: `${m.input}: ${m.reason}` });
      for (const j of jobs) for (const f of j.failures) printError(`rule ${f.ruleId} failed on ${j.result.path}: ${f.message}`);

      for (const r of results) r.findings = applyIgnores(r.findings, config.ignore);
      if (opts.updateBaseline && baselinePath) {
        try {
          // Everything found now is recorded, and so hidden from this run as from later ones.
          matcher = new BaselineMatcher(await writeBaseline(baselinePath, results.flatMap((r) => r.findings)));
        } catch (e) {
          if (!(e instanceof BaselineError)) throw e;
          printError(e.message);
          raiseExitCode(EXIT_USAGE);
          return;
        }
      }
      let hidden = 0;
      if (matcher) {
        for (const r of results) {
          const applied = matcher.apply(r.findings);
          r.findings = applied.shown;
          hidden += applied.hidden.length;
        }
      }

      const ctx: ReportContext = {
        rules: RULES,
        cwd: process.cwd(),
        failOn,
        toolVersion: packageVersion(),
        width: Math.max(60, Math.min(process.stdout.columns ?? 100, 120)),
      };
      const text = REPORTERS[opts.format](results, ctx);
      if (opts.output) {
        const file = createWriteStream(opts.output);
        await writeReport(file, text);
        await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
        await out(formatSummary(results) + `\nreport written to ${opts.output}`);
      } else {
        await writeReport(process.stdout, text);
      }
      if (hidden > 0 || (opts.updateBaseline && baselinePath)) {
        const notes: string[] = [];
        if (opts.updateBaseline) notes.push(`baseline ${baselinePath} updated`);
        if (hidden > 0) notes.push(`${hidden} problem${hidden === 1 ? "" : "s"} hidden by the baseline`);
        process.stderr.write(`oktalint: ${notes.join("; ")}\n`);
      }
      for (const r of results) if (r.error) printError(r.error);
      if (results.some((r) => r.error)) raiseExitCode(EXIT_USAGE);
      if (failsThreshold(results.flatMap((r) => r.findings), failOn, maxWarnings)) raiseExitCode(EXIT_FINDINGS);
    });
}
