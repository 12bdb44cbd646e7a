import { fakeApiToken, fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const PAGE = "https://admin-tools.example.com";
const START = "2026-11-21T14:30:00.000Z";
const apiToken = fakeApiToken("ssws-in-browser");
const iat = Math.floor(Date.parse(START) / 1000) - 60;
/** An org authorization server access token with okta.groups.read: the right credential for a page. */
const accessToken = fakeJwt({
  ver: 1,
  jti: "AT." + fakeRandom("ssws-in-browser-jti", 43),
  iss: ORG,
  aud: ORG,
  iat,
  exp: iat + 3600,
  cid: "0oa4xk2mVQpT8wZr5d7",
  uid: "00u1ab2cdEFGH3ijK4l7",
  scp: ["okta.groups.read"],
  auth_time: iat - 5,
  sub: "dana@example.com",
});
const groups = [
  { id: "00g1emaKYZTWRYYRRTSK", type: "OKTA_GROUP", profile: { name: "Engineering", description: "All engineers" } },
  { id: "00g1emaKYZTWRYYRRTSL", type: "OKTA_GROUP", profile: { name: "Support", description: "Support engineers" } },
];
const cors = { "access-control-allow-origin": PAGE, vary: "Origin" };

const listGroups = (at: number, authorization: string, comment: string): EntrySpec => ({
  method: "GET",
  url: `${ORG}/api/v1/groups?limit=50`,
  status: 200,
  from: { browser: PAGE },
  at,
  headers: { authorization },
  responseHeaders: cors,
  response: { mimeType: "application/json", text: JSON.stringify(groups) },
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "ssws-in-browser.fires.har": {
    producer: "chrome",
    start: START,
    comment: "An internal admin page with an API token in its bundle: it lists groups, then tries to create a user.",
    entries: [
      listGroups(0, `SSWS ${apiToken}`, "expect: ssws-in-browser (the API token is in the page)"),
      {
        method: "OPTIONS",
        url: `${ORG}/api/v1/users?activate=true`,
        status: 403,
        from: { browser: PAGE },
        at: 2400,
        headers: { "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
        comment: "expect: ssws-in-browser > untrusted-origin (preflight for an Authorization header to a management endpoint, refused; the POST never went out; no Trusted Origin would help)",
      },
    ],
  },
  "ssws-in-browser.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same page with an org authorization server access token (okta.groups.read) sent as Bearer.",
    entries: [
      {
        method: "OPTIONS",
        url: `${ORG}/api/v1/groups?limit=50`,
        status: 204,
        from: { browser: PAGE },
        at: 0,
        headers: { "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
        responseHeaders: { ...cors, "access-control-allow-methods": "GET", "access-control-allow-headers": "authorization", "access-control-max-age": "3600" },
        comment: "expect: none",
      },
      listGroups(120, `Bearer ${accessToken}`, "expect: none (a Bearer org-AS token from a page needs no API token)"),
    ],
  },
};
