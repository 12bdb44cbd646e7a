import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CURATED_CODES, explainCode, knownCodes } from "../src/okta/explain.js";
import { OAUTH_ERROR_ROWS, OKTA_ERROR_ROWS } from "../src/okta/data/errors.js";

const factsDir = fileURLToPath(new URL("../../shared/okta/", import.meta.url));
const haveFacts = existsSync(`${factsDir}error-codes.tsv`) && existsSync(`${factsDir}oauth-error-codes.tsv`);

function tsvColumn(file: string, col: number): string[] {
  return readFileSync(`${factsDir}${file}`, "utf8")
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== "")
    .map((l) => l.split("\t")[col] ?? "");
}

describe("explainCode: Okta E codes", () => {
  it("explains E0000011 with Okta's text and our guidance", () => {
    const e = explainCode("E0000011");
    expect(e).toMatchObject({
      code: "E0000011",
      kind: "okta",
      httpStatus: 401,
      title: "Invalid token exception",
      oktaSummary: "Invalid token provided",
      curated: true,
      meaning: "Okta rejected the token in the Authorization header (or the stateToken in the body) as not valid for this org.",
    });
    expect(e?.oktaSource).toContain("error-codes.json");
    expect(e?.docs).toEqual([
      "https://developer.okta.com/docs/reference/error-codes/#E0000011",
      "https://developer.okta.com/docs/guides/create-an-api-token/main/",
      "https://support.okta.com/help/s/article/HTTP-401-Okta-E0000011-Invalid-Token-provided-error",
      "https://developer.okta.com/docs/reference/api/authn/#state-token",
      "https://github.com/okta/okta-sdk-nodejs/issues/427",
    ]);
    expect(e?.causes[1]).toBe(
      "An OAuth access token (a JWT) sent with the `SSWS` scheme instead of `Bearer`; some SDKs do this when given an access token as their API token.",
    );
  });

  it("is case-insensitive and accepts the bare number", () => {
    const canonical = explainCode("E0000011");
    expect(explainCode("e0000011")).toEqual(canonical);
    expect(explainCode("  E0000011 ")).toEqual(canonical);
    expect(explainCode("0000011")).toEqual(canonical);
  });

  it("explains other frequent codes exactly", () => {
    expect(explainCode("E0000047")).toMatchObject({
      httpStatus: 429,
      title: "Too many requests exception",
      oktaSummary: "API call exceeded rate limit due to too many requests.",
      curated: true,
    });
    expect(explainCode("E0000047")?.check[0]).toBe(
      "Read X-Rate-Limit-Limit, X-Rate-Limit-Remaining and X-Rate-Limit-Reset (UTC epoch seconds) on this and earlier responses.",
    );
    expect(explainCode("E0000005")).toMatchObject({ httpStatus: 403, title: "Invalid session exception", oktaSummary: "Invalid session" });
    expect(explainCode("E0000007")?.oktaSummary).toBe("Not found: {0}");
    expect(explainCode("E0000022")?.oktaDescription).toMatch(/^The endpoint does not support the provided HTTP method\. This is a general error/);
    expect(explainCode("E0000079")?.docs[0]).toBe("https://developer.okta.com/docs/reference/error-codes/#E0000079");
  });

  it("derives an explanation for codes without a hand-written one", () => {
    const e = explainCode("E0000049");
    expect(e).toEqual({
      code: "E0000049",
      kind: "okta",
      httpStatus: 500,
      title: "OPP invalid SCIM data from SCIM implementation exception",
      oktaSummary: "Invalid SCIM data from SCIM implementation.",
      oktaSource: expect.stringContaining("error-codes.json"),
      meaning:
        "Okta or a system it depends on failed while handling the request. Okta calls this “OPP invalid SCIM data from SCIM implementation exception”.",
      causes: ["A failure on Okta's side or in a connected system (inline hook, agent, telephony or SCIM provider)."],
      check: ["Retry with backoff; if it persists, give Okta Support the errorId and the X-Okta-Request-Id header."],
      docs: ["https://developer.okta.com/docs/reference/error-codes/#E0000049"],
      curated: false,
    });
  });

  it("returns null for unknown codes", () => {
    expect(explainCode("E9999999")).toBeNull();
    expect(explainCode("E0000106")).toBeNull(); // a gap in Okta's numbering
    expect(explainCode("E000011")).toBeNull();
    expect(explainCode("nonsense")).toBeNull();
    expect(explainCode("")).toBeNull();
    expect(explainCode("toString")).toBeNull();
  });
});

