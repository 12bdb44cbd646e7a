/**
 * stylish and json show one problem per root cause: the cause with its fix,
 * each symptom beneath it as evidence (rule id, entry, what it saw), and
 * counts of problems, not of symptoms.
 */
import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { readCaptureStream, RULES } from "../src/index.js";
import { runRules } from "../src/engine/run.js";
import { formatStylish, shortMessage } from "../src/report/stylish.js";
import { jsonReporter } from "../src/report/index.js";
import type { FileResult, ReportContext } from "../src/report/types.js";
import { buildHar, fakeJwt, type CaptureSpec } from "../scripts/samples/builder.js";

const ORG = "https://acme.okta.com";
const T0 = Date.parse("2026-11-21T10:00:00.000Z") / 1000;
const custom = fakeJwt({ ver: 1, jti: "AT.report", iss: `${ORG}/oauth2/default`, aud: "api://default", iat: T0, exp: T0 + 3600, cid: "0oa1ab2cd3EFGH4ij5d7", sub: "dana@example.com", scp: ["openid"] });
const spec: CaptureSpec = {
  producer: "proxy",
  start: "2026-11-21T10:00:00.000Z",
  entries: [
    {
      method: "GET",
      url: `${ORG}/api/v1/users?limit=200`,
      status: 401,
      from: { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" },
      at: 0,
      headers: { Authorization: `SSWS ${custom}` },
      response: { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oae1", errorCauses: [] },
    },
  ],
};

async function result(): Promise<FileResult> {
  const capture = await readCaptureStream(Readable.from([Buffer.from(JSON.stringify(buildHar(spec)))]), "custom-as-ssws.har");
  return { path: "custom-as-ssws.har", capture, findings: runRules(capture, { rules: RULES }).findings };
}
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
const ctx: ReportContext = { rules: RULES, cwd: "/", failOn: "error", toolVersion: "0", width: 100 };

describe("reporters show the cause with its symptoms", () => {
  it("stylish: the cause's message and fix, the symptom beneath it in one sentence, one problem counted", async () => {
    const text = plain(formatStylish([await result()], 100));
    const lines = text.split("\n");
    const head = lines.findIndex((l) => l.includes("✖ error  entry 0  authorization-scheme"));
    expect(head).toBeGreaterThan(0);
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain("Switching to Bearer is not enough: it comes from a custom authorization server");
    const sym = lines.findIndex((l) => /^ {4}↳ symptom {2}entry 0 {2}api-token-rejected$/.test(l));
    expect(sym).toBeGreaterThan(head);
    expect(lines[sym + 1]).toMatch(/^ {6}Okta rejected the API token eyJ\S+ \(JWT, exp [^)]+\) on GET \/api\/v1\/users\b/);
    // The symptom's own advice ("send it as Bearer") contradicts the cause; the cause's fix stands alone.
    expect(flat).not.toContain("send it as `Bearer`");
    expect(text.match(/fix:/g)).toHaveLength(1);
    expect(text).not.toContain("api-token-rejected  entry");
    expect(lines.at(-1)).toBe("✖ 1 Okta call: 1 problem (1 error, 0 warnings, 0 info) · 1 symptom shown under its cause");
    expect(text).not.toContain(custom);
  });

  it("json: symptoms per finding, counts of problems", async () => {
    const out = JSON.parse([...jsonReporter([await result()], ctx)].join("")) as { files: { counts: unknown; findings: { ruleId: string; fix: string; symptoms: { ruleId: string; entry: number; message: string; severity: string }[] }[] }[] };
    const file = out.files[0]!;
    expect(file.counts).toEqual({ problems: 1, error: 1, warning: 0, info: 0, symptoms: 1 });
    expect(file.findings.map((f) => f.ruleId)).toEqual(["authorization-scheme"]);
    expect(file.findings[0]!.fix).toBe(RULES.find((r) => r.id === "authorization-scheme")!.fix);
    expect(file.findings[0]!.symptoms).toMatchObject([{ ruleId: "api-token-rejected", entry: 0, severity: "error" }]);
    expect(file.findings[0]!.symptoms[0]!.message).toMatch(/^Okta rejected the API token eyJ/);
    expect(JSON.stringify(out)).not.toContain(custom);
  });

  it("a symptom's short message is its first sentence", () => {
    expect(shortMessage("Okta rejected the token on GET /api/v1/users (401 E0000011). The value is a JWT: send it as `Bearer`.")).toBe("Okta rejected the token on GET /api/v1/users (401 E0000011).");
    expect(shortMessage("Calls to acme.okta.com failed, e.g. the first one")).toBe("Calls to acme.okta.com failed, e.g. the first one");
  });
});
