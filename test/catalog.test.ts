import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { authEndpoints, catalogSource, managementOperations } from "../src/okta/data/catalog.js";
import { catalogInfo, classify, operationById, type Classification, type EndpointKind } from "../src/okta/catalog.js";

const OKTA_DIR = fileURLToPath(new URL("../../shared/okta/", import.meta.url));
const haveData = existsSync(`${OKTA_DIR}management-endpoints.tsv`) && existsSync(`${OKTA_DIR}auth-endpoints.tsv`);

/** Minimal TSV reader for the shared tables (one row per line; a field may be "quoted" with "" escapes). */
function readTsv<K extends string>(name: string, columns: readonly K[]): Record<K, string>[] {
  const lines = readFileSync(`${OKTA_DIR}${name}`, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/).filter(Boolean);
  const unquote = (f: string) => (f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f);
  const [header = [], ...rows] = lines.map((l) => l.split("\t").map(unquote));
  for (const c of columns) if (!header.includes(c)) throw new Error(`${name}: no column ${c}`);
  return rows.map((cells) => Object.fromEntries(columns.map((c) => [c, cells[header.indexOf(c)] ?? ""])) as Record<K, string>);
}

const MGMT_COLUMNS = ["method", "path_template", "operationId", "tag", "security_schemes", "oauth_scopes", "lifecycle", "deprecated", "source"] as const;
const AUTH_COLUMNS = ["method", "path_pattern"] as const;

