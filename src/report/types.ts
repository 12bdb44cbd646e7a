import type { Capture } from "../engine/capture.js";
import type { Finding, Rule, Severity } from "../engine/types.js";

/** One linted capture as every reporter receives it. */
export interface FileResult {
  /** The input as the user named it (a path, or `-`). */
  path: string;
  capture?: Capture;
  findings: Finding[];
  /** One-line input error (unreadable file, or a file that broke partway). */
  error?: string;
  /** Wall time spent reading and linting this capture, in ms. */
  ms?: number;
}

/** What a reporter is given besides the results. */
export interface ReportContext {
  /** Every rule of the run (SARIF lists them all in tool.driver.rules). */
  rules: readonly Rule[];
  /** Working directory: SARIF artifact URIs are relative to it. */
  cwd: string;
  /** The lowest severity that fails the run (JUnit failures use it). */
  failOn: Severity | "never";
  toolVersion: string;
  /** Terminal width for text formats. */
  width?: number;
}

/** A reporter turns results into the text of one output format (in pieces, for the big ones). */
export type Reporter = (results: readonly FileResult[], ctx: ReportContext) => string | Iterable<string>;
