/**
 * What the live commands (trace, proxy, browse, and `lint` on a live stream)
 * share: the rule and threshold options, findings printed one by one as they
 * appear, and the closing summary and report.
 */
import { Option, type Command } from "commander";
import { createWriteStream } from "node:fs";
import kleur from "kleur";
import { RULES } from "../../rules/index.js";
import { failsThreshold, type RuleSettings } from "../engine/run.js";
import type { Finding, Severity, Symptom } from "../engine/types.js";
import { ConfigError, applyIgnores, loadConfig, mergeOktaDomains, mergeSettings, resolveThresholds, type OktalintConfig } from "../engine/config.js";
import { LiveSession, type LiveResult } from "../live/session.js";
import type { ProducerInfo } from "../model/exchange.js";
import { REPORTERS, FORMATS, type Format } from "../report/index.js";
import { flowTable, formatFinding, formatSummary, formatSymptom } from "../report/stylish.js";
import type { FileResult, ReportContext } from "../report/types.js";
import { EXIT_USAGE, packageVersion, printError, raiseExitCode, writeReport } from "./io.js";
import { parseRuleSetting } from "./options.js";

export interface LiveCliOptions {
  config?: string;
  oktaDomain?: string[];
  rule: Record<string, Severity | "off">;
  failOn: Severity | "never";
  har?: string;
  raw?: boolean;
  format?: Format;
  output?: string;
}

/** The options every live command takes. */
export function addLiveOptions(cmd: Command): Command {
  return cmd
    .option("--har <file>", "also write the session as a HAR file (secrets masked unless --raw)")
    .option("--raw", "write secrets into the --har file as they are (do not share such a file)")
    .option("-c, --config <file>", "config file (default: oktalint.config.json found upward from here)")
    .option("--okta-domain <domain...>", "custom domain(s) of your Okta org, e.g. login.example.com")
    .addOption(new Option("--rule <id=severity>", "set a rule's severity (off, info, warning, error); repeatable").argParser(parseRuleSetting).default({}, "the config's, else each rule's own"))
    .addOption(new Option("--fail-on <severity>", "lowest severity that makes the exit code 1").choices(["error", "warning", "info", "never"]).default("error"))
    .addOption(new Option("-f, --format <format>", "format of the report written with --output when the session ends").choices(FORMATS))
    .option("-o, --output <file>", "write a full report of the session to a file when it ends");
}

/** What resolving a run's settings reads from the command line. */
export interface SettingsOptions {
  config?: string;
  oktaDomain?: string[];
  rule: Record<string, Severity | "off">;
  failOn: Severity | "never";
  maxWarnings?: number;
}

export interface LiveSettings {
  config: OktalintConfig;
  settings: RuleSettings;
  failOn: Severity | "never";
  maxWarnings: number | undefined;
  oktaDomains: string[];
}

/**
 * A run's settings (lint's and the live commands'): the config file first,
 * the command line on top. A bad config is one error line per problem and
 * exit 2 (returns undefined).
 */
export async function resolveSettings(opts: SettingsOptions, command: Command): Promise<LiveSettings | undefined> {
  let loaded;
  try {
    loaded = await loadConfig({ cwd: process.cwd(), rules: RULES, ...(opts.config ? { configPath: opts.config } : {}) });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) printError(`${e.path}: ${p}`);
    raiseExitCode(EXIT_USAGE);
    return undefined;
  }
  const config = loaded.config;
  const cliFailOn = command.getOptionValueSource("failOn") === "cli" ? opts.failOn : undefined;
  const { failOn, maxWarnings } = resolveThresholds(config, { failOn: cliFailOn, maxWarnings: opts.maxWarnings });
  return { config, settings: mergeSettings(config.rules, opts.rule), failOn, maxWarnings, oktaDomains: mergeOktaDomains(config, opts.oktaDomain ?? []) };
}

/**
 * Prints findings as they come, each once, with why/fix/docs the first time a
 * rule shows up: a problem with its symptoms beneath it; a symptom found after
 * its problem was printed, with the problem it belongs to.
 */
