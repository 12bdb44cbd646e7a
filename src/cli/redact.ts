import { Option, type Command } from "commander";
import { resolve } from "node:path";
import kleur from "kleur";
import { checkFile, outputIsStream, redactFile, type CheckResult } from "../redact/index.js";
import { InputError } from "../ingest/types.js";
import { EXIT_FINDINGS, EXIT_USAGE, out, printError, raiseExitCode } from "./io.js";

interface RedactCliOptions {
  output?: string;
  check?: boolean;
  keepUnparsed?: boolean;
  format: string;
}

function renderCheck(r: CheckResult): string {
  const lines = [kleur.bold().underline(r.path)];
  for (const f of r.findings) {
    const where = f.entry >= 0 ? `entry ${f.entry}` : "log";
    const inner = f.inner !== undefined ? kleur.dim(` ${f.inner}`) : "";
    lines.push(`  ${kleur.red("secret")}  ${where}  ${f.path}${inner}  ${f.reason}  ${kleur.dim(f.value)}`);
  }
  if (r.count > r.findings.length) lines.push(kleur.dim(`  … and ${r.count - r.findings.length} more`));
  lines.push(
    r.count === 0
      ? kleur.green(`✓ nothing in ${r.entries} entries looks secret`)
      : kleur.red(`✖ ${r.count} value${r.count === 1 ? "" : "s"} still look${r.count === 1 ? "s" : ""} secret · mask them with: oktalint redact ${r.path} -o <output>`),
  );
  return lines.join("\n");
}

export function registerRedact(program: Command): void {
  program
    .command("redact")
    .description("mask every secret in a capture (tokens, cookies, passwords, codes) keeping what diagnosis needs; --check lists what still looks secret")
    .argument("<input>", "capture file, or - for standard input")
    .option("-o, --output <file>", "where to write the redacted HAR (- for standard output)")
    .option("--check", "do not write anything: list every value that still looks secret (exit 1 if any)")
    .option("--keep-unparsed", "keep entries that cannot be parsed, masked byte-wise, instead of replacing them by a placeholder (and exit 0)")
    .addOption(new Option("-f, --format <format>", "output format of --check").choices(["stylish", "json"]).default("stylish"))
    .action(async (input: string, opts: RedactCliOptions) => {
      try {
        if (opts.check) {
          const r = await checkFile(input);
          if (opts.format === "json") await out(JSON.stringify({ path: r.path, entries: r.entries, count: r.count, secrets: r.findings }, null, 2));
          else await out(renderCheck(r));
          if (r.count > 0) raiseExitCode(EXIT_FINDINGS);
          return;
        }
        if (!opts.output) {
          printError("redact needs -o <output> (or --check to only look for secrets)");
          raiseExitCode(EXIT_USAGE);
          return;
        }
        if (input !== "-" && opts.output !== "-" && resolve(input) === resolve(opts.output)) {
          printError("the output must be a different file from the input");
          raiseExitCode(EXIT_USAGE);
          return;
        }
        const toStream = await outputIsStream(opts.output);
        const s = await redactFile(input, opts.output, { keepUnparsed: opts.keepUnparsed === true });
        for (const u of s.unparsed) {
          printError(
            opts.keepUnparsed
              ? `entry ${u.entry} cannot be parsed (${u.error}): kept, masked byte-wise; check it before sharing`
              : `entry ${u.entry} cannot be parsed (${u.error}): replaced by a placeholder (--keep-unparsed keeps it masked byte-wise)`,
          );
        }
        if (s.unparsed.length > 0 && !opts.keepUnparsed) raiseExitCode(EXIT_FINDINGS);
        const summary = `redacted ${s.replaced} secret value${s.replaced === 1 ? "" : "s"} (${s.distinct} distinct) in ${s.changedEntries} of ${s.entries} entries → ${opts.output}`;
        if (toStream) process.stderr.write(`${summary}\n`);
        else await out(summary);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        printError(e.message);
        raiseExitCode(EXIT_USAGE);
      }
    });
}
