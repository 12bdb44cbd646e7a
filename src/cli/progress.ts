/**
 * A progress bar on stderr, only when stderr is a terminal and the work is
 * long (many captures, or big ones): nothing is written otherwise.
 */

export class Progress {
  private readonly enabled: boolean;
  private readonly start = performance.now();
  private shown = false;
  private last = 0;

  constructor(
    private readonly total: number,
    private readonly totalBytes: number,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.stream = stream;
    this.enabled = Boolean(stream.isTTY) && (total >= 8 || totalBytes >= 64 * 1024 * 1024);
  }

  private readonly stream: NodeJS.WriteStream;

  /** Terminal width; a pseudo-terminal may report 0. */
  private columns(): number {
    return Math.max(20, this.stream.columns || 80);
  }

  /** `bytes`: how much of all the input has been read (the bar follows bytes when sizes are known). */
  update(done: number, label: string, bytes?: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    // Start drawing only once the work has taken a moment; redraw at most 10 times a second.
    if (now - this.start < 300 || (now - this.last < 100 && done < this.total)) return;
    this.last = now;
    this.shown = true;
    const width = 24;
    const byBytes = bytes !== undefined && this.totalBytes > 0;
    const fraction = Math.min(1, byBytes ? bytes / this.totalBytes : done / this.total);
    const filled = Math.round(fraction * width);
    const cols = this.columns();
    const size = byBytes ? ` · ${mib(bytes)} of ${mib(this.totalBytes)}` : "";
    const text = `[${"=".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${this.total} captures${size} · ${((now - this.start) / 1000).toFixed(1)} s · ${label}`;
    this.stream.write(`\r${text.slice(0, cols - 1).padEnd(cols - 1)}`);
  }

  finish(): void {
    if (this.shown) this.stream.write(`\r${" ".repeat(this.columns() - 1)}\r`);
  }
}

function mib(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GiB` : `${(n / 1024 ** 2).toFixed(0)} MiB`;
}
