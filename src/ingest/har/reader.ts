/**
 * Streaming HAR reader: splitter → JSON.parse per entry → validation notes →
 * Exchange. Memory is bounded by the largest single entry.
 *
 * Metadata: `log.version`, `creator` and `browser` are normally written before
 * `entries`; the reader reads up to the first entry before it resolves, so
 * `meta` is complete when `openCapture` returns. When a producer writes them
 * after the entries, `meta` starts with defaults (version "", producer name "")
 * and is filled in (the same object is updated) once they have been read, i.e.
 * at the latest when iteration ends; sender detection for entries read before
 * then works from request headers alone.
 */
import type { CaptureMeta, Exchange, ProducerInfo, ValidationNote } from "../../model/exchange.js";
import { InputError, type CaptureReader, type ReadOptions } from "../types.js";
import { HarSplitter, SplitError, jsonErrorPosition, jsonErrorText, type LogFieldName, type SplitEntry } from "./splitter.js";
import { normalizeEntry } from "./normalize.js";
import { NoteSink, noteUnknownLogKey, validateEntry, validateLogHeader, type LogHeader } from "./validate.js";

export interface HarSourceInit {
  /** Path shown in messages (`-` for stdin). */
  path: string;
  /** Wrappers undone so far (`gzip`, `zlib`, `bom`, `jsonp`). */
  wrappers: string[];
  skip: number;
  bomLength: number;
  jsonp: boolean;
}

function producerFrom(header: LogHeader): ProducerInfo {
  const creator = header.creator as { name?: unknown; version?: unknown } | null | undefined;
  const producer: ProducerInfo = {
    name: creator && typeof creator === "object" && typeof creator.name === "string" ? creator.name : "",
    version: creator && typeof creator === "object" && typeof creator.version === "string" ? creator.version : "",
  };
  const browser = header.browser as { name?: unknown; version?: unknown } | null | undefined;
  if (browser && typeof browser === "object" && typeof browser.name === "string") {
    producer.browser = { name: browser.name, version: typeof browser.version === "string" ? browser.version : "" };
  }
  return producer;
}

function pageIdsOf(pages: unknown): Set<string> | undefined {
  if (!Array.isArray(pages)) return undefined;
  const ids = new Set<string>();
  for (const p of pages) {
    if (p && typeof p === "object" && typeof (p as { id?: unknown }).id === "string") ids.add((p as { id: string }).id);
  }
  return ids;
}

/** Where a JSON.parse failure inside an entry is, as `line L column C`. */
function locateInEntry(entry: SplitEntry, text: string, err: unknown): string {
  const charPos = jsonErrorPosition(err);
  if (charPos === undefined) return `line ${entry.line} column ${entry.column}`;
  const bytePos = Buffer.byteLength(text.slice(0, charPos));
  let line = entry.line;
  let lineStartByte = -(entry.column - 1);
  for (let i = entry.bytes.indexOf(0x0a); i >= 0 && i < bytePos; i = entry.bytes.indexOf(0x0a, i + 1)) {
    line++;
    lineStartByte = i + 1;
  }
  return `line ${line} column ${bytePos - lineStartByte + 1} (byte ${entry.offset + bytePos})`;
}

class HarReader implements CaptureReader {
  readonly meta: CaptureMeta;
  readonly notes: ValidationNote[] = [];
  private readonly sink: NoteSink;
  private readonly header: LogHeader = { present: new Set() };
  private readonly splitter: HarSplitter;
  private readonly gen: AsyncGenerator<SplitEntry, void, undefined>;
  private first: IteratorResult<SplitEntry, void> | undefined;
  private started = false;
  private headerChecked = false;
  private pageIds: Set<string> | undefined;
  private exchangesRead = 0;

  constructor(
    source: AsyncIterable<Buffer>,
    private readonly init: HarSourceInit,
    private readonly opts: ReadOptions,
  ) {
    this.sink = new NoteSink(this.notes, opts.maxNotesPerCode ?? 20);
    this.meta = {
      path: init.path,
      format: "har",
      version: "",
      producer: { name: "", version: "" },
      wrappers: [...init.wrappers],
    };
    this.splitter = new HarSplitter(source, {
      skip: init.skip,
      bomLength: init.bomLength,
      jsonp: init.jsonp,
      onLogField: (name, value) => this.onLogField(name, value),
      onUnknownLogKey: (name) => noteUnknownLogKey(name, this.sink),
    });
    this.gen = this.splitter.entries();
  }

