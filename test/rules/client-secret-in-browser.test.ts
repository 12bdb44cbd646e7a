import rule from "../../rules/client-secret-in-browser.js";
import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { describe, expect, it } from "vitest";
import { lintSpec, ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const AS = `${ORG}/oauth2/default`;
const CLIENT = "0oa1ab2cd3EFGH4ij5d7";
const secret = fakeRandom("client-secret", 40);
const basic = `Basic ${Buffer.from(`${CLIENT}:${secret}`).toString("base64")}`;
const now = Math.floor(Date.parse("2026-11-21T10:00:00.000Z") / 1000);
const assertion = (alg: string) => fakeJwt({ iss: CLIENT, sub: CLIENT, aud: `${AS}/v1/token`, iat: now, exp: now + 300, jti: fakeRandom(alg, 20) }, { alg });
const CORS = { "access-control-allow-origin": APP };

const token = (form: Record<string, string>, opts: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "POST",
  url: `${AS}/v1/token`,
  status: 200,
  from: { browser: APP },
  at: 0,
  responseHeaders: CORS,
  form: { grant_type: "authorization_code", code: fakeRandom("code", 43), redirect_uri: `${APP}/callback`, ...form },
  response: { token_type: "Bearer", expires_in: 3600 },
  ...opts,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: "2026-11-21T10:00:00.000Z", entries });
const proxy = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries });
const SERVER = { server: "okta-sdk-nodejs/7.1.1" };

ruleTester(rule, {
  valid: [
    { name: "a SPA with PKCE and no secret", capture: cap(token({ client_id: CLIENT, code_verifier: fakeRandom("v", 64) })) },
    { name: "a server sends client_secret in the body", capture: proxy(token({ client_id: CLIENT, client_secret: secret }, { from: SERVER })) },
    { name: "a server uses Basic client authentication", capture: proxy(token({}, { from: SERVER, headers: { Authorization: basic } })) },
    {
      name: "an admin page registering a client sends client_secret as data, not as client authentication",
      capture: cap({ method: "POST", url: `${ORG}/oauth2/v1/clients`, status: 201, from: { browser: "https://acme-admin.okta.com" }, at: 0, responseHeaders: CORS, body: { client_name: "Reports", client_secret: secret, token_endpoint_auth_method: "client_secret_basic" }, headers: { authorization: `Bearer ${assertion("RS256")}` } }),
    },
    { name: "a server uses private_key_jwt", capture: proxy(token({ client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion("RS256") }, { from: SERVER })) },
  ],
  invalid: [
    {
      name: "client_secret in a browser token request body",
      capture: cap(token({ client_id: CLIENT, client_secret: secret })),
      errors: [{ entry: 0, messageId: "secret", severity: "error", message: "POST /oauth2/default/v1/token sends the client secret of client 0oa1ab2cd3EFGH4ij5d7 as client_secret in the request body from a browser page (https://app.example.com)" }],
    },
    {
      name: "Basic client authentication from the browser",
      capture: cap(token({}, { headers: { authorization: basic } })),
      errors: [{ entry: 0, messageId: "secret", message: "as Basic client authentication" }],
    },
    {
      name: "client_secret in the query of a browser call to /introspect, plus Basic: one finding",
      capture: cap({ ...token({ token: fakeRandom("t", 40) }), url: `${AS}/v1/introspect?client_secret=${secret}`, headers: { authorization: basic } }),
      errors: [{ entry: 0, messageId: "secret", message: "as Basic client authentication (Authorization: Basic base64(client_id:client_secret)) and as client_secret in the URL query" }],
    },
    {
      name: "client_secret_jwt from the browser",
      capture: cap(token({ client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion("HS256") })),
      errors: [{ entry: 0, messageId: "secret", message: "signed with the client secret (client_secret_jwt)" }],
    },
    {
      name: "private_key_jwt from the browser",
      capture: cap(token({ client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion("RS256") })),
      errors: [{ entry: 0, messageId: "assertion", message: "authenticates client 0oa1ab2cd3EFGH4ij5d7 as a client_assertion signed with the app's private key" }],
    },
  ],
});

describe("client-secret-in-browser output", () => {
  it("never shows the secret, only a masked form", async () => {
    const findings = await lintSpec(cap(token({ client_id: CLIENT, client_secret: secret }, { headers: { authorization: basic } })), [rule]);
    const out = JSON.stringify(findings);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(basic.slice(6));
    expect(findings[0]!.evidence).toEqual([
      "Authorization: Basic 0oa1ab2cd3EFGH4ij5d7:••• (decoded)",
      `client_secret=${secret.slice(0, 4)}…${secret.slice(-3)} (40 chars) (request body)`,
      "Origin: https://app.example.com",
    ]);
  });
});
