import type { CaptureSpec, EntrySpec } from "../builder.js";
import { idToken, signIn } from "./trust-beyond.js";

const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";

function beacon(body: Record<string, unknown>, comment: string): EntrySpec {
  return {
    method: "POST",
    url: "https://events.adtrack.io/v1/track",
    status: 204,
    from: { browser: APP },
    at: 300,
    okta: false,
    headers: { cookie: "_adt_uid=a81f3c2e9b7d4e10" },
    body,
    comment,
  };
}

export const samples: Record<string, CaptureSpec> = {
  "token-to-third-party.fires.har": {
    producer: "chrome",
    start: START,
    comment: "A tracking script posts the SPA's token storage (with the ID token) to an ad-tracking host.",
    entries: [signIn(), beacon({ event: "login", user: { idToken: { idToken, claims: { sub: "00u8rs9tuVwX0yzA1bc2" } } } }, "expect: token-to-third-party (the ID token in a tracking beacon)")],
  },
  "token-to-third-party.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same tracking script posts the event without any token.",
    entries: [signIn(), beacon({ event: "login", user: { signedIn: true } }, "expect: none")],
  },
};