/** A realistic value for each path parameter name found in the tables. */
const PARAM_VALUES: Record<string, string> = {
  userId: "00u1abcdEFGH2345ijk7",
  id: "00u1abcdEFGH2345ijk7",
  userIdOrLogin: "john.doe%40example.com",
  primaryUserId: "00u2bcdeFGHI3456jkl8",
  memberId: "00u3cdefGHIJ4567klm9",
  groupId: "00g1abcdEFGH2345ijk7",
  targetGroupId: "00g2bcdeFGHI3456jkl8",
  groupOrExternalId: "00g3cdefGHIJ4567klm9",
  appId: "0oa1abcdEFGH2345ijk7",
  allowedAppId: "0oa2bcdeFGHI3456jkl8",
  appInstanceId: "0oa3cdefGHIJ4567klm9",
  clientId: "0oa4defgHIJK5678lmn0",
  idpId: "0oa5efghIJKL6789mno1",
  identitySourceId: "0oa6fghiJKLM7890nop2",
  factorId: "ufs1abcdEFGH2345ijk7",
  factorIdOrFactorType: "mfa1abcdEFGH2345ijk7",
  authenticatorId: "aut1abcdEFGH2345ijk7",
  authenticatorEnrollmentId: "pfd1abcdEFGH2345ijk7",
  enrollmentId: "pfd2bcdeFGHI3456jkl8",
  policyId: "00p1abcdEFGH2345ijk7",
  ruleId: "0pr1abcdEFGH2345ijk7",
  groupRuleId: "0pr2bcdeFGHI3456jkl8",
  authServerId: "aus1abcdEFGH2345ijk7",
  authorizationServerId: "aus1abcdEFGH2345ijk7",
  associatedServerId: "aus2bcdeFGHI3456jkl8",
  scopeId: "scp1abcdEFGH2345ijk7",
  claimId: "ocl1abcdEFGH2345ijk7",
  roleAssignmentId: "irb1q92TFAHzySt3x0g4",
  roleIdOrLabel: "cr0Yq6IJxGIr0ouum0g3",
  roleIdOrEncodedRoleId: "cr0Yq6IJxGIr0ouum0g3",
  roleRef: "SUPER_ADMIN",
  resourceSetIdOrLabel: "iamoJDFKaJxGIr0oamd9g",
  resourceId: "ire106sQKoHoXXsAe0g4",
  sessionId: "102W_juydrDRByB7fUdRyE2JQ",
  brandId: "bnd1abcdEFGH2345ijk7",
  themeId: "thd1abcdEFGH2345ijk7",
  domainId: "OcD1abcdEFGH2345ijk7",
  emailDomainId: "OeD1abcdEFGH2345ijk7",
  emailServerId: "ems1abcdEFGH2345ijk7",
  customizationId: "oel1abcdEFGH2345ijk7",
  templateName: "UserActivation",
  templateId: "cstk2flOtuCMDJK4b0g3",
  zoneId: "nzo1abcdEFGH2345ijk7",
  trustedOriginId: "tos1abcdEFGH2345ijk7",
  eventHookId: "who1abcdEFGH2345ijk7",
  inlineHookId: "cal1abcdEFGH2345ijk7",
  logStreamId: "0oa7ghijKLMN8901opq3",
  logStreamType: "aws_eventbridge",
  deviceId: "guo1abcdEFGH2345ijk7",
  deviceAssuranceId: "dae1abcdEFGH2345ijk7",
  deviceIntegrationId: "dvi1abcdEFGH2345ijk7",
  postureCheckId: "dpc1abcdEFGH2345ijk7",
  grantId: "oag1abcdEFGH2345ijk7",
  tokenId: "oar1abcdEFGH2345ijk7",
  apiTokenId: "00T1abcdEFGH2345ijk7",
  apiServiceId: "000lr2rLjZ6NsGn1P0g3",
  keyId: "kid1abcdEFGH2345ijk7",
  kid: "SIMcCQNY3uwXoW3y0vf6VxiBb5n9pf8L2fK8d-F1bm4",
  secretId: "ocs1abcdEFGH2345ijk7",
  csrId: "h9zkutaSe7fZX0SwN1GqDApofgD1OW8g2B5l2azha50",
  idpCsrId: "h9zkutaSe7fZX0SwN1GqDApofgD1OW8g2B5l2azha50",
  poolId: "0oa8hijkLMNO9012pqr4",
  updateId: "Upd1abcdEFGH2345ijk7",
  behaviorId: "abp1abcdEFGH2345ijk7",
  captchaId: "ccp1abcdEFGH2345ijk7",
  mappingId: "prm1abcdEFGH2345ijk7",
  typeId: "oty1abcdEFGH2345ijk7",
  schemaId: "osc1abcdEFGH2345ijk7",
  customTelephonyProviderId: "ctp1abcdEFGH2345ijk7",
  pushProviderId: "ppc1abcdEFGH2345ijk7",
  riskProviderId: "rkp1abcdEFGH2345ijk7",
  securityEventProviderId: "sse1abcdEFGH2345ijk7",
  realmId: "guo2bcdeFGHI3456jkl8",
  assignmentId: "rul1abcdEFGH2345ijk7",
  principalRateLimitId: "0oa9ijklMNOP0123qrs5",
  featureId: "ftr1abcdEFGH2345ijk7",
  featureName: "USER_PROVISIONING",
  lifecycle: "enable",
  bundleId: "enb1abcdEFGH2345ijk7",
  entitlementId: "esp1abcdEFGH2345ijk7",
  submissionId: "acf1abcdEFGH2345ijk7",
  capability: "SSO",
  capabilityType: "provisioning",
  actionsProviderType: "workflows",
  status: "ACTIVE",
  connectionId: "cnt1abcdEFGH2345ijk7",
  containerId: "cnr1abcdEFGH2345ijk7",
  ownerId: "00u4defgHIJK5678lmn0",
  osAccountId: "osa1abcdEFGH2345ijk7",
  memberExternalId: "ext-member-42",
  externalId: "ext-group-42",
  relationshipName: "manager",
  primaryRelationshipName: "manager",
  linkedObjectName: "manager",
  methodType: "push",
  webAuthnMethodType: "webauthn",
  permissionType: "okta.users.read",
  notificationType: "CONNECTOR_AGENT",
  contactType: "BILLING",
  appName: "salesforce",
  section: "GENERAL",
  operation: "read",
  path: "apple-app-site-association",
  domain: "acme.okta.com",
  aaguid: "cb69481e-8ff7-4039-93ec-0a2729a154a8",
  caseNumber: "00123456",
  resultId: "res1abcdEFGH2345ijk7",
  operationId: "op1abcdEFGH2345ijk7",
  transactionId: "txn1abcdEFGH2345ijk7",
  scimResourceId: "scm1abcdEFGH2345ijk7",
  // auth-endpoints.tsv
  linkId: "123",
  factorType: "sms",
};

function fill(template: string): string {
  return template.replace(/\{([^}|]+)\}/g, (_, name: string) => {
    const v = PARAM_VALUES[name];
    if (v === undefined) throw new Error(`no test value for path parameter {${name}} in ${template}`);
    return v;
  });
}

