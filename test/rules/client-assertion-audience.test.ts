import { describe, expect, it } from "vitest";
import rule from "../../rules/client-assertion-audience.js";
import dpopMisuse from "../../rules/dpop-misuse.js";
import { RULES } from "../../rules/index.js";
import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { samples as proxySamples } from "../../scripts/samples/rules/trust-proxy.js";
import { lintSpec, ruleTester } from "../rule-tester.js";

const ORG = "https://acme.okta.com";
const CLIENT = "0oa9xy8wv7UTSR6qp5o4";
const now = Math.floor(Date.parse("2026-11-21T10:00:00.000Z") / 1000);
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const SERVER = { server: "node" };
const REFUSED = { error: "invalid_client", error_description: "The audience claim for client_assertion must be the endpoint invoked for the request." };
const ISSUED = { token_type: "Bearer", expires_in: 3600, access_token: "opaque-for-test", scope: "okta.users.read" };
const assertion = (aud: unknown, alg = "RS256") => fakeJwt({ iss: CLIENT, sub: CLIENT, aud, iat: now, exp: now + 300, jti: fakeRandom(`a-${JSON.stringify(aud)}-${alg}`, 20) }, { alg });

const call = (path: string, aud: unknown, status: number, response: Record<string, unknown>, extra: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "POST", url: `${ORG}${path}`, status, from: SERVER, at: 0,
  form: { grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: JWT_BEARER, client_assertion: assertion(aud) },
  response, ...extra,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries });

ruleTester(rule, {
  valid: [
    { name: "aud is the token endpoint", capture: cap(call("/oauth2/v1/token", `${ORG}/oauth2/v1/token`, 200, ISSUED)) },
    { name: "aud is the custom AS token endpoint", capture: cap(call("/oauth2/default/v1/token", `${ORG}/oauth2/default/v1/token`, 200, ISSUED)) },
    { name: "aud is the introspect endpoint", capture: cap(call("/oauth2/v1/introspect", `${ORG}/oauth2/v1/introspect`, 200, { active: false })) },
    { name: "Okta accepted another aud (a custom domain alias): its answer wins", capture: cap(call("/oauth2/v1/token", "https://login.acme.com/oauth2/v1/token", 200, ISSUED)) },
    { name: "a client secret, no assertion", capture: cap({ method: "POST", url: `${ORG}/oauth2/default/v1/token`, status: 401, from: SERVER, at: 0, form: { grant_type: "client_credentials", client_id: CLIENT, client_secret: "x".repeat(40) }, response: { error: "invalid_client", error_description: "The client secret supplied for a confidential client is invalid." } }) },
  ],
  invalid: [
    {
      name: "the issuer as aud (openid-client 6 as it comes)",
      capture: cap(call("/oauth2/v1/token", ORG, 401, REFUSED)),
      errors: [{ entry: 0, messageId: "issuer", severity: "error", message: `POST /oauth2/v1/token authenticates client ${CLIENT} with a client_assertion whose aud is the issuer ${ORG}: Okta requires the endpoint's own URL, ${ORG}/oauth2/v1/token. Okta answered invalid_client: "The audience claim for client_assertion must be the endpoint invoked for the request."` }],
    },
    {
      name: "a custom AS issuer as aud",
      capture: cap(call("/oauth2/default/v1/token", `${ORG}/oauth2/default`, 401, REFUSED)),
      errors: [{ entry: 0, messageId: "issuer", message: `whose aud is the issuer ${ORG}/oauth2/default` }],
    },
    {
      name: "signed for a reverse proxy's URL",
      capture: cap(call("/oauth2/v1/token", "http://127.0.0.1:8787/oauth2/v1/token", 401, REFUSED)),
      errors: [{ entry: 0, messageId: "otherHost", message: "the client was configured with another base URL (http://127.0.0.1:8787), such as a reverse proxy" }],
    },
    {
      name: "the token endpoint's aud on the revoke endpoint",
      capture: cap(call("/oauth2/v1/revoke", `${ORG}/oauth2/v1/token`, 401, REFUSED)),
      errors: [{ entry: 0, messageId: "notEndpoint", message: `Okta requires the endpoint's own URL, ${ORG}/oauth2/v1/revoke` }],
    },
    {
      name: "no answer recorded: the mismatch alone, no Okta words",
      capture: cap(call("/oauth2/v1/token", ORG, 0, {})),
      errors: [{ entry: 0, messageId: "issuer", message: /requires the endpoint's own URL, https:\/\/acme\.okta\.com\/oauth2\/v1\/token\.$/ }],
    },
    {
      name: "the body is not in the capture: Okta's answer names the cause",
      capture: cap({ method: "POST", url: `${ORG}/oauth2/v1/token`, status: 401, from: SERVER, at: 0, response: REFUSED }),
      errors: [{ entry: 0, messageId: "answered", message: `The client_assertion's aud must be ${ORG}/oauth2/v1/token` }],
    },
  ],
});

describe("client-assertion-audience and dpop-misuse", () => {
  it("is registered, and declares that it explains dpop-misuse", () => {
    expect(RULES.map((r) => r.id)).toContain("client-assertion-audience");
    expect(rule.explains).toContain("dpop-misuse");
  });

  it("through a reverse proxy (the SDK's assertion and DPoP proof name the proxy): the audience is the cause, DPoP is not blamed", async () => {
    const findings = await lintSpec(proxySamples["trust-proxy-signed-audience.har"]!, RULES);
    expect(findings.map((f) => [f.ruleId, f.severity, f.entry])).toEqual([["client-assertion-audience", "error", 0]]);
    expect(findings[0]!.message).toMatch(/aud is http:\/\/127\.0\.0\.1:8787\/oauth2\/v1\/token, but the request reached https:\/\/acme\.okta\.com\/oauth2\/v1\/token/);
  });

  it("dpop-misuse ignores a proof Okta did not look at (okta-sdk-nodejs sends one on every token request), and still checks one it did", async () => {
    const jwk = { kty: "EC", crv: "P-256", x: fakeRandom("x", 43), y: fakeRandom("y", 43) };
    const proof = fakeJwt({ htm: "POST", htu: "http://127.0.0.1:8787/oauth2/v1/token", iat: now, jti: "j1" }, { typ: "dpop+jwt", alg: "ES256", jwk });
    const ignored = cap(call("/oauth2/v1/token", `${ORG}/oauth2/v1/token`, 200, ISSUED, { headers: { DPoP: proof } }));
    expect(await lintSpec(ignored, [dpopMisuse])).toEqual([]);
    const checked = cap(call("/oauth2/v1/token", `${ORG}/oauth2/v1/token`, 400, { error: "invalid_dpop_proof", error_description: "'htu' claim in the DPoP proof JWT is invalid." }, { headers: { DPoP: proof } }));
    const found = await lintSpec(checked, [dpopMisuse]);
    expect(found.map((f) => f.ruleId)).toEqual(["dpop-misuse"]);
    expect(found[0]!.message).toContain("htu is http://127.0.0.1:8787/oauth2/v1/token but the request went to https://acme.okta.com/oauth2/v1/token (the client called http://127.0.0.1:8787, not the host Okta serves: a reverse proxy or gateway in between?)");
  });
});
