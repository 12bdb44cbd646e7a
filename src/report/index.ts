/** Every output format, one reporter per file; the CLI picks one by name. */
import type { Reporter } from "./types.js";
import { formatStylish } from "./stylish.js";
import { captureToJson, findingToJson } from "./json.js";
import { sarifReporter } from "./sarif.js";
import { junitReporter } from "./junit.js";
import { markdownReporter } from "./markdown.js";
import { htmlReporter } from "./html.js";

export const FORMATS = ["stylish", "json", "sarif", "junit", "markdown", "html"] as const;
export type Format = (typeof FORMATS)[number];

/** `--format json`: `{ files: [ { path, producer, entries, oktaCalls, findings } ] }`. */
export const jsonReporter: Reporter = (results) =>
  JSON.stringify(
    {
      files: results.map((r) => ({
        ...(r.capture ? captureToJson(r.path, r.capture) : { path: r.path }),
        findings: r.findings.map(findingToJson),
        ...(r.error ? { error: r.error } : {}),
      })),
    },
    null,
    2,
  );

export const stylishReporter: Reporter = (results, ctx) => formatStylish(results, ctx.width);

export const REPORTERS: Record<Format, Reporter> = {
  stylish: stylishReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  html: htmlReporter,
};