const byKind = (rows: readonly (readonly [string, string])[], kind: EndpointKind) =>
  rows.filter(([m, p]) => classify(m, p).kind === kind).length;

describe.skipIf(!haveData)("management-endpoints.tsv: every operation", () => {
  const rows = haveData ? readTsv("management-endpoints.tsv", MGMT_COLUMNS) : [];

  it("the generated catalog holds the same operations as the TSV, from the same spec commit", () => {
    expect(managementOperations.length).toBe(rows.length);
    expect(rows.length).toBe(809);
    expect(new Set(managementOperations.map((o) => o[2]))).toEqual(new Set(rows.map((r) => r.operationId)));
    const commit = /@([0-9a-f]{40}):/.exec(rows[0]!.source)![1];
    expect(catalogSource.commit).toBe(commit);
    expect(catalogInfo.commit).toBe(commit);
    expect(catalogInfo.specVersion).toBe("2026.06.3");
    expect(catalogInfo.managementOperations).toBe(809);
  });

  it("classifies every row back to its operationId, with no ambiguity", () => {
    const wrong: string[] = [];
    for (const r of rows) {
      const url = fill(r.path_template);
      const c = classify(r.method, url);
      if (c.operationId !== r.operationId) wrong.push(`${r.method} ${url}: got ${c.operationId ?? c.kind}, want ${r.operationId}`);
    }
    // Same method + same template never occurs twice in the spec, so every row must come back exactly.
    expect(wrong).toEqual([]);
  });

  it("classifies every row the same with a full URL, a trailing slash and a query string", () => {
    const wrong: string[] = [];
    for (const r of rows) {
      const url = `https://acme.okta.com:443${fill(r.path_template)}/?limit=20&after=abc#frag`;
      if (classify(r.method, url).operationId !== r.operationId) wrong.push(`${r.method} ${url}`);
      if (classify(r.method, new URL(url)).operationId !== r.operationId) wrong.push(`URL ${r.method} ${url}`);
    }
    expect(wrong).toEqual([]);
  });

  // Secured in the spec, so kind management; auth-endpoints.tsv (rows 5 and 9) says what really authenticates them.
  const END_USER_OVERLAYS: Record<string, readonly string[]> = {
    createSession: ["one-time-token", "ssws"],
    endUserSessions: ["session-cookie", "bearer-org-as"],
  };

  it("apiToken/oauth2 rows are management with the spec's credentials and scopes, server side", () => {
    const secured = rows.filter((r) => /apiToken|oauth2/.test(r.security_schemes));
    expect(secured.length).toBe(795);
    for (const r of secured) {
      const c = classify(r.method, fill(r.path_template));
      const scopes = r.oauth_scopes.split(/\s+/).filter(Boolean);
      expect(c.scopes, r.operationId).toEqual(scopes);
      const overlay = END_USER_OVERLAYS[r.operationId];
      if (overlay) {
        expect(c.kind, r.operationId).toBe("management");
        expect(c.accepts, r.operationId).toEqual(overlay);
        expect(c.browser, r.operationId).toBe("yes");
        continue;
      }
      const accepts: string[] = [];
      if (r.security_schemes.includes("apiToken")) accepts.push("ssws");
      if (r.security_schemes.includes("oauth2")) accepts.push("bearer-org-as");
      expect(c, r.operationId).toMatchObject({
        kind: "management",
        family: r.tag,
        pathTemplate: r.path_template,
        accepts,
        browser: "no",
      });
      expect(c.browserCredentials, r.operationId).toEqual(accepts.includes("bearer-org-as") ? ["bearer-org-as"] : undefined);
      expect(c.lifecycle, r.operationId).toBe(r.lifecycle || undefined);
      expect(c.deprecated, r.operationId).toBe(r.deprecated === "true" ? true : undefined);
    }
  });

  it("rows without apiToken/oauth2 get the kind decided for them", () => {
    const expected: Record<string, [EndpointKind, string[], Classification["browser"]]> = {
      getWellKnownAppAuthenticatorConfiguration: ["discovery", ["none"], "yes"],
      getAppleAppSiteAssociationWellKnownURI: ["discovery", ["none"], "yes"],
      getAssetLinksWellKnownURI: ["discovery", ["none"], "yes"],
      getWellknownOrgMetadata: ["discovery", ["none"], "yes"],
      getWellknownSsfMetadata: ["discovery", ["none"], "yes"],
      getWebAuthnWellKnownURI: ["discovery", ["none"], "yes"],
      getCurrentSession: ["end-user", ["session-cookie"], "yes"],
      closeCurrentSession: ["end-user", ["session-cookie"], "yes"],
      refreshCurrentSession: ["end-user", ["session-cookie"], "yes"],
      refreshDbscCookie: ["end-user", ["session-cookie"], "yes"],
      startDbscRegistration: ["end-user", ["session-cookie"], "yes"],
      publishSecurityEventTokens: ["management", ["none"], "no"],
      getIsvAppMetrics: ["management", ["session-cookie"], "yes"],
      fake: ["management", ["session-cookie"], "yes"],
    };
    const others = rows.filter((r) => !/apiToken|oauth2/.test(r.security_schemes));
    expect(others.map((r) => r.operationId).sort()).toEqual(Object.keys(expected).sort());
    for (const r of others) {
      const c = classify(r.method, fill(r.path_template));
      const [kind, accepts, browser] = expected[r.operationId]!;
      expect({ kind: c.kind, accepts: c.accepts, browser: c.browser, op: c.operationId }).toEqual({
        kind,
        accepts,
        browser,
        op: r.operationId,
      });
    }
  });
});

