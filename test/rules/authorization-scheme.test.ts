import rule from "../../rules/authorization-scheme.js";
import { fakeApiToken, fakeJwt, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const ORG = "https://acme.okta.com";
const CLIENT = "0oa1bcd2EFGH3ijk4L5m";
const SERVER = { server: "python-requests/2.32.3" };
const apiToken = fakeApiToken("auth-scheme");
const orgAt = fakeJwt({ ver: 1, jti: "AT.k1", iss: ORG, aud: ORG, sub: CLIENT, cid: CLIENT, scp: ["okta.users.read"], iat: T0 - 60, exp: T0 + 3540 });
const customAt = fakeJwt({ ver: 1, jti: "AT.k2", iss: `${ORG}/oauth2/default`, aud: "api://default", sub: CLIENT, cid: CLIENT, scp: ["api.read"], iat: T0 - 60, exp: T0 + 3540 });
const invalidToken = { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae1", errorCauses: [] };

const users = (auth: string, opts: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url: `${ORG}/api/v1/users?limit=20`,
  status: 401,
  from: SERVER,
  at: 0,
  headers: { Authorization: auth },
  response: invalidToken,
  ...opts,
});
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: START, entries });

ruleTester(rule, {
  valid: [
    { name: "SSWS with an API token", capture: cap(users(`SSWS ${apiToken}`, { status: 200, response: { ok: true } })) },
    { name: "Bearer with an org-AS access token", capture: cap(users(`Bearer ${orgAt}`, { status: 200, response: { ok: true } })) },
    { name: "lowercase scheme (legal in HTTP, not reported)", capture: cap(users(`bearer ${orgAt}`, { status: 200, response: { ok: true } })) },
    {
      name: "Basic client authentication at the token endpoint",
      capture: cap({
        method: "POST",
        url: `${ORG}/oauth2/default/v1/token`,
        status: 200,
        from: SERVER,
        at: 0,
        headers: { Authorization: `Basic ${Buffer.from(`${CLIENT}:s3cr3t-value-here`).toString("base64")}` },
        form: { grant_type: "client_credentials", scope: "api.read" },
        response: { token_type: "Bearer", expires_in: 3600, access_token: customAt, scope: "api.read" },
      }),
    },
    {
      name: "Bearer 00… that the capture shows to be a stateToken (session-token-misuse explains it)",
      capture: cap(
        {
          method: "POST",
          url: `${ORG}/api/v1/authn`,
          status: 200,
          from: SERVER,
          at: 0,
          body: { username: "jane@example.com", password: "correct horse" },
          response: { stateToken: apiToken, status: "MFA_REQUIRED", expiresAt: "2026-11-21T10:05:00.000Z" },
        },
        users(`Bearer ${apiToken}`, { at: 500 }),
      ),
    },
  ],
  invalid: [
    {
      name: "an org-AS access token sent with SSWS",
      capture: cap(users(`SSWS ${orgAt}`)),
      errors: [{ entry: 0, messageId: "jwtWithSsws", severity: "error", message: "sent an OAuth access token (JWT) from the org authorization server (https://acme.okta.com) with the SSWS scheme" }],
    },
    {
      name: "the advice for an org-AS token is Bearer",
      capture: cap(users(`SSWS ${orgAt}`)),
      errors: [{ entry: 0, message: "Send it as `Authorization: Bearer <token>`." }],
    },
    {
      name: "a custom-AS token sent with SSWS to a management endpoint: Bearer is not enough",
      capture: cap(users(`SSWS ${customAt}`)),
      errors: [{ entry: 0, messageId: "jwtWithSsws", message: "Switching to Bearer is not enough" }],
    },
    {
      name: "okta-sdk-nodejs sending an access token as its `token`",
      capture: cap(users(`SSWS ${orgAt}`, { from: { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" } })),
      errors: [{ entry: 0, message: 'authorizationMode: "PrivateKey"' }],
    },
    {
      name: "an API token sent as Bearer",
      capture: cap(users(`Bearer ${apiToken}`)),
      errors: [{ entry: 0, messageId: "apiTokenAsBearer", message: "an SSWS API token (42 characters starting `00`), with the `Bearer` scheme" }],
    },
    {
      name: "no scheme",
      capture: cap(users(apiToken)),
      errors: [{ entry: 0, messageId: "missingScheme", message: "holds an SSWS API token with no scheme in front of it (HTTP 401 E0000011). Write `SSWS <token>`" }],
    },
    {
      name: "doubled scheme",
      capture: cap(users(`Bearer Bearer ${orgAt}`)),
      errors: [{ entry: 0, messageId: "doubledScheme", message: "(`Bearer Bearer …`)" }],
    },
    {
      name: "quoted token",
      capture: cap(users(`SSWS "${apiToken}"`)),
      errors: [{ entry: 0, messageId: "quoted", message: "wrapped in quotes" }],
    },
    {
      name: "trailing newline",
      capture: cap(users(`SSWS ${apiToken}\n`)),
      errors: [{ entry: 0, messageId: "whitespace", message: "a line break" }],
    },
    {
      name: "unknown scheme",
      capture: cap(users(`Token ${apiToken}`)),
      errors: [{ entry: 0, messageId: "unknownScheme", message: "the Authorization scheme `Token`, which Okta does not accept (HTTP 401 E0000011). The value is an SSWS API token: write `SSWS <token>`" }],
    },
    {
      name: "colon after the scheme",
      capture: cap(users(`Bearer: ${orgAt}`)),
      errors: [{ entry: 0, messageId: "schemeColon", message: "(`Bearer: …`)" }],
    },
    {
      name: "header name pasted into the value",
      capture: cap(users(`Authorization: SSWS ${apiToken}`)),
      errors: [{ entry: 0, messageId: "headerNameInValue", message: "starts with `Authorization:`" }],
    },
    {
      name: "scheme with no token",
      capture: cap(users("Bearer", { response: { errorCode: "E0000005", errorSummary: "Invalid session" }, status: 403 })),
      errors: [{ entry: 0, messageId: "emptyToken", message: "sent `Authorization: Bearer` with no token (HTTP 403 E0000005)" }],
    },
    {
      name: "Basic credentials on a management endpoint",
      capture: cap(users(`Basic ${Buffer.from("admin@example.com:hunter2hunter2").toString("base64")}`)),
      errors: [{ entry: 0, messageId: "basicNotAccepted", message: "but management endpoints do not take them" }],
    },
    {
      name: "two Authorization headers",
      capture: cap(users(`SSWS ${apiToken}`, { headers: [["Authorization", `SSWS ${apiToken}`], ["Authorization", `Bearer ${orgAt}`]] })),
      errors: [{ entry: 0, messageId: "duplicateHeader", message: "sent 2 Authorization headers (SSWS, Bearer)" }],
    },
    {
      name: "the same bad header on several calls gives one finding",
      capture: cap(users(`Bearer ${apiToken}`), users(`Bearer ${apiToken}`, { at: 100 }), users(`Bearer ${apiToken}`, { at: 200 })),
      errors: [{ entry: 0, messageId: "apiTokenAsBearer", message: "The same header was sent on 2 more calls (entries 1, 2)." }],
    },
  ],
});
