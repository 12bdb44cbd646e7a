/**
 * Streaming reader for mitmproxy's native flow files (`mitmdump -w FILE`):
 * frames top-level tnetstrings one at a time (memory bounded by the largest
 * flow), decodes each, and turns HTTP flows into Exchanges. TCP, UDP, DNS and
 * (pre-version-13) WebSocket flows are counted and skipped with one note.
 *
 * `meta` is known once the first flow has been read (`openCapture` resolves
 * after that): format "mitmproxy", version = the first flow's `version`.
 */
import type { CaptureMeta, Exchange, ValidationNote } from "../../model/exchange.js";
import { NoteSink } from "../har/validate.js";
import { InputError, type CaptureReader, type ReadOptions } from "../types.js";
import { flowToExchange, text, type FlowContext, type FlowIssue } from "./flow.js";
import { TnetstringError, decodeTnetstring, frameTnetstrings, type TnetDict, type TnetFrame } from "./tnetstring.js";

/** Newest flow format version whose layout this reader was checked against (mitmproxy 11). */
export const KNOWN_FLOW_VERSION = 21;

export interface MitmproxySourceInit {
  /** Path shown in messages (`-` for stdin). */
  path: string;
  /** Wrappers undone so far (`gzip`, `zlib`). */
  wrappers: string[];
}

function readBefore(k: number): string {
  return `${k} flow${k === 1 ? "" : "s"} read before it`;
}

function versionString(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return v.map((x) => String(x)).join(".");
  if (typeof v === "string") return v;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  return "";
}

class MitmproxyReader implements CaptureReader {
  readonly meta: CaptureMeta;
  readonly notes: ValidationNote[] = [];
  private readonly sink: NoteSink;
  private readonly frames: AsyncGenerator<TnetFrame, void, undefined>;
  private consumed = 0;
  private first: IteratorResult<TnetFrame, void> | undefined;
  private started = false;
  private flowIndex = 0;
  private exchangesRead = 0;
  private readonly skipped = new Map<string, number>();
  private readonly versionsSeen = new Set<string>();
  private readonly ctx: FlowContext;
  private currentPath = "flows[0]";

  constructor(
    source: AsyncIterable<Buffer>,
    private readonly init: MitmproxySourceInit,
    private readonly opts: ReadOptions,
  ) {
    this.sink = new NoteSink(this.notes, opts.maxNotesPerCode ?? 20);
    this.meta = {
      path: init.path,
      format: "mitmproxy",
      version: "",
      producer: { name: "mitmproxy", version: "" },
      wrappers: [...init.wrappers],
    };
    this.frames = frameTnetstrings(source, (n) => (this.consumed = n));
    this.ctx = {
      producer: this.meta.producer,
      ...(opts.keepBody ? { keepBody: opts.keepBody } : {}),
      serversSeen: new Set(),
      issue: (i) => this.onIssue(i),
    };
  }

  get bytesRead(): number {
    return this.consumed;
  }

  private onIssue(i: FlowIssue): void {
    const path = `${this.currentPath}.${i.which}.content`;
    switch (i.code) {
      case "mitmproxy.body.zstd":
        this.sink.add(i.code, "info", path, "the body is zstd-encoded, which cannot be decoded here; it is kept as base64");
        break;
      case "mitmproxy.body.unknown-encoding":
        this.sink.add(i.code, "info", path, `unknown Content-Encoding "${i.encoding}"; the body is kept as received (base64)`);
        break;
      case "mitmproxy.body.undecodable":
        this.sink.add(i.code, "info", path, `the body does not decode as ${i.encoding} (${i.reason}); it is kept as received (base64)`);
        break;
    }
  }

  async start(): Promise<void> {
    this.first = await this.pull();
  }

  async close(): Promise<void> {
    await this.frames.return(undefined);
  }

  private async pull(): Promise<IteratorResult<TnetFrame, void>> {
    try {
      const r = await this.frames.next();
      if (!r.done && this.flowIndex === 0 && this.meta.version === "") {
        // Version of the first flow, for meta (read before openCapture resolves).
        this.peekVersion(r.value);
      }
      return r;
    } catch (err) {
      throw this.inputError(err);
    }
  }

  private peekVersion(frame: TnetFrame): void {
    try {
      const flow = decodeTnetstring(frame.bytes, 0, frame.offset).value;
      if (flow && typeof flow === "object" && !Array.isArray(flow) && !Buffer.isBuffer(flow)) this.meta.version = versionString(flow["version"]);
    } catch {
      // Reported when the flow itself is read.
    }
  }

