import rule from "../../rules/api-token-rejected.js";
import { fakeApiToken, fakeJwt, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const SERVER = { server: "okta-sdk-nodejs/7.1.1" };
const token = fakeApiToken("t1");
const invalid = { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae1", errorCauses: [] };
const call = (host: string, status: number, auth = `SSWS ${token}`, at = 0): EntrySpec => ({
  method: "GET",
  url: `https://${host}/api/v1/users/00u1ab2cdEFGH3ijK4l7`,
  status,
  from: SERVER,
  at,
  headers: { Authorization: auth },
  response: status === 200 ? { id: "00u1ab2cdEFGH3ijK4l7" } : invalid,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries });

ruleTester(rule, {
  valid: [
    { name: "a working token", capture: cap(call("acme.okta.com", 200)) },
    { name: "401 with another error code", capture: cap({ ...call("acme.okta.com", 401), response: { errorCode: "E0000004", errorSummary: "Authentication failed" } }) },
    { name: "E0000011 on a Bearer call (not an API token)", capture: cap(call("acme.okta.com", 401, `Bearer ${fakeJwt({ iss: "https://acme.okta.com" })}`)) },
  ],
  invalid: [
    {
      name: "rejected with no further clue",
      capture: cap(call("acme.okta.com", 401)),
      errors: [{ entry: 0, messageId: "rejected", message: "cannot tell which cause" }],
    },
    {
      name: "the -admin host",
      capture: cap(call("acme-admin.okta.com", 401)),
      errors: [{ entry: 0, message: "use acme.okta.com" }],
    },
    {
      name: "the token belongs to another org",
      capture: cap(call("other.okta.com", 200), call("acme.okta.com", 401, undefined, 10)),
      errors: [{ entry: 1, message: "worked on other.okta.com (entry 0)" }],
    },
    {
      name: "the token worked earlier on the same org",
      capture: cap(call("acme.okta.com", 200), call("acme.okta.com", 401, undefined, 10)),
      errors: [{ entry: 1, message: "worked here at entry 0" }],
    },
  ],
});
