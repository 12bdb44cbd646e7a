import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const CLIENT_ID = "0oa9xy8wv7UTSR6qp5o4";
const START = "2026-11-21T10:05:00.000Z";
const now = Math.floor(Date.parse(START) / 1000);
const SERVER = { server: "python-requests/2.32.3" };
const assertionFor = (aud: string) => fakeJwt({ iss: CLIENT_ID, sub: CLIENT_ID, aud, iat: now, exp: now + 300, jti: fakeRandom("iss-jti" + aud, 32) }, { kid: "svc-key-2026", alg: "RS256" });
const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("iss-at", 43), iss: ORG, aud: ORG, iat: now + 1, exp: now + 3601, cid: CLIENT_ID, sub: CLIENT_ID, scp: ["okta.groups.read"] });

const tokenRequest = (tokenUrl: string, ok: boolean, comment: string): EntrySpec => ({
  method: "POST",
  url: tokenUrl,
  status: ok ? 200 : 400,
  from: SERVER,
  at: 0,
  form: {
    grant_type: "client_credentials",
    scope: "okta.groups.read",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertionFor(tokenUrl),
  },
  response: ok
    ? { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "okta.groups.read" }
    : { error: "invalid_scope", error_description: "One or more scopes are not configured for the authorization server resource." },
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "invalid-scope-for-server.fires.har": {
    producer: "proxy",
    start: START,
    comment: "A sync job asks the default custom authorization server for an Okta management scope.",
    entries: [tokenRequest(`${ORG}/oauth2/default/v1/token`, false, "expect: invalid-scope-for-server")],
  },
  "invalid-scope-for-server.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same job asks the org authorization server, which issues okta.* scopes.",
    entries: [tokenRequest(`${ORG}/oauth2/v1/token`, true, "expect: none")],
  },
};
