import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const CLIENT = "0oa5lm6noPqR7sTu8vW9";
const JOB = { server: "python-requests/2.32.3 (audit-export job)" };

function audit(scopes: string[], logs: "ok" | "denied"): EntrySpec[] {
  const scope = scopes.join(" ");
  const assertion = fakeJwt({ iss: CLIENT, sub: CLIENT, aud: `${ORG}/oauth2/v1/token`, jti: fakeRandom("ms-jti" + scope, 22), iat: T0 - 5, exp: T0 + 295 }, { alg: "RS256", kid: "audit-2026" });
  const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("ms-at" + scope, 43), iss: ORG, aud: ORG, iat: T0, exp: T0 + 3600, cid: CLIENT, sub: CLIENT, scp: scopes });
  return [
    {
      method: "POST",
      url: `${ORG}/oauth2/v1/token`,
      status: 200,
      from: JOB,
      at: 0,
      form: { grant_type: "client_credentials", scope, client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion },
      response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope },
      comment: "expect: none",
    },
    {
      method: "GET",
      url: `${ORG}/api/v1/logs?since=2026-11-20T00%3A00%3A00Z&limit=1000`,
      status: logs === "ok" ? 200 : 403,
      from: JOB,
      at: 520,
      headers: { Authorization: `Bearer ${accessToken}` },
      ...(logs === "ok"
        ? { response: [] as unknown as Record<string, unknown> }
        : {
            responseHeaders: {
              "www-authenticate": `Bearer authorization_uri="${ORG}/oauth2/v1/authorize", realm="${ORG}", scope="okta.logs.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/logs"`,
            },
          }),
      comment: logs === "ok" ? "expect: none" : "expect: missing-scope (the token has okta.users.read only; /api/v1/logs needs okta.logs.read)",
    },
  ];
}

export const samples: Record<string, CaptureSpec> = {
  "missing-scope.fires.har": {
    producer: "proxy",
    start: START,
    comment: "An audit-export service app asks only for okta.users.read, then reads the System Log.",
    entries: audit(["okta.users.read"], "denied"),
  },
  "missing-scope.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same job asking for okta.logs.read as well.",
    entries: audit(["okta.users.read", "okta.logs.read"], "ok"),
  },
};
