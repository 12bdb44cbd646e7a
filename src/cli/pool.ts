/**
 * Lints many captures on all cores with worker threads, results in input
 * order. One capture (or one core) runs on the main thread: no worker start-up.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { lintJob, type JobOptions, type JobResult } from "./job.js";
import { fromTransfer } from "./transfer.js";

export interface PoolProgress {
  done: number;
  total: number;
  path: string;
}

export async function lintAll(paths: readonly string[], options: JobOptions, onDone?: (p: PoolProgress) => void): Promise<JobResult[]> {
  const results: JobResult[] = new Array(paths.length);
  const threads = Math.min(availableParallelism(), paths.length, Number(process.env["OKTALINT_THREADS"] ?? Infinity) || 1);
  let done = 0;
  // stdin cannot be read by a worker; a single capture gains nothing from one.
  if (threads <= 1 || paths.includes("-")) {
    for (const [i, path] of paths.entries()) {
      results[i] = await lintJob(path, options);
      onDone?.({ done: ++done, total: paths.length, path });
    }
    return results;
  }
  let next = 0;
  const workerUrl = new URL("./worker.js", import.meta.url);
  await Promise.all(
    Array.from({ length: threads }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerUrl);
        let current = -1;
        const feed = () => {
          if (next >= paths.length) {
            void worker.terminate().then(() => resolve());
            return;
          }
          current = next++;
          worker.postMessage({ id: current, path: paths[current], options });
        };
        worker.on("message", (msg: { id: number; result?: unknown; failures?: JobResult["failures"]; crash?: string }) => {
          if (msg.crash !== undefined) {
            worker.terminate();
            reject(new Error(`${paths[msg.id]}: ${msg.crash}`));
            return;
          }
          results[msg.id] = { result: fromTransfer(msg.result), failures: msg.failures ?? [] };
          onDone?.({ done: ++done, total: paths.length, path: paths[msg.id]! });
          feed();
        });
        worker.on("error", (e) => reject(new Error(`${current >= 0 ? paths[current] : "worker"}: ${e.message}`)));
        feed();
      }),
    ),
  );
  return results;
}
