import { describe, expect, it } from "vitest";
import rule from "../../rules/rate-limited.js";
import { fakeApiToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { lintSpec, ruleTester } from "../rule-tester.js";

const SERVER = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2" };
const token = fakeApiToken("rate-limited");
const start = "2026-11-21T10:00:00.000Z";
const t0 = Date.parse(start);
const epoch = (ms: number) => Math.floor((t0 + ms) / 1000);
const tooMany = { errorCode: "E0000047", errorSummary: "API call exceeded rate limit due to too many requests.", errorLink: "E0000047", errorId: "oaeRl1m1t3d", errorCauses: [] };

/** Okta's response headers with explicit rate-limit values (the builder's defaults are left out with `okta: false`). */
function okta(at: number, limit: number | undefined, remaining: number | undefined, reset: number | undefined): Record<string, string> {
  const h: Record<string, string> = { date: new Date(t0 + at).toUTCString(), "x-okta-request-id": fakeRandom(`rl${at}`, 27) };
  if (limit !== undefined) h["x-rate-limit-limit"] = String(limit);
  if (remaining !== undefined) h["x-rate-limit-remaining"] = String(remaining);
  if (reset !== undefined) h["x-rate-limit-reset"] = String(reset);
  return h;
}
function call(at: number, status: number, rl: [number | undefined, number | undefined, number | undefined], path = "/api/v1/users/00u1ab2cdEFGH3ijK4l7"): EntrySpec {
  return {
    method: "GET",
    url: `https://acme.okta.com${path}`,
    status,
    from: SERVER,
    at,
    okta: false,
    headers: { Authorization: `SSWS ${token}` },
    responseHeaders: okta(at, ...rl),
    response: status === 429 ? tooMany : { id: "00u1ab2cdEFGH3ijK4l7", status: "ACTIVE" },
  };
}
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start, entries });

/** A sync job fetching 1,000 users one by one: 600 go through, then 400 are rate-limited within the same minute. */
const loop: EntrySpec[] = Array.from({ length: 1000 }, (_, i) => {
  const at = i * 50;
  return i < 600 ? call(at, 200, [600, 599 - i, epoch(60_000)], `/api/v1/users/00u${String(i).padStart(17, "0")}`) : call(at, 429, [600, 0, epoch(60_000)], `/api/v1/users/00u${String(i).padStart(17, "0")}`);
});

