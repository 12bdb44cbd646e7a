import { fakeApiToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START);
const SDK = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };
const token = fakeApiToken("rate-limited-sample");
const ids = Array.from({ length: 12 }, (_, i) => `00u${fakeRandom(`rl-user-${i}`, 17)}`);

/** Okta's response headers with the rate-limit values of this moment (the builder's defaults are replaced: `okta: false`). */
function oktaHeaders(at: number, remaining: number, resetAt: number): Record<string, string> {
  return {
    date: new Date(T0 + at).toUTCString(),
    server: "nginx",
    "x-okta-request-id": fakeRandom(`rl-req-${at}`, 27),
    "x-rate-limit-limit": "600",
    "x-rate-limit-remaining": String(remaining),
    "x-rate-limit-reset": String(Math.floor((T0 + resetAt) / 1000)),
    "strict-transport-security": "max-age=315360000; includeSubDomains",
  };
}

const getUser = (i: number, at: number, status: number, remaining: number, resetAt: number, comment: string): EntrySpec => ({
  method: "GET",
  url: `${ORG}/api/v1/users/${ids[i]}`,
  status,
  from: SDK,
  at,
  okta: false,
  headers: { Authorization: `SSWS ${token}` },
  responseHeaders: oktaHeaders(at, remaining, resetAt),
  response:
    status === 429
      ? { errorCode: "E0000047", errorSummary: "API call exceeded rate limit due to too many requests.", errorLink: "E0000047", errorId: "oae" + fakeRandom(`rl-err-${at}`, 22), errorCauses: [] }
      : { id: ids[i], status: "ACTIVE", created: "2026-03-02T09:14:11.000Z", profile: { login: `user${i}@example.com`, firstName: "User", lastName: String(i) } },
  comment,
});

const RESET = 42_000;

export const samples: Record<string, CaptureSpec> = {
  "rate-limited.fires.har": {
    producer: "proxy",
    start: START,
    comment: "A sync job fetching users one by one: the bucket runs dry and the job retries at once instead of waiting for X-Rate-Limit-Reset.",
    entries: [
      getUser(0, 0, 200, 3, RESET, "expect: none (3 requests left in this bucket)"),
      getUser(1, 120, 200, 2, RESET, "expect: none"),
      getUser(2, 240, 200, 1, RESET, "expect: none"),
      getUser(3, 360, 200, 0, RESET, "expect: none"),
      getUser(4, 480, 429, 0, RESET, "expect: rate-limited (the burst starts here)"),
      getUser(4, 600, 429, 0, RESET, "expect: none (a retry before the reset, reported with entry 4)"),
      getUser(4, 720, 429, 0, RESET, "expect: none (a retry before the reset, reported with entry 4)"),
      getUser(4, 840, 429, 0, RESET, "expect: none (a retry before the reset, reported with entry 4)"),
      getUser(4, RESET + 500, 200, 599, RESET + 60_000, "expect: none (after the reset)"),
    ],
  },
  "rate-limited.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same job pacing itself: plenty of the bucket left at every call.",
    entries: [0, 1, 2, 3, 4].map((i) => getUser(i, i * 1_000, 200, 412 - i, RESET, "expect: none")),
  },
};
