/**
 * Lints many captures on all cores, results in input order. The main thread
 * takes its share (its modules are already loaded) and worker threads take the
 * rest; each keeps a few small captures in flight so file I/O overlaps with
 * parsing. Big captures go one at a time per thread to keep memory bounded.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { lintJob, type JobOptions, type JobResult } from "./job.js";
import { fromTransfer } from "./transfer.js";

export interface PoolProgress {
  done: number;
  total: number;
  path: string;
  /** Bytes read so far: finished captures' sizes plus how far the main thread got in its current ones. */
  bytes: number;
}

interface LaneMessage {
  id: number;
  result?: unknown;
  failures?: JobResult["failures"];
  crash?: string;
}

/** Captures up to this size may be read several at a time by one thread. */
const SMALL = 4 * 1024 * 1024;
const IN_FLIGHT_SMALL = 4;

/** Lint `paths` (with their sizes in bytes, as expandInputs found them). */
export async function lintAll(paths: readonly string[], fileSizes: readonly number[], options: JobOptions, onDone?: (p: PoolProgress) => void): Promise<JobResult[]> {
  const results: JobResult[] = new Array(paths.length);
  const envThreads = Number(process.env["OKTALINT_THREADS"]);
  const threads = Math.max(1, Math.min(availableParallelism(), paths.length, Number.isFinite(envThreads) && envThreads > 0 ? envThreads : Infinity));
  let done = 0;
  let next = 0;
  let bytesDone = 0;
  const partial = new Map<number, number>();
  const bytes = () => {
    let n = bytesDone;
    for (const b of partial.values()) n += b;
    return n;
  };
  const finish = (i: number, r: JobResult) => {
    results[i] = r;
    partial.delete(i);
    bytesDone += fileSizes[i] ?? 0;
    onDone?.({ done: ++done, total: paths.length, path: paths[i]!, bytes: bytes() });
  };
  /** The main thread's jobs report how far they have read. */
  const mainJob = (i: number) =>
    lintJob(paths[i]!, options, (read) => {
      partial.set(i, Math.min(read, fileSizes[i] ?? read));
      onDone?.({ done, total: paths.length, path: paths[i]!, bytes: bytes() });
    });
  /** Take the next capture, if any; `small` says whether it may share its thread with others. */
  const take = (): number | undefined => (next < paths.length ? next++ : undefined);
  const inFlight = (i: number) => ((fileSizes[i] ?? 0) <= SMALL ? IN_FLIGHT_SMALL : 1);

  // The main thread: also the only one that can read stdin.
  const mainLane = async () => {
    for (;;) {
      const i = take();
      if (i === undefined) return;
      if (inFlight(i) > 1) {
        // A small capture: start a few more alongside it.
        const batch = [i];
        while (batch.length < IN_FLIGHT_SMALL && next < paths.length && inFlight(next) > 1 && paths[next] !== "-") batch.push(take()!);
        await Promise.all(batch.map(async (j) => finish(j, await mainJob(j))));
      } else {
        finish(i, await mainJob(i));
      }
    }
  };

  if (threads <= 1 || paths.includes("-")) {
    await mainLane();
    return results;
  }

  const workerUrl = new URL("./worker.js", import.meta.url);
  const workerLane = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerUrl);
      let pending = 0;
      let big = false;
      const feed = () => {
        while (!big && pending < IN_FLIGHT_SMALL) {
          if (next >= paths.length) break;
          if (pending > 0 && inFlight(next) === 1) break;
          const i = take()!;
          big = inFlight(i) === 1;
          pending++;
          worker.postMessage({ id: i, path: paths[i], options });
        }
        if (pending === 0) void worker.terminate().then(() => resolve());
      };
      worker.on("message", (msg: LaneMessage) => {
        if (msg.crash !== undefined) {
          void worker.terminate();
          reject(new Error(`${paths[msg.id]}: ${msg.crash}`));
          return;
        }
        pending--;
        big = false;
        finish(msg.id, { result: fromTransfer(msg.result), failures: msg.failures ?? [] });
        feed();
      });
      worker.on("error", (e) => reject(e));
      worker.once("online", feed);
    });

  await Promise.all([mainLane(), ...Array.from({ length: threads - 1 }, workerLane)]);
  return results;
}
