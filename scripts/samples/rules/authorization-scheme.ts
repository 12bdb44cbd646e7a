import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const CLIENT = "0oa3kf8wq1XyZ2aBc4d5";
const SDK = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };

const assertion = fakeJwt({ iss: CLIENT, sub: CLIENT, aud: `${ORG}/oauth2/v1/token`, jti: fakeRandom("auth-scheme-jti", 22), iat: T0 - 5, exp: T0 + 295 }, { alg: "RS256", kid: "svc-key-2026" });
const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("auth-scheme-at", 43), iss: ORG, aud: ORG, iat: T0, exp: T0 + 3600, cid: CLIENT, sub: CLIENT, scp: ["okta.users.read"] });

const tokenRequest: EntrySpec = {
  method: "POST",
  url: `${ORG}/oauth2/v1/token`,
  status: 200,
  from: SDK,
  at: 0,
  form: {
    grant_type: "client_credentials",
    scope: "okta.users.read",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  },
  response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "okta.users.read" },
  comment: "expect: none (service app, private_key_jwt at the org authorization server)",
};

const listUsers = (scheme: string, ok: boolean, comment: string): EntrySpec => ({
  method: "GET",
  url: `${ORG}/api/v1/users?limit=200&filter=${encodeURIComponent('status eq "ACTIVE"')}`,
  status: ok ? 200 : 401,
  from: SDK,
  at: 640,
  headers: { Authorization: `${scheme} ${accessToken}` },
  response: ok
    ? ([
        { id: "00u4pq2rsTUV5wxY6z7a", status: "ACTIVE", created: "2026-02-11T18:20:01.000Z", profile: { login: "noor@example.com", firstName: "Noor", lastName: "Haddad" } },
      ] as unknown as Record<string, unknown>)
    : { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae" + fakeRandom("auth-scheme-err", 22), errorCauses: [] },
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "authorization-scheme.fires.har": {
    producer: "proxy",
    start: START,
    comment: "okta-sdk-nodejs given an org-AS access token as its `token` option: it sends `Authorization: SSWS eyJ…`.",
    entries: [tokenRequest, listUsers("SSWS", false, "expect: authorization-scheme > api-token-rejected (an access token sent with the SSWS scheme, so Okta rejects it)")],
  },
  "authorization-scheme.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same service app sending its access token as Bearer.",
    entries: [tokenRequest, listUsers("Bearer", true, "expect: none")],
  },
};
