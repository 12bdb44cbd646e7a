import { fakeApiToken, type CaptureSpec, type EntrySpec } from "../builder.js";

const START = "2026-11-21T10:00:00.000Z";
const SDK = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };
const token = fakeApiToken("insecure-transport-sample");
const users = [
  { id: "00u4pq2rsTUV5wxY6z7a", status: "ACTIVE", created: "2026-02-11T18:20:01.000Z", profile: { login: "noor@example.com", firstName: "Noor", lastName: "Haddad" } },
] as unknown as Record<string, unknown>;

const listUsers = (scheme: "http" | "https", at: number, comment: string): EntrySpec => ({
  method: "GET",
  url: `${scheme}://acme.okta.com/api/v1/users?limit=25`,
  status: scheme === "http" ? 301 : 200,
  from: SDK,
  at,
  headers: { Authorization: `SSWS ${token}` },
  ...(scheme === "http"
    ? { responseHeaders: { location: "https://acme.okta.com/api/v1/users?limit=25" }, response: { mimeType: "text/html", text: "<html><head><title>301 Moved Permanently</title></head><body>301 Moved Permanently</body></html>" } }
    : { response: users }),
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "insecure-transport.fires.har": {
    producer: "proxy",
    start: START,
    comment: "A script whose OKTA_ORG_URL is http://acme.okta.com: the API token goes out unencrypted before the redirect to HTTPS.",
    entries: [
      listUsers("http", 0, "expect: insecure-transport (the SSWS token crossed the network over plain HTTP)"),
      listUsers("https", 260, "expect: none (the same call after the redirect)"),
    ],
  },
  "insecure-transport.passes.har": {
    producer: "proxy",
    start: START,
    comment: "The same script with https:// in its org URL.",
    entries: [listUsers("https", 0, "expect: none"), { ...listUsers("https", 900, "expect: none"), url: "https://acme.okta.com/api/v1/users?limit=25&after=00u4pq2rsTUV5wxY6z7a", response: [] as unknown as Record<string, unknown> }],
  },
};