  get bytesRead(): number {
    return this.splitter.bytesRead;
  }

  private onLogField(name: LogFieldName, value: unknown): void {
    this.header[name] = value;
    this.header.present.add(name);
    if (name === "version") this.meta.version = typeof value === "string" ? value : "";
    if (name === "creator" || name === "browser") this.meta.producer = producerFrom(this.header);
    if (name === "pages") this.pageIds = pageIdsOf(value);
  }

  /** Read up to the first entry (or the end), so that metadata is known. Throws InputError. */
  async start(): Promise<void> {
    this.first = await this.pull();
    // Header fields that were all before the entries are validated right away.
    if (this.header.present.has("version") && this.header.present.has("creator")) this.checkHeader();
  }

  /** Release the input (used when opening fails). */
  async close(): Promise<void> {
    await this.splitter.close();
  }

  private checkHeader(): void {
    if (this.headerChecked) return;
    this.headerChecked = true;
    validateLogHeader(this.header, this.sink);
  }

  private async pull(): Promise<IteratorResult<SplitEntry, void>> {
    try {
      return await this.gen.next();
    } catch (err) {
      throw this.inputError(err);
    }
  }

  private inputError(err: unknown): InputError {
    if (err instanceof InputError) return err;
    const count = this.splitter.shape.entryCount;
    if (err instanceof SplitError) {
      if (err.kind === "shape") return new InputError(this.init.path, err.message);
      if (err.kind === "truncated") {
        if (err.message === "input is empty") return new InputError(this.init.path, "input is empty");
        return new InputError(this.init.path, `truncated: ${err.message}`);
      }
      return new InputError(this.init.path, err.message);
    }
    // Stream errors: file system, decompression.
    const e = err as NodeJS.ErrnoException;
    const where = count > 0 ? ` (after ${count} entries)` : "";
    if (e && typeof e.code === "string" && e.code.startsWith("Z_")) {
      const which = this.init.wrappers.includes("gzip") ? "gzip" : "zlib";
      return new InputError(this.init.path, `${which} data is corrupt or truncated${where}: ${e.message}`);
    }
    if (e && e.code === "ERR_INVALID_ARG_TYPE") {
      return new InputError(this.init.path, `unreadable input${where}`);
    }
    const message = e instanceof Error ? e.message : String(err);
    return new InputError(this.init.path, `read error${where}: ${message.split("\n")[0]}`);
  }

  private toExchange(entry: SplitEntry): Exchange {
    const base = `log.entries[${entry.arrayIndex}]`;
    const text = entry.bytes.toString("utf8");
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new InputError(
        this.init.path,
        `not valid JSON in ${base} at ${locateInEntry(entry, text, err)}: ${jsonErrorText(err)} (${entry.arrayIndex} entries read before it)`,
      );
    }
    validateEntry(raw, base, this.sink, this.pageIds ? { pageIds: this.pageIds } : {});
    const index = this.exchangesRead++;
    return normalizeEntry(
      raw,
      index,
      { offset: entry.offset, line: entry.line, column: entry.column, jsonPath: base },
      { producer: this.meta.producer, ...(this.opts.keepBody ? { keepBody: this.opts.keepBody } : {}) },
    );
  }

  async *exchanges(): AsyncGenerator<Exchange, void, undefined> {
    if (this.started) throw new Error("exchanges() of a streaming capture can only be iterated once");
    this.started = true;
    let completed = false;
    try {
      let next = this.first ?? (await this.pull());
      this.first = undefined;
      while (!next.done) {
        const entry = next.value;
        if (entry.bytes[0] !== 0x7b) {
          // Not an object: note it and go on (it gets no exchange index).
          this.sink.add(
            "har.entry.type",
            "error",
            `log.entries[${entry.arrayIndex}]`,
            "an entry must be an object; this one was skipped",
          );
        } else {
          yield this.toExchange(entry);
        }
        next = await this.pull();
      }
      completed = true;
      this.checkHeader();
    } finally {
      // Stopped early or failed: close the input.
      if (!completed) await this.splitter.close();
    }
  }
}

/** Open a HAR from decompressed, unwrapped byte chunks. Resolves once metadata is known. */
export async function readHar(source: AsyncIterable<Buffer>, init: HarSourceInit, opts: ReadOptions = {}): Promise<CaptureReader> {
  const reader = new HarReader(source, init, opts);
  try {
    await reader.start();
  } catch (err) {
    await reader.close();
    throw err;
  }
  return reader;
}
