import { describe, expect, it } from "vitest";
import rule from "../../rules/org-as-client-secret.js";
import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { lintSpec, ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const CLIENT = "0oa9xy8wv7UTSR6qp5o4";
const secret = fakeRandom("service-secret", 40);
const basic = `Basic ${Buffer.from(`${CLIENT}:${secret}`).toString("base64")}`;
const now = Math.floor(Date.parse("2026-11-21T10:00:00.000Z") / 1000);
const assertion = (alg: string) => fakeJwt({ iss: CLIENT, sub: CLIENT, aud: `${ORG}/oauth2/v1/token`, iat: now, exp: now + 300, jti: fakeRandom(alg, 20) }, { alg });
const SERVER = { server: "okta-sdk-nodejs/7.1.1" };
const refused = { error: "invalid_client", error_description: "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method." };
const issued = { token_type: "Bearer", expires_in: 3600, access_token: "opaque-for-test", scope: "okta.users.read" };

const token = (path: string, form: Record<string, string>, status: number, response: Record<string, unknown>, headers?: Record<string, string>): EntrySpec => ({
  method: "POST",
  url: `${ORG}${path}`,
  status,
  from: SERVER,
  at: 0,
  form: { grant_type: "client_credentials", scope: "okta.users.read", ...form },
  response,
  ...(headers ? { headers } : {}),
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries });

ruleTester(rule, {
  valid: [
    { name: "private_key_jwt at the org AS", capture: cap(token("/oauth2/v1/token", { client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion("RS256") }, 200, issued)) },
    { name: "client secret at a custom AS", capture: cap(token("/oauth2/default/v1/token", { scope: "api.read" }, 200, issued, { Authorization: basic })) },
    { name: "client_secret_basic accepted by the org AS (an OIN service integration)", capture: cap(token("/oauth2/v1/token", {}, 200, issued, { Authorization: basic })) },
    { name: "authorization_code grant with a secret at the org AS", capture: cap(token("/oauth2/v1/token", { grant_type: "authorization_code", code: "c0de", client_id: CLIENT, client_secret: secret }, 200, issued)) },
  ],
  invalid: [
    {
      name: "Basic client secret refused by the org AS",
      capture: cap(token("/oauth2/v1/token", {}, 401, refused, { Authorization: basic })),
      errors: [{ entry: 0, messageId: "secret", severity: "error", message: 'POST /oauth2/v1/token asks the org authorization server for a client_credentials token for client 0oa9xy8wv7UTSR6qp5o4 (scope okta.users.read) and authenticates with client_secret_basic: the org authorization server only accepts private_key_jwt for this grant. Okta answered invalid_client: "Client Credentials requests' }],
    },
    {
      name: "client_secret_post without an answer in the capture",
      capture: cap(token("/oauth2/v1/token", { client_id: CLIENT, client_secret: secret }, 0, {})),
      errors: [{ entry: 0, messageId: "secret", message: "authenticates with client_secret_post" }],
    },
    {
      name: "client_secret_jwt (HS256) is still a secret",
      capture: cap(token("/oauth2/v1/token", { client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion("HS256") }, 401, refused)),
      errors: [{ entry: 0, messageId: "secret", message: "authenticates with client_secret_jwt" }],
    },
    {
      name: "sanitized capture: only Okta's answer shows it",
      capture: { ...cap(token("/oauth2/v1/token", {}, 401, refused, { Authorization: basic })), sanitized: true },
      errors: [{ entry: 0, messageId: "answered", message: 'Okta refused POST /oauth2/v1/token for client (no client_id): "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method."' }],
    },
  ],
});

describe("org-as-client-secret output", () => {
  it("masks the secret in its evidence", async () => {
    const findings = await lintSpec(cap(token("/oauth2/v1/token", { client_id: CLIENT, client_secret: secret }, 401, refused)), [rule]);
    expect(JSON.stringify(findings)).not.toContain(secret);
    expect(findings[0]!.evidence).toEqual([
      "grant_type=client_credentials",
      `client_secret=${secret.slice(0, 4)}…${secret.slice(-3)} (40 chars) (request body)`,
      "HTTP 401 invalid_client: Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.",
    ]);
    expect(findings[0]!.confidence).toBe("certain");
  });
});
