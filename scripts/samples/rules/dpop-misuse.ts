import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const CLIENT_ID = "0oa9xy8wv7UTSR6qp5o4";
const START = "2026-11-21T10:15:00.000Z";
const now = Math.floor(Date.parse(START) / 1000);
const SERVER = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };
const TOKEN_URL = `${ORG}/oauth2/v1/token`;
const USERS_URL = `${ORG}/api/v1/users`;
const jwk = { kty: "EC", crv: "P-256", x: fakeRandom("dpop-x", 43), y: fakeRandom("dpop-y", 43) };
const nonce = fakeRandom("dpop-nonce", 43);
const jkt = fakeRandom("dpop-jkt", 43);

const proof = (htm: string, htu: string, at: number, extra: Record<string, unknown> = {}) =>
  fakeJwt({ htm, htu, iat: now + Math.floor(at / 1000), jti: fakeRandom(`dpop-jti-${at}`, 22), ...extra }, { typ: "dpop+jwt", alg: "ES256", jwk });
const assertion = (at: number) => fakeJwt({ iss: CLIENT_ID, sub: CLIENT_ID, aud: TOKEN_URL, iat: now, exp: now + 300, jti: fakeRandom(`dpop-ca-${at}`, 32) }, { kid: "svc-key-2026", alg: "RS256" });
const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("dpop-at", 43), iss: ORG, aud: ORG, iat: now + 1, exp: now + 3601, cid: CLIENT_ID, sub: CLIENT_ID, scp: ["okta.users.read"], cnf: { jkt } });

const tokenRequest = (at: number, withNonce: boolean): EntrySpec => ({
  method: "POST",
  url: TOKEN_URL,
  status: withNonce ? 200 : 400,
  from: SERVER,
  at,
  headers: { DPoP: proof("POST", TOKEN_URL, at, withNonce ? { nonce } : {}) },
  form: { grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion(at) },
  ...(withNonce ? {} : { responseHeaders: { "dpop-nonce": nonce } }),
  response: withNonce
    ? { token_type: "DPoP", expires_in: 3600, access_token: accessToken, scope: "okta.users.read" }
    : { error: "use_dpop_nonce", error_description: "Authorization server requires nonce in DPoP proof." },
  comment: withNonce ? "expect: none (retried with the nonce)" : "expect: okta-error (info: Okta's first answer of a DPoP flow asks for a nonce; entry 1 retries with it)",
});

export const samples: Record<string, CaptureSpec> = {
  "dpop-misuse.fires.har": {
    producer: "proxy",
    start: START,
    comment: "A service app gets a DPoP-bound token, then sends it as a Bearer token.",
    entries: [
      tokenRequest(0, false),
      tokenRequest(180, true),
      {
        method: "GET",
        url: `${USERS_URL}?limit=200`,
        status: 400,
        from: SERVER,
        at: 520,
        headers: { Authorization: `Bearer ${accessToken}` },
        responseHeaders: {
          "www-authenticate": `Bearer authorization_uri="${ORG}/oauth2/v1/authorize", realm="${ORG}", scope="okta.users.read", error="invalid_request", error_description="The resource request must use the DPoP authentication scheme when using a DPoP bound token.", resource="/api/v1/users"`,
        },
        response: { error: "invalid_request", error_description: "The resource request must use the DPoP authentication scheme when using a DPoP bound token." },
        comment: "expect: dpop-misuse",
      },
    ],
  },
  "dpop-misuse.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same app sends the token with the DPoP scheme and a proof for this request.",
    entries: [
      tokenRequest(0, false),
      tokenRequest(180, true),
      {
        method: "GET",
        url: `${USERS_URL}?limit=200`,
        status: 200,
        from: SERVER,
        at: 520,
        headers: { Authorization: `DPoP ${accessToken}`, DPoP: proof("GET", USERS_URL, 520, { ath: fakeRandom("dpop-ath", 43) }) },
        response: { mimeType: "application/json", text: "[]" },
        comment: "expect: none",
      },
    ],
  },
};