describe.skipIf(!haveData)("auth-endpoints.tsv: every path", () => {
  const rows = haveData ? readTsv("auth-endpoints.tsv", AUTH_COLUMNS) : [];
  // Expected kind per data row (1-based), written from the row's description.
  const ROW_KIND: EndpointKind[] = [
    "end-user", // 1 authn
    "end-user", // 2 authn factors
    "end-user", // 3 authn credentials / previous / skip / cancel
    "end-user", // 4 authn recovery
    "management", // 5 POST /api/v1/sessions (the spec secures it with apiToken)
    "end-user", // 6 sessions/me
    "management", // 7 sessions/{id}
    "end-user", // 8 users/me
    "management", // 9 users/me/lifecycle/delete_sessions (secured in the spec; the cookie is what works)
    "end-user", // 10 sessionCookieRedirect
    "oauth", // 11 authorize with sessionToken
    "end-user", // 12 app embed links / SAML / WS-Fed
    "discovery", // 13
    "discovery", // 14
    "oauth", // 15 authorize
    "oauth", // 16 token
    "oauth", // 17 userinfo
    "oauth", // 18 introspect / revoke
    "oauth", // 19 keys
    "oauth", // 20 logout
    "oauth", // 21 device / par / ciba / direct auth
    "oauth", // 22 custom AS
    "idx", // 23 interact
    "idx", // 24 idx remediation
    "oauth", // 25 interaction_code at /token
    "end-user", // 26 /login/token/redirect
    "myaccount", // 27
    "myaccount", // 28 v1
    "end-user", // 29 registration
    "end-user", // 30 /sso/idps
    "discovery", // 31 webfinger
    "management", // 32 DPoP
    "management", // 33 /api/v1/**
    "management", // 34 DCR
    "management", // 35 global token revocation
  ];
  const ROOTS = /^\/(api|oauth2|\.well-known|idp|login|home|app|sso)\//;
  const METHOD = /(?:^|\s)((?:GET|POST|PUT|PATCH|DELETE)(?:\|(?:GET|POST|PUT|PATCH|DELETE))*)\s+$/;

  /** Paths (with the methods they are listed under) out of a row's prose path column. */
  function pathsOf(row: Record<(typeof AUTH_COLUMNS)[number], string>): [string[], string][] {
    const rowMethods = row.method.split("|").map((m) => m.trim());
    const defaultMethods = rowMethods[0] === "ANY" ? ["GET", "POST", "PUT", "DELETE"] : rowMethods;
    const text = row.path_pattern;
    const out: [string[], string][] = [];
    for (const m of text.matchAll(/\/(?:[^\s;(),{}?]|\{[^}]*\})+/g)) {
      let path = m[0];
      if (!ROOTS.test(path)) continue; // "/verify/resend" and similar fragments
      const embedded = METHOD.exec(text.slice(0, m.index))?.[1]?.split("|");
      path = path
        .replace(/^\/api\/v1\/\*\*$/, "/api/v1/users")
        .replace(/\/\*\*$/, "/profile")
        .replace(/\/\.\.\.$/, "/token");
      // {a|b|c} alternatives expand to one path each
      const alt = /\{([^}]*\|[^}]*)\}/.exec(path);
      const variants = alt ? alt[1]!.split("|").map((a) => path.replace(alt[0], a)) : [path];
      for (const v of variants) out.push([embedded ?? defaultMethods, fill(v)]);
    }
    return out;
  }

  it("has the 35 rows the catalog was curated from", () => {
    expect(rows.length).toBe(35);
    expect(ROW_KIND.length).toBe(35);
  });

  it("classifies every path of every row to the row's kind", () => {
    const wrong: string[] = [];
    let count = 0;
    rows.forEach((row, i) => {
      const paths = pathsOf(row);
      expect(paths.length, `row ${i + 1}`).toBeGreaterThan(0);
      for (const [methods, path] of paths) {
        count++;
        // A row may list several methods for several paths; at least one must match exactly.
        const results = methods.map((m) => classify(m, `${path}?x=1`));
        const exact = results.filter((c) => !c.allowedMethods);
        if (exact.length === 0) wrong.push(`row ${i + 1}: ${methods.join("|")} ${path} matched the path only`);
        for (const c of results) {
          if (c.kind !== ROW_KIND[i]) wrong.push(`row ${i + 1}: ${methods.join("|")} ${path} → ${c.kind}`);
        }
      }
    });
    expect(wrong).toEqual([]);
    expect(count).toBeGreaterThan(80);
  });

  it("every curated auth endpoint is reachable and answers what the catalog says", () => {
    for (const def of authEndpoints) {
      const path = fill(def.path.replace(/\/\*\*$/, "/anything/below"));
      for (const method of def.methods) {
        const c = classify(method === "*" ? "PATCH" : method, path);
        expect(c, `${method} ${def.path}`).toMatchObject({
          kind: def.kind,
          family: def.family,
          operationId: def.operationId,
          pathTemplate: def.path,
          accepts: def.accepts,
          browser: def.browser,
        });
      }
    }
  });
});

