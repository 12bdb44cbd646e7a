#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import kleur from "kleur";
import { registerLint } from "./lint.js";
import { registerValidate } from "./validate.js";
import { registerClassify } from "./classify.js";
import { registerExplain } from "./explain.js";
import { registerRules } from "./rules.js";
import { registerRedact } from "./redact.js";
import { registerTrace } from "./trace.js";
import { registerProxy } from "./proxy.js";
import { registerAddon } from "./addon.js";
import { registerBrowse } from "./browse.js";
import { EXIT_USAGE, packageVersion, printError } from "./io.js";

// Piping into `head` closes stdout early: that is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

const program = new Command("oktalint")
  .description("Auth-flow diagnostic linter for Okta traffic: reads HAR captures, classifies every Okta call and explains what went wrong.")
  .version(packageVersion(), "-v, --version")
  .option("--no-color", "no colours (also off when stdout is not a terminal, or with NO_COLOR)")
  .showSuggestionAfterError()
  .exitOverride()
  .hook("preAction", (cmd) => {
    if (cmd.opts()["color"] === false) kleur.enabled = false;
  });

registerLint(program);
registerValidate(program);
registerClassify(program);
registerExplain(program);
registerRules(program);
registerRedact(program);
registerTrace(program);
registerProxy(program);
registerBrowse(program);
registerAddon(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Commander already printed its one-line message; help and version exit cleanly.
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    const err = e as Error;
    printError(`internal error: ${err?.message ?? String(e)}${process.env["OKTALINT_DEBUG"] ? "" : " (set OKTALINT_DEBUG=1 for details)"}`);
    if (process.env["OKTALINT_DEBUG"]) process.stderr.write(`${err?.stack ?? ""}\n`);
    process.exitCode = EXIT_USAGE;
  }
}
