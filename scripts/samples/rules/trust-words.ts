import { fakeApiToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

/**
 * Issue 11, classes 5–7: findings must use Okta's own words (5), never state
 * what their own evidence refutes (6), and count a retry burst the same way
 * live and from the file (7). One firing and one close non-firing case each.
 */

const ORG = "https://acme.okta.com";
const ADMIN = "https://acme-admin.okta.com";
const APP = "https://shop.example.com";
const CLIENT = "0oa9tw1rdS3xYz4Ab5c6";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START);
const SDK = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };
const token = fakeApiToken("trust-words");

// --- 5. Okta's own words -----------------------------------------------------------------------

const state = fakeRandom("tw-state", 32);
const authorize = (issuer: string, status: number, response: EntrySpec["response"] | undefined, location: string | undefined, comment: string): EntrySpec => ({
  method: "GET",
  url:
    `${issuer}/v1/authorize?client_id=${CLIENT}&redirect_uri=${encodeURIComponent(`${APP}/login/callback`)}&response_type=code&scope=openid%20profile` +
    `&state=${state}&nonce=${fakeRandom("tw-nonce", 32)}&code_challenge=${fakeRandom("tw-challenge", 43)}&code_challenge_method=S256`,
  status,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  ...(response ? { response } : {}),
  ...(location ? { responseHeaders: { location } } : {}),
  comment,
});

// --- 6. Evidence that contradicts the message ---------------------------------------------------

const users = [{ id: "00u4pq2rsTUV5wxY6z7a", status: "ACTIVE", profile: { login: "noor@example.com" } }] as unknown as Record<string, unknown>;
const forbidden = { errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action", errorLink: "E0000006", errorId: "oae" + fakeRandom("tw-403", 22), errorCauses: [] };
const admin = (method: string, host: string, path: string, at: number, status: number, response: EntrySpec["response"], comment: string, body?: Record<string, unknown>): EntrySpec => ({
  method,
  url: `${host}${path}`,
  status,
  from: SDK,
  at,
  headers: { Authorization: `SSWS ${token}` },
  response,
  ...(body ? { body } : {}),
  comment,
});

// --- 7. Live counts: a retry burst --------------------------------------------------------------

const tooMany = { errorCode: "E0000047", errorSummary: "API call exceeded rate limit due to too many requests.", errorLink: "E0000047", errorId: "oae" + fakeRandom("tw-429", 22), errorCauses: [] };
const epoch = (ms: number) => Math.floor((T0 + ms) / 1000);
const rl = (at: number, status: number, remaining: number, reset: number, comment?: string): EntrySpec => ({
  method: "GET",
  url: `${ORG}/api/v1/groups?limit=200`,
  status,
  from: SDK,
  at,
  okta: false,
  headers: { Authorization: `SSWS ${token}` },
  responseHeaders: {
    date: new Date(T0 + at).toUTCString(),
    "x-okta-request-id": fakeRandom(`tw-rl-${at}`, 27),
    "x-rate-limit-limit": "100",
    "x-rate-limit-remaining": String(remaining),
    "x-rate-limit-reset": String(reset),
  },
  response: status === 429 ? tooMany : ([] as unknown as Record<string, unknown>),
  ...(comment ? { comment } : {}),
});

export const samples: Record<string, CaptureSpec> = {
  "trust-words-okta-words.har": {
    producer: "chrome",
    start: START,
    comment: "An SPA configured with the `default` custom authorization server in an org without API Access Management.",
    entries: [
      authorize(
        `${ORG}/oauth2/default`,
        400,
        { errorCode: "invalid_request", errorSummary: "The authorization server id is invalid.", errorLink: "invalid_request", errorId: "oae" + fakeRandom("tw-as", 22), errorCauses: [] },
        undefined,
        "expect: authorize-error (Okta named the cause: no such authorization server)",
      ),
    ],
  },
  "trust-words-okta-words-quiet.har": {
    producer: "chrome",
    start: START,
    comment: "The same SPA with the org authorization server: Okta redirects back with a code.",
    entries: [authorize(ORG + "/oauth2", 302, undefined, `${APP}/login/callback?code=${fakeRandom("tw-code", 43)}&state=${state}`, "expect: none")],
  },
  "trust-words-evidence.har": {
    producer: "proxy",
    start: START,
    comment: "A provisioning job configured with the -admin host: reads succeed there, a group change is refused for permissions.",
    entries: [
      admin("GET", ADMIN, "/api/v1/users?limit=200", 0, 200, users, "expect: wrong-base-url (a warning: it answered, but the -admin host is not the API's base URL)"),
      admin(
        "POST",
        ADMIN,
        "/api/v1/groups",
        400,
        403,
        forbidden,
        "expect: missing-admin-role > wrong-base-url (the token's admin may not create groups; the host advice only as an info)",
        { profile: { name: "Contractors", description: "External staff" } },
      ),
    ],
  },
  "trust-words-evidence-quiet.har": {
    producer: "proxy",
    start: START,
    comment: "The same job on the org host: a read that succeeds.",
    entries: [admin("GET", ORG, "/api/v1/users?limit=200", 0, 200, users, "expect: none")],
  },
  "trust-words-live-counts.har": {
    producer: "proxy",
    start: START,
    comment: "A client that retries a 429 every 200 ms, 12 times, before X-Rate-Limit-Reset.",
    entries: [
      rl(0, 429, 0, epoch(5_000), "expect: rate-limited (12 more requests before the reset, as its evidence lists)"),
      ...Array.from({ length: 12 }, (_, i) => rl(200 * (i + 1), 429, 0, epoch(5_000), "expect: none (part of the burst at entry 0)")),
    ],
  },
  "trust-words-live-counts-quiet.har": {
    producer: "proxy",
    start: START,
    comment: "A client that sees X-Rate-Limit-Remaining reach 0 and waits for X-Rate-Limit-Reset: no 429 (at most an info).",
    entries: [
      rl(0, 200, 1, epoch(3_000), "expect: rate-limited (an info: near the limit, and the client then waited)"),
      rl(200, 200, 0, epoch(3_000), "expect: none (same near-limit finding)"),
      rl(4_000, 200, 99, epoch(64_000), "expect: none (sent after the reset)"),
    ],
  },
};
