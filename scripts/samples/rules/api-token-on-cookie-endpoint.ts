import { fakeApiToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const START = "2026-11-21T12:00:00.000Z";
const SERVER = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };
const apiToken = fakeApiToken("api-token-on-cookie-endpoint");
const sessionId = "102" + fakeRandom("api-token-on-cookie-endpoint-sid", 22);
const admin = { id: "00u9zy8xwVUTS7rqP6o5", status: "ACTIVE", profile: { login: "it-admin@example.com", firstName: "IT", lastName: "Admin" } };
const endUser = { id: "00u1ab2cdEFGH3ijK4l7", status: "ACTIVE", profile: { login: "dana@example.com", firstName: "Dana", lastName: "Reyes" } };

const call = (at: number, path: string, status: number, response: Record<string, unknown>, comment: string): EntrySpec => ({
  method: "GET",
  url: `${ORG}${path}`,
  status,
  from: SERVER,
  at,
  headers: { Authorization: `SSWS ${apiToken}` },
  response,
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "api-token-on-cookie-endpoint.fires.har": {
    producer: "proxy",
    start: START,
    comment: "A backend tries to read 'the current session' and 'the current user' with its API token.",
    entries: [
      call(0, "/api/v1/sessions/me", 404, { errorCode: "E0000007", errorSummary: "Not found: Resource not found: me (Session)", errorLink: "E0000007", errorId: "oae" + fakeRandom("atoce-e1", 19), errorCauses: [] }, "expect: api-token-on-cookie-endpoint (sessions/me takes only the browser's cookie)"),
      call(350, "/api/v1/users/me", 200, admin, "expect: api-token-on-cookie-endpoint (warning: answers with the token's creator)"),
    ],
  },
  "api-token-on-cookie-endpoint.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same backend using the admin endpoints with the ids it knows.",
    entries: [
      call(0, `/api/v1/sessions/${sessionId}`, 200, { id: sessionId, userId: endUser.id, status: "ACTIVE", expiresAt: "2026-11-21T14:00:00.000Z", amr: ["pwd"] }, "expect: none"),
      call(350, `/api/v1/users/${endUser.id}`, 200, endUser, "expect: none"),
    ],
  },
};
