import rule from "../../rules/expired-token.js";
import { fakeJwt, type CaptureSpec, type EntrySpec } from "../../scripts/samples/builder.js";
import { ruleTester } from "../rule-tester.js";

const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const ORG = "https://acme.okta.com";
const CLIENT = "0oa1bcd2EFGH3ijk4L5m";
const SERVER = { server: "Go-http-client/2.0" };
const token = (iat: number, exp: number, iss = ORG) => fakeJwt({ ver: 1, jti: `AT.${iat}.${exp}`, iss, aud: iss === ORG ? ORG : "api://default", sub: CLIENT, cid: CLIENT, scp: ["okta.users.read"], iat, exp });
const expiredChallenge = `Bearer authorization_uri="${ORG}/oauth2/v1/authorize", realm="${ORG}", error="invalid_token", error_description="The token has expired.", resource="/api/v1/users"`;

const users = (auth: string, at: number, opts: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url: `${ORG}/api/v1/users`,
  status: 401,
  from: SERVER,
  at,
  headers: { Authorization: auth },
  responseHeaders: { "www-authenticate": expiredChallenge },
  ...opts,
});
const tokenRequest = (assertion: string, at = 0, status = 200): EntrySpec => ({
  method: "POST",
  url: `${ORG}/oauth2/v1/token`,
  status,
  from: SERVER,
  at,
  form: { grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion },
  response:
    status === 200
      ? { token_type: "Bearer", expires_in: 3600, access_token: token(T0, T0 + 3600), scope: "okta.users.read" }
      : { error: "invalid_client", error_description: "The client_assertion token is expired." },
});
const assertion = (exp: number) => fakeJwt({ iss: CLIENT, sub: CLIENT, aud: `${ORG}/oauth2/v1/token`, jti: `j${exp}`, iat: exp - 300, exp });
const cap = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: START, entries });

ruleTester(rule, {
  valid: [
    { name: "a live token", capture: cap(users(`Bearer ${token(T0 - 60, T0 + 3540)}`, 0, { status: 200, response: { ok: true }, responseHeaders: {} })) },
    { name: "exp equal to the request instant (not yet past)", capture: cap(users(`Bearer ${token(T0 - 3600, T0)}`, 0)) },
    { name: "a JWT without exp", capture: cap(users(`Bearer ${fakeJwt({ iss: ORG, scp: ["okta.users.read"], cid: CLIENT })}`, 0)) },
    { name: "a fresh client assertion", capture: cap(tokenRequest(assertion(T0 + 300))) },
  ],
  invalid: [
    {
      name: "an access token used ten minutes after exp",
      capture: cap(users(`Bearer ${token(T0 - 4200, T0 - 600)}`, 0)),
      errors: [
        {
          entry: 0,
          messageId: "expired",
          severity: "error",
          message:
            "An access token from the org authorization server (https://acme.okta.com) sent to GET /api/v1/users had expired 10 min before the request (exp 2026-11-21T09:50:00Z, request at 2026-11-21T10:00:00Z by the capture's clock, no clock skew allowed; HTTP 401 invalid_token). It was valid for 60 min from 2026-11-21T08:50:00Z.",
        },
      ],
    },
    {
      name: "seconds late",
      capture: cap(users(`Bearer ${token(T0 - 3605, T0 - 5)}`, 0)),
      errors: [{ entry: 0, message: "had expired 5 s before the request" }],
    },
    {
      name: "seconds late: renewal timing",
      capture: cap(users(`Bearer ${token(T0 - 3605, T0 - 5)}`, 0)),
      errors: [{ entry: 0, message: "It was only seconds late: renew tokens a little before `exp`" }],
    },
    {
      name: "a custom-AS token issued in the capture and used after its 5 minutes",
      capture: cap(
        {
          method: "POST",
          url: `${ORG}/oauth2/aus1a2b3c4D5e6F7g8h9/v1/token`,
          status: 200,
          from: SERVER,
          at: 0,
          form: { grant_type: "client_credentials", scope: "api.read" },
          headers: { Authorization: `Basic ${Buffer.from(`${CLIENT}:client-secret-value-0123`).toString("base64")}` },
          response: { token_type: "Bearer", expires_in: 300, access_token: token(T0, T0 + 300, `${ORG}/oauth2/aus1a2b3c4D5e6F7g8h9`), scope: "api.read" },
        },
        users(`Bearer ${token(T0, T0 + 300, `${ORG}/oauth2/aus1a2b3c4D5e6F7g8h9`)}`, 7 * 60_000, { url: `${ORG}/oauth2/aus1a2b3c4D5e6F7g8h9/v1/userinfo` }),
      ),
      errors: [{ entry: 1, message: "had expired 2 min before the request" }],
    },
    {
      name: "names the entry that issued it",
      capture: cap(tokenRequest(assertion(T0 + 300)), users(`Bearer ${token(T0, T0 + 3600)}`, 3_700_000)),
      errors: [{ entry: 1, message: "It was issued at entry 0 (POST /oauth2/v1/token)" }],
    },
    {
      name: "Okta accepted it: the capture's clock is suspect",
      capture: cap(users(`Bearer ${token(T0 - 4200, T0 - 600)}`, 0, { status: 200, response: { ok: true }, responseHeaders: {} })),
      errors: [{ entry: 0, message: "Yet Okta accepted the call, so the capture's timestamps are probably off" }],
    },
    {
      name: "an expired client assertion",
      capture: cap(tokenRequest(assertion(T0 - 120), 0, 401)),
      errors: [{ entry: 0, messageId: "expiredAssertion", message: "The client_assertion JWT sent to POST /oauth2/v1/token had expired 2 min before the request" }],
    },
    {
      name: "one finding per token",
      capture: cap(users(`Bearer ${token(T0 - 4200, T0 - 600)}`, 0), users(`Bearer ${token(T0 - 4200, T0 - 600)}`, 1000)),
      errors: [{ entry: 0, message: "The same expired token was sent on 1 more call (entry 1)." }],
    },
  ],
});
