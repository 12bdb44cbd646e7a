import { fakeApiToken, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const SERVER = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };
const token = fakeApiToken("api-token-rejected");
const invalid = { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oaeXq1Tb8sZRwK3a2mCqLnDvg", errorCauses: [] };

const listUsers = (at: number, host: string, status: number, comment: string): EntrySpec => ({
  method: "GET",
  url: `${host}/api/v1/users?limit=200`,
  status,
  from: SERVER,
  at,
  headers: { Authorization: `SSWS ${token}` },
  response: status === 200 ? [] as unknown as Record<string, unknown> : invalid,
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "api-token-rejected.fires.har": {
    producer: "proxy",
    start: "2026-11-21T10:00:00.000Z",
    comment: "A server's API token works on the org, then fails on the -admin host.",
    entries: [
      listUsers(0, ORG, 200, "expect: none"),
      listUsers(800, "https://acme-admin.okta.com", 401, "expect: wrong-base-url > api-token-rejected (the -admin host does not serve the API, so it rejects the token)"),
    ],
  },
  "api-token-rejected.passes.har": {
    producer: "proxy",
    start: "2026-11-21T10:00:00.000Z",
    comment: "The same server with a live token on the right host.",
    entries: [listUsers(0, ORG, 200, "expect: none"), listUsers(800, ORG, 200, "expect: none")],
  },
};