describe("classify: targeted cases", () => {
  it("/api/v1/users/me is the current-user endpoint, not /api/v1/users/{id}", () => {
    expect(classify("GET", "/api/v1/users/me")).toEqual({
      kind: "end-user",
      family: "users/me",
      operationId: "users.me",
      pathTemplate: "/api/v1/users/me",
      accepts: ["session-cookie", "ssws", "bearer-org-as"],
      scopes: ["okta.users.read.self", "okta.users.read"],
      browser: "yes",
      summary: "Current user (of the session cookie, the API token or the access token)",
    });
    expect(classify("GET", "/api/v1/users/00u1abcdEFGH2345ijk7")).toEqual({
      kind: "management",
      family: "User",
      operationId: "getUser",
      pathTemplate: "/api/v1/users/{id}",
      accepts: ["ssws", "bearer-org-as"],
      scopes: ["okta.users.read"],
      browser: "no",
      browserCredentials: ["bearer-org-as"],
      summary: "Retrieve a user",
      lifecycle: "GA",
    });
    // Other methods on "me" are the {id} operations with id=me.
    expect(classify("POST", "/api/v1/users/me").operationId).toBe("updateUser");
    expect(classify("GET", "/api/v1/users/me/groups").operationId).toBe("listUserGroups");
    expect(classify("POST", "/api/v1/users/me/lifecycle/delete_sessions")).toMatchObject({
      kind: "management",
      operationId: "endUserSessions",
    });
    // Literal segments are case-sensitive: "ME" is an id.
    expect(classify("GET", "/api/v1/users/ME").operationId).toBe("getUser");
    expect(classify("GET", "/API/v1/users").kind).toBe("unknown");
  });

  it("OAuth: org AS, custom AS (default is a custom AS), discovery, nonsense", () => {
    expect(classify("POST", "/oauth2/v1/token")).toMatchObject({
      kind: "oauth",
      family: "OAuth (org AS)",
      operationId: "oauth.token",
      authorizationServer: { type: "org" },
      accepts: ["client-auth", "none"],
    });
    expect(classify("POST", "/oauth2/default/v1/token")).toMatchObject({
      kind: "oauth",
      family: "OAuth (custom AS)",
      operationId: "oauth.token",
      pathTemplate: "/oauth2/{authorizationServerId}/v1/token",
      authorizationServer: { type: "custom", id: "default" },
    });
    expect(classify("GET", "/oauth2/aus1abcdEFGH2345ijk7/v1/userinfo")).toMatchObject({
      operationId: "oauth.userinfo",
      accepts: ["bearer-custom-as"],
      authorizationServer: { type: "custom", id: "aus1abcdEFGH2345ijk7" },
    });
    expect(classify("GET", "/oauth2/v1/userinfo").accepts).toEqual(["bearer-org-as"]);
    expect(classify("GET", "/oauth2/aus1/.well-known/openid-configuration")).toMatchObject({
      kind: "discovery",
      operationId: "discovery.openidConfiguration",
      authorizationServer: { type: "custom", id: "aus1" },
    });
    expect(classify("GET", "/.well-known/oauth-authorization-server/oauth2/default")).toMatchObject({
      kind: "discovery",
      authorizationServer: { type: "custom", id: "default" },
    });
    expect(classify("GET", "/.well-known/openid-configuration")).toMatchObject({
      kind: "discovery",
      authorizationServer: { type: "org" },
    });
    expect(classify("GET", "/oauth2/default/api/v1/users")).toEqual({
      kind: "unknown",
      family: "unknown",
      accepts: [],
      scopes: [],
      browser: "yes",
    });
    expect(classify("GET", "/oauth2/default/.well-known/jwks-extra")).toMatchObject({ kind: "discovery" });
    // "v1" is never read as a custom AS id
    const v1 = classify("GET", "/oauth2/v1/.well-known/openid-configuration");
    expect(v1).toMatchObject({ kind: "oauth", authorizationServer: { type: "org" }, accepts: [], pathTemplate: "/oauth2/v1/**" });
    expect(v1.operationId).toBeUndefined();
    expect(classify("POST", "/oauth2/default/v1/not-a-thing")).toMatchObject({
      kind: "oauth",
      family: "OAuth (custom AS)",
      accepts: [],
      authorizationServer: { type: "custom", id: "default" },
    });
    expect(classify("POST", "/oauth2/default/v1/not-a-thing").operationId).toBeUndefined();
    // Management operations under /oauth2/v1 stay management.
    expect(classify("GET", "/oauth2/v1/clients/0oa1abcdEFGH2345ijk7")).toMatchObject({ kind: "management", operationId: "getClient" });
    expect(classify("POST", "/oauth2/v1/interact")).toMatchObject({ kind: "idx", operationId: "idx.interact" });
    expect(classify("POST", "/oauth2/default/v1/interact")).toMatchObject({
      kind: "idx",
      authorizationServer: { type: "custom", id: "default" },
    });
  });

  it("percent-encoded ids and AS ids are decoded", () => {
    expect(classify("GET", "/api/v1/users/john.doe%40example.com").operationId).toBe("getUser");
    expect(classify("GET", "/api/v1/users/a%2Fb").operationId).toBe("getUser");
    expect(classify("GET", "/oauth2/my%20as/v1/keys").authorizationServer).toEqual({ type: "custom", id: "my as" });
    expect(classify("GET", "/api/v1/users/%E0%A4%A").operationId).toBe("getUser"); // malformed escape kept raw
  });

  it("query strings, fragments, trailing and doubled slashes, full URLs with host and port", () => {
    const want = "listGroups";
    for (const u of [
      "/api/v1/groups?q=eng&limit=10",
      "/api/v1/groups/",
      "/api/v1/groups//",
      "//api/v1//groups",
      "/api/v1/groups#x",
      "https://acme.okta.com/api/v1/groups",
      "https://acme.okta.com:8443/api/v1/groups/?limit=1",
      "http://127.0.0.1:3000/api/v1/groups",
      "api/v1/groups",
    ]) {
      expect(classify("GET", u).operationId, u).toBe(want);
    }
    expect(classify("get", "/api/v1/groups").operationId).toBe(want);
    expect(classify("GET", new URL("https://acme-admin.okta.com:443/api/v1/groups?x=/api/v1/users")).operationId).toBe(want);
    expect(classify("GET", "https://acme.okta.com?x=/api/v1/groups").kind).toBe("unknown");
    expect(classify("GET", "https://acme.okta.com").kind).toBe("unknown");
  });

  it("HEAD falls back to GET; other methods keep the path's kind with allowedMethods", () => {
    expect(classify("HEAD", "/api/v1/groups").operationId).toBe("listGroups");
    const pre = classify("OPTIONS", "/api/v1/users");
    expect(pre).toMatchObject({ kind: "management", family: "User", pathTemplate: "/api/v1/users", allowedMethods: ["GET", "POST"] });
    expect(pre.operationId).toBeUndefined();
    const wrong = classify("GET", "/oauth2/v1/token");
    expect(wrong).toMatchObject({ kind: "oauth", pathTemplate: "/oauth2/v1/token", allowedMethods: ["POST"] });
    expect(classify("PATCH", "/oauth2/v1/clients/0oa1abcdEFGH2345ijk7")).toMatchObject({
      kind: "management",
      allowedMethods: ["DELETE", "GET", "PUT"],
    });
    expect(classify("OPTIONS", "/api/v1/sessions/me")).toMatchObject({ kind: "end-user", allowedMethods: ["DELETE", "GET"] });
  });

  it("end-user endpoints: authn, sessions, cookie bootstrap", () => {
    expect(classify("POST", "/api/v1/authn")).toMatchObject({
      kind: "end-user",
      family: "authn",
      operationId: "authn.primary",
      accepts: ["none", "ssws"],
      browser: "yes",
    });
    expect(classify("POST", "/api/v1/authn/factors/ufs1abcdEFGH2345ijk7/verify")).toMatchObject({
      operationId: "authn.factors.verify",
      accepts: ["one-time-token", "ssws"],
    });
    expect(classify("POST", "/api/v1/authn/factors/ufs1/lifecycle/activate/poll")).toMatchObject({
      kind: "end-user",
      family: "authn",
      pathTemplate: "/api/v1/authn/**",
    });
    expect(classify("POST", "/api/v1/sessions?additionalFields=cookieToken")).toMatchObject({
      kind: "management",
      operationId: "createSession",
      accepts: ["one-time-token", "ssws"],
    });
    expect(classify("GET", "/api/v1/sessions/me")).toMatchObject({ kind: "end-user", operationId: "getCurrentSession", accepts: ["session-cookie"] });
    expect(classify("GET", "/api/v1/sessions/102W_juydrDRByB7fUdRyE2JQ")).toMatchObject({
      kind: "management",
      operationId: "getSession",
      scopes: ["okta.sessions.read"],
    });
    expect(classify("GET", "/login/sessionCookieRedirect?token=20111abc&redirectUrl=https%3A%2F%2Fapp")).toMatchObject({
      kind: "end-user",
      browser: "navigation",
      accepts: ["one-time-token"],
    });
    expect(classify("GET", "/login/token/redirect?stateToken=02.id.abc")).toMatchObject({ kind: "end-user", browser: "navigation" });
    expect(classify("GET", "/oauth2/v1/authorize?client_id=x&sessionToken=y")).toMatchObject({ browser: "navigation" });
  });

  it("idx and myaccount", () => {
    expect(classify("POST", "/idp/idx/identify")).toMatchObject({ kind: "idx", family: "Identity Engine (IDX)", operationId: "idx.identify" });
    expect(classify("POST", "/idp/idx/authenticators/poll")).toMatchObject({ kind: "idx", operationId: "idx.remediation" });
    for (const [m, p] of [
      ["GET", "/idp/myaccount"],
      ["GET", "/idp/myaccount/profile"],
      ["PUT", "/idp/myaccount/emails/abc/challenge"],
      ["DELETE", "/idp/myaccount/phones/pho1"],
    ] as const) {
      expect(classify(m, p), `${m} ${p}`).toMatchObject({
        kind: "myaccount",
        family: "MyAccount",
        accepts: ["bearer-org-as", "bearer-custom-as"],
        browser: "yes",
      });
    }
    expect(classify("GET", "/api/v1/myaccount/profile")).toMatchObject({ kind: "myaccount", deprecated: true });
  });

  it("static assets and the CDN", () => {
    for (const u of [
      "/assets/js/sdk/okta-signin-widget/7.0.0/js/okta-sign-in.min.js",
      "/assets/img/logo.png",
      "/favicon.ico",
      "/app/styles/main.CSS",
      "/fonts/montserrat.woff2",
      "https://ok12static.oktacdn.com/fs/bco/1/fs0abc",
      "https://global.oktacdn.com/okta-signin-widget/7.0.0/js/okta-sign-in.min.js?v=1",
    ]) {
      expect(classify("GET", u), u).toEqual({ kind: "static", family: "static", accepts: ["none"], scopes: [], browser: "yes" });
    }
    expect(classify("GET", new URL("https://ok1static.oktacdn.com/x")).kind).toBe("static");
    // Catalogued paths win over an extension-looking last segment.
    expect(classify("GET", "/api/v1/users/jane.js").operationId).toBe("getUser");
    expect(classify("GET", "/.well-known/assetlinks.json").kind).toBe("discovery");
    expect(classify("GET", "/signin/verify/okta/push").kind).toBe("unknown");
    expect(classify("GET", "/").kind).toBe("unknown");
  });

  it("returned classifications are frozen", () => {
    const c = classify("GET", "/api/v1/groups");
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.accepts)).toBe(true);
  });

  it("operationById and catalogInfo", () => {
    expect(operationById("getUser")).toMatchObject({
      method: "GET",
      pathTemplate: "/api/v1/users/{id}",
      source: "management",
      spec: "management",
      tag: "User",
    });
    expect(operationById("createSession")).toMatchObject({ source: "management", spec: "management-dev", classification: { kind: "management" } });
    expect(operationById("oauth.token")).toMatchObject({ pathTemplate: "/oauth2/v1/token", source: "auth", authRow: 16 });
    expect(operationById("updateOktaSupportCase")?.adminRoles).toEqual(["SUPER_ADMIN"]);
    expect(operationById("nope")).toBeUndefined();
    expect(catalogInfo.authEndpoints).toBe(authEndpoints.length);
    expect(catalogInfo.specs["management-dev"].version).toBe("2026.03.0");
  });
});

