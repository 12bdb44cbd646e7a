import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const CLIENT = "0oa7hd2kq9LmNb3Xc4d5";
const SDK = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };
const SCOPES = ["okta.users.read", "okta.groups.read"];

const assertion = fakeJwt({ iss: CLIENT, sub: CLIENT, aud: `${ORG}/oauth2/v1/token`, jti: fakeRandom("wbu-jti", 22), iat: T0 - 5, exp: T0 + 295 }, { alg: "RS256", kid: "sync-key-2026" });
const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("wbu-at", 43), iss: ORG, aud: ORG, iat: T0, exp: T0 + 3600, cid: CLIENT, sub: CLIENT, scp: SCOPES });

const tokenRequest: EntrySpec = {
  method: "POST",
  url: `${ORG}/oauth2/v1/token`,
  status: 200,
  from: SDK,
  at: 0,
  form: { grant_type: "client_credentials", scope: SCOPES.join(" "), client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion },
  response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: SCOPES.join(" ") },
  comment: "expect: none (service app, private_key_jwt at the org authorization server)",
};

const users = [
  { id: "00u4pq2rsTUV5wxY6z7a", status: "ACTIVE", created: "2026-02-11T18:20:01.000Z", profile: { login: "noor@example.com", firstName: "Noor", lastName: "Haddad" } },
] as unknown as Record<string, unknown>;
const groups = [{ id: "00g2ab3cdEFGH4ij5k6l", type: "OKTA_GROUP", profile: { name: "Engineering", description: "All engineers" } }] as unknown as Record<string, unknown>;
const notFoundPage = { mimeType: "text/html", text: "<!DOCTYPE html><html><head><title>404 - Not Found</title></head><body><h1>Not Found</h1></body></html>" };

const get = (url: string, at: number, status: number, response: EntrySpec["response"], comment: string): EntrySpec => ({
  method: "GET",
  url,
  status,
  from: SDK,
  at,
  headers: { Authorization: `Bearer ${accessToken}` },
  response,
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "wrong-base-url.fires.har": {
    producer: "proxy",
    start: START,
    comment: "A directory sync service configured with the issuer (…/oauth2/default) and the -admin host as its API base URLs.",
    entries: [
      tokenRequest,
      get(`${ORG}/oauth2/default/api/v1/users?limit=200`, 540, 404, notFoundPage, "expect: wrong-base-url (/api/v1 under the custom authorization server's issuer)"),
      get(
        "https://acme-admin.okta.com/api/v1/groups?limit=200",
        910,
        401,
        { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae" + fakeRandom("wbu-err", 22), errorCauses: [] },
        "expect: wrong-base-url (the Admin Console host does not serve the API)",
      ),
    ],
  },
  "wrong-base-url.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same service calling the org URL.",
    entries: [
      tokenRequest,
      get(`${ORG}/api/v1/users?limit=200`, 540, 200, users, "expect: none"),
      get(`${ORG}/api/v1/groups?limit=200`, 910, 200, groups, "expect: none"),
    ],
  },
};