  private inputError(err: unknown): InputError {
    if (err instanceof InputError) return err;
    const after = readBefore(this.flowIndex);
    if (err instanceof TnetstringError) {
      if (err.kind === "truncated") return new InputError(this.init.path, `truncated: ${err.message} (${after})`);
      if (this.flowIndex === 0) return new InputError(this.init.path, `not a mitmproxy flow file: ${err.message}`);
      return new InputError(this.init.path, `not a valid flow file: ${err.message} (${after})`);
    }
    const e = err as NodeJS.ErrnoException;
    const where = this.flowIndex > 0 ? ` (after ${this.flowIndex} flows)` : "";
    if (e && typeof e.code === "string" && e.code.startsWith("Z_")) {
      const which = this.init.wrappers.includes("gzip") ? "gzip" : "zlib";
      return new InputError(this.init.path, `${which} data is corrupt or truncated${where}: ${e.message}`);
    }
    const message = e instanceof Error ? e.message : String(err);
    return new InputError(this.init.path, `read error${where}: ${message.split("\n")[0]}`);
  }


  private toExchange(frame: TnetFrame): Exchange | undefined {
    const k = this.flowIndex++;
    const path = `flows[${k}]`;
    this.currentPath = path;
    let flow: TnetDict;
    try {
      const v = decodeTnetstring(frame.bytes, 0, frame.offset).value;
      if (v === null || typeof v !== "object" || Array.isArray(v) || Buffer.isBuffer(v)) {
        throw new InputError(this.init.path, `${path} (byte ${frame.offset}) is not a flow: a flow is a tnetstring dict (${readBefore(k)})`);
      }
      flow = v;
    } catch (err) {
      if (err instanceof TnetstringError) {
        throw new InputError(this.init.path, `not a valid flow file: ${path} is broken at byte ${err.offset}: ${err.message} (${readBefore(k)})`);
      }
      throw err;
    }
    const version = versionString(flow["version"]);
    if (!this.versionsSeen.has(version)) {
      this.versionsSeen.add(version);
      if (this.meta.version === "") this.meta.version = version;
      const n = typeof flow["version"] === "number" ? flow["version"] : NaN;
      if (n > KNOWN_FLOW_VERSION) {
        this.sink.add("mitmproxy.version.newer", "info", `${path}.version`, `flow format version ${version} is newer than the newest known (${KNOWN_FLOW_VERSION}); read best-effort`);
      } else if (version === "") {
        this.sink.add("mitmproxy.version.missing", "error", `${path}.version`, "the flow has no version; read best-effort");
      }
      if (this.versionsSeen.size === 2) {
        this.sink.add("mitmproxy.version.mixed", "info", `${path}.version`, `flows of format version ${version} follow version ${this.meta.version}`);
      }
    }
    const type = text(flow["type"]) || (flow["request"] ? "http" : "");
    if (type !== "http") {
      this.skipped.set(type || "unknown", (this.skipped.get(type || "unknown") ?? 0) + 1);
      return undefined;
    }
    return flowToExchange(flow, this.exchangesRead++, { offset: frame.offset, line: frame.line, column: frame.column, jsonPath: path }, this.ctx);
  }

  private noteSkipped(): void {
    if (this.skipped.size === 0) return;
    const parts = [...this.skipped].map(([t, n]) => `${n} ${t} flow${n === 1 ? "" : "s"}`);
    this.sink.add("mitmproxy.flows.skipped", "info", "flows", `skipped ${parts.join(", ")} (only HTTP flows become exchanges)`);
  }

  /** Counts of skipped non-HTTP flows by type (`tcp`, `udp`, `dns`, `websocket`). */
  get skippedFlows(): ReadonlyMap<string, number> {
    return this.skipped;
  }

  async *exchanges(): AsyncGenerator<Exchange, void, undefined> {
    if (this.started) throw new Error("exchanges() of a streaming capture can only be iterated once");
    this.started = true;
    let completed = false;
    try {
      let next = this.first ?? (await this.pull());
      this.first = undefined;
      while (!next.done) {
        const x = this.toExchange(next.value);
        if (x) yield x;
        next = await this.pull();
      }
      completed = true;
    } finally {
      this.noteSkipped();
      if (!completed) await this.close();
    }
  }
}

/** Open a mitmproxy flow dump from decompressed byte chunks. Resolves once the first flow has been framed. */
export async function readMitmproxy(source: AsyncIterable<Buffer>, init: MitmproxySourceInit, opts: ReadOptions = {}): Promise<CaptureReader> {
  const reader = new MitmproxyReader(source, init, opts);
  try {
    await reader.start();
  } catch (err) {
    await reader.close();
    throw err;
  }
  return reader;
}
