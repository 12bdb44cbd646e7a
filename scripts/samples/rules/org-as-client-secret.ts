import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const CLIENT_ID = "0oa9xy8wv7UTSR6qp5o4";
const START = "2026-11-21T09:50:00.000Z";
const now = Math.floor(Date.parse(START) / 1000);
const SERVER = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };
const TOKEN_URL = `${ORG}/oauth2/v1/token`;
const clientSecret = fakeRandom("oacs-client-secret", 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
const assertion = fakeJwt({ iss: CLIENT_ID, sub: CLIENT_ID, aud: TOKEN_URL, iat: now, exp: now + 300, jti: fakeRandom("oacs-jti", 32) }, { kid: "svc-key-2026", alg: "RS256" });
const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("oacs-at", 43), iss: ORG, aud: ORG, iat: now + 1, exp: now + 3601, cid: CLIENT_ID, sub: CLIENT_ID, scp: ["okta.users.read"] });

const tokenRequest = (private_key: boolean, comment: string): EntrySpec => ({
  method: "POST",
  url: TOKEN_URL,
  status: private_key ? 200 : 401,
  from: SERVER,
  at: 0,
  ...(private_key ? {} : { headers: { Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${clientSecret}`).toString("base64")}` } }),
  form: private_key
    ? { grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion }
    : { grant_type: "client_credentials", scope: "okta.users.read" },
  response: private_key
    ? { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "okta.users.read" }
    : { error: "invalid_client", error_description: "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method." },
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "org-as-client-secret.fires.har": {
    producer: "proxy",
    start: START,
    comment: "A service app tries to get an okta.users.read token from the org authorization server with its client secret.",
    entries: [tokenRequest(false, "expect: org-as-client-secret")],
  },
  "org-as-client-secret.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same service app with private_key_jwt, then listing users with the token.",
    entries: [
      tokenRequest(true, "expect: none"),
      {
        method: "GET",
        url: `${ORG}/api/v1/users?limit=200`,
        status: 200,
        from: SERVER,
        at: 420,
        headers: { Authorization: `Bearer ${accessToken}` },
        response: { mimeType: "application/json", text: "[]" },
        comment: "expect: none",
      },
    ],
  },
};