describe("explainCode: OAuth errors", () => {
  it("explains invalid_client with Okta's internal codes", () => {
    const e = explainCode("invalid_client");
    expect(e).toMatchObject({
      code: "invalid_client",
      kind: "oauth",
      httpStatus: 401,
      title: "Invalid client",
      oktaSummary: "Client authentication failed. Either the client or the client credentials are invalid.",
      curated: true,
    });
    expect(e?.variants).toContainEqual({
      code: "unsupported_auth_method_browser_request",
      httpStatus: 401,
      title: "Unsupported auth method browser request",
      description: "Browser requests to the token endpoint must use Proof Key for Code Exchange.",
    });
    expect(e?.docs).toContain("https://www.rfc-editor.org/rfc/rfc6749#section-5.2");
    expect(explainCode("INVALID_CLIENT")).toEqual(e);
  });

  it("explains insufficient_scope, login_required and use_dpop_nonce", () => {
    expect(explainCode("insufficient_scope")).toMatchObject({ httpStatus: 403, oktaSummary: "Insufficient scope", curated: true });
    expect(explainCode("insufficient_scope")?.check[0]).toBe(
      "Read the WWW-Authenticate header: its `scope` parameter names the scope required and `resource` the path.",
    );
    expect(explainCode("login_required")).toMatchObject({
      httpStatus: 400,
      oktaSummary: "The client specified not to prompt, but the user is not logged in.",
    });
    expect(explainCode("use_dpop_nonce")).toMatchObject({
      httpStatus: 400,
      title: "Use dpop nonce",
      oktaSummary: "Authorization server requires nonce in DPoP proof.",
      docs: ["https://developer.okta.com/docs/guides/dpop/main/", "https://www.rfc-editor.org/rfc/rfc9449#section-8", "https://developer.okta.com/docs/reference/error-codes/#example-errors-for-openid-connect-and-social-login"],
    });
  });

  it("explains Okta's internal codes through their OAuth error", () => {
    const e = explainCode("invalid_dpop_proof_invalid_htu");
    expect(e).toMatchObject({
      code: "invalid_dpop_proof_invalid_htu",
      kind: "oauth",
      oauthError: "invalid_dpop_proof",
      httpStatus: 400,
      title: "Invalid dpop proof invalid htu",
      oktaSummary: "'htu' claim in the DPoP proof JWT is invalid.",
      curated: true,
    });
    expect(e?.meaning.startsWith("Okta's internal code `invalid_dpop_proof_invalid_htu`, returned as `error=invalid_dpop_proof`.")).toBe(true);
    expect(e?.causes[0]).toBe("Okta's description of this case: 'htu' claim in the DPoP proof JWT is invalid.");
    expect(explainCode("access_token_not_dpop_bound")).toMatchObject({ oauthError: "invalid_token", httpStatus: 401 });
    expect(explainCode("dpop_authentication_scheme_required")).toMatchObject({ oauthError: "invalid_request" });
    // `{0}` placeholders restored where Okta's data had the stray word "en".
    expect(explainCode("consent_required")?.oktaSummary).toBe("The following scopes require user consent: [{0}].");
  });

  it("every hand-written explanation belongs to a documented code", () => {
    for (const code of CURATED_CODES) {
      const e = explainCode(code);
      expect(e, code).not.toBeNull();
      expect(e?.curated, code).toBe(true);
      expect(e?.code).toBe(code);
    }
    expect(CURATED_CODES.filter((c) => c.startsWith("E")).length).toBeGreaterThanOrEqual(20);
  });
});

describe("every code in the data explains to non-empty fields", () => {
  const check = (code: string) => {
    const e = explainCode(code);
    expect(e, code).not.toBeNull();
    for (const f of ["code", "title", "oktaSummary", "meaning", "oktaSource"] as const) expect(e?.[f], `${code}.${f}`).not.toBe("");
    expect(e?.httpStatus, code).toBeGreaterThan(0);
    expect(e?.causes.length, code).toBeGreaterThan(0);
    expect(e?.check.length, code).toBeGreaterThan(0);
    expect(e?.docs.length, code).toBeGreaterThan(0);
    for (const d of e?.docs ?? []) expect(d, code).toMatch(/^https:\/\//);
  };

  it("all E codes, OAuth errors and internal codes", () => {
    const known = knownCodes();
    expect(known.okta.length).toBe(OKTA_ERROR_ROWS.length);
    expect(known.oauth.length).toBe(OAUTH_ERROR_ROWS.length);
    for (const c of [...known.okta, ...known.oauth, ...known.internal]) check(c);
  });

  it.skipIf(!haveFacts)("matches the sourced TSVs (generated data is in sync)", () => {
    const tsvCodes = tsvColumn("error-codes.tsv", 0);
    expect(tsvCodes.length).toBe(251);
    expect(knownCodes().okta).toEqual(tsvCodes);
    for (const c of tsvCodes) check(c);
    const oauthErrors = new Set(tsvColumn("oauth-error-codes.tsv", 0));
    const internal = new Set(tsvColumn("oauth-error-codes.tsv", 3));
    expect(new Set(knownCodes().oauth)).toEqual(oauthErrors);
    for (const c of internal) {
      const e = explainCode(c);
      expect(e, c).not.toBeNull();
    }
  });
});

describe("explainCode: internal codes whose words name a cause (issue 11, class 5)", () => {
  it("explains invalid_authorization_server in our words, with the fix", () => {
    const e = explainCode("invalid_authorization_server");
    expect(e).toMatchObject({ code: "invalid_authorization_server", oauthError: "invalid_request", oktaSummary: "The authorization server id is invalid.", curated: true });
    expect(e?.meaning).toContain("need API Access Management");
    expect(e?.check).toEqual([expect.stringContaining("the org authorization server: issuer https://{yourOrg}.okta.com")]);
    expect(e?.causes.join(" ")).not.toContain("Missing PKCE");
  });
});
