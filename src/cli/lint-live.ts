/**
 * `oktalint lint` on a live stream of mitmproxy flows:
 *
 *     mitmdump -s "$(oktalint mitmproxy-addon)" --mode reverse:https://… | oktalint lint -
 *
 * Each finding is printed as soon as the flow that proves it has been read
 * (the addon writes every flow whole, the moment it completes), and the
 * summary when the stream ends, i.e. when mitmdump exits.
 *
 * Live mode is taken for a single input that is a pipe, a socket or a FIFO
 * carrying mitmproxy flows (sniffed from the first byte: a tnetstring length),
 * with the human (stylish) output or a report written with --output. A HAR
 * piped in, a regular file, or a machine format on stdout is linted the usual
 * way, as a whole: nothing changes for them.
 */
import { closeSync, constants as fsConstants, createReadStream, fstatSync, openSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import type { Command } from "commander";
import { RULES } from "../../rules/index.js";
import { oktaBodyPolicy } from "../engine/capture.js";
import { openCaptureStream } from "../ingest/open.js";
import { InputError, type CaptureReader } from "../ingest/types.js";
import { LiveSession } from "../live/session.js";
import { EXIT_FINDINGS, EXIT_USAGE, printError, raiseExitCode } from "./io.js";
import { LivePrinter, finishLive, resolveSettings, type LiveCliOptions, type LiveSettings } from "./live.js";
import type { LintCliOptions } from "./lint.js";

export interface LiveSource {
  /** What messages and the report call it (`-` or the FIFO's path). */
  label: string;
  stream: Readable;
  /** The FIFO's path, when the input is one. */
  fifo?: string;
}

/**
 * Opening a FIFO for reading blocks (in a worker thread) until a writer opens
 * it, and that thread would keep the process alive. Opening it for writing,
 * without blocking, and closing it again lets that open complete at once.
 */
function releaseFifo(path: string): void {
  try {
    closeSync(openSync(path, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK));
  } catch {
    // ENXIO: no reader is waiting any more.
  }
}

/** After the first Ctrl-C, wait this long for mitmdump (which got it too) to end the stream. */
const GRACE_MS = 3000;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Look at the first non-blank byte of `stream`: a digit starts a tnetstring
 * length, i.e. a mitmproxy flow. Returns the stream to lint live (with every
 * byte read put back), or undefined to lint it the usual way: then too every
 * byte is back in `stream` (readable.unshift), whoever reads it next sees it
 * whole. An input that ends while still blank cannot be put back (its 'end'
 * has been emitted): it is returned as a replay, and the reader reports it.
 */
export async function sniffFlowStream(stream: Readable): Promise<Readable | undefined> {
  const chunks: Buffer[] = [];
  let wake: (() => void) | undefined;
  const onEvent = () => wake?.();
  const events = ["readable", "end", "error", "close"] as const;
  for (const e of events) stream.on(e, onEvent);
  try {
    for (;;) {
      // Nothing buffered: read() asks for more, or, at the end of input, makes the stream emit 'end'.
      const chunk = stream.readableEnded || stream.destroyed ? null : (stream.read() as Buffer | string | null);
      if (chunk === null) {
        if (stream.readableEnded || stream.destroyed) return chunks.length > 0 ? Readable.from(chunks) : undefined;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      const bytes = Buffer.from(chunk);
      chunks.push(bytes);
      const first = bytes.find((c) => !isSpace(c));
      if (first === undefined) continue;
      // Synchronously after the read: the stream cannot have emitted 'end' since.
      stream.unshift(Buffer.concat(chunks));
      return first >= 0x30 && first <= 0x39 ? stream : undefined;
    }
  } finally {
    for (const e of events) stream.off(e, onEvent);
  }
}

function isStream(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

/**
 * The live source when `lint` should lint live, else undefined (and stdin is
 * left with every byte it had: the batch reader reads it as usual).
 */
export async function liveLintSource(inputs: readonly string[], opts: LintCliOptions): Promise<LiveSource | undefined> {
  if (inputs.length !== 1) return undefined;
  // Live findings are printed for a human: a machine format on stdout stays one whole report.
  if (opts.format !== "stylish" && !opts.output) return undefined;
  // A baseline is matched against the whole run's findings.
  if (opts.baseline || opts.updateBaseline) return undefined;
  const input = inputs[0]!;
  if (input === "-") {
    if (process.stdin.isTTY || !isStream(0)) return undefined;
    const stream = await sniffFlowStream(process.stdin);
    return stream ? { label: "-", stream } : undefined;
  }
  let fifo = false;
  try {
    fifo = statSync(input).isFIFO();
  } catch {
    return undefined;
  }
  // A FIFO is live by nature (`--set oktalint_out=FIFO` on the mitmdump side); read once, it cannot be re-read.
  return fifo ? { label: input, stream: createReadStream(input), fifo: input } : undefined;
}

/**
 * Stop the stream when asked: the first SIGINT (Ctrl-C reaches mitmdump too,
 * which then ends the stream) waits a little for the end, a second one or
 * SIGTERM stops at once. Resolves when reading should stop.
 */
function stopSignals(): { stopped: Promise<void>; dispose: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let resolveStop!: () => void;
  const stopped = new Promise<void>((r) => (resolveStop = r));
  let interrupts = 0;
  const onInt = () => {
    interrupts++;
    if (interrupts === 1) timer = setTimeout(resolveStop, GRACE_MS);
    else resolveStop();
  };
  const onTerm = () => resolveStop();
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return {
    stopped,
    dispose: () => {
      if (timer) clearTimeout(timer);
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    },
  };
}

/** Lint a live stream: findings as they appear, the summary (and --output report) at its end. */
export async function lintLive(source: LiveSource, opts: LintCliOptions, command: Command): Promise<void> {
  const liveOpts: LiveCliOptions = {
    rule: opts.rule,
    failOn: opts.failOn,
    format: opts.format,
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.oktaDomain ? { oktaDomain: opts.oktaDomain } : {}),
    ...(opts.output ? { output: opts.output } : {}),
  };
  const live = await resolveSettings({ ...liveOpts, ...(opts.maxWarnings !== undefined ? { maxWarnings: opts.maxWarnings } : {}) }, command);
  if (!live) {
    source.stream.destroy();
    return;
  }
  const signals = stopSignals();
  try {
    await run(source, liveOpts, live, signals.stopped);
  } finally {
    signals.dispose();
  }
}

async function run(source: LiveSource, opts: LiveCliOptions, live: LiveSettings, stopped: Promise<void>): Promise<void> {
  const opening = openCaptureStream(source.stream, source.label, { keepBody: oktaBodyPolicy(live.oktaDomains) });
  let reader: CaptureReader | undefined;
  try {
    reader = await Promise.race([opening, stopped.then(() => undefined)]);
  } catch (e) {
    // Not a flow stream after all (a digit, then garbage), or empty.
    if (!(e instanceof InputError)) throw e;
    printError(e.message);
    raiseExitCode(EXIT_USAGE);
    return;
  }
  if (reader === undefined) {
    // Stopped before a single flow arrived.
    source.stream.destroy();
    opening.catch(() => {});
    if (source.fifo) releaseFifo(source.fifo);
    printError(`${source.label}: stopped before any flow was read`);
    raiseExitCode(EXIT_USAGE);
    return;
  }

  const printer = new LivePrinter(process.stdout, live.config);
  const session = new LiveSession({
    rules: RULES,
    settings: live.settings,
    oktaDomains: live.oktaDomains,
    label: source.label,
    producer: reader.meta.producer,
    // The reader fills its meta in as it reads: the session reads it at each pass.
    format: reader.meta,
    onFinding: printer.finding,
    onSymptom: printer.symptom,
    onRetract: printer.retract,
  });
  let error: InputError | undefined;
  const reading = (async () => {
    for await (const ex of reader.exchanges()) session.addExchange(ex);
  })().catch((e: unknown) => {
    if (!(e instanceof InputError)) throw e;
    error = e;
  });
  const ended = await Promise.race([reading.then(() => true), stopped.then(() => false)]);
  if (!ended) {
    // Interrupted before the stream ended: what was read is reported.
    source.stream.destroy();
    reading.catch(() => {});
  }
  const result = session.close();
  const { fails } = await finishLive(result, source.label, opts, live, process.stdout);
  if (error) {
    printError(error.message);
    raiseExitCode(EXIT_USAGE);
  }
  if (fails) raiseExitCode(EXIT_FINDINGS);
}
