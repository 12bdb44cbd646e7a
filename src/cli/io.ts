import { readFileSync } from "node:fs";

/** Exit codes: 0 clean, 1 findings or violations over the threshold, 2 usage error or unreadable input. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Print one error line on stderr, prefixed with the program name. */
export function printError(message: string): void {
  process.stderr.write(`oktalint: ${message.split("\n")[0]}\n`);
}

/** Set the exit code, never lowering a worse one already set. */
export function raiseExitCode(code: number): void {
  const current = typeof process.exitCode === "number" ? process.exitCode : 0;
  if (code > current) process.exitCode = code;
}

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** Write to stdout; resolves when the data is flushed (so exit codes are set after output). */
export function out(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === "") return resolve();
    process.stdout.write(text.endsWith("\n") ? text : text + "\n", () => resolve());
  });
}

/**
 * Write a report (one string, or pieces of a big one) to a stream, batching
 * pieces to 64 KiB and waiting for the stream to drain: memory stays flat
 * whatever the report's size. Ends with a newline.
 */
export async function writeReport(stream: NodeJS.WritableStream, text: string | Iterable<string>): Promise<void> {
  const pieces = typeof text === "string" ? [text] : text;
  let buf = "";
  let last = "";
  const flush = () =>
    new Promise<void>((resolve, reject) => {
      const data = buf;
      buf = "";
      if (data === "") return resolve();
      stream.write(data, (err?: Error | null) => (err ? reject(err) : resolve()));
    });
  for (const piece of pieces) {
    if (piece === "") continue;
    buf += piece;
    last = piece;
    if (buf.length >= 65536) await flush();
  }
  if (!last.endsWith("\n")) buf += "\n";
  await flush();
}
