import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const CLIENT = "0oa9xy8zwAbC7dEf6gH5";
const SYNC = { server: "okta-sdk-java/21.0.0 java/21.0.5 Linux/6.1" };

function provisioning(created: boolean): EntrySpec[] {
  const assertion = fakeJwt({ iss: CLIENT, sub: CLIENT, aud: `${ORG}/oauth2/v1/token`, jti: fakeRandom("mar-jti", 22), iat: T0 - 5, exp: T0 + 295 }, { alg: "RS256", kid: "hr-sync-2026" });
  const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("mar-at", 43), iss: ORG, aud: ORG, iat: T0, exp: T0 + 3600, cid: CLIENT, sub: CLIENT, scp: ["okta.users.manage"] });
  const profile = { firstName: "Ines", lastName: "Moreau", email: "ines.moreau@example.com", login: "ines.moreau@example.com" };
  return [
    {
      method: "POST",
      url: `${ORG}/oauth2/v1/token`,
      status: 200,
      from: SYNC,
      at: 0,
      form: { grant_type: "client_credentials", scope: "okta.users.manage", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion },
      response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "okta.users.manage" },
      comment: "expect: none",
    },
    {
      method: "POST",
      url: `${ORG}/api/v1/users?activate=true`,
      status: created ? 200 : 403,
      from: SYNC,
      at: 480,
      headers: { Authorization: `Bearer ${accessToken}` },
      body: { profile },
      response: created
        ? { id: "00u2qr3stUvW4xyZ5ab6", status: "ACTIVE", created: "2026-11-21T10:00:00.000Z", profile }
        : { errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action", errorLink: "E0000006", errorId: "oae" + fakeRandom("mar-err", 22), errorCauses: [] },
      comment: created ? "expect: none" : "expect: missing-admin-role (okta.users.manage is granted, but the service app has no admin role that may create users)",
    },
  ];
}

export const samples: Record<string, CaptureSpec> = {
  "missing-admin-role.fires.har": {
    producer: "proxy",
    start: START,
    comment: "An HR sync service app with okta.users.manage but no admin role assigned creates a user.",
    entries: provisioning(false),
  },
  "missing-admin-role.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same service app after a User Administrator role was assigned to it.",
    entries: provisioning(true),
  },
};
