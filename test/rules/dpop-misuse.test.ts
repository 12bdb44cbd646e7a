import rule from "../../rules/dpop-misuse.js";
import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const CLIENT = "0oa9xy8wv7UTSR6qp5o4";
const SERVER = { server: "okta-sdk-nodejs/7.1.1" };
const now = Math.floor(Date.parse("2026-11-21T10:00:00.000Z") / 1000);
const jwk = { kty: "EC", crv: "P-256", x: fakeRandom("x", 43), y: fakeRandom("y", 43) };
const proof = (htm: string, htu: string, extra: Record<string, unknown> = {}) =>
  fakeJwt({ htm, htu, iat: now, jti: fakeRandom(htm + htu + JSON.stringify(extra), 22), ...extra }, { typ: "dpop+jwt", alg: "ES256", jwk });
const bound = fakeJwt({ ver: 1, jti: "AT.dpop1", iss: ORG, aud: ORG, iat: now, exp: now + 3600, cid: CLIENT, sub: CLIENT, scp: ["okta.users.read"], cnf: { jkt: fakeRandom("jkt", 43) } });
const plain = fakeJwt({ ver: 1, jti: "AT.plain", iss: ORG, aud: ORG, iat: now, exp: now + 3600, cid: CLIENT, sub: CLIENT, scp: ["okta.users.read"] });
const opaque = fakeRandom("opaque-dpop-token", 60);
const nonce = fakeRandom("nonce", 32);
const TOKEN_URL = `${ORG}/oauth2/v1/token`;
const USERS_URL = `${ORG}/api/v1/users`;

const tokenCall = (headers: Record<string, string>, status: number, response: Record<string, unknown>, at: number, responseHeaders: Record<string, string> = {}): EntrySpec => ({
  method: "POST",
  url: TOKEN_URL,
  status,
  from: SERVER,
  at,
  headers,
  responseHeaders,
  form: { grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: fakeJwt({ iss: CLIENT, sub: CLIENT, aud: TOKEN_URL, exp: now + 300, jti: "ca" + at }) },
  response,
});
const users = (headers: Record<string, string>, status = 200, at = 1000): EntrySpec => ({
  method: "GET",
  url: `${USERS_URL}?limit=20`,
  status,
  from: SERVER,
  at,
  headers,
  response: status === 200 ? { mimeType: "application/json", text: "[]" } : { error: "invalid_request", error_description: "The resource request must use the DPoP authentication scheme when using a DPoP bound token." },
});
const useNonce = { error: "use_dpop_nonce", error_description: "Authorization server requires nonce in DPoP proof." };
const issued = (token: string) => ({ token_type: "DPoP", expires_in: 3600, access_token: token, scope: "okta.users.read" });
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries });

ruleTester(rule, {
  valid: [
    {
      name: "the full DPoP dance: nonce, retry, resource call",
      capture: cap(
        tokenCall({ DPoP: proof("POST", TOKEN_URL) }, 400, useNonce, 0, { "dpop-nonce": nonce }),
        tokenCall({ DPoP: proof("POST", TOKEN_URL, { nonce }) }, 200, issued(bound), 200),
        users({ Authorization: `DPoP ${bound}`, DPoP: proof("GET", `${USERS_URL}?limit=20`, { ath: fakeRandom("ath", 43) }) }),
      ),
    },
    { name: "a plain Bearer token", capture: cap(users({ Authorization: `Bearer ${plain}` })) },
    { name: "htu without the query matches a request with a query", capture: cap(users({ Authorization: `DPoP ${bound}`, DPoP: proof("GET", USERS_URL) })) },
  ],
  invalid: [
    {
      name: "a cnf.jkt token sent as Bearer",
      capture: cap(users({ Authorization: `Bearer ${bound}` }, 400)),
      errors: [{ entry: 0, messageId: "boundAsBearer", severity: "error", message: /GET \/api\/v1\/users sends a DPoP-bound access token \(its cnf\.jkt claim binds it to a key\) with the Bearer scheme.*Okta answered invalid_request: "The resource request must use the DPoP authentication scheme/ }],
    },
    {
      name: "an opaque token issued with token_type DPoP, then sent as Bearer",
      capture: cap(tokenCall({ DPoP: proof("POST", TOKEN_URL) }, 200, issued(opaque), 0), users({ Authorization: `Bearer ${opaque}` })),
      errors: [{ entry: 1, messageId: "boundAsBearer", message: "(issued with token_type DPoP at entry 0)" }],
    },
    {
      name: "DPoP scheme without a proof",
      capture: cap(users({ Authorization: `DPoP ${bound}` }, 400)),
      errors: [{ entry: 0, messageId: "noProof", message: "GET /api/v1/users uses the DPoP scheme but sends no DPoP proof header" }],
    },
    {
      name: "a proof made for the token endpoint reused on the API",
      capture: cap(users({ Authorization: `DPoP ${bound}`, DPoP: proof("POST", TOKEN_URL) }, 400)),
      errors: [{ entry: 0, messageId: "proofMismatch", message: 'htm is "POST" but the request is GET; htu is https://acme.okta.com/oauth2/v1/token but the request went to https://acme.okta.com/api/v1/users' }],
    },
    {
      name: "a DPoP header that is not a JWT",
      capture: cap(users({ Authorization: `DPoP ${bound}`, DPoP: fakeRandom("garbage", 50) }, 400)),
      errors: [{ entry: 0, messageId: "proofNotJwt" }],
    },
    {
      name: "use_dpop_nonce and the capture ends",
      capture: cap(tokenCall({ DPoP: proof("POST", TOKEN_URL) }, 400, useNonce, 0, { "dpop-nonce": nonce })),
      errors: [{ entry: 0, messageId: "nonceNotRetried", message: "Okta answered POST /oauth2/v1/token with use_dpop_nonce and a DPoP-Nonce header" }],
    },
    {
      name: "use_dpop_nonce retried twice without the nonce: one finding",
      capture: cap(
        tokenCall({ DPoP: proof("POST", TOKEN_URL) }, 400, useNonce, 0, { "dpop-nonce": nonce }),
        tokenCall({ DPoP: proof("POST", TOKEN_URL, { jti: "again" }) }, 400, useNonce, 200, { "dpop-nonce": nonce }),
        tokenCall({ DPoP: proof("POST", TOKEN_URL, { jti: "third" }) }, 400, useNonce, 400, { "dpop-nonce": nonce }),
      ),
      errors: [{ entry: 0, messageId: "nonceIgnored", message: "but the later requests to it (entries 1, 2) sent proofs without that nonce" }],
    },
  ],
});
