/** Reading and linting one capture: the unit of work of `lint`, on the main thread or in a worker. */
import { performance } from "node:perf_hooks";
import { lintCapture, readCapture } from "../index.js";
import { InputError } from "../ingest/types.js";
import type { RuleSettings, RuleFailure } from "../engine/run.js";
import type { FileResult } from "../report/types.js";

/** Plain data, so it can be posted to a worker. */
export interface JobOptions {
  oktaDomains: string[];
  settings: RuleSettings;
}

export interface JobResult {
  result: FileResult;
  failures: RuleFailure[];
}

/** Read and lint one capture; `onBytes` hears how far the reader got (progress on big files). */
export async function lintJob(path: string, options: JobOptions, onBytes?: (bytesRead: number) => void): Promise<JobResult> {
  const t0 = performance.now();
  try {
    const capture = await readCapture(path, { oktaDomains: options.oktaDomains, ...(onBytes ? { onProgress: onBytes } : {}) });
    const { findings, failures } = lintCapture(capture, { settings: options.settings });
    const result: FileResult = { path, capture, findings, ms: performance.now() - t0 };
    if (capture.error) result.error = `${capture.error.message} (the ${capture.stats.entries} entries before it were read)`;
    return { result, failures };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { result: { path, findings: [], error: e.message, ms: performance.now() - t0 }, failures: [] };
  }
}
