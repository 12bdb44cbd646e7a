import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { errorOf, headerPath } from "./util.js";
import { displayPath, endpointKey, entryList, formatDuration, formatEpochSeconds } from "./util-org.js";

/**
 * Near the limit: X-Rate-Limit-Remaining is 0, or below 2% of
 * X-Rate-Limit-Limit (under 12 of 600, under 1 of 50). At that point the next
 * few calls of a loop are rejected; earlier than that a warning would be noise.
 */
const NEAR_LIMIT_FRACTION = 0.02;
/** Clock tolerance between Okta's X-Rate-Limit-Reset and the capture's timestamps. */
const CLOCK_TOLERANCE_MS = 1000;
/** A 429 this long after the previous one (and after its reset) starts a new burst. */
const BURST_GAP_MS = 60_000;
/** At most this many related entries per finding. */
const MAX_RELATED = 100;

interface RateHeaders {
  limit?: number;
  remaining?: number;
  /** UTC epoch seconds. */
  reset?: number;
}

function toInt(v: string): number | undefined {
  const n = Number(v.trim());
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

/** The three X-Rate-Limit-* values, read in one pass over the response headers. */
function rateHeaders(call: OktaCall): RateHeaders {
  const out: RateHeaders = {};
  for (const { name, value } of call.exchange.response.headers.list) {
    // Cheap prefilter before lower-casing: every name we want is 17–22 characters and starts with x/X.
    if (name.length < 17 || name.length > 22 || (name.charCodeAt(0) | 32) !== 120) continue;
    const n = name.toLowerCase();
    if (n === "x-rate-limit-limit") out.limit ??= toInt(value);
    else if (n === "x-rate-limit-remaining") out.remaining ??= toInt(value);
    else if (n === "x-rate-limit-reset") {
      const r = toInt(value);
      if (r !== undefined && r > 1_000_000_000) out.reset ??= r;
    }
  }
  if (out.limit === undefined) delete out.limit;
  if (out.remaining === undefined) delete out.remaining;
  return out;
}

/** `600 requests`, or what the capture cannot tell. */
function limitText(h: RateHeaders): string {
  return h.limit !== undefined && h.limit > 0 ? `${h.limit} requests` : "an unknown number of requests";
}

function isLimited(call: OktaCall): boolean {
  return call.exchange.response.status === 429 || call.errorCode === "E0000047";
}

function headerEvidence(call: OktaCall, h: RateHeaders): string[] {
  const out: string[] = [];
  if (h.limit !== undefined) out.push(`X-Rate-Limit-Limit: ${h.limit}`);
  if (h.remaining !== undefined) out.push(`X-Rate-Limit-Remaining: ${h.remaining}`);
  if (h.reset !== undefined) out.push(`X-Rate-Limit-Reset: ${h.reset} (${formatEpochSeconds(h.reset)})`);
  return out;
}

interface Burst {
  limited: OktaCall[];
  /** Requests (rate-limited or not) sent after a 429 but before its X-Rate-Limit-Reset. */
  early: OktaCall[];
  /** The latest known reset of the burst's 429s, in ms. */
  resetMs?: number;
  /** The reset of the first 429, epoch seconds (for the message). */
  firstReset?: number;
  /** The latest reset (epoch ms) an early request was sent before. */
  earlyResetMs?: number;
  lastLimitedAt: number | null;
  concurrent: boolean;
}

function newBurst(): Burst {
  return { limited: [], early: [], lastLimitedAt: null, concurrent: false };
}

/**
 * Was a retry that Okta rate-limited again sent before the reset in force?
 * When its own X-Rate-Limit-Reset names the same (or an earlier) second, Okta
 * itself says the window had not reset, whatever the capture's clock reads;
 * a later reset means a new window, and then only the capture's clock decides.
 */
function limitedBeforeReset(resetMs: number, t: number, ownReset: number | undefined): boolean {
  if (ownReset !== undefined && ownReset * 1000 <= resetMs) return true;
  return t < resetMs - (ownReset !== undefined ? CLOCK_TOLERANCE_MS : 0);
}

/** A request sent after a 429 but before the reset then in force. */
function markEarly(b: Burst, call: OktaCall): void {
  b.early.push(call);
  if (b.resetMs !== undefined) b.earlyResetMs = Math.max(b.earlyResetMs ?? 0, b.resetMs);
}

const rule: Rule = {
  id: "rate-limited",
  severity: "warning",
  tags: ["rate-limits", "management"],
  title: "Okta rate limit reached, or retried before the reset",
  explanation:
    "Okta counts requests per endpoint bucket and per time window, and says where a caller stands in every response: " +
    "`X-Rate-Limit-Limit` (the ceiling), `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (when the window refills, in UTC epoch seconds). " +
    "Past the limit it answers HTTP 429 with E0000047 until the reset; retrying before then only burns more of the budget and keeps the " +
    "caller blocked. An SSWS API token gets a share of each bucket (half by default), public /api/v1/authn callers are limited " +
    "aggressively, and a 429 with Limit and Remaining at 0 means too many requests were in flight at once (the concurrency limit). " +
    "oktalint reports each burst of 429s once, retries sent before the reset time, and, as an info, calls that left the bucket at 0 or under 2% of its limit " +
    "(a client that then waits for the reset is doing the right thing).",
  fix:
    "Read the X-Rate-Limit-* headers of every response: slow down as Remaining approaches 0, and after a 429 wait until " +
    "X-Rate-Limit-Reset (plus a little jitter) before retrying, with exponential backoff if the retry fails again. Cache what you read " +
    "(users, groups, discovery documents and keys), use paging and search instead of one call per object, limit concurrent requests, " +
    "and check the Rate Limits dashboard in the Admin Console for the bucket's ceiling.",
  docs: [
    "https://developer.okta.com/docs/reference/rl2-monitor/",
    "https://developer.okta.com/docs/reference/rl-best-practices/",
    "https://developer.okta.com/docs/reference/error-codes/#E0000047",
  ],
  // Bursts are grouped here; two bursts far apart are two problems, not repeats to fold.
  foldRepeats: false,
  // Every finding here depends on the calls that follow (a burst grows, a near-limit call may be followed by a 429):
  // a live session reports them when it ends, with the burst's final count, as `lint` of its HAR does.
  liveDefer: true,
  needs: ["bodies"],
  messages: {
    limited:
      "Okta rate-limited {{method}} {{path}} (HTTP 429 {{code}}): the bucket of {{limit}} refills at {{reset}}, {{wait}} after this request. Wait until then before retrying.",
    limitedNoReset:
      "Okta rate-limited {{method}} {{path}} (HTTP 429 {{code}}); the response has no X-Rate-Limit-Reset, so back off exponentially before retrying.",
    burst:
      "{{count}} calls to {{method}} {{path}} were rate-limited (HTTP 429 {{code}}) between entries {{first}} and {{last}}, over {{span}}: the client keeps exceeding the bucket of {{limit}}.",
    retriedEarly:
      "After HTTP 429 on {{method}} {{path}} at entry {{first}}, the client sent {{more}} to it before X-Rate-Limit-Reset ({{reset}}), {{again}} of them rate-limited again: it retries without waiting for the reset.",
    concurrent:
      "{{method}} {{path}} hit Okta's concurrent-request limit: {{count}} HTTP 429 answers with X-Rate-Limit-Limit and X-Rate-Limit-Remaining at 0, first at entry {{first}}. Too many requests were in flight at once; send fewer in parallel.",
    nearLimit:
      "{{method}} {{path}} left {{remaining}} of {{limit}} requests in its rate-limit bucket until {{reset}} (X-Rate-Limit-Remaining); {{count}} calls ran this close to the limit, and Okta answered none of them with 429. {{next}}",
  },
  check(ctx) {
    const open = new Map<string, Burst>();
    const done: Burst[] = [];
    const near = new Map<string, OktaCall[]>();
    const limitedKeys = new Set<string>();

    for (const call of ctx.calls) {
      const key = endpointKey(call);
      const t = call.exchange.startedAt;
      const limited = isLimited(call);
      let b = open.get(key);
      if (b && t !== null && b.lastLimitedAt !== null) {
        const closesAt = Math.max(b.resetMs ?? 0, b.lastLimitedAt) + BURST_GAP_MS;
        if (t > closesAt) {
          done.push(b);
          open.delete(key);
          b = undefined;
        }
      }
      const h = rateHeaders(call);
      if (limited) {
        limitedKeys.add(key);
        if (!b) open.set(key, (b = newBurst()));
        else if (b.resetMs !== undefined && t !== null && limitedBeforeReset(b.resetMs, t, h.reset)) markEarly(b, call);
        b.limited.push(call);
        if (t !== null) b.lastLimitedAt = t;
        if (h.reset !== undefined) {
          b.resetMs = Math.max(b.resetMs ?? 0, h.reset * 1000);
          b.firstReset ??= h.reset;
        }
        if (h.limit === 0 && h.remaining === 0) b.concurrent = true;
        continue;
      }
      if (b && b.resetMs !== undefined && t !== null && t < b.resetMs - CLOCK_TOLERANCE_MS) markEarly(b, call);
      // Near the limit (only reported for endpoints never rate-limited: the 429 finding covers the rest).
      const res = call.exchange.response;
      if (res.status >= 200 && res.status < 400 && h.remaining !== undefined) {
        if (h.limit !== undefined && h.limit > 0 && h.remaining <= h.limit) {
          if (h.remaining === 0 || h.remaining < h.limit * NEAR_LIMIT_FRACTION) {
            let list = near.get(key);
            if (!list) near.set(key, (list = []));
            list.push(call);
          }
        }
      }
    }
    done.push(...open.values());

    for (const b of done) {
      const first = b.limited[0]!;
      const ex = first.exchange;
      const h = rateHeaders(first);
      const last = b.limited[b.limited.length - 1]!;
      const code = errorOf(first)?.code ?? "E0000047";
      const others = [...new Set([...b.limited.slice(1), ...b.early].map((c) => c.exchange.index))].sort((x, y) => x - y);
      const evidence = [`HTTP ${ex.response.status} ${code}`, ...headerEvidence(first, h)];
      // The evidence lists exactly what the message counts: requests sent before the reset, then other 429s of the burst.
      const earlySet = new Set(b.early);
      if (b.early.length > 0) evidence.push(`sent before X-Rate-Limit-Reset: ${entryList(b.early.map((c) => c.exchange.index))}`);
      const laterLimited = b.limited.slice(1).filter((c) => !earlySet.has(c));
      if (laterLimited.length > 0) evidence.push(`${b.early.length > 0 ? "rate-limited again after the reset" : "rate-limited again"} at ${entryList(laterLimited.map((c) => c.exchange.index))}`);
      const base = { method: ex.request.method, path: displayPath(first), code, first: ex.index };
      const path = headerPath(ex, "response", "x-rate-limit-reset") ?? "response.status";
      const related = others.slice(0, MAX_RELATED);
      if (b.concurrent) {
        ctx.report({ call: first, messageId: "concurrent", data: { ...base, count: b.limited.length }, evidence, path, related });
      } else if (b.early.length > 0) {
        const again = b.early.filter(isLimited).length;
        const reset = b.earlyResetMs !== undefined ? formatEpochSeconds(Math.floor(b.earlyResetMs / 1000)) : "unknown";
        ctx.report({ call: first, messageId: "retriedEarly", data: { ...base, early: b.early.length, more: `${b.early.length} more request${b.early.length === 1 ? "" : "s"}`, again, reset }, evidence, path, related });
      } else if (b.limited.length > 1) {
        const t0 = ex.startedAt;
        const t1 = last.exchange.startedAt;
        const span = t0 !== null && t1 !== null ? formatDuration(t1 - t0) : "an unknown time";
        ctx.report({
          call: first,
          messageId: "burst",
          data: { ...base, count: b.limited.length, last: last.exchange.index, span, limit: limitText(h) },
          evidence,
          path,
          related,
        });
      } else if (h.reset !== undefined) {
        const wait = ex.startedAt !== null ? formatDuration(Math.max(0, h.reset * 1000 - ex.startedAt)) : "an unknown time";
        ctx.report({
          call: first,
          messageId: "limited",
          data: { ...base, limit: limitText(h), reset: formatEpochSeconds(h.reset), wait },
          evidence,
          path,
          related,
        });
      } else {
        ctx.report({ call: first, messageId: "limitedNoReset", data: base, evidence, path: "response.status", related });
      }
    }

    for (const [key, calls] of near) {
      if (limitedKeys.has(key)) continue;
      const first = calls[0]!;
      const h = rateHeaders(first);
      // What the client did next: a call after the reset shows it waited (the right thing); otherwise say what would happen.
      const lastNear = calls[calls.length - 1]!;
      const lastReset = rateHeaders(lastNear).reset;
      const nextCall = ctx.calls.find((c) => c.exchange.index > lastNear.exchange.index && endpointKey(c) === key);
      const waited = nextCall !== undefined && lastReset !== undefined && nextCall.exchange.startedAt !== null && nextCall.exchange.startedAt >= lastReset * 1000 - CLOCK_TOLERANCE_MS;
      const next = waited
        ? `The client then waited: its next call to it, at entry ${nextCall.exchange.index}, came after the reset.`
        : "Calls past the limit before the reset would be answered HTTP 429: read X-Rate-Limit-Remaining and wait for X-Rate-Limit-Reset.";
      ctx.report({
        call: first,
        messageId: "nearLimit",
        data: {
          method: first.exchange.request.method,
          path: displayPath(first),
          remaining: h.remaining!,
          limit: h.limit!,
          reset: h.reset !== undefined ? formatEpochSeconds(h.reset) : "the reset",
          count: calls.length,
          next,
        },
        evidence: [`HTTP ${first.exchange.response.status}`, ...headerEvidence(first, h), ...(calls.length > 1 ? [`also near the limit at ${entryList(calls.slice(1).map((c) => c.exchange.index))}`] : [])],
        path: headerPath(first.exchange, "response", "x-rate-limit-remaining") ?? "response.headers",
        related: calls.slice(1, MAX_RELATED + 1).map((c) => c.exchange.index),
        confidence: "likely",
        // Running low without a 429 is how a careful client behaves; a 429 is reported by the burst findings.
        severity: "info",
      });
    }
  },
};

export default rule;
