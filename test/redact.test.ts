/**
 * `oktalint redact`: every secret of every sample and corpus capture is gone
 * from the output bytes (secrets collected independently, from the input's
 * credential positions), the rules report the same ids, `--check` finds the
 * secrets before and none after, and `validate` gives the same notes.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, inflateSync } from "node:zlib";
import { checkFile, redactFile } from "../src/redact/index.js";
import { lintFile, readCapture } from "../src/index.js";
import { InputError } from "../src/ingest/types.js";
import { maskSecret } from "../src/okta/mask.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "dist/src/cli/main.js");
const CORPUS = fileURLToPath(new URL("../../shared/har-corpus/", import.meta.url));
const NOT_HARS = new Set(["not-json.har", "brokenfile.har", "not-valid.har", "single_entry.har", "har_extractor.har"]);
const KEY = Buffer.alloc(32, 7);
const OUT = mkdtempSync(join(tmpdir(), "oktalint-redact-test-"));

function walkDir(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walkDir(p) : [p];
  });
}

const SAMPLES = [...walkDir(join(ROOT, "samples")).filter((f) => f.endsWith(".har") && !f.includes("/scripts/"))].sort();
const CORPUS_FILES = walkDir(CORPUS)
  .filter((f) => /\.(har|zhar|json|harp)$/i.test(f) && !f.endsWith("README.md"))
  .sort();

// ---------------------------------------------------------------------------
// Independent collection of an input's secrets
// ---------------------------------------------------------------------------

const SECRET_NAMES = new Set(
  [
    "password", "passCode", "answer", "client_secret", "client_assertion", "access_token", "id_token", "refresh_token", "sessionToken",
    "stateToken", "cookieToken", "code", "code_verifier", "token", "interaction_code", "state", "nonce", "SAMLRequest", "SAMLResponse",
    "stateHandle", "interaction_handle", "activationToken", "recoveryToken",
  ].map((s) => s.toLowerCase()),
);
const SCHEMES = new Set(["ssws", "bearer", "dpop", "basic"]);
const JWT_ANYWHERE = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{8,}/g;
const SSWS = /^00[A-Za-z0-9_-]{40}$/;

function decodeInput(path: string): string {
  let b = readFileSync(path);
  if (b[0] === 0x1f && b[1] === 0x8b) b = gunzipSync(b);
  else if (b[0] === 0x78) b = inflateSync(b);
  let t = b.toString("utf8").replace(/^\uFEFF/, "");
  const jsonp = /^\s*[A-Za-z_$][\w$.]*\(/.exec(t);
  if (jsonp) t = t.slice(jsonp[0].length).replace(/\)\s*;?\s*$/, "");
  return t;
}

function collectSecrets(path: string): Set<string> {
  const text = decodeInput(path);
  const found = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === "string" && v.trim().length >= 6) found.add(v.trim());
  };
  for (const m of text.match(JWT_ANYWHERE) ?? []) add(m);
  const har = JSON.parse(text) as { log: { entries: Record<string, any>[] } };
  const params = (s: string) => {
    try {
      for (const [k, v] of new URLSearchParams(s)) if (SECRET_NAMES.has(k.toLowerCase())) add(v);
    } catch {
      /* not a query */
    }
  };
  const url = (u: string) => {
    const q = u.indexOf("?");
    const h = u.indexOf("#");
    if (q >= 0) params(u.slice(q + 1, h > q ? h : undefined));
    if (h >= 0) params(u.slice(h + 1));
  };
  const json = (v: unknown, underSecret: boolean): void => {
    if (typeof v === "string") {
      if (underSecret) add(v);
    } else if (Array.isArray(v)) v.forEach((x) => json(x, underSecret));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) json(x, underSecret || SECRET_NAMES.has(k.toLowerCase()));
  };
  const body = (b: any) => {
    if (!b || typeof b !== "object") return;
    for (const p of Array.isArray(b.params) ? b.params : []) if (SECRET_NAMES.has(String(p?.name).toLowerCase())) add(p.value);
    let t = typeof b.text === "string" ? b.text : "";
    if (b.encoding === "base64" && /json|text|form/i.test(String(b.mimeType))) t = Buffer.from(t, "base64").toString("utf8");
    try {
      json(JSON.parse(t), false);
    } catch {
      if (/x-www-form-urlencoded/i.test(String(b.mimeType))) params(t);
    }
  };
  for (const e of har.log.entries ?? []) {
    if (!e || typeof e !== "object") continue;
    for (const side of [e.request, e.response]) {
      if (!side || typeof side !== "object") continue;
      for (const h of Array.isArray(side.headers) ? side.headers : []) {
        const name = String(h?.name).toLowerCase();
        const value = String(h?.value ?? "");
        if (name === "authorization" || name === "proxy-authorization") {
          add(value);
          for (const w of value.split(/\s+/)) if (!SCHEMES.has(w.toLowerCase())) add(w.replace(/^["']|["']$/g, ""));
        } else if (name === "cookie") {
          for (const c of value.split(";")) add(c.slice(c.indexOf("=") + 1));
        } else if (name === "set-cookie") {
          for (const line of value.split("\n")) add(line.split(";")[0]!.slice(line.indexOf("=") + 1));
        } else if (name === "location" || name === "referer") url(value);
      }
      const cookies = side.cookies;
      if (Array.isArray(cookies)) for (const c of cookies) add(c?.value);
      else if (cookies && typeof cookies === "object") for (const v of Object.values(cookies)) add(typeof v === "object" ? (v as any)?.value : v);
      for (const q of Array.isArray(side.queryString) ? side.queryString : []) if (SECRET_NAMES.has(String(q?.name).toLowerCase())) add(q.value);
      if (typeof side.url === "string") url(side.url);
      if (typeof side.redirectURL === "string") url(side.redirectURL);
      body(side.postData);
      body(side.content);
    }
  }
  return found;
}

/** Every string of a parsed HAR, with base64 text bodies decoded. */
function outputTexts(path: string): string {
  const raw = readFileSync(path, "utf8");
  const parts = [raw];
  const visit = (v: unknown, parent?: Record<string, unknown>): void => {
    if (typeof v === "string") {
      parts.push(v);
      if (parent?.["encoding"] === "base64" && parent["text"] === v) parts.push(Buffer.from(v, "base64").toString("utf8"));
    } else if (Array.isArray(v)) v.forEach((x) => visit(x));
    else if (v && typeof v === "object") for (const x of Object.values(v)) visit(x, v as Record<string, unknown>);
  };
  visit(JSON.parse(decodeInput(path)));
  return parts.join("\n");
}

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function outPath(file: string): string {
  return join(OUT, relative(ROOT, file).replace(/[\\/]/g, "__") + (file.endsWith(".har") ? "" : ".har"));
}

// ---------------------------------------------------------------------------

describe("redact: no secret of the input is left in the output bytes", () => {
  const files = [...SAMPLES, ...CORPUS_FILES];
  it.each(files.map((f) => [relative(ROOT, f), f]))("%s", async (_name, file) => {
    if (NOT_HARS.has(basename(file))) {
      await expect(redactFile(file, outPath(file), { key: KEY })).rejects.toBeInstanceOf(InputError);
      expect(existsSync(outPath(file))).toBe(false);
      return;
    }
    const secrets = collectSecrets(file);
    const out = outPath(file);
    const summary = await redactFile(file, out, { key: KEY });
    const text = outputTexts(out);
    const left = [...secrets].filter((s) => text.includes(s));
    expect(left.map((s) => `${s.slice(0, 4)}… (${s.length})`)).toEqual([]);
    expect(summary.replaced).toBeGreaterThanOrEqual(secrets.size > 0 ? 1 : 0);
  });

  it("the samples do carry secrets (the collector is not vacuous)", () => {
    const total = SAMPLES.reduce((n, f) => n + collectSecrets(f).size, 0);
    expect(total).toBeGreaterThan(100);
  });
});

describe("redact keeps what diagnosis needs", () => {
  it.each(SAMPLES.map((f) => [relative(ROOT, f), f]))("%s: same rule ids per entry (minus sanitized-capture's notice)", async (_name, file) => {
    const out = outPath(file);
    if (!existsSync(out)) await redactFile(file, out, { key: KEY });
    const ids = (r: Awaited<ReturnType<typeof lintFile>>) =>
      [...new Set(r.findings.filter((f) => f.ruleId !== "sanitized-capture").map((f) => `${f.entry}:${f.ruleId}`))].sort();
    const before = await lintFile(file);
    const after = await lintFile(out);
    expect(ids(after)).toEqual(ids(before));
    // Messages that quote a masked value read the same: markers keep what maskSecret shows (and the length).
    const messages = (r: Awaited<ReturnType<typeof lintFile>>) => r.findings.filter((f) => f.ruleId !== "sanitized-capture").map((f) => `${f.entry}:${f.ruleId}: ${f.message}`).sort();
    expect(messages(after)).toEqual(messages(before));
    // The only addition allowed is sanitized-capture's notice about oktalint's own markers.
    const added = after.findings.filter((f) => f.ruleId === "sanitized-capture" && !before.findings.some((b) => b.ruleId === "sanitized-capture" && b.messageId === f.messageId));
    for (const f of added) expect(f.messageId).toBe("redactedByOktalint");
    // validate: same notes, same entry count, same producer.
    expect(after.capture.stats.entries).toBe(before.capture.stats.entries);
    expect(after.capture.meta.producer).toEqual(before.capture.meta.producer);
    expect(after.capture.notes.map((n) => `${n.code} ${n.path}`)).toEqual(before.capture.notes.map((n) => `${n.code} ${n.path}`));
  });

  it("corpus captures validate with the same notes after redaction", async () => {
    let n = 0;
    for (const file of CORPUS_FILES) {
      if (NOT_HARS.has(basename(file))) continue;
      const out = outPath(file);
      if (!existsSync(out)) await redactFile(file, out, { key: KEY });
      const a = await readCapture(file);
      const b = await readCapture(out);
      const codes = (c: typeof a) => c.notes.map((x) => `${x.code} ${x.path}`);
      // Compression is undone on output: the only wrapper that may disappear.
      expect(b.meta.wrappers, file).toEqual(a.meta.wrappers.filter((w) => w !== "gzip" && w !== "zlib"));
      expect(codes(b), file).toEqual(codes(a));
      expect(b.stats.entries, file).toBe(a.stats.entries);
      n++;
    }
    if (existsSync(CORPUS)) expect(n).toBeGreaterThan(30);
  });
});

describe("redact --check", () => {
  it("finds the secrets of every sample that has some, and none after redaction", async () => {
    let withSecrets = 0;
    for (const file of SAMPLES) {
      const secrets = collectSecrets(file);
      const before = await checkFile(file);
      if (secrets.size > 0) {
        withSecrets++;
        expect(before.count, file).toBeGreaterThan(0);
      }
      const out = outPath(file);
      if (!existsSync(out)) await redactFile(file, out, { key: KEY });
      const after = await checkFile(out);
      expect(after.findings, file).toEqual([]);
    }
    expect(withSecrets).toBeGreaterThan(40);
  });

  it("reports entry, JSON path and a masked value, never the secret itself (CLI, json and stylish)", () => {
    const file = join(ROOT, "samples/motivating-401.har");
    const secrets = collectSecrets(file);
    const j = run(["redact", "--check", "--format", "json", file]);
    expect(j.code).toBe(1);
    const report = JSON.parse(j.stdout) as { count: number; secrets: { entry: number; path: string; inner?: string; reason: string; value: string }[] };
    expect(report.count).toBe(7);
    expect(report.secrets[0]).toEqual({
      entry: 0,
      path: "$.log.entries[0].request.headers[3].value",
      inner: "Authorization",
      reason: "SSWS API token in Authorization",
      value: expect.stringMatching(/^00.{2}….{3} \(42 chars\)$/),
    });
    expect(report.secrets.find((s) => s.inner === "$.password")).toMatchObject({ entry: 0, path: "$.log.entries[0].request.postData.text", value: "••• (28 chars)" });
    const s = run(["redact", "--check", file]);
    expect(s.code).toBe(1);
    expect(s.stdout).toContain("✖ 7 values still look secret");
    for (const secret of secrets) {
      expect(j.stdout).not.toContain(secret);
      expect(s.stdout).not.toContain(secret);
    }
  });

  it("exit codes: 0 on a redacted file, 2 (one line) on unreadable input, 2 without -o", () => {
    const file = join(ROOT, "samples/motivating-401.har");
    const out = join(OUT, "cli-motivating.har");
    const r = run(["redact", file, "-o", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^redacted 7 secret values \(4 distinct\) in 3 of 3 entries → /);
    const c = run(["redact", "--check", out]);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain("✓ nothing in 3 entries looks secret");
    const missing = run(["redact", "--check", join(OUT, "nope.har")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run(["redact", file]).code).toBe(2);
    expect(run(["redact", file, "-o", file]).code).toBe(2);
    const lint = run(["lint", "--format", "json", "--fail-on", "never", out]);
    expect(lint.code, lint.stderr).toBe(0);
    expect(JSON.parse(lint.stdout)).toBeTruthy();
    const validate = run(["validate", out]);
    expect(validate.code).toBe(0);
  });

  it.each([...CORPUS_FILES.filter((f) => NOT_HARS.has(basename(f)))].map((f) => [basename(f), f]))("%s: one error line and exit 2", (_n, file) => {
    for (const args of [["redact", "--check", file], ["redact", file, "-o", join(OUT, "x.har")]]) {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

// ---------------------------------------------------------------------------
// Marker formats and places
// ---------------------------------------------------------------------------

function b64(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString("base64url");
}
const API_TOKEN = "00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN";
const ACCESS = `${b64({ alg: "RS256", kid: "k1" })}.${b64({ ver: 1, jti: "AT.abcdefghijklmnop", iss: "https://acme.okta.com/oauth2/default", aud: "api://default", iat: 1800000000, exp: 1800003600, cid: "0oa1abcdefghijklmno", uid: "00u1abcdefghijklmno", scp: ["openid", "okta.users.read"], sub: "jane.doe@example.com", name: "Jane Doe", email: "jane.doe@example.com", cnf: { jkt: "thumb" } })}.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU`;

function har(entries: object[]): string {
  return JSON.stringify({ log: { version: "1.2", creator: { name: "WebInspector", version: "537.36" }, pages: [{ id: "p1", title: `https://app.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj`, startedDateTime: "2026-01-01T00:00:00.000Z", pageTimings: {} }], entries } }, null, 2);
}

function entry(request: object, response: object = {}): object {
  return {
    startedDateTime: "2026-01-01T00:00:00.000Z",
    time: 1,
    request: { method: "GET", url: "https://acme.okta.com/", httpVersion: "HTTP/1.1", headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0, ...request },
    response: { status: 200, statusText: "OK", httpVersion: "HTTP/1.1", headers: [], cookies: [], content: { size: 0, mimeType: "text/plain" }, redirectURL: "", headersSize: -1, bodySize: 0, ...response },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
  };
}

async function redactJson(entries: object[]): Promise<{ log: { entries: any[]; pages: any[] } }> {
  const dir = mkdtempSync(join(OUT, "unit-"));
  writeFileSync(join(dir, "in.har"), har(entries));
  await redactFile(join(dir, "in.har"), join(dir, "out.har"), { key: KEY, chunkSize: 64 });
  expect((await checkFile(join(dir, "out.har"))).findings).toEqual([]);
  return JSON.parse(readFileSync(join(dir, "out.har"), "utf8"));
}

describe("marker formats", () => {
  it("SSWS tokens keep the API token shape and the same token gets the same marker across entries", async () => {
    const out = await redactJson([entry({ headers: [{ name: "Authorization", value: `SSWS ${API_TOKEN}` }] }), entry({ headers: [{ name: "authorization", value: `Bearer ${API_TOKEN}` }] })]);
    const a = out.log.entries[0].request.headers[0].value as string;
    const b = out.log.entries[1].request.headers[0].value as string;
    expect(a).toMatch(new RegExp(`^SSWS ${API_TOKEN.slice(0, 4)}oktalint-redacted-[0-9a-f]{17}${API_TOKEN.slice(-3)}$`));
    // Quoted in a message, the marker masks as the token did.
    expect(maskSecret(a.slice(5))).toBe(maskSecret(API_TOKEN));
    expect(a.length).toBe(`SSWS ${API_TOKEN}`.length);
    expect(b).toBe(a.replace("SSWS", "Bearer"));
  });

  it("JWTs still decode: header and diagnostic claims kept, personal claims removed, signature replaced", async () => {
    const out = await redactJson([entry({ headers: [{ name: "Authorization", value: `Bearer ${ACCESS}` }] })]);
    const v = (out.log.entries[0].request.headers[0].value as string).slice("Bearer ".length);
    const [h, p, s] = v.split(".");
    expect(JSON.parse(Buffer.from(h!, "base64url").toString())).toEqual({ alg: "RS256", kid: "k1" });
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
    expect(claims).toMatchObject({ ver: 1, iss: "https://acme.okta.com/oauth2/default", aud: "api://default", iat: 1800000000, exp: 1800003600, cid: "0oa1abcdefghijklmno", uid: "00u1abcdefghijklmno", scp: ["openid", "okta.users.read"], cnf: { jkt: "thumb" } });
    expect(claims.jti).toMatch(/^AT\.ab\.oktalint-redacted\.16\.[0-9a-f]{10}\.op$/);
    expect(claims.sub).toMatch(/^oktalint-redacted\.20\.[0-9a-f]{10}$/);
    expect(claims).not.toHaveProperty("name");
    expect(claims).not.toHaveProperty("email");
    expect(s).toMatch(/^oktalint-redacted-[0-9a-f]{16}$/);
  });

  it("Basic credentials keep the client id, cookies keep names and attributes, URLs keep other parameters", async () => {
    const basic = Buffer.from("0oa1abcdefghijklmnop:my-client-secret-value").toString("base64");
    const out = await redactJson([
      entry(
        {
          method: "POST",
          url: "https://acme.okta.com/oauth2/v1/authorize?client_id=0oa1abcdefghijklmno&state=af0ifjsldkj&scope=openid#id_token=" + ACCESS,
          headers: [
            { name: "Authorization", value: `Basic ${basic}` },
            { name: "Cookie", value: "sid=102abcdefghijklmnopqrstu; t=default" },
            { name: "Referer", value: "https://app.example.com/login?sessionToken=20111abcdefghijklmnop&lang=en" },
          ],
          cookies: [{ name: "sid", value: "102abcdefghijklmnopqrstu" }],
          postData: { mimeType: "application/x-www-form-urlencoded", text: "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", params: [] },
        },
        { headers: [{ name: "Set-Cookie", value: "sid=102abcdefghijklmnopqrstu; Path=/; Secure; HttpOnly; SameSite=None" }] },
      ),
    ]);
    const e = out.log.entries[0];
    const dec = Buffer.from(e.request.headers[0].value.slice(6), "base64").toString();
    expect(dec).toMatch(/^0oa1abcdefghijklmnop:oktalint-redacted\.22\.[0-9a-f]{10}$/);
    const sidMarker = /^sid=(\S+);/.exec(e.request.headers[1].value)![1]!;
    expect(sidMarker).toMatch(/^10\.oktalint-redacted\.24\.[0-9a-f]{10}\.tu$/);
    expect(e.request.headers[1].value).toMatch(/; t=oktalint-redacted\.7\.[0-9a-f]{10}$/);
    expect(e.request.cookies[0].value).toBe(sidMarker);
    expect(e.response.headers[0].value).toBe(`sid=${sidMarker}; Path=/; Secure; HttpOnly; SameSite=None`);
    expect(e.request.headers[2].value).toMatch(/^https:\/\/app\.example\.com\/login\?sessionToken=20\.oktalint-redacted\.21\.[0-9a-f]{10}\.op&lang=en$/);
    expect(e.request.url).toMatch(/^https:\/\/acme\.okta\.com\/oauth2\/v1\/authorize\?client_id=0oa1abcdefghijklmno&state=oktalint-redacted\.11\.[0-9a-f]{10}&scope=openid#id_token=eyJ[^.]+\.eyJ[^.]+\.oktalint-redacted-[0-9a-f]{16}$/);
    expect(e.request.postData.text).toMatch(/^grant_type=authorization_code&code=Sp\.oktalint-redacted\.22\.[0-9a-f]{10}\.IA&code_verifier=dBjf\.oktalint-redacted\.[0-9a-f]{16}\.jXk$/);
    // pages (outside the entries) are rewritten too; the same code gets the same marker.
    expect(out.log.pages[0].title).toBe(`https://app.example.com/cb?code=${/code=([^&]+)/.exec(e.request.postData.text)![1]}&state=${/state=([^&]+)/.exec(e.request.url)![1]}`);
  });

  it("JSON bodies at any depth (base64 too), multipart parts and `_` fields", async () => {
    const json = { credentials: { password: { value: "hunter2hunter2" } }, profile: { login: "x" }, nested: [{ refresh_token: "r3fr3sh-t0k3n-value-abc" }], errorCode: "E0000011", code: 401 };
    const multipart = '--XyZ\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\nsuper-secret-value-123\r\n--XyZ\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--XyZ--\r\n';
    const out = await redactJson([
      entry(
        { method: "POST", postData: { mimeType: "multipart/form-data; boundary=XyZ", text: multipart } },
        { content: { size: 1, mimeType: "application/json", encoding: "base64", text: Buffer.from(JSON.stringify(json)).toString("base64") }, _debug: { stateToken: "00zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONM" } },
      ),
    ]);
    const e = out.log.entries[0];
    const body = JSON.parse(Buffer.from(e.response.content.text, "base64").toString());
    expect(body.credentials.password.value).toMatch(/^oktalint-redacted\.14\.[0-9a-f]{10}$/);
    expect(body.nested[0].refresh_token).toMatch(/^r3\.oktalint-redacted\.23\.[0-9a-f]{10}\.bc$/);
    expect(body.errorCode).toBe("E0000011");
    expect(body.code).toBe(401);
    expect(body.profile.login).toBe("x");
    expect(e.request.postData.text).toMatch(/name="client_secret"\r\n\r\nsu\.oktalint-redacted\.22\.[0-9a-f]{10}\.23\r\n--XyZ\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--XyZ--\r\n$/);
    expect(e.response._debug.stateToken).toMatch(/^00zyoktalint-redacted-[0-9a-f]{17}ONM$/);
  });

  it("entries without secrets are copied byte for byte, and redacting twice changes nothing", async () => {
    const dir = mkdtempSync(join(OUT, "bytes-"));
    const clean = entry({ url: "https://app.example.com/a?page=2" });
    const text = har([clean, entry({ headers: [{ name: "Authorization", value: `SSWS ${API_TOKEN}` }] }), clean]);
    writeFileSync(join(dir, "in.har"), text);
    await redactFile(join(dir, "in.har"), join(dir, "out.har"), { key: KEY, chunkSize: 17 });
    const out = readFileSync(join(dir, "out.har"), "utf8");
    const cleanText = JSON.stringify({ log: { entries: [clean] } }, null, 2).split("\n").slice(3, -3).join("\n");
    expect(out.split(cleanText)).toHaveLength(3);
    // Only the secrets changed: the API token (same length) and the page title's code and state.
    const norm = (t: string) => t.replace(/SSWS 00\S+"/, "").replace(/"title": "[^"]*"/, "");
    expect(norm(out)).toBe(norm(text));
    expect(/SSWS (00\S+)"/.exec(out)![1]).toHaveLength(42);
    await redactFile(join(dir, "out.har"), join(dir, "again.har"), { key: Buffer.alloc(32, 9) });
    expect(readFileSync(join(dir, "again.har"), "utf8")).toBe(out);
  });
});
