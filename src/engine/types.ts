import type { Capture, ForeignCall, OktaCall } from "./capture.js";

export type Severity = "error" | "warning" | "info";
/** How sure a rule is, separate from how bad the problem is (as in OWASP ZAP). */
export type Confidence = "certain" | "likely" | "possible";

/**
 * What a rule may need from a capture. A sanitized export (Chrome's default
 * "HAR (sanitized)") removes some of these, and `sanitized-capture` then names
 * the rules that could not be evaluated; the redactor keeps the shape of each.
 */
export type RuleNeed = "authorization" | "cookies" | "set-cookie" | "bodies";

/** A rule: metadata plus a check over the whole classified capture. */
export interface Rule {
  /** Stable kebab-case id: users' configs and reports depend on it. */
  id: string;
  severity: Severity;
  tags: readonly string[];
  title: string;
  /** Why it matters, in plain words. */
  explanation: string;
  /** What to do about it. */
  fix: string;
  /** Okta documentation URLs. */
  docs: readonly string[];
  needs?: readonly RuleNeed[];
  /**
   * A fallback rule (`okta-error`) reports what no other rule explains: its
   * findings are dropped at entries where another rule found something.
   */
  fallback?: boolean;
  /**
   * `false` when the rule groups repeats itself and two findings with the same
   * fingerprint are distinct problems (two rate-limit bursts an hour apart).
   * By default the runner folds repeats of one problem into one finding.
   */
  foldRepeats?: boolean;
  /**
   * Findings that rest on something not happening (a token never redeemed, a
   * nonce never retried) cannot be trusted while traffic is still coming in: a
   * live session reports them when it ends. `true` for all of the rule's
   * findings, or the message ids concerned.
   */
  liveDefer?: true | readonly string[];
  /** What a rule cannot judge without a secret value (documented by `explain` and honoured by redaction tests). */
  needsSecretValues?: string;
  /**
   * Causality: the rules whose findings this rule's findings explain (their
   * symptoms). When a finding of this rule and a finding of a listed rule sit on
   * the same entry (or one names the other's entry as related), the engine
   * attaches the symptom to this cause: one problem, one message, one fix. The
   * graph of `explains` over the registry is acyclic.
   */
  explains?: readonly string[];
  /** Message templates; `{{name}}` is replaced by the report's data (already masked). */
  messages: Readonly<Record<string, string>>;
  check(ctx: RuleContext): void;
}

/** What a rule reports: data, never prose assembled outside the rule's templates. */
export interface Report {
  /** The Okta call where the problem shows (or `entry` for a non-Okta entry). */
  call?: OktaCall;
  /** A call to a host that is not Okta's (the app's API, a third party) where the problem shows. */
  foreign?: ForeignCall;
  entry?: number;
  messageId: string;
  data?: Readonly<Record<string, string | number>>;
  /** Evidence snippets; must already be masked (use src/okta/mask). */
  evidence?: readonly string[];
  /** JSON path inside the entry, e.g. `request.headers[3]`. */
  path?: string;
  /** Other entries involved (the token was issued at entry 0). */
  related?: readonly number[];
  confidence?: Confidence;
  /** A rule may report a milder severity than its default for a milder case. */
  severity?: Severity;
  /**
   * Which of the rule's `explains` this finding explains (default: all of
   * them). A cause explains a symptom only when it predicts it: an okta.*
   * scope at a custom server explains a failed /authorize only when Okta
   * answered `invalid_scope`, not a `login_required` on the same request.
   */
  explains?: readonly string[];
}

export interface RuleContext {
  readonly capture: Capture;
  /** The Okta calls, in capture order. */
  readonly calls: readonly OktaCall[];
  /** Calls to other hosts that carried an Okta token (the app's APIs, third parties), in capture order. */
  readonly foreign: readonly ForeignCall[];
  /** The rules of this run (for `sanitized-capture`, which names the ones a sanitized export defeats). */
  readonly rules: readonly Rule[];
  report(report: Report): void;
}

/**
 * What a rule saw: a finding without its advice. A finding another rule's
 * finding explains is passed on as this (a symptom): shown as evidence of its
 * cause and never counted, baselined or failed on by itself.
 */
export interface Symptom {
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  message: string;
  messageId: string;
  /** Entry index in the capture, or null for a finding about the capture as a whole. */
  entry: number | null;
  /** JSON path into the capture file, e.g. `log.entries[2].request.headers[3]`. */
  jsonPath?: string;
  /** Line and column of the entry in the file (from the reader). */
  line?: number;
  column?: number;
  request?: { method: string; url: string };
  evidence: string[];
  related: number[];
  title: string;
  /** Stable across re-recordings of the same problem (rule + method + normalized URL + kind of evidence). */
  fingerprint: string;
  /**
   * How many times the capture shows this same problem (same fingerprint): the
   * runner reports the first and folds the rest into `related` and this count.
   */
  occurrences: number;
}

/**
 * A finding as every reporter receives it: one problem, with its advice. When
 * other rules saw the same problem from its symptom side, their findings are
 * in `symptoms`.
 */
export interface Finding extends Symptom {
  explanation: string;
  fix: string;
  docs: string[];
  /** Findings of other rules that this one explains (empty when it stands alone), in entry order. */
  symptoms: Symptom[];
}
