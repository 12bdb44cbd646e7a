import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const CLIENT = "0oa6pq7rsTuV8wXy9zA0";
const WORKER = { server: "Go-http-client/2.0 (group-sync worker)" };

function tokenAt(atMs: number): { entry: EntrySpec; token: string } {
  const t = T0 + Math.floor(atMs / 1000);
  const assertion = fakeJwt({ iss: CLIENT, sub: CLIENT, aud: `${ORG}/oauth2/v1/token`, jti: fakeRandom("exp-jti" + atMs, 22), iat: t - 5, exp: t + 295 }, { alg: "RS256", kid: "group-sync-2026" });
  const token = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("exp-at" + atMs, 43), iss: ORG, aud: ORG, iat: t, exp: t + 3600, cid: CLIENT, sub: CLIENT, scp: ["okta.groups.read"] });
  return {
    token,
    entry: {
      method: "POST",
      url: `${ORG}/oauth2/v1/token`,
      status: 200,
      from: WORKER,
      at: atMs,
      form: { grant_type: "client_credentials", scope: "okta.groups.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion },
      response: { token_type: "Bearer", expires_in: 3600, access_token: token, scope: "okta.groups.read" },
      comment: "expect: none",
    },
  };
}

function listGroups(token: string, atMs: number, expired: boolean, comment: string): EntrySpec {
  return {
    method: "GET",
    url: `${ORG}/api/v1/groups?limit=200`,
    status: expired ? 401 : 200,
    from: WORKER,
    at: atMs,
    headers: { Authorization: `Bearer ${token}` },
    ...(expired
      ? {
          responseHeaders: {
            "www-authenticate": `Bearer authorization_uri="${ORG}/oauth2/v1/authorize", realm="${ORG}", scope="okta.groups.read", error="invalid_token", error_description="The token has expired.", resource="/api/v1/groups"`,
          },
        }
      : { response: [{ id: "00g8cd9efGHi0jkL1mn2", type: "OKTA_GROUP", profile: { name: "sales", description: "Sales team" } }] as unknown as Record<string, unknown> }),
    comment,
  };
}

const first = tokenAt(0);
const renewed = tokenAt(3_540_000);

export const samples: Record<string, CaptureSpec> = {
  "expired-token.fires.har": {
    producer: "proxy",
    start: START,
    comment: "A sync worker caches its one-hour org-AS token and keeps using it after exp.",
    entries: [
      first.entry,
      listGroups(first.token, 600_000, false, "expect: none"),
      listGroups(first.token, 3_725_000, true, "expect: expired-token (used about 2 minutes after exp)"),
    ],
  },
  "expired-token.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same worker renewing its token a minute before exp.",
    entries: [first.entry, listGroups(first.token, 600_000, false, "expect: none"), renewed.entry, listGroups(renewed.token, 3_725_000, false, "expect: none")],
  },
};
