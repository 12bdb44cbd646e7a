import { fakeApiToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const START = "2026-11-21T10:00:00.000Z";
const SDK = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };
const token = fakeApiToken("okta-error-sample");

const createUser = (login: string, ok: boolean, comment: string): EntrySpec => ({
  method: "POST",
  url: `${ORG}/api/v1/users?activate=true`,
  status: ok ? 200 : 400,
  from: SDK,
  at: 0,
  headers: { Authorization: `SSWS ${token}` },
  body: { profile: { firstName: "Noor", lastName: "Haddad", email: login, login } },
  response: ok
    ? { id: "00u4pq2rsTUV5wxY6z7a", status: "PROVISIONED", created: "2026-11-21T10:00:00.000Z", activated: "2026-11-21T10:00:00.000Z", profile: { firstName: "Noor", lastName: "Haddad", email: login, login } }
    : {
        errorCode: "E0000001",
        errorSummary: "Api validation failed: login",
        errorLink: "E0000001",
        errorId: "oae" + fakeRandom("okta-error-sample", 22),
        errorCauses: [{ errorSummary: "login: An object with this field already exists in the current organization" }],
      },
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "okta-error.fires.har": {
    producer: "proxy",
    start: START,
    comment: "Provisioning a user whose login already exists.",
    entries: [createUser("noor@example.com", false, "expect: okta-error (E0000001: the login is taken)")],
  },
  "okta-error.passes.har": {
    producer: "proxy",
    start: START,
    comment: "Provisioning a new login.",
    entries: [createUser("noor.haddad@example.com", true, "expect: none")],
  },
};