export class LivePrinter {
  private readonly explained = new Map<string, number | null>();

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly config: OktalintConfig,
    private readonly prefix = "",
  ) {}

  private get width(): number {
    const columns = (this.stream as { columns?: number }).columns;
    return Math.max(60, Math.min(columns ?? 100, 120));
  }

  /** Print a new problem, unless the config ignores it; `earlier`: its symptoms printed before, which it now explains. */
  finding = (f: Finding, earlier: readonly Symptom[] = []): void => {
    if (applyIgnores([f], this.config.ignore).length === 0) return;
    this.write(formatFinding(f, this.width, this.explained, new Set(earlier)));
  };

  /** Print a symptom found after its problem was printed, unless the config ignores the problem. */
  symptom = (s: Symptom, cause: Finding): void => {
    if (applyIgnores([cause], this.config.ignore).length === 0) return;
    const at = cause.entry === null ? "of the capture" : `at entry ${cause.entry}`;
    this.write(formatSymptom(s, this.width, `of the ${cause.ruleId} problem ${at} above`).map((l) => l.replace(/^ {2}/, "")));
  };

  /**
   * A finding printed above that later traffic refutes (withdrawn), or that
   * now reads differently (replaced by the one printed next).
   */
  retract = (f: Finding, replacement: Finding | undefined): void => {
    if (applyIgnores([f], this.config.ignore).length === 0) return;
    const at = f.entry === null ? "of the capture" : `at entry ${f.entry}`;
    const why = replacement
      ? `later traffic changes it: ${replacement.confidence === f.confidence ? "it now reads" : `now ${replacement.confidence},`} as printed below`
      : "later traffic refutes it";
    this.write([`  ${kleur.dim("⊘ withdrawn")}  ${f.ruleId} ${at} printed above: ${why}`, kleur.dim(`    was: ${f.message.length > 160 ? `${f.message.slice(0, 159)}…` : f.message}`)]);
  };

  private write(lines: string[]): void {
    // Beside a traced program's own output, say whose lines these are.
    if (this.prefix && lines[0] !== undefined) lines[0] = `${kleur.dim(this.prefix)} ${lines[0].trimStart()}`;
    this.stream.write(`\n${lines.join("\n")}\n`);
  }

  /** A line of the session's own (listening on…, upstream failure…), never a finding. */
  log = (line: string): void => {
    this.stream.write(`${kleur.dim(line)}\n`);
  };
}

/** What a live command's session is called and who records it. */
export interface LiveSessionInit {
  label: string;
  producer: ProducerInfo;
  /** The Okta domains to use instead of the settings' (the proxy adds its target). */
  oktaDomains?: string[];
}

/**
 * The session of a live command, writing `--har` if asked. A HAR file that
 * cannot be written is one error line and exit 2 (returns undefined).
 */
export function openLiveSession(opts: LiveCliOptions, live: LiveSettings, init: LiveSessionInit, printer: LivePrinter): LiveSession | undefined {
  try {
    return new LiveSession({
      rules: RULES,
      settings: live.settings,
      oktaDomains: init.oktaDomains ?? live.oktaDomains,
      label: init.label,
      producer: init.producer,
      ...(opts.har ? { har: { path: opts.har, raw: opts.raw ?? false } } : {}),
      onFinding: printer.finding,
      onSymptom: printer.symptom,
      onRetract: printer.retract,
    });
  } catch (e) {
    printError(`cannot write ${opts.har}: ${(e as Error).message}`);
    raiseExitCode(EXIT_USAGE);
    return undefined;
  }
}

/** Okta calls shown in the closing flow summary of a live session (the last ones). */
const FLOW_ROWS = 40;

/**
 * The end of a session: the report file if asked, the summary line, and
 * whether the findings are over the threshold.
 */
export async function finishLive(
  result: LiveResult,
  label: string,
  opts: LiveCliOptions,
  live: LiveSettings,
  stream: NodeJS.WritableStream,
): Promise<{ fails: boolean; findings: Finding[] }> {
  const findings = applyIgnores(result.findings, live.config.ignore);
  const fileResult: FileResult = { path: label, capture: result.capture, findings };
  if (opts.output) {
    const ctx: ReportContext = { rules: RULES, cwd: process.cwd(), failOn: live.failOn, toolVersion: packageVersion(), width: 100 };
    const file = createWriteStream(opts.output);
    await writeReport(file, REPORTERS[opts.format ?? "json"](([fileResult] as const), ctx));
    await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  const extras: string[] = [`${result.exchanges} ${result.exchanges === 1 ? "exchange" : "exchanges"} recorded`];
  if (result.harEntries !== undefined && opts.har) extras.push(`HAR written to ${opts.har}${opts.raw ? " (raw: secrets NOT masked)" : " (secrets masked)"}`);
  if (opts.output) extras.push(`report written to ${opts.output}`);
  for (const f of result.failures) printError(`rule ${f.ruleId} failed: ${f.message}`);
  // The session's flow, as lint shows a capture's: what was called, with what, and Okta's answer.
  const flow = result.capture.calls.length > 0 || (result.capture.foreign ?? []).length > 0 ? `\n${flowTable(result.capture, findings, FLOW_ROWS)}\n` : "";
  stream.write(`${flow}\n${formatSummary([fileResult])}\n${kleur.dim(extras.join(" · "))}\n`);
  return { fails: failsThreshold(findings, live.failOn, live.maxWarnings), findings };
}
