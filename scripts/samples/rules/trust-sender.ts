/**
 * Issue 11, classes 1–3: who sent a request, and what a request really carries.
 * Each sample holds the correct flow (no finding) next to the real misuse that
 * stays caught.
 */
import { fakeApiToken, fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const AS = `${ORG}/oauth2/default`;
const APP = "https://app.example.com";
const START = "2026-11-21T16:00:00.000Z";
const SPA = "0oa8f3kq2ZRtUvW1x5d7";
const SERVICE = "0oa9svcClientCred5d7";
const iat = Math.floor(Date.parse(START) / 1000) - 60;
const CORS = { "access-control-allow-origin": APP, "access-control-allow-credentials": "true", vary: "Origin" };

const spaAccessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("trust-sender-at", 43), iss: AS, aud: "api://default", iat, exp: iat + 3600, cid: SPA, uid: "00u1ab2cdEFGH3ijK4l7", scp: ["openid", "profile", "offline_access"], sub: "dana@example.com" });
const spaRefreshToken = fakeRandom("trust-sender-rt", 43);
const serviceToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("trust-sender-svc", 43), iss: AS, aud: "api://default", iat, exp: iat + 3600, cid: SERVICE, scp: ["orders.read"], sub: SERVICE });
const serviceSecret = fakeRandom("trust-sender-service-secret", 40);
const orgAsToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("trust-sender-org", 43), iss: ORG, aud: ORG, iat, exp: iat + 3600, cid: SPA, uid: "00u1ab2cdEFGH3ijK4l7", scp: ["okta.users.read.self"], sub: "dana@example.com" });

/** okta-auth-js 8 revoke from a page: `Basic base64(clientId)` for a public client, `token_type_hint` first. */
const revoke = (at: number, token: string, hint: string, authorization: string, comment: string): EntrySpec => ({
  method: "POST",
  url: `${AS}/v1/revoke`,
  status: 200,
  from: { browser: APP },
  at,
  headers: { authorization, "x-okta-user-agent-extended": "okta-auth-js/8.0.1" },
  form: { token_type_hint: hint, token },
  responseHeaders: CORS,
  comment,
});

/** What Node 20's fetch adds to every request (measured): a browser would send Sec-Fetch-Site/Dest too, and real languages. */
const NODE_FETCH = { "accept-language": "*", "sec-fetch-mode": "cors", "accept-encoding": "gzip, deflate" };

const meUrl = `${ORG}/api/v1/users/me`;
const groupsUrl = `${ORG}/api/v1/groups?limit=50`;
const me = (at: number, authorization: string, comment: string): EntrySpec => ({
  method: "GET",
  url: meUrl,
  status: 200,
  from: { browser: APP },
  at,
  headers: { authorization },
  responseHeaders: CORS,
  response: { id: "00u1ab2cdEFGH3ijK4l7", status: "ACTIVE", profile: { login: "dana@example.com" } },
  comment,
});
/** Chromium timestamps a preflight a moment after its own request; exports then list it after. */
const preflight = (at: number, url: string, comment: string): EntrySpec => ({
  method: "OPTIONS",
  url,
  status: 204,
  from: { browser: APP },
  at,
  headers: { "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
  responseHeaders: { ...CORS, "access-control-allow-headers": "authorization", "access-control-allow-methods": "GET" },
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "trust-sender-public-client-basic.har": {
    producer: "chrome",
    start: START,
    comment: "An SPA signs out with okta-auth-js (revoke with Basic base64(client_id), no secret); a second app revokes with its client secret from the page.",
    entries: [
      revoke(0, spaAccessToken, "access_token", `Basic ${Buffer.from(SPA).toString("base64")}`, "expect: none (a public client names itself: Basic base64(client_id), no secret)"),
      revoke(60, spaRefreshToken, "refresh_token", `Basic ${Buffer.from(SPA).toString("base64")}`, "expect: none"),
      revoke(5000, serviceToken, "access_token", `Basic ${Buffer.from(`${SERVICE}:${serviceSecret}`).toString("base64")}`, "expect: client-secret-in-browser (a real client secret in the page)"),
    ],
  },
  "trust-sender-node-fetch.har": {
    producer: "proxy",
    start: START,
    comment: "mitmproxy in front of a Node service: openid-client 6 on Node's fetch (Sec-Fetch-Mode: cors, Accept-Language: *), and a page that sends the same secret.",
    entries: [
      {
        method: "POST",
        url: `${AS}/v1/token`,
        status: 200,
        from: { server: "openid-client/v6.8.9" },
        at: 0,
        headers: NODE_FETCH,
        form: { scope: "orders.read", grant_type: "client_credentials", client_id: SERVICE, client_secret: serviceSecret },
        response: { token_type: "Bearer", expires_in: 3600, access_token: serviceToken, scope: "orders.read" },
        comment: "expect: none (server code: openid-client on Node's fetch)",
      },
      {
        method: "POST",
        url: `${AS}/v1/introspect`,
        status: 200,
        from: { server: "openid-client/v6.8.9" },
        at: 200,
        headers: NODE_FETCH,
        form: { token: spaAccessToken, client_id: SERVICE, client_secret: serviceSecret },
        response: { active: true, client_id: SPA, token_type: "Bearer" },
        comment: "expect: none",
      },
      {
        method: "GET",
        url: `${ORG}/api/v1/users?limit=200`,
        status: 200,
        from: { server: "acme-admin-sync/1.4" },
        at: 400,
        headers: { ...NODE_FETCH, authorization: `SSWS ${fakeApiToken("trust-sender-sync")}` },
        response: { mimeType: "application/json", text: "[]" },
        comment: "expect: none (an API token on a server, through Node's fetch with the app's own User-Agent)",
      },
      {
        method: "POST",
        url: `${AS}/v1/token`,
        status: 200,
        from: { browser: APP },
        at: 3000,
        responseHeaders: CORS,
        form: { scope: "orders.read", grant_type: "client_credentials", client_id: SERVICE, client_secret: serviceSecret },
        response: { token_type: "Bearer", expires_in: 3600, access_token: serviceToken, scope: "orders.read" },
        comment: "expect: client-secret-in-browser (a page sends the client secret)",
      },
    ],
  },
  "trust-sender-preflight-order.har": {
    producer: "chrome",
    start: START,
    comment: "Chrome lists each CORS preflight after the request it preceded: a Bearer call that is fine, then an API token from the page.",
    entries: [
      me(100, `Bearer ${orgAsToken}`, "expect: none (an org-AS access token from the page)"),
      preflight(103, meUrl, "expect: none (its request is entry 0)"),
      { ...me(5000, `SSWS ${fakeApiToken("trust-sender-page")}`, "expect: ssws-in-browser (an API token in the page)"), url: groupsUrl, response: { mimeType: "application/json", text: "[]" } },
      preflight(5004, groupsUrl, "expect: none (its request is entry 2, reported there)"),
    ],
  },
};
