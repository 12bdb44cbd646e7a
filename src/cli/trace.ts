/** `oktalint trace -- <command>`: run a Node.js program and lint every HTTP exchange it makes as it happens. */
import { spawn } from "node:child_process";
import { constants as osConstants } from "node:os";
import type { Command } from "commander";
import { maskText } from "../okta/mask.js";
import { openTraceChannel, traceEnv } from "../trace/channel.js";
import { EXIT_USAGE, packageVersion, printError, raiseExitCode } from "./io.js";
import { LivePrinter, addLiveOptions, finishLive, openLiveSession, resolveSettings, type LiveCliOptions } from "./live.js";

/** Shells' conventions for a command that could not be run. */
export const EXIT_NOT_FOUND = 127;
export const EXIT_NOT_EXECUTABLE = 126;

interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all. */
  spawnError?: NodeJS.ErrnoException;
}

/** Exit code of a finished child as a shell reports it (128 + signal number when killed). */
function exitCodeOf(end: ChildEnd): number {
  if (end.code !== null) return end.code;
  const signo = end.signal ? osConstants.signals[end.signal] : undefined;
  return signo ? 128 + signo : 1;
}

const quoteArg = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

export function registerTrace(program: Command): void {
  const cmd = program
    .command("trace")
    .description("run a Node.js command and lint every HTTP exchange it (and its child processes) makes, as it happens")
    .usage("[options] -- <command> [args...]")
    .argument("<command...>", "the command to run, after -- (oktalint's options go before it)");
  addLiveOptions(cmd).action(async (argv: string[], opts: LiveCliOptions, command: Command) => {
    const live = await resolveSettings(opts, command);
    if (!live) return;
    const [file, ...args] = argv as [string, ...string[]];
    // The command line names the session in reports; a token passed as an argument stays masked.
    const label = `trace: ${maskText(argv.map(quoteArg).join(" "))}`;
    const printer = new LivePrinter(process.stderr, live.config, "oktalint");

    const session = openLiveSession(opts, live, { label, producer: { name: "oktalint trace", version: packageVersion() } }, printer);
    if (!session) return;

    let channel;
    try {
      channel = await openTraceChannel();
    } catch (e) {
      // No named pipes here (mkfifo missing, a read-only temp dir, Windows).
      printError(`cannot set up tracing: ${(e as Error).message}`);
      session.close();
      raiseExitCode(EXIT_USAGE);
      return;
    }
    const reading = (async () => {
      for await (const record of channel.records) if (record.kind === "exchange") session.addRecord(record);
    })();

    const child = spawn(file, args, { stdio: "inherit", env: traceEnv(process.env, channel.path) });
    // Ctrl-C reaches the child from the terminal; oktalint waits for it to end and then reports.
    const forward = (signal: NodeJS.Signals) => () => {
      if (signal !== "SIGINT") child.kill(signal);
    };
    const onInt = forward("SIGINT");
    const onTerm = forward("SIGTERM");
    const onHup = forward("SIGHUP");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    process.on("SIGHUP", onHup);
    const end = await new Promise<ChildEnd>((resolve) => {
      child.once("error", (e: NodeJS.ErrnoException) => resolve({ code: null, signal: null, spawnError: e }));
      child.once("exit", (code, signal) => resolve({ code, signal }));
    });
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    process.off("SIGHUP", onHup);

    // Records written before the exit are in the pipe: read them all, then stop.
    await channel.close();
    await reading;
    const result = session.close();

    if (end.spawnError) {
      const e = end.spawnError;
      const notFound = e.code === "ENOENT";
      printError(notFound ? `command not found: ${file}` : `cannot run ${file}: ${e.code === "EACCES" ? "permission denied" : e.message}`);
      process.exitCode = notFound ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE;
      return;
    }
    const { fails } = await finishLive(result, label, opts, live, process.stderr);
    const code = exitCodeOf(end);
    if (end.signal) printError(`${file} was killed by ${end.signal} (exit code ${code})`);
    else if (code !== 0) printError(`${file} exited with code ${code}`);
    // The command's own failure comes first; otherwise findings over the threshold fail the run.
    process.exitCode = code !== 0 ? code : fails ? 1 : 0;
  });
}
