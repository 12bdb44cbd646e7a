import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { readCaptureStream } from "../../src/index.js";
import { buildHar, fakeApiToken, fakeRandom, type EntrySpec } from "../../scripts/samples/builder.js";
import { displayPath, endpointKey, entryList, formatDuration, formatEpochSeconds, isLoopbackHost, orgKeyOf } from "../../rules/util-org.js";

async function callsOf(entries: EntrySpec[]) {
  const text = JSON.stringify(buildHar({ producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries }));
  return (await readCaptureStream(Readable.from([Buffer.from(text)]), "util.har")).calls;
}
const get = (url: string, at = 0): EntrySpec => ({ method: "GET", url, status: 200, from: { server: "axios/1.7.7" }, at, response: {} });

describe("util-org", () => {
  it("masks session ids and tokens in paths, keeps object ids", async () => {
    const sessionId = "102" + fakeRandom("util-sid", 22);
    const token = fakeApiToken("util-path");
    const [a, b, c] = await callsOf([get(`https://acme.okta.com/api/v1/sessions/${sessionId}`), get(`https://acme.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7`), get(`https://acme.okta.com/api/v1/things/${token}`)]);
    expect(displayPath(a!)).toBe(`/api/v1/sessions/{102…${sessionId.slice(-3)} (25 chars)}`);
    expect(displayPath(b!)).toBe("/api/v1/users/00u1ab2cdEFGH3ijK4l7");
    expect(displayPath(c!)).not.toContain(token);
  });
  it("keys repeated calls by host, method and template", async () => {
    const [a, b, c] = await callsOf([get("https://acme.okta.com/api/v1/users/00u1ab2cdEFGH3ijK4l7"), get("https://acme.okta.com/api/v1/users/00u9zz9zzZZZZ9zzZ9z9"), get("https://acme.okta.com/custom/thing/ab12cd34ef")]);
    expect(endpointKey(a!)).toBe("acme.okta.com GET /api/v1/users/{id}");
    expect(endpointKey(b!)).toBe(endpointKey(a!));
    expect(endpointKey(c!)).toBe("acme.okta.com GET /custom/thing/{id}");
  });
  it("folds the -admin host into its org", async () => {
    const [a, b] = await callsOf([get("https://acme-admin.okta.com/api/v1/users"), get("https://acme.oktapreview.com/api/v1/users")]);
    expect(orgKeyOf(a!.host)).toBe("acme.okta.com");
    expect(orgKeyOf(b!.host)).toBe("acme.oktapreview.com");
  });
  it("formats entry lists, durations and epochs", () => {
    expect(entryList([3])).toBe("entry 3");
    expect(entryList([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe("entries 1, 2, 3, 4, 5, 6, 7, 8 … (+2 more)");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(4_250)).toBe("4.3 s");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
    expect(formatEpochSeconds(1795255260)).toBe("2026-11-21T10:01:00Z");
  });
  it("knows loopback hosts", () => {
    for (const h of ["127.0.0.1", "127.8.9.10", "localhost", "api.localhost", "::1", "[::1]"]) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ["acme.okta.com", "10.0.0.1", "128.0.0.1", "localhost.example.com"]) expect(isLoopbackHost(h), h).toBe(false);
  });
});
