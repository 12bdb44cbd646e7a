/**
 * Live linting: exchanges arrive one at a time (from the trace preload, the
 * proxy, the browser recorder or a mitmproxy stream) and every finding is
 * reported as soon as the exchange that proves it has completed.
 *
 * The rules look at the whole capture (a token issued at entry 2 and misused
 * at entry 9), so each pass runs them over the calls kept so far and reports
 * the findings not reported before (by fingerprint and severity, the key
 * repeats are folded by). Findings are grouped into problems as `lint`
 * groups them (`Rule.explains`): a symptom that shows up in the same pass as
 * its cause is reported with it, one that shows up later is reported as a
 * symptom of the problem already reported, and a cause found after its
 * symptom was reported on its own is reported with that symptom marked as
 * reported earlier. The session's findings at the end are grouped over every
 * finding reported, as `lint` groups those of the HAR. Passes are batched: a pass starts 25 ms after an
 * exchange arrives, or later when the previous pass was slow (a few times
 * its duration), so linting never takes more than a fraction of the CPU
 * however fast traffic comes. Findings that rest on something not
 * happening (`Rule.liveDefer`) wait for the end of the session.
 *
 * Every pass judges the whole window again, so a finding reported earlier
 * that a later exchange refutes (a preflight reported as "no request
 * followed", and then the request arrives) is no longer produced: it is
 * withdrawn (`onRetract`), and a finding whose confidence changed is
 * withdrawn and replaced by the new one (one whose words changed, counting
 * repeats that arrived since, is brought up to date as it is). Only findings whose
 * entries are all still in the window can be withdrawn (one that rests on
 * dropped calls stays as reported). So the session's final findings are
 * those `lint` gives for the HAR the session wrote.
 */
import type { CaptureMeta, Exchange, ProducerInfo, Sender, ValidationNote } from "../model/exchange.js";
import type { Capture } from "../engine/capture.js";
import { CaptureAccumulator, oktaBodyPolicy } from "../engine/capture.js";
import { activeRules, compareFindings, groupCauses, groupFindings, runRules, toProblem, type RuleFailure, type RuleSettings } from "../engine/run.js";
import type { Finding, Rule, Symptom } from "../engine/types.js";
import { normalizeEntry, type NormalizeContext } from "../ingest/har/normalize.js";
import { HarWriter } from "./har-writer.js";
import { recordToEntry } from "./entry.js";
import type { TraceRecord } from "./record.js";

export interface LiveSessionOptions {
  rules: readonly Rule[];
  settings?: RuleSettings;
  /** Custom domains of Okta orgs; the proxy passes its target's host. */
  oktaDomains?: readonly string[];
  /** What reports call the capture (`trace: node app.js`, `proxy → https://…`). */
  label: string;
  /** Who recorded it: the HAR creator, and a hint for sender detection. */
  producer: ProducerInfo;
  /** What the exchanges were read from, when not live HAR entries (a mitmproxy flow stream: `mitmproxy`, its flow version). */
  format?: { format: CaptureMeta["format"]; version: string; wrappers?: string[] };
  /** Write the session as HAR (masked unless `raw`). */
  har?: { path: string; raw?: boolean };
  /**
   * A new problem, its symptoms attached. `earlier`: those of its symptoms
   * that were reported before, on their own (the cause explains them now).
   */
  onFinding?: (finding: Finding, earlier: readonly Symptom[]) => void;
  /** A new symptom of a problem reported before. */
  onSymptom?: (symptom: Symptom, cause: Finding) => void;
  /**
   * A finding reported before that later evidence refutes: withdrawn. With a
   * `replacement`, the same problem now reads differently (its new finding is
   * reported right after, through onFinding or onSymptom).
   */
  onRetract?: (withdrawn: Finding, replacement: Finding | undefined) => void;
  /** A rule that threw (reported once per rule). */
  onRuleFailure?: (failure: RuleFailure) => void;
  /** Okta calls kept for the rules (older ones are dropped; their findings stay reported). Default 10,000. */
  window?: number;
}

export interface LiveResult {
  capture: Capture;
  /** Every problem of the session, root cause first, symptoms attached (folded repeats counted). */
  findings: Finding[];
  failures: RuleFailure[];
  /** Exchanges seen. */
  exchanges: number;
  /** HAR entries written, when `har` was asked for. */
  harEntries?: number;
}