ruleTester(rule, {
  valid: [
    { name: "plenty of budget left", capture: cap(call(0, 200, [600, 599, epoch(60_000)]), call(500, 200, [600, 598, epoch(60_000)])) },
    { name: "exactly 2% left is not yet near the limit", capture: cap(call(0, 200, [600, 12, epoch(60_000)])) },
    { name: "no rate-limit headers at all", capture: cap(call(0, 200, [undefined, undefined, undefined])) },
    { name: "a 403 is not a rate limit", capture: cap({ ...call(0, 403, [600, 598, epoch(60_000)]), response: { errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action" } }) },
  ],
  invalid: [
    {
      name: "one 429 with the reset time",
      capture: cap(call(0, 200, [600, 1, epoch(60_000)]), call(1_000, 429, [600, 0, epoch(60_000)])),
      errors: [{ entry: 1, messageId: "limited", severity: "warning", message: "the bucket of 600 requests refills at 2026-11-21T10:01:00Z, 59 s after this request" }],
    },
    {
      name: "one 429 without X-Rate-Limit-Reset",
      capture: cap(call(0, 429, [undefined, undefined, undefined])),
      errors: [{ entry: 0, messageId: "limitedNoReset", message: "no X-Rate-Limit-Reset" }],
    },
    {
      name: "retries sent before the reset",
      capture: cap(call(0, 429, [600, 0, epoch(60_000)]), call(1_000, 429, [600, 0, epoch(60_000)]), call(2_000, 429, [600, 0, epoch(60_000)]), call(3_000, 200, [600, 5, epoch(60_000)])),
      errors: [{ entry: 0, messageId: "retriedEarly", message: "the client sent 3 more requests to it before X-Rate-Limit-Reset (2026-11-21T10:01:00Z), 2 of them rate-limited again" }],
    },
    {
      name: "rate-limited again after waiting for the reset",
      capture: cap(call(0, 429, [50, 0, epoch(10_000)]), call(15_000, 429, [50, 0, epoch(70_000)])),
      errors: [{ entry: 0, messageId: "burst", message: "2 calls to GET /api/v1/users/00u1ab2cdEFGH3ijK4l7 were rate-limited (HTTP 429 E0000047) between entries 0 and 1, over 15 s: the client keeps exceeding the bucket of 50 requests" }],
    },
    {
      name: "two bursts far apart are two findings",
      capture: cap(call(0, 429, [600, 0, epoch(60_000)]), call(300_000, 429, [600, 0, epoch(360_000)])),
      errors: [
        { entry: 0, messageId: "limited" },
        { entry: 1, messageId: "limited" },
      ],
    },
    {
      name: "different endpoints are separate buckets",
      capture: cap(call(0, 429, [600, 0, epoch(60_000)]), call(100, 429, [100, 0, epoch(60_000)], "/api/v1/groups")),
      errors: [
        { entry: 0, messageId: "limited", message: "GET /api/v1/users/00u1ab2cdEFGH3ijK4l7" },
        { entry: 1, messageId: "limited", message: "GET /api/v1/groups" },
      ],
    },
    {
      name: "the concurrency limit",
      capture: cap(call(0, 429, [0, 0, epoch(60_000)]), call(20, 429, [0, 0, epoch(60_000)])),
      errors: [{ entry: 0, messageId: "concurrent", message: "2 HTTP 429 answers with X-Rate-Limit-Limit and X-Rate-Limit-Remaining at 0" }],
    },
    {
      name: "the bucket nearly exhausted",
      capture: cap(call(0, 200, [600, 11, epoch(60_000)]), call(100, 200, [600, 10, epoch(60_000)]), call(200, 200, [600, 0, epoch(60_000)])),
      errors: [{ entry: 0, messageId: "nearLimit", message: "left 11 of 600 requests in its rate-limit bucket until 2026-11-21T10:01:00Z (X-Rate-Limit-Remaining); 3 calls ran this close" }],
    },
    {
      name: "near the limit, then waiting for the reset: an info that says so",
      capture: cap(call(0, 200, [100, 1, epoch(3_000)]), call(200, 200, [100, 0, epoch(3_000)]), call(4_000, 200, [100, 99, epoch(64_000)])),
      errors: [{ entry: 0, messageId: "nearLimit", severity: "info", message: "Okta answered none of them with 429. The client then waited: its next call to it, at entry 2, came after the reset." }],
    },
    {
      name: "near the limit with no later call: an info, never a warning",
      capture: cap(call(0, 200, [100, 0, epoch(3_000)])),
      errors: [{ entry: 0, messageId: "nearLimit", severity: "info", message: "Calls past the limit before the reset would be answered HTTP 429" }],
    },
    {
      name: "a 429 after running low is a warning (the burst finding, not the near-limit info)",
      capture: cap(call(0, 200, [100, 0, epoch(3_000)]), call(100, 429, [100, 0, epoch(3_000)])),
      errors: [{ entry: 1, messageId: "limited", severity: "warning" }],
    },
    {
      name: "30 retries in the last seconds before the reset: the count is what the evidence lists",
      capture: cap(call(0, 429, [100, 0, epoch(3_000)]), ...Array.from({ length: 30 }, (_, i) => call(100 * (i + 1), 429, [100, 0, epoch(3_000)]))),
      errors: [{ entry: 0, messageId: "retriedEarly", message: "the client sent 30 more requests to it before X-Rate-Limit-Reset (2026-11-21T10:00:03Z), 30 of them rate-limited again" }],
    },
    {
      name: "a 1,000-call loop is reported once",
      capture: cap(...loop),
      errors: [{ entry: 600, messageId: "retriedEarly", message: "the client sent 399 more requests to it before X-Rate-Limit-Reset (2026-11-21T10:01:00Z), 399 of them rate-limited again" }],
    },
  ],
});

describe("rate-limited: the count equals the evidence (issue 11, class 7)", () => {
  it("lists exactly the requests it counts as sent before the reset", async () => {
    const entries = [call(0, 429, [100, 0, epoch(3_000)]), ...Array.from({ length: 30 }, (_, i) => call(100 * (i + 1), 429, [100, 0, epoch(3_000)])), call(3_200, 429, [100, 0, epoch(63_000)])];
    const [f] = await lintSpec(cap(...entries), [rule]);
    const m = /sent (\d+) more requests/.exec(f!.message);
    const listed = f!.evidence.find((e) => e.startsWith("sent before X-Rate-Limit-Reset:"));
    expect(m?.[1]).toBe("30");
    expect(listed).toBe("sent before X-Rate-Limit-Reset: entries 1, 2, 3, 4, 5, 6, 7, 8 … (+22 more)");
    expect(f!.evidence).toContain("rate-limited again after the reset at entry 31");
    expect(rule.liveDefer).toBe(true);
  });
});
