import { Option, type Command } from "commander";
import kleur from "kleur";
import { readCapture } from "../index.js";
import { InputError } from "../ingest/types.js";
import { countNotes } from "../report/json.js";
import { describeProducer } from "../report/describe.js";
import { EXIT_FINDINGS, EXIT_USAGE, out, printError, raiseExitCode } from "./io.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check a capture against HAR 1.2 and list every deviation with its JSON path")
    .argument("<file>", "capture file, or - for standard input")
    .option("--strict", "exit 1 on any HAR 1.2 deviation")
    .addOption(new Option("-f, --format <format>", "output format").choices(["stylish", "json"]).default("stylish"))
    .action(async (file: string, opts: { strict?: boolean; format: string }) => {
      let capture;
      try {
        capture = await readCapture(file);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        printError(e.message);
        raiseExitCode(EXIT_USAGE);
        return;
      }
      const errors = countNotes(capture, "error");
      const infos = countNotes(capture, "info");
      if (opts.format === "json") {
        await out(
          JSON.stringify(
            {
              path: file,
              producer: capture.meta.producer,
              format: capture.meta.format,
              version: capture.meta.version,
              wrappers: capture.meta.wrappers,
              entries: capture.stats.entries,
              valid: errors === 0 && !capture.error,
              errors,
              infos,
              notes: capture.notes,
              ...(capture.error ? { error: capture.error.message } : {}),
            },
            null,
            2,
          ),
        );
      } else {
        const lines = [kleur.bold().underline(file), kleur.dim(`${describeProducer(capture)} · ${capture.stats.entries} entries${capture.meta.wrappers.length ? ` · unwrapped: ${capture.meta.wrappers.join(", ")}` : ""}`)];
        for (const n of capture.notes) {
          const level = n.level === "error" ? kleur.red("error") : kleur.blue("info ");
          const more = n.repeated ? kleur.dim(` (+${n.repeated} more like this)`) : "";
          lines.push(`  ${level}  ${n.path}  ${n.message}  ${kleur.dim(n.code)}${more}`);
        }
        lines.push(
          errors === 0
            ? kleur.green(`✓ valid HAR ${capture.meta.version === "1.2" ? "1.2" : capture.meta.version}${infos ? ` (${infos} producer extension${infos === 1 ? "" : "s"} noted)` : ""}`)
            : kleur.yellow(`${errors} deviation${errors === 1 ? "" : "s"} from HAR 1.2${infos ? `, ${infos} note${infos === 1 ? "" : "s"}` : ""}`),
        );
        await out(lines.join("\n"));
      }
      if (capture.error) {
        printError(capture.error.message);
        raiseExitCode(EXIT_USAGE);
      } else if (opts.strict && errors > 0) raiseExitCode(EXIT_FINDINGS);
    });
}
