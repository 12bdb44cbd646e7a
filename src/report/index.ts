/** Every output format, one reporter per file; the CLI picks one by name. */
import type { Reporter } from "./types.js";
import { formatStylish } from "./stylish.js";
import { captureToJson, countsToJson, findingToJson } from "./json.js";
import { buildSarifLog } from "./sarif.js";
import { LazyArray, jsonChunks, lazyMap } from "./json-stream.js";
import { junitReporter } from "./junit.js";
import { markdownReporter } from "./markdown.js";
import { htmlReporter } from "./html.js";

export const FORMATS = ["stylish", "json", "sarif", "junit", "markdown", "html"] as const;
export type Format = (typeof FORMATS)[number];

/**
 * `--format json`: `{ files: [ { path, producer, entries, oktaCalls, counts, findings } ] }`
 * (`counts`: problems by severity, and the symptoms attached to them),
 * written call by call and finding by finding (big captures have tens of thousands).
 */
export const jsonReporter: Reporter = (results) =>
  jsonChunks({
    files: lazyMap(results, (r) => {
      const file: Record<string, unknown> = r.capture ? captureToJson(r.path, r.capture, true) : { path: r.path };
      file["counts"] = countsToJson(r.findings);
      file["findings"] = lazyMap(r.findings, findingToJson);
      if (r.error) file["error"] = r.error;
      return file;
    }),
  });

/** `--format sarif`: SARIF 2.1.0, its results written one by one. */
export const sarifStreamReporter: Reporter = (results, ctx) => {
  const log = buildSarifLog(results, ctx);
  for (const run of log.runs) if (run.results) (run as { results: unknown }).results = new LazyArray(run.results.length, run.results);
  return jsonChunks(log);
};

export const stylishReporter: Reporter = (results, ctx) => formatStylish(results, ctx.width);

export const REPORTERS: Record<Format, Reporter> = {
  stylish: stylishReporter,
  json: jsonReporter,
  sarif: sarifStreamReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  html: htmlReporter,
};