describe("classify speed", () => {
  it("classifies a realistic mix quickly", () => {
    const mix: [string, string][] = [
      ["GET", "https://acme.okta.com/api/v1/users/00u1abcdEFGH2345ijk7"],
      ["GET", "https://acme.okta.com/api/v1/users?search=profile.email%20eq%20%22a%40b.c%22&limit=200"],
      ["POST", "https://acme.okta.com/api/v1/authn"],
      ["POST", "https://acme.okta.com/api/v1/sessions?additionalFields=cookieToken"],
      ["GET", "https://acme.okta.com/api/v1/users/me"],
      ["GET", "https://acme.okta.com/oauth2/default/v1/authorize?client_id=0oa&response_type=code&scope=openid"],
      ["POST", "https://acme.okta.com/oauth2/default/v1/token"],
      ["POST", "https://acme.okta.com/oauth2/v1/token"],
      ["GET", "https://acme.okta.com/oauth2/default/.well-known/openid-configuration"],
      ["POST", "https://acme.okta.com/idp/idx/introspect"],
      ["POST", "https://acme.okta.com/idp/idx/challenge/answer"],
      ["GET", "https://acme.okta.com/api/v1/groups/00g1abcdEFGH2345ijk7/users?limit=200"],
      ["GET", "https://acme.okta.com/api/v1/apps/0oa1abcdEFGH2345ijk7/users/00u1abcdEFGH2345ijk7"],
      ["PUT", "https://acme.okta.com/api/v1/iam/resource-sets/iam1/bindings/cr0x/members"],
      ["GET", "https://ok12static.oktacdn.com/assets/js/okta-sign-in.min.js"],
      ["GET", "https://acme.okta.com/assets/img/logo.png"],
      ["GET", "https://acme.okta.com/signin/refresh-auth-state/00abc"],
      ["GET", "/idp/myaccount/profile"],
      ["OPTIONS", "https://acme.okta.com/api/v1/users/me"],
      ["DELETE", "https://acme.okta.com/api/v1/sessions/me"],
    ];
    for (const [m, u] of mix) classify(m, u); // warm-up
    const rounds = 20_000;
    const t0 = performance.now();
    let sink = 0;
    for (let r = 0; r < rounds; r++) {
      for (const [m, u] of mix) sink += classify(m, u).accepts.length;
    }
    const ms = performance.now() - t0;
    const perSecond = Math.round((rounds * mix.length) / (ms / 1000));
    console.log(`classify: ${perSecond.toLocaleString("en-US")} calls/s (${rounds * mix.length} calls in ${ms.toFixed(0)} ms)`);
    expect(sink).toBeGreaterThan(0);
    expect(byKind(mix, "unknown")).toBe(1);
    expect(perSecond).toBeGreaterThan(100_000); // ~100x below what it does; a guard against accidental O(n) scans
  });
});
