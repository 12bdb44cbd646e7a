/** `oktalint proxy`: a reverse proxy in front of an Okta org that lints every exchange as it passes. */
import { InvalidArgumentError, type Command } from "commander";
import kleur from "kleur";
import { checkTarget, startProxy } from "../proxy/server.js";
import { EXIT_FINDINGS, EXIT_USAGE, packageVersion, printError, raiseExitCode } from "./io.js";
import { LivePrinter, addLiveOptions, finishLive, openLiveSession, resolveSettings, type LiveCliOptions } from "./live.js";

interface ProxyCliOptions extends LiveCliOptions {
  target: string;
  port: number;
  host: string;
  check: boolean;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError("expected a port number (0-65535; 0 picks a free one)");
  return n;
}

/** The target must be an http(s) origin: `https://dev-123.okta.com`. */
function parseTarget(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`not a URL: '${value}' (expected e.g. https://dev-123456.okta.com)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new InvalidArgumentError(`expected an http(s) URL, got '${value}'`);
  if (url.pathname !== "/" || url.search || url.hash) throw new InvalidArgumentError(`expected the org's origin without a path, e.g. ${url.origin}`);
  return url.origin;
}

export function registerProxy(program: Command): void {
  const cmd = program
    .command("proxy")
    .description("reverse proxy in front of an Okta org: point your app or SDK at it and see each problem as the request completes")
    .requiredOption("--target <url>", "the Okta org (or custom domain) to forward to, e.g. https://dev-123456.okta.com", parseTarget)
    .option("--port <port>", "port to listen on (0 picks a free one)", parsePort, 8787)
    .option("--host <host>", "address to listen on (loopback unless you mean otherwise)", "127.0.0.1")
    .option("--no-check", "start even when the target cannot be reached now");
  addLiveOptions(cmd).action(async (opts: ProxyCliOptions, command: Command) => {
    const live = await resolveSettings(opts, command);
    if (!live) return;
    const target = new URL(opts.target);
    if (opts.check) {
      const problem = await checkTarget(opts.target);
      if (problem !== null) {
        printError(`cannot reach ${opts.target}: ${problem} (use --no-check to start anyway)`);
        raiseExitCode(EXIT_USAGE);
        return;
      }
    }
    const out = process.stdout;
    const printer = new LivePrinter(out, live.config);
    const label = `proxy → ${opts.target}`;
    // Whatever answers behind the proxy is the org the user named.
    const session = openLiveSession(opts, live, { label, producer: { name: "oktalint proxy", version: packageVersion() }, oktaDomains: [...live.oktaDomains, target.hostname] }, printer);
    if (!session) return;
    let proxy;
    try {
      proxy = await startProxy({
        target: opts.target,
        host: opts.host,
        port: opts.port,
        onRecord: (record) => session.addRecord(record),
        onLog: (line) => printer.log(`oktalint proxy: ${line}`),
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === "EADDRINUSE" ? `port ${opts.port} is already in use (pick another with --port)` : err.code === "EADDRNOTAVAIL" ? `${opts.host} is not an address of this machine` : err.message;
      printError(`cannot listen on ${opts.host}:${opts.port}: ${why}`);
      session.close();
      raiseExitCode(EXIT_USAGE);
      return;
    }
    process.stderr.write(`oktalint proxy: listening on ${proxy.url} → ${opts.target}${kleur.dim(" (Ctrl-C to stop and see the summary)")}\n`);

    // Stop on Ctrl-C / SIGTERM: close the listener, then report the session.
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    await proxy.close();
    const result = session.close();
    const { fails } = await finishLive(result, label, opts, live, out);
    if (fails) raiseExitCode(EXIT_FINDINGS);
  });
}