/** Passes wait this many times the last pass's duration (so rules use at most ~1/(1+N) of a core). */
const PACE = 3;
/**
 * A pass waits at least this long after the exchange that asks for it: a
 * burst of calls is linted in one pass, and a finding still shows up within
 * a moment of its exchange.
 */
const MIN_DELAY_MS = 25;
const MAX_DELAY_MS = 2000;
/** Related entries kept on a finding (as the runner keeps on a folded one). */
const MAX_RELATED = 50;

function isDeferred(rule: Rule | undefined, f: Finding): boolean {
  const d = rule?.liveDefer;
  return d === true || (Array.isArray(d) && d.includes(f.messageId));
}

export class LiveSession {
  private readonly acc: CaptureAccumulator;
  private readonly normalize: NormalizeContext;
  private readonly notes: ValidationNote[] = [];
  private readonly har: HarWriter | undefined;
  private readonly rulesById: Map<string, Rule>;
  /** The rules the settings leave on: grouping follows their `explains`. */
  private readonly active: Rule[];
  /**
   * Single findings (each rule's, before grouping) reported so far, by key;
   * the value is kept up to date with later passes (occurrences).
   */
  private readonly reported = new Map<string, Finding>();
  private readonly failed = new Map<string, RuleFailure>();
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastPassMs = 0;
  private dirty = false;
  private closed = false;
  private bytes = 0;
  /** Lowest entry index still in the window (0 until calls were dropped). */
  private windowStart = 0;
  private retracted = 0;

  constructor(private readonly options: LiveSessionOptions) {
    this.acc = new CaptureAccumulator({ oktaDomains: options.oktaDomains ?? [] });
    this.normalize = { producer: options.producer, keepBody: oktaBodyPolicy(options.oktaDomains ?? []) };
    this.rulesById = new Map(options.rules.map((r) => [r.id, r]));
    this.active = activeRules(options.rules, options.settings);
    if (options.har) {
      this.har = new HarWriter({
        path: options.har.path,
        raw: options.har.raw ?? false,
        creator: { name: options.producer.name, version: options.producer.version },
        ...(options.producer.browser ? { browser: options.producer.browser } : {}),
      });
    }
  }

  /** A record from the trace preload or the proxy. Returns the entry's index. */
  addRecord(record: TraceRecord): number {
    // The entry says who sent it (`_oktalint`, see recordToEntry): the reader decides as it will when the HAR is linted.
    return this.addEntry(recordToEntry(record));
  }

  /** A HAR 1.2 entry object (the browser recorder's). `sender` overrides detection when the producer knows. */
  addEntry(entry: object, sender?: Sender): number {
    const index = this.count;
    const ex = normalizeEntry(entry, index, undefined, this.normalize);
    if (sender) ex.sender = sender;
    this.bytes += ex.response.body?.size ?? 0;
    this.har?.write(entry);
    this.take(ex);
    return index;
  }

  /** An exchange another reader already made (a mitmproxy flow stream). Its index is kept. */
  addExchange(ex: Exchange): void {
    this.take(ex);
  }

