/** Worker thread of `lint`: lints the captures the main thread sends, one at a time. */
import { parentPort } from "node:worker_threads";
import { lintJob, type JobOptions } from "./job.js";
import { toTransfer } from "./transfer.js";

interface JobMessage {
  id: number;
  path: string;
  options: JobOptions;
}

parentPort?.on("message", async (msg: JobMessage) => {
  try {
    const { result, failures } = await lintJob(msg.path, msg.options);
    parentPort!.postMessage({ id: msg.id, result: toTransfer(result), failures });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, crash: e instanceof Error ? e.message : String(e) });
  }
});
