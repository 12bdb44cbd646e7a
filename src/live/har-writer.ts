/**
 * Writes a live session as a HAR 1.2 file, one entry at a time and
 * synchronously, so a session that is killed still leaves every completed
 * exchange on disk (oktalint's reader keeps what precedes a missing ending).
 * Secrets are masked with the redactor's markers unless the user asked for a
 * raw capture.
 */
import fs from "node:fs";
import { Redactor } from "../redact/redactor.js";
import { MarkerMap } from "../redact/markers.js";

export interface HarWriterOptions {
  path: string;
  /** Write secrets as they are (the user asked for it explicitly). */
  raw?: boolean;
  creator: { name: string; version: string; comment?: string };
  browser?: { name: string; version: string };
}

export class HarWriter {
  private fd: number;
  private count = 0;
  private readonly redactor: Redactor | undefined;
  private closed = false;

  /** Opens (truncates) the file; throws the fs error when it cannot be written. */
  constructor(options: HarWriterOptions) {
    this.fd = fs.openSync(options.path, "w");
    this.redactor = options.raw ? undefined : new Redactor("redact", new MarkerMap());
    // A live session cannot be read twice: values are searched for from the entry that revealed them on.
    if (this.redactor) this.redactor.incremental = true;
    const log: Record<string, unknown> = { version: "1.2", creator: options.creator };
    if (options.browser) log["browser"] = options.browser;
    log["comment"] = options.raw
      ? "Recorded by oktalint with --raw: secrets are NOT masked."
      : "Recorded by oktalint: tokens, cookies, passwords and secrets are masked (oktalint-redacted markers).";
    const head = JSON.stringify({ log }, null, 2);
    // Everything up to the closing of `log`, then the entries array.
    fs.writeSync(this.fd, `${head.slice(0, head.lastIndexOf("}", head.length - 2)).trimEnd()},\n    "pages": [],\n    "entries": [`);
  }

  get entries(): number {
    return this.count;
  }

  /** Append one entry (the object is not changed: masking works on a copy). */
  write(entry: object): void {
    if (this.closed) return;
    const text = JSON.stringify(entry);
    let out = text;
    if (this.redactor) {
      const copy = JSON.parse(text) as unknown;
      if (this.redactor.entry(copy, this.count)) out = JSON.stringify(copy);
    }
    fs.writeSync(this.fd, `${this.count === 0 ? "\n" : ",\n"}      ${out}`);
    this.count++;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.writeSync(this.fd, `${this.count === 0 ? "" : "\n    "}]\n  }\n}\n`);
    fs.closeSync(this.fd);
  }
}