  private take(ex: Exchange): void {
    if (this.closed) return;
    this.count++;
    this.acc.add(ex);
    this.dirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    const delay = Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, Math.round(this.lastPassMs * PACE)));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pass(false);
    }, delay);
  }

  private snapshot(): Capture {
    return this.acc.snapshot(
      {
        path: this.options.label,
        format: this.options.format?.format ?? "har",
        version: this.options.format?.version ?? "1.2",
        producer: this.options.producer,
        wrappers: this.options.format?.wrappers ?? [],
      },
      this.notes,
      this.bytes,
    );
  }

  /** Run the rules now; report what is new. At the end (`final`), deferred findings too. */
  private pass(final: boolean): Finding[] {
    this.dirty = false;
    const t0 = performance.now();
    const capture = this.snapshot();
    const { findings, failures } = runRules(capture, { rules: this.options.rules, group: false, ...(this.options.settings ? { settings: this.options.settings } : {}) });
    for (const failure of failures) {
      if (this.failed.has(failure.ruleId)) continue;
      this.failed.set(failure.ruleId, failure);
      this.options.onRuleFailure?.(failure);
    }
    const fresh = new Set<Finding>();
    const seen = new Set<string>();
    const withdrawn: [Finding, Finding | undefined][] = [];
    for (const f of findings) {
      // A rule that does not fold repeats reports distinct problems under one fingerprint (two bursts): its entry tells them apart.
      const key = this.rulesById.get(f.ruleId)?.foldRepeats === false ? `${f.fingerprint}\0${f.severity}\0${f.entry}` : `${f.fingerprint}\0${f.severity}`;
      seen.add(key);
      const known = this.reported.get(key);
      if (known && (known.message !== f.message || known.confidence !== f.confidence) && this.inWindow(known)) {
        if (known.confidence === f.confidence) {
          // More of the same (repeats it counts, entries it relates to): its words follow; nothing to withdraw.
          Object.assign(known, f);
          continue;
        }
        // The same problem, read differently now that more has arrived: the new reading replaces the old.
        withdrawn.push([known, f]);
        this.reported.set(key, f);
        fresh.add(f);
        continue;
      }
      if (known) {
        // The same problem again: the newest pass knows every occurrence still in the window, and
        // entries it relates to that arrived since (what ties a later symptom to this cause).
        if (f.occurrences > known.occurrences) known.occurrences = f.occurrences;
        const added = f.related.filter((r) => !known.related.includes(r));
        if (added.length > 0 && known.related.length < MAX_RELATED) known.related = [...known.related, ...added].sort((a, b) => a - b).slice(0, MAX_RELATED);
        continue;
      }
      if (!final && isDeferred(this.rulesById.get(f.ruleId), f)) continue;
      this.reported.set(key, f);
      fresh.add(f);
    }
    // What was reported before and no pass finds any more, though everything it rests on is still here: refuted.
    for (const [key, known] of this.reported) {
      if (seen.has(key) || !this.inWindow(known)) continue;
      this.reported.delete(key);
      withdrawn.push([known, undefined]);
    }
    this.retracted += withdrawn.length;
    for (const [old, replacement] of withdrawn) this.options.onRetract?.(old, replacement);
    if (fresh.size > 0) this.announce(fresh);
    // A long session keeps a window of calls: the rules' cost per pass stays bounded.
    if (this.acc.trim(this.options.window ?? 10_000) > 0) this.windowStart = capture.calls[0]?.exchange.index ?? this.count;
    this.lastPassMs = performance.now() - t0;
    return findings;
  }

  /**
   * Report what is new, grouped with everything reported before: a cause
   * whose symptom was reported earlier now explains it; a symptom whose cause
   * was reported earlier is reported under it.
   */
  private announce(fresh: ReadonlySet<Finding>): void {
    const groups = groupCauses([...this.reported.values()], this.active)
      .filter((g) => fresh.has(g.cause) || g.symptoms.some((s) => fresh.has(s)))
      .map((g) => ({ g, problem: toProblem(g) }))
      .sort((a, b) => compareFindings(a.problem, b.problem));
    for (const { g, problem } of groups) {
      if (fresh.has(g.cause)) {
        this.options.onFinding?.(problem, problem.symptoms.filter((_, i) => !fresh.has(g.symptoms[i]!)));
        continue;
      }
      g.symptoms.forEach((s, i) => {
        if (fresh.has(s)) this.options.onSymptom?.(problem.symptoms[i]!, problem);
      });
    }
  }

  /** Whether every entry `f` rests on is still in the window (so a pass that no longer finds it refutes it). */
  private inWindow(f: Finding): boolean {
    if (this.windowStart === 0) return true;
    if (f.entry === null || f.entry < this.windowStart) return false;
    return f.related.every((r) => r >= this.windowStart);
  }

  /** Findings withdrawn so far (refuted or replaced by later evidence). */
  get withdrawn(): number {
    return this.retracted;
  }

  /** Lint what has arrived now rather than at the next scheduled pass. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dirty) this.pass(false);
  }

  /** End the session: a last pass (with deferred findings), the HAR closed, every finding. */
  close(): LiveResult {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.closed) {
      this.closed = true;
      this.pass(true);
      this.har?.close();
    }
    const findings = groupFindings([...this.reported.values()], this.active);
    const result: LiveResult = { capture: this.snapshot(), findings, failures: [...this.failed.values()], exchanges: this.count };
    if (this.har) result.harEntries = this.har.entries;
    return result;
  }
}
