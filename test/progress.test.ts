import { describe, expect, it, vi } from "vitest";
import { Progress } from "../src/cli/progress.js";

function fakeStream(isTTY: boolean, columns: number) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WriteStream };
}

describe("progress bar", () => {
  it("writes nothing when stderr is not a terminal", () => {
    const { writes, stream } = fakeStream(false, 80);
    vi.useFakeTimers({ toFake: ["performance"] });
    const p = new Progress(100, 10 * 1024 ** 3, stream);
    vi.advanceTimersByTime(5000);
    p.update(50, "a.har", 5 * 1024 ** 3);
    p.finish();
    vi.useRealTimers();
    expect(writes).toEqual([]);
  });

  it("draws by bytes on a terminal once the work takes a moment, then clears the line", () => {
    const { writes, stream } = fakeStream(true, 0); // a pseudo-terminal may report 0 columns
    vi.useFakeTimers({ toFake: ["performance"] });
    const p = new Progress(1, 1024 ** 3, stream);
    p.update(0, "big.har", 1);
    expect(writes).toEqual([]); // too early to draw
    vi.advanceTimersByTime(1000);
    p.update(0, "big.har", 512 * 1024 ** 2);
    p.finish();
    vi.useRealTimers();
    expect(writes[0]).toMatch(/^\r\[={12} {12}\] 0\/1 captures · 512 MiB of 1\.00 GiB · 1\.0 s · big\.har/);
    expect(writes.at(-1)).toMatch(/^\r +\r$/);
  });

  it("stays quiet for small, quick work", () => {
    const { writes, stream } = fakeStream(true, 80);
    const p = new Progress(2, 1000, stream);
    p.update(1, "a.har", 500);
    p.finish();
    expect(writes).toEqual([]);
  });
});
