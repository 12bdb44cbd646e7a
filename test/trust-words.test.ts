/**
 * Issue 11, classes 5 and 6, over every bundled sample: a finding uses Okta's
 * own words when they name the cause, and no message states an outcome that
 * its own entry's answer refutes.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lintFile, RULES } from "../src/index.js";
import { fakeApiToken, fakeJwt, type CaptureSpec, type EntrySpec } from "../scripts/samples/builder.js";
import { lintSpec } from "./rule-tester.js";
import { curatedCauseIds, namedCause, namedCauseInHtml } from "../src/okta/causes.js";
import { OAUTH_ERROR_ROWS } from "../src/okta/data/errors.js";
import type { Finding } from "../src/engine/types.js";
import { ONE_PROBLEM } from "./pair-captures.js";

const DIR = fileURLToPath(new URL("../samples/", import.meta.url));
const files = [
  ...readdirSync(DIR).filter((f) => f.endsWith(".har")),
  ...readdirSync(join(DIR, "rules")).filter((f) => f.endsWith(".har")).map((f) => `rules/${f}`),
];

/** Claims that the request at the finding's own entry failed (an HTML page instead of JSON "did not reach" the API whatever its status, so that is no claim about the status). */
const CLAIMS_FAILURE = /does not serve|rejects a|\bfailed\b|was refused|were refused|was rejected|were rejected|was rate-limited|returned (?:HTTP )?[45]\d\d\b|\((?:HTTP )?[45]\d\d\b/i;
/** Claims that it succeeded. */
const CLAIMS_SUCCESS = /\bsucceeded\b|was accepted|\((?:HTTP )?2\d\d\b/i;

describe("no message states what its own evidence refutes (issue 11, class 6)", () => {
  it.each(files)("%s", async (file) => {
    const har = JSON.parse(readFileSync(join(DIR, file), "utf8")) as { log: { entries: { response: { status: number } }[] } };
    const { findings } = await lintFile(join(DIR, file));
    const contradictions: string[] = [];
    // A symptom's message is read beside its cause's: it may not claim what its own entry refutes either.
    for (const f of findings.flatMap((p): { ruleId: string; entry: number | null; message: string }[] => [p, ...p.symptoms])) {
      if (f.entry === null) continue;
      const status = har.log.entries[f.entry]!.response.status;
      if (status >= 200 && status < 400 && CLAIMS_FAILURE.test(f.message)) contradictions.push(`${f.ruleId} at entry ${f.entry} (HTTP ${status}): ${f.message}`);
      if (status >= 400 && CLAIMS_SUCCESS.test(f.message)) contradictions.push(`${f.ruleId} at entry ${f.entry} (HTTP ${status}): ${f.message}`);
    }
    expect(contradictions).toEqual([]);
  });

  it("calls that succeeded although a rule fires on them (a lenient proxy or emulator answering 200) are never said to have failed", async () => {
    const T0 = Math.floor(Date.parse("2026-11-21T10:00:00.000Z") / 1000);
    const jwt = fakeJwt({ ver: 1, jti: "AT.ok200", iss: "https://acme.okta.com", aud: "https://acme.okta.com", iat: T0, exp: T0 + 3600, cid: "0oa1ab2cd3EFGH4ij5d7", sub: "0oa1ab2cd3EFGH4ij5d7", scp: ["okta.users.read"] });
    const ok = (url: string, authorization: string, headers: Record<string, string> = {}): EntrySpec => ({
      method: "GET",
      url,
      status: 200,
      from: { server: "okta-sdk-nodejs/7.1.1 node/20.20.2" },
      at: 0,
      headers: { Authorization: authorization, ...headers },
      response: [] as unknown as Record<string, unknown>,
    });
    const specs: CaptureSpec[] = [
      { producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries: [ok("https://acme.okta.com/api/v1/users", `SSWS ${jwt}`)] },
      { producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries: [ok("https://acme-admin.okta.com/api/v1/users", `SSWS ${fakeApiToken("ok200")}`)] },
      { producer: "proxy", start: "2026-11-21T10:00:00.000Z", entries: [ok("https://acme.okta.com/api/v1/users", `Bearer ${fakeApiToken("ok200b")}`)] },
    ];
    const contradictions: string[] = [];
    let fired = 0;
    for (const spec of specs) {
      for (const f of await lintSpec(spec, RULES)) {
        fired++;
        if (CLAIMS_FAILURE.test(f.message)) contradictions.push(`${f.ruleId}: ${f.message}`);
      }
    }
    expect(fired).toBeGreaterThanOrEqual(3);
    expect(contradictions).toEqual([]);
  });

  it("the -admin host sample: the successful call is not said to fail, and the 403 E0000006 is a permissions problem first", async () => {
    const { findings } = await lintFile(join(DIR, "rules/trust-words-evidence.har"));
    const got = findings.map((f) => [f.entry, f.ruleId, f.severity, f.messageId, ...f.symptoms.map((s) => `> ${s.ruleId} ${s.severity} ${s.messageId}`)].join(" ")).sort();
    expect(got).toEqual(["0 wrong-base-url warning adminHostAnswered", "1 missing-admin-role warning apiTokenRole > wrong-base-url info adminHostForbidden"]);
    expect(findings.find((f) => f.entry === 0)!.message).not.toMatch(/does not serve|failed/);
  });
});

describe("Okta's own words (issue 11, class 5)", () => {
  it("recognizes the causes Okta names, in its catalog's words and in wordings seen in real answers", () => {
    const cases: [string, string | undefined, string][] = [
      ["The authorization server id is invalid.", "invalid_request", "invalid_authorization_server"],
      ["Policy evaluation failed for this request, please check the policy configurations.", "access_denied", "no_matching_policy"],
      ["The client secret supplied for a confidential client is invalid.", "invalid_client", "invalid_client_secret"],
      ["PKCE code verifier is required when the code challenge is present in the authorization request.", "invalid_request", "pkce_verifier_required_for_challenge"],
      ["'redirect_uri' must match a Login redirect URI in the client app settings.", "invalid_request", "illegal_redirect_uri"],
      ["The 'redirect_uri' parameter must be a Login redirect URI in the client app settings: https://acme-admin.okta.com/admin/app/oidc/instance/0oa1", "invalid_request", "illegal_redirect_uri"],
      ["User is not assigned to the client application.", "access_denied", "user_not_assigned"],
      ["The requested scope is invalid, unknown, or malformed.", "invalid_scope", "scope_invalid_unknown_malformed"],
      ["Some of the requested scopes were denied by the policy. Denied scopes: [okta.users.read].", "access_denied", "scope_denied"],
      ["The audience claim for client_assertion must be the endpoint invoked for the request.", "invalid_client", "client_assertion_invalid_audience"],
      ["The response type is not supported by the authorization server. Configured response types: [code].", "unsupported_response_type", "unsupported_response_type"],
      ["The client is not authorized to use the provided grant type. Configured grant types: [authorization_code].", "unauthorized_client", "unauthorized_client"],
    ];
    for (const [text, error, id] of cases) {
      const c = namedCause([text], error);
      expect(c?.id, text).toBe(id);
      expect(c?.meaning, text).toBeTruthy();
      expect(c?.fix, text).toBeTruthy();
    }
  });

  it("every cause we explain is one of Okta's codes (or a wording of ours with its own pattern)", () => {
    const known = new Set(OAUTH_ERROR_ROWS.flatMap((r) => [r[0], ...r[4].map((v) => v[0])]));
    const { ids, extra } = curatedCauseIds();
    expect(ids.filter((id) => !known.has(id) && !extra.includes(id))).toEqual([]);
  });

  it("an error's default words name no cause", () => {
    expect(namedCause(["Client authentication failed. Either the client or the client credentials are invalid."], "invalid_client")).toBeNull();
    expect(namedCause(["The client specified not to prompt, but the user is not logged in."], "login_required")).toBeNull();
    expect(namedCause(["Invalid token provided"], "E0000011")).toBeNull();
  });

  it("finds Okta's words on its HTML error page, entities decoded", () => {
    expect(namedCauseInHtml("<html><body><h2>400 Bad Request</h2><p class=\"o-form-explain\">The authorization server id is invalid.</p></body></html>")?.id).toBe("invalid_authorization_server");
    expect(namedCauseInHtml("<p>The &#39;redirect_uri&#39; parameter must be a Login redirect URI in the client app settings.</p>")?.id).toBe("illegal_redirect_uri");
    expect(namedCauseInHtml("<html><body>Sign in to continue</body></html>")).toBeNull();
  });

  it("the sample: /oauth2/default/v1/authorize answering “The authorization server id is invalid.” is an authorize-error that fails the run", async () => {
    const { findings } = await lintFile(join(DIR, "rules/trust-words-okta-words.har"));
    expect(findings.map((f) => [f.ruleId, f.severity, f.messageId])).toEqual([["authorize-error", "error", "named"]]);
    expect(findings[0]!.message).toContain("named the cause: “The authorization server id is invalid.”");
    expect(findings[0]!.message).toContain("need API Access Management");
    expect(findings[0]!.message).not.toContain("PKCE");
    expect(findings[0]!.evidence).toContain("Okta's code for these words: invalid_authorization_server (“Invalid authorization server”)");
  });
});

/**
 * What a symptom may not say beside its cause: the cause knows what the symptom guessed at, or says
 * the opposite. [cause's words, symptom's words, why].
 */
const SYMPTOM_CONTRADICTS: [RegExp, RegExp, string][] = [
  [/./, /cannot tell (?:which cause|an expired session)/, "the cause names what the symptom says cannot be told"],
  [/\bJWT\b|ID token|sessionToken|stateToken|cookieToken/, /an API token in a page|sends the API token eyJ|carries an SSWS API token/, "the cause says the value is no API token"],
  [/set its session cookie|Set-Cookie/, /holds no cookies at all/, "the cause saw Okta set the cookie"],
  [/not allowed there|only takes the browser's Okta session cookie/, /Give that admin a role/, "no role makes a token work on a session-only endpoint"],
  [/send API calls to ([a-z0-9.-]+)/, /must be https:\/\/[a-z0-9-]+-admin\./, "the cause sends the call to the org host"],
  [/Rather than enabling it/, /^(?![\s\S]*(?:Use response_type=code|switch))[\s\S]*enable the grant/, "the cause advises against enabling the grant"],
];

function symptomContradictions(problems: readonly Finding[]): string[] {
  const out: string[] = [];
  for (const p of problems) {
    for (const s of p.symptoms) {
      for (const [cause, symptom, why] of SYMPTOM_CONTRADICTS) {
        if (cause.test(p.message) && symptom.test(s.message)) out.push(`${p.ruleId} > ${s.ruleId} at entry ${s.entry} (${why}): ${s.message}`);
      }
    }
  }
  return out;
}

describe("a symptom's message does not contradict its cause's", () => {
  it.each(files)("%s", async (file) => {
    const { findings } = await lintFile(join(DIR, file));
    expect(symptomContradictions(findings)).toEqual([]);
  });

  it.each(Object.entries(ONE_PROBLEM))("%s", async (_name, { spec }) => {
    expect(symptomContradictions(await lintSpec(spec, RULES))).toEqual([]);
  });

  it("catches what it is for: a quoted API token's rejection does not say the cause cannot be told", async () => {
    const { findings } = await lintFile(join(DIR, "rules/trust-cause-quoted-api-token.har"));
    expect(findings[0]!.symptoms[0]!.message).toMatch(/The header does not carry the bare token \(quoted\)/);
    expect(symptomContradictions([{ ...findings[0]!, symptoms: [{ ...findings[0]!.symptoms[0]!, message: "The capture cannot tell which cause it is." }] }])).toHaveLength(1);
  });

  it("a silent renew whose Okta cookie was set but never sent is not called a capture without cookies", async () => {
    const { findings } = await lintFile(join(DIR, "rules/trust-cause-silent-renew.har"));
    const s = findings[0]!.symptoms.find((x) => x.ruleId === "authorize-error")!;
    expect(s.message).toMatch(/ran in a cross-site iframe of https:\/\/app\.example\.com: the browser most likely blocked Okta's third-party cookie/);
    expect(findings[0]!.message).toContain("(login_required by postMessage)");
  });
});

describe("an OAuth error sent back in a redirect is the outcome a message names, not the 302", () => {
  it("wrong-base-url on the -admin host: failed there with access_denied, not 'it answered (HTTP 302)'", async () => {
    const fs = await lintSpec({
      producer: "proxy",
      start: "2026-11-21T10:00:00.000Z",
      entries: [{
        method: "GET",
        url: "https://acme-admin.okta.com/oauth2/v1/authorize?client_id=0oa1ab2cd3EFGH4ij5d7&response_type=code&scope=openid&state=s1&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb",
        status: 302,
        from: { server: "node" },
        at: 0,
        responseHeaders: { location: "https://app.example.com/cb?error=access_denied&error_description=User+is+not+assigned+to+the+client+application.&state=s1" },
      }],
    }, RULES);
    const f = fs.find((x) => x.ruleId === "wrong-base-url")!;
    expect(f.messageId).toBe("adminHost");
    expect(f.message).toContain("failed there (access_denied in the redirect)");
    expect(f.message).not.toMatch(/HTTP 302|It answered/);
  });
});
