import { fakeApiToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const START = "2026-11-21T10:00:00.000Z";
const SCRIPT = { server: "PowerShell/7.4.6 Invoke-RestMethod" };
const apiToken = fakeApiToken("mgmt-no-creds-sample");

function report(secondHasToken: boolean): EntrySpec[] {
  return [
    {
      method: "GET",
      url: `${ORG}/api/v1/groups?q=engineering&limit=20`,
      status: 200,
      from: SCRIPT,
      at: 0,
      headers: { Authorization: `SSWS ${apiToken}` },
      response: [{ id: "00g3ab4cdEFG5hiJ6kl7", type: "OKTA_GROUP", profile: { name: "engineering", description: "All engineers" } }] as unknown as Record<string, unknown>,
      comment: "expect: none",
    },
    {
      method: "GET",
      url: `${ORG}/api/v1/groups/00g3ab4cdEFG5hiJ6kl7/users?limit=200`,
      status: secondHasToken ? 200 : 403,
      from: SCRIPT,
      at: 730,
      ...(secondHasToken ? { headers: { Authorization: `SSWS ${apiToken}` } } : {}),
      response: secondHasToken
        ? ([{ id: "00u7mn8opQrS9tuV0wx1", status: "ACTIVE", profile: { login: "li.wei@example.com" } }] as unknown as Record<string, unknown>)
        : { errorCode: "E0000005", errorSummary: "Invalid session", errorLink: "E0000005", errorId: "oae" + fakeRandom("mcwc-err", 22), errorCauses: [] },
      comment: secondHasToken ? "expect: none" : "expect: management-call-without-credentials (the second request was built without the Authorization header)",
    },
  ];
}

export const samples: Record<string, CaptureSpec> = {
  "management-call-without-credentials.fires.har": {
    producer: "proxy",
    start: START,
    comment: "A reporting script finds a group with its API token, then lists the members with a request that lost the header.",
    entries: report(false),
  },
  "management-call-without-credentials.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same script sending the API token on both calls.",
    entries: report(true),
  },
};
