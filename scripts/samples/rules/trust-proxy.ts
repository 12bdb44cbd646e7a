import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

// okta-sdk-nodejs in PrivateKey mode. It signs a client assertion (aud) and a DPoP proof (htu)
// for `${orgUrl}/oauth2/v1/token`, on every token request, DPoP app or not.
const ORG = "https://acme.okta.com";
const PROXY = "http://127.0.0.1:8787";
const CLIENT_ID = "0oa9xy8wv7UTSR6qp5o4";
const START = "2026-11-21T10:45:00.000Z";
const now = Math.floor(Date.parse(START) / 1000);
const SERVER = { server: "okta-sdk-nodejs/8.1.0 node/20.20.2 linux/6.1" };
const jwk = { kty: "RSA", e: "AQAB", n: fakeRandom("proxy-dpop-n", 342, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") };
const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("proxy-at", 43), iss: ORG, aud: ORG, iat: now + 1, exp: now + 3601, cid: CLIENT_ID, sub: CLIENT_ID, scp: ["okta.users.read"] });

/** The SDK's token request for the org URL it was configured with, as Okta received it (the recorded URL is the org's). */
const tokenRequest = (configured: string, comment: string): EntrySpec => {
  const aud = `${configured}/oauth2/v1/token`;
  const ok = configured === ORG;
  return {
    method: "POST",
    url: `${ORG}/oauth2/v1/token`,
    status: ok ? 200 : 401,
    from: SERVER,
    at: 0,
    headers: { DPoP: fakeJwt({ htm: "POST", htu: aud, iat: now, jti: fakeRandom(`proxy-dpop-${configured}`, 36) }, { typ: "dpop+jwt", alg: "RS256", jwk }) },
    form: {
      grant_type: "client_credentials", scope: "okta.users.read",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: fakeJwt({ aud, iat: now, exp: now + 300, jti: fakeRandom(`proxy-ca-${configured}`, 36), iss: CLIENT_ID, sub: CLIENT_ID }, { alg: "RS256", kid: "svc-key-2026" }),
    },
    response: ok
      ? { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "okta.users.read" }
      : { error: "invalid_client", error_description: "The audience claim for client_assertion must be the endpoint invoked for the request." },
    comment,
  };
};

export const samples: Record<string, CaptureSpec> = {
  "trust-proxy-signed-audience.har": {
    producer: "proxy",
    start: START,
    comment: "Recorded by a reverse proxy in front of the org: the SDK was given the proxy's URL, so its signed assertion (and DPoP proof) name the proxy. The cause is the audience, not DPoP.",
    entries: [tokenRequest(PROXY, "expect: client-assertion-audience")],
  },
  "trust-proxy-direct.har": {
    producer: "proxy",
    start: START,
    comment: "The same SDK pointed at the org itself: the proof it always sends is ignored by an app without DPoP, and the token is a Bearer token.",
    entries: [
      tokenRequest(ORG, "expect: none"),
      {
        method: "GET", url: `${ORG}/api/v1/users?limit=200`, status: 200, from: SERVER, at: 300,
        headers: { Authorization: `Bearer ${accessToken}` }, response: { mimeType: "application/json", text: "[]" }, comment: "expect: none",
      },
    ],
  },
};
