/**
 * A progress bar on stderr, only when stderr is a terminal and the work is
 * long (many captures, or big ones): nothing is written otherwise.
 */
import { performance } from "node:perf_hooks";

export class Progress {
  private readonly enabled: boolean;
  private readonly start = performance.now();
  private shown = false;
  private last = 0;

  constructor(
    private readonly total: number,
    totalBytes: number,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.stream = stream;
    this.enabled = Boolean(stream.isTTY) && (total >= 8 || totalBytes >= 64 * 1024 * 1024);
  }

  private readonly stream: NodeJS.WriteStream;

  update(done: number, label: string): void {
    if (!this.enabled) return;
    const now = performance.now();
    // Start drawing only once the work has taken a moment; redraw at most 10 times a second.
    if (now - this.start < 300 || (now - this.last < 100 && done < this.total)) return;
    this.last = now;
    this.shown = true;
    const width = 24;
    const filled = Math.round((done / this.total) * width);
    const cols = this.stream.columns ?? 80;
    const text = `[${"=".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${this.total} captures · ${((now - this.start) / 1000).toFixed(1)} s · ${label}`;
    this.stream.write(`\r${text.slice(0, cols - 1).padEnd(cols - 1)}`);
  }

  finish(): void {
    if (this.shown) this.stream.write(`\r${" ".repeat((this.stream.columns ?? 80) - 1)}\r`);
  }
}
