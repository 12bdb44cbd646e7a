/**
 * oktalint as a library: read a capture, classify its Okta calls, explain codes.
 * Everything here returns data; formatting lives in the reporters.
 */
import { openCapture, openCaptureStream } from "./ingest/open.js";
import { buildCapture, oktaBodyPolicy, type Capture, type CaptureOptions } from "./engine/capture.js";
import { runRules, type RuleSettings, type RunResult } from "./engine/run.js";
import { RULES } from "../rules/index.js";
import type { Rule } from "./engine/types.js";

export interface ReadCaptureOptions extends CaptureOptions {
  /** Chunk size for the streaming reader (tests use tiny ones). */
  chunkSize?: number;
}

/**
 * Read a capture (a path, or `-` for stdin) and classify its Okta calls.
 * Throws InputError when the input cannot be read at all; a file that breaks
 * partway resolves with what was read and the error in `capture.error`.
 */
export async function readCapture(path: string, options: ReadCaptureOptions = {}): Promise<Capture> {
  const reader = await openCapture(path, { keepBody: oktaBodyPolicy(options.oktaDomains), ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}) });
  return buildCapture(reader, options);
}

export { openCapture } from "./ingest/open.js";
export { InputError } from "./ingest/types.js";
export type { BodyPolicy, BodyInfo, CaptureReader, ReadOptions } from "./ingest/types.js";
export type { Capture, CaptureOptions, CaptureStats, OktaCall, CredentialSummary, ForeignCall, CarriedToken, HostRole, OktaTokenKind, TokenPosition } from "./engine/capture.js";
export { buildCapture, oktaBodyPolicy, summarizeCredential } from "./engine/capture.js";
export { registrableDomain, tokenHash } from "./engine/tokens.js";
export type * from "./model/exchange.js";
export { HeaderList } from "./model/headers.js";
export { classify } from "./okta/catalog.js";
export type { Classification, CredentialType, EndpointKind } from "./okta/catalog.js";
export { oktaHostInfo, looksLikeOktaResponse } from "./okta/hosts.js";
export { parseAuthorization, decodeJwt } from "./okta/credentials.js";
export { maskSecret, maskUrl, maskHeader, maskText } from "./okta/mask.js";
export { explainCode } from "./okta/explain.js";
export { parseOktaError, parseWwwAuthenticate } from "./okta/errors.js";

/** Read a capture from a byte stream (stdin, a socket, a test's buffer); `name` is used in messages. */
export async function readCaptureStream(
  input: import("node:stream").Readable | AsyncIterable<Buffer | Uint8Array | string>,
  name: string,
  options: ReadCaptureOptions = {},
): Promise<Capture> {
  const reader = await openCaptureStream(input, name, { keepBody: oktaBodyPolicy(options.oktaDomains), ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}) });
  return buildCapture(reader, options);
}

export interface LintOptions {
  /** Severity overrides per rule id (`off` turns a rule off). */
  settings?: RuleSettings;
  /** The rules to run (default: every rule in the registry). */
  rules?: readonly Rule[];
}

/** Run the rules over a capture read with readCapture. */
export function lintCapture(capture: Capture, options: LintOptions = {}): RunResult {
  return runRules(capture, { rules: options.rules ?? RULES, ...(options.settings ? { settings: options.settings } : {}) });
}

/** Read and lint one capture file (or `-`). */
export async function lintFile(path: string, options: LintOptions & ReadCaptureOptions = {}): Promise<{ capture: Capture } & RunResult> {
  const capture = await readCapture(path, options);
  return { capture, ...lintCapture(capture, options) };
}

export { RULES, ruleById } from "../rules/index.js";
export { runRules, failsThreshold, compareFindings, groupFindings } from "./engine/run.js";
export type { RuleSettings, RunResult, RuleFailure } from "./engine/run.js";
export type { Rule, Finding, Symptom, Severity, Confidence, Report, RuleContext } from "./engine/types.js";
export { redactFile, checkFile } from "./redact/index.js";
export type { RedactOptions, RedactSummary, CheckResult } from "./redact/index.js";
