import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const CLIENT_ID = "0oa9xy8wv7UTSR6qp5o4";
const START = "2026-11-21T10:30:00.000Z";
const now = Math.floor(Date.parse(START) / 1000);
const SERVER = { server: "node" };
const TOKEN_URL = `${ORG}/oauth2/v1/token`;
const assertion = (aud: string) =>
  fakeJwt({ jti: fakeRandom(`caa-jti-${aud}`, 43), aud, exp: now + 60, iat: now, nbf: now, iss: CLIENT_ID, sub: CLIENT_ID }, { alg: "RS256", kid: "svc-key-2026" });
const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("caa-at", 43), iss: ORG, aud: ORG, iat: now + 1, exp: now + 3601, cid: CLIENT_ID, sub: CLIENT_ID, scp: ["okta.users.read"] });

const tokenRequest = (aud: string, comment: string): EntrySpec => {
  const ok = aud === TOKEN_URL;
  return {
    method: "POST",
    url: TOKEN_URL,
    status: ok ? 200 : 401,
    from: SERVER,
    at: 0,
    form: { grant_type: "client_credentials", scope: "okta.users.read", client_id: CLIENT_ID, client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion(aud) },
    response: ok
      ? { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "okta.users.read" }
      : { error: "invalid_client", error_description: "The audience claim for client_assertion must be the endpoint invoked for the request." },
    comment,
  };
};

export const samples: Record<string, CaptureSpec> = {
  "client-assertion-audience.fires.har": {
    producer: "proxy",
    start: START,
    comment: "openid-client 6 with private_key_jwt as it comes: the assertion's aud is the issuer (the org URL), and Okta wants the token endpoint.",
    entries: [tokenRequest(ORG, "expect: client-assertion-audience")],
  },
  "client-assertion-audience.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same client with modifyAssertion setting aud to the token endpoint.",
    entries: [tokenRequest(TOKEN_URL, "expect: none")],
  },
};
