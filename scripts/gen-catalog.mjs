#!/usr/bin/env node
// Generates src/okta/data/catalog.ts from the sourced Okta endpoint tables.
//
//   node scripts/gen-catalog.mjs [DIR]      (DIR defaults to ../shared/okta relative to the repo root)
//
// Inputs:
//   DIR/management-endpoints.tsv  one row per operation of the Okta Management OpenAPI spec
//   DIR/auth-endpoints.tsv        35 hand-researched rows about end-user / OAuth / IDX / MyAccount
//                                 endpoints. Their path and credential columns are prose, so the
//                                 endpoints of each row are curated below (AUTH_ROWS) and checked
//                                 against the row text, so that a changed TSV fails loudly here
//                                 instead of silently producing a wrong catalog.
//
// Plain Node ESM, no dependencies.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve, relative } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = resolve(repoRoot, process.argv[2] ?? "../shared/okta");
const outFile = resolve(repoRoot, "src/okta/data/catalog.ts");

// ---------------------------------------------------------------------------------------------
// TSV reading (tab separated; a field may be wrapped in double quotes with "" as an escaped quote)

function parseTsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [];
  let i = 0;
  const n = text.length;
  while (i <= n) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) throw new Error("unterminated quoted field");
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
      // anything between the closing quote and the separator is kept verbatim
      while (i < n && text[i] !== "\t" && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
    } else {
      while (i < n && text[i] !== "\t" && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
    }
    row.push(field);
    if (i >= n) {
      if (row.length > 1 || row[0] !== "") rows.push(row);
      break;
    }
    if (text[i] === "\t") {
      i++;
      continue;
    }
    if (text[i] === "\r") i++;
    if (text[i] === "\n") i++;
    if (row.length > 1 || row[0] !== "") rows.push(row);
    row = [];
    if (i >= n) break;
  }
  const [header, ...body] = rows;
  if (!header) throw new Error("empty TSV");
  return body.map((cells, idx) => {
    if (cells.length !== header.length) {
      throw new Error(`row ${idx + 2}: ${cells.length} fields, header has ${header.length}`);
    }
    return Object.fromEntries(header.map((h, j) => [h, cells[j]]));
  });
}

function readTsv(name) {
  const file = resolve(srcDir, name);
  try {
    return parseTsv(readFileSync(file, "utf8"));
  } catch (err) {
    console.error(`gen-catalog: cannot read ${file}: ${err.message}`);
    process.exit(2);
  }
}

const fail = (msg) => {
  console.error(`gen-catalog: ${msg}`);
  process.exit(1);
};

// ---------------------------------------------------------------------------------------------
// Management spec

const SPEC_CODES = {
  management: "management",
  "management-dev(only)": "management-dev",
  "oauth(management-style ops)": "oauth",
};
const SECURITY = {
  "apiToken | oauth2": "apiToken oauth2",
  apiToken: "apiToken",
  oauth2: "oauth2",
  "none(security: [])": "none",
  SID: "sid",
};
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

function shortSummary(s) {
  const t = s.replace(/\s+/g, " ").trim();
  if (t.length <= 72) return t;
  const cut = t.slice(0, 71);
  const sp = cut.lastIndexOf(" ");
  return (sp > 40 ? cut.slice(0, sp) : cut).replace(/[ ,;:]+$/, "") + "…";
}

const mgmtRows = readTsv("management-endpoints.tsv");
const specFiles = new Map(); // spec code -> { file, version }
let sourceRepo;
let sourceCommit;
const seenOps = new Set();
const seenRoutes = new Set();
const mgmt = mgmtRows.map((r, idx) => {
  const where = `management-endpoints.tsv row ${idx + 2}`;
  if (!METHODS.has(r.method)) fail(`${where}: unknown method ${r.method}`);
  if (!r.path_template.startsWith("/")) fail(`${where}: path ${r.path_template}`);
  const spec = SPEC_CODES[r.spec];
  if (!spec) fail(`${where}: unknown spec ${r.spec}`);
  const security = SECURITY[r.security_schemes];
  if (!security) fail(`${where}: unknown security ${r.security_schemes}`);
  const m = /^([^@]+)@([0-9a-f]{40}):(.+)$/.exec(r.source);
  if (!m) fail(`${where}: source ${r.source}`);
  const [, repo, commit, file] = m;
  if (sourceCommit && (commit !== sourceCommit || repo !== sourceRepo)) {
    fail(`${where}: rows come from more than one spec commit (${sourceCommit}, ${commit})`);
  }
  sourceRepo = repo;
  sourceCommit = commit;
  const prev = specFiles.get(spec);
  if (prev && (prev.file !== file || prev.version !== r.spec_version)) {
    fail(`${where}: spec ${spec} has two versions/files`);
  }
  specFiles.set(spec, { file, version: r.spec_version });
  if (seenOps.has(r.operationId)) fail(`${where}: duplicate operationId ${r.operationId}`);
  seenOps.add(r.operationId);
  const route = `${r.method} ${r.path_template}`;
  if (seenRoutes.has(route)) fail(`${where}: duplicate route ${route}`);
  seenRoutes.add(route);
  const deprecated = r.deprecated === "true" ? 1 : 0;
  if (r.deprecated !== "" && r.deprecated !== "true") fail(`${where}: deprecated=${r.deprecated}`);
  const list = (s, sep) =>
    s
      .split(sep)
      .map((x) => x.trim())
      .filter(Boolean)
      .join(" ");
  return [
    r.method,
    r.path_template,
    r.operationId,
    r.tag,
    security,
    list(r.oauth_scopes, /\s+/),
    list(r.x_okta_iam_admin_roles, ","),
    list(r.x_okta_iam_permissions, ","),
    r.lifecycle,
    deprecated,
    spec,
    shortSummary(r.summary),
  ];
});
const mgmtRoutes = new Map(mgmt.map((op) => [`${op[0]} ${op[1]}`, op]));
const mainSpec = specFiles.get("management");
if (!mainSpec) fail("no rows from the production management spec");

// ---------------------------------------------------------------------------------------------
// auth-endpoints.tsv, curated.
//
// Each data row (1-based `row`) lists the endpoints it describes. `check` must occur in the row's
// path_pattern column, so a reordered or edited TSV is caught. An endpoint path must appear
// verbatim (before any query string) in that column, unless the entry says why it is `derived`.
// `covered` rows add no endpoint of their own: what they describe is already in the management
// spec (checked) or in another row.
//
// Credentials (`accepts`) are curated from the row's authenticated_by / authorization_header
// columns (prose with negations such as "do not send SSWS", so they are not keyword-parsed);
// `browser` is read from the browser_use_cors column by browserUse() unless a curated value
// overrides it, with the reason next to it.

const ORG = "OAuth (org AS)";
const CUSTOM = "OAuth (custom AS)";
const IDX = "Identity Engine (IDX)";
const AS = "{authorizationServerId}";

/** OAuth protocol endpoints of rows 15-21, mirrored for custom authorization servers (row 22). */
function oauthPair(row, methods, sub, operationId, accepts, summary, extra = {}) {
  const customAccepts = accepts.map((a) => (a === "bearer-org-as" ? "bearer-custom-as" : a));
  return [
    { methods, path: `/oauth2/v1/${sub}`, operationId, kind: "oauth", family: ORG, accepts, as: "org", summary, ...extra },
    {
      methods,
      path: `/oauth2/${AS}/v1/${sub}`,
      operationId,
      kind: "oauth",
      family: CUSTOM,
      accepts: customAccepts,
      as: "custom",
      summary,
      ...extra,
      derived: extra.derived ?? "custom-AS counterpart (row 22)",
      sourceRow: 22,
    },
  ].map((e) => ({ row, ...e }));
}

const AUTHN_ACCEPTS_STATE = ["one-time-token", "ssws"];

const AUTH_ROWS = [
  {
    row: 1,
    check: "/api/v1/authn",
    entries: [
      {
        methods: ["POST"],
        path: "/api/v1/authn",
        operationId: "authn.primary",
        kind: "end-user",
        family: "authn",
        // anonymous (public app) or an admin SSWS token (trusted app)
        accepts: ["none", "ssws"],
        summary: "Classic primary authentication (username/password → sessionToken)",
      },
    ],
  },
  {
    row: 2,
    check: "/api/v1/authn/factors",
    entries: [
      ["/api/v1/authn/factors", "authn.factors.enroll", "Enroll a factor during a Classic authn transaction"],
      ["/api/v1/authn/factors/{factorId}/lifecycle/activate", "authn.factors.activate", "Activate a factor during a Classic authn transaction"],
      ["/api/v1/authn/factors/{factorIdOrFactorType}/verify", "authn.factors.verify", "Verify a factor during a Classic authn transaction"],
    ]
      .map(([path, operationId, summary]) => ({ path, operationId, summary }))
      .concat([
        {
          path: "/api/v1/authn/factors/{factorIdOrFactorType}/verify/resend",
          operationId: "authn.factors.resend",
          summary: "Resend a factor challenge during a Classic authn transaction",
          derived: "row mentions '+ /verify/resend'",
        },
      ])
      .map((e) => ({
        methods: ["POST"],
        kind: "end-user",
        family: "authn",
        // stateToken in the body; SSWS optional (trusted apps)
        accepts: AUTHN_ACCEPTS_STATE,
        ...e,
      })),
  },
  {
    row: 3,
    check: "/api/v1/authn/credentials/change_password",
    entries: [
      ["/api/v1/authn/credentials/change_password", "authn.credentials.changePassword", "Change an expired password in a Classic authn transaction"],
      ["/api/v1/authn/credentials/reset_password", "authn.credentials.resetPassword", "Reset the password in a Classic recovery transaction"],
      ["/api/v1/authn/previous", "authn.previous", "Step back in a Classic authn transaction"],
      ["/api/v1/authn/skip", "authn.skip", "Skip an optional step of a Classic authn transaction"],
      ["/api/v1/authn/cancel", "authn.cancel", "Cancel a Classic authn transaction"],
    ].map(([path, operationId, summary]) => ({
      methods: ["POST"],
      path,
      operationId,
      kind: "end-user",
      family: "authn",
      // stateToken in the body. The row says no header is needed; SSWS stays acceptable as on
      // every /api/v1/authn call (trusted apps), so a trusted app sending it is not flagged.
      accepts: AUTHN_ACCEPTS_STATE,
      summary,
    })),
  },
  {
    row: 4,
    check: "/api/v1/authn/recovery/password",
    entries: [
      ["/api/v1/authn/recovery/password", "authn.recovery.password", "Start a Classic password recovery"],
      ["/api/v1/authn/recovery/unlock", "authn.recovery.unlock", "Start a Classic account unlock"],
      ["/api/v1/authn/recovery/factors/{factorType}/verify", "authn.recovery.factors.verify", "Verify an SMS/voice recovery challenge", "{sms|call} is the factor type"],
      ["/api/v1/authn/recovery/factors/{factorType}/resend", "authn.recovery.factors.resend", "Resend an SMS/voice recovery challenge", "{sms|call} is the factor type"],
      ["/api/v1/authn/recovery/token", "authn.recovery.token", "Verify a recovery token"],
      ["/api/v1/authn/recovery/answer", "authn.recovery.answer", "Answer the recovery question"],
    ].map(([path, operationId, summary, derived]) => ({
      methods: ["POST"],
      path,
      operationId,
      kind: "end-user",
      family: "authn",
      // anonymous (public app), recoveryToken/stateToken in body, optional SSWS (trusted app)
      accepts: ["none", "one-time-token", "ssws"],
      summary,
      ...(derived ? { derived } : {}),
    })),
  },
  {
    row: 5,
    check: "/api/v1/sessions (body",
    entries: [
      {
        methods: ["POST"],
        path: "/api/v1/sessions",
        overlay: "createSession",
        kind: "management",
        family: "sessions",
        // Kind management as the spec secures it (apiToken); the one-time sessionToken in the
        // body is the real credential, so `accepts` names both.
        accepts: ["one-time-token", "ssws"],
        summary: "Create a session from a one-time sessionToken (sets no browser cookie)",
      },
    ],
  },
  {
    row: 6,
    check: "/api/v1/sessions/me",
    entries: [
      { methods: ["GET"], path: "/api/v1/sessions/me", overlay: "getCurrentSession", summary: "Current Okta session of the browser" },
      { methods: ["DELETE"], path: "/api/v1/sessions/me", overlay: "closeCurrentSession", summary: "Close the browser's Okta session" },
      {
        methods: ["POST"],
        path: "/api/v1/sessions/me/lifecycle/refresh",
        overlay: "refreshCurrentSession",
        summary: "Refresh the browser's Okta session",
      },
    ].map((e) => ({
      ...e,
      kind: "end-user",
      family: "sessions",
      // Okta session cookie only; "An API token isn't allowed for this operation"
      accepts: ["session-cookie"],
    })),
  },
  { row: 7, check: "/api/v1/sessions/{sessionId}", covered: ["GET /api/v1/sessions/{sessionId}", "DELETE /api/v1/sessions/{sessionId}", "POST /api/v1/sessions/{sessionId}/lifecycle/refresh"] },
  {
    row: 8,
    check: "/api/v1/users/me",
    entries: [
      {
        methods: ["GET"],
        path: "/api/v1/users/me",
        operationId: "users.me",
        kind: "end-user",
        family: "users/me",
        // SSWS (returns the token's admin), org-AS bearer with okta.users.read(.self), or the
        // browser's session cookie via CORS
        accepts: ["session-cookie", "ssws", "bearer-org-as"],
        scopes: ["okta.users.read.self", "okta.users.read"],
        summary: "Current user (of the session cookie, the API token or the access token)",
      },
    ],
  },
  {
    row: 9,
    check: "/api/v1/users/me/lifecycle/delete_sessions",
    entries: [
      {
        methods: ["POST"],
        path: "/api/v1/users/me/lifecycle/delete_sessions",
        overlay: "endUserSessions",
        kind: "management",
        family: "users/me",
        // Kind management as the spec secures it; but the session cookie is what works
        // ("The API token isn't allowed"); the spec also lists oauth2, which is
        // kept so that an org-AS bearer call is not reported as wrong.
        accepts: ["session-cookie", "bearer-org-as"],
        summary: "End the signed-in user's other Okta sessions",
      },
    ],
  },
  {
    row: 10,
    check: "/login/sessionCookieRedirect",
    entries: [
      {
        methods: ["GET", "POST"],
        path: "/login/sessionCookieRedirect",
        operationId: "login.sessionCookieRedirect",
        kind: "end-user",
        family: "session-cookie bootstrap",
        accepts: ["one-time-token"],
        summary: "Redeem a sessionToken/cookieToken for an Okta session cookie and redirect",
      },
    ],
  },
  { row: 11, check: "/oauth2/v1/authorize?", covered: ["GET /oauth2/v1/authorize", `GET /oauth2/${AS}/v1/authorize`] },
  {
    row: 12,
    check: "/home/{appName}/{appInstanceId}/{linkId}",
    entries: [
      ["/home/{appName}/{appInstanceId}/{linkId}", "app.embedLink", "App embed link (sign in to an app through Okta)"],
      ["/app/{appName}/{appInstanceId}/sso/saml", "app.sso.saml", "SAML SSO for an app (issues a SAMLResponse)"],
      ["/app/template_wsfed/{id}/sso/wsfed/passive", "app.sso.wsfed", "WS-Federation passive SSO for an app"],
    ].map(([path, operationId, summary]) => ({
      methods: ["GET"],
      path,
      operationId,
      kind: "end-user",
      family: "app SSO",
      accepts: ["session-cookie", "one-time-token"],
      summary,
    })),
  },
  {
    row: 13,
    check: "/.well-known/openid-configuration",
    entries: [
      ["/.well-known/openid-configuration", "discovery.openidConfiguration", "OpenID Connect discovery document of the org AS"],
      ["/.well-known/oauth-authorization-server", "discovery.oauthAuthorizationServer", "OAuth 2.0 metadata of the org AS"],
    ].map(([path, operationId, summary]) => ({
      methods: ["GET"],
      path,
      operationId,
      kind: "discovery",
      family: "discovery",
      accepts: ["none"],
      as: "org",
      summary,
    })),
  },
  {
    row: 14,
    check: "/oauth2/{authorizationServerId}/.well-known/openid-configuration",
    entries: [
      [`/oauth2/${AS}/.well-known/openid-configuration`, "discovery.openidConfiguration", "OpenID Connect discovery document of a custom AS"],
      [`/oauth2/${AS}/.well-known/oauth-authorization-server`, "discovery.oauthAuthorizationServer", "OAuth 2.0 metadata of a custom AS"],
      [`/.well-known/oauth-authorization-server/oauth2/${AS}`, "discovery.oauthAuthorizationServer", "OAuth 2.0 metadata of a custom AS (RFC 8414 path form)"],
    ].map(([path, operationId, summary]) => ({
      methods: ["GET"],
      path,
      operationId,
      kind: "discovery",
      family: "discovery",
      accepts: ["none"],
      as: "custom",
      summary,
    })),
  },
  {
    row: 15,
    check: "/oauth2/v1/authorize",
    // session cookie (or interactive sign-in, hence "none"); row 11 adds the one-time sessionToken
    entries: oauthPair(15, ["GET", "POST"], "authorize", "oauth.authorize", ["session-cookie", "one-time-token", "none"], "Authorization endpoint (browser sign-in / SSO)"),
  },
  {
    row: 16,
    check: "/oauth2/v1/token",
    // client authentication, or client_id + PKCE verifier for public clients ("none")
    entries: oauthPair(16, ["POST"], "token", "oauth.token", ["client-auth", "none"], "Token endpoint (code, refresh, client credentials, interaction code …)"),
  },
  {
    row: 17,
    check: "/oauth2/v1/userinfo",
    entries: oauthPair(17, ["GET"], "userinfo", "oauth.userinfo", ["bearer-org-as"], "OIDC userinfo (access token of the same AS)", {}),
  },
  {
    row: 18,
    check: "/oauth2/v1/introspect",
    entries: [
      ...oauthPair(18, ["POST"], "introspect", "oauth.introspect", ["client-auth"], "Token introspection"),
      // Browser override: public clients (SPAs) revoke their own tokens with only client_id in
      // the body (okta-auth-js does so on sign-out), so a browser call is normal here.
      ...oauthPair(18, ["POST"], "revoke", "oauth.revoke", ["client-auth", "none"], "Token revocation", { browser: "yes" }),
    ],
  },
  {
    row: 19,
    check: "/oauth2/v1/keys",
    entries: oauthPair(19, ["GET"], "keys", "oauth.keys", ["none"], "JSON Web Key Set of the AS"),
  },
  {
    row: 20,
    check: "/oauth2/v1/logout",
    entries: [
      ...oauthPair(20, ["GET"], "logout", "oauth.logout", ["session-cookie"], "RP-initiated logout (id_token_hint, clears the Okta session)"),
      // POST logout: the row names client authentication; a browser may still post the form.
      ...oauthPair(20, ["POST"], "logout", "oauth.logout", ["client-auth", "session-cookie"], "RP-initiated logout (form post)", { browser: "navigation" }),
    ],
  },
  {
    row: 21,
    check: "/oauth2/v1/device/authorize",
    entries: [
      // device clients are usually public native apps that send only client_id
      ...oauthPair(21, ["POST"], "device/authorize", "oauth.deviceAuthorize", ["client-auth", "none"], "Device authorization request"),
      ...oauthPair(21, ["POST"], "par", "oauth.par", ["client-auth"], "Pushed authorization request"),
      ...oauthPair(21, ["POST"], "bc/authorize", "oauth.bcAuthorize", ["client-auth"], "CIBA backchannel authorization request"),
      ...oauthPair(21, ["POST"], "challenge", "oauth.challenge", ["client-auth"], "Direct authentication challenge"),
      ...oauthPair(21, ["POST"], "oob-authenticate", "oauth.oobAuthenticate", ["client-auth"], "Direct authentication out-of-band request"),
      ...oauthPair(21, ["POST"], "primary-authenticate", "oauth.primaryAuthenticate", ["client-auth"], "Direct authentication primary request"),
    ],
  },
  // Row 22 (custom AS counterparts) is produced by oauthPair for rows 15-21.
  { row: 22, check: "/oauth2/{authorizationServerId}/v1/{authorize|token", covered: [`POST /oauth2/${AS}/v1/token`, `GET /oauth2/${AS}/v1/keys`] },
  {
    row: 23,
    check: "/oauth2/{authorizationServerId}/v1/interact",
    entries: [
      { path: "/oauth2/v1/interact", as: "org" },
      { path: `/oauth2/${AS}/v1/interact`, as: "custom" },
    ].map((e) => ({
      methods: ["POST"],
      operationId: "idx.interact",
      kind: "idx",
      family: IDX,
      // client_id + PKCE challenge; confidential clients add their client secret
      accepts: ["none", "client-auth"],
      summary: "Start an Identity Engine interaction (returns interaction_handle)",
      ...e,
    })),
  },
  {
    row: 24,
    check: "/idp/idx/introspect",
    entries: [
      "introspect",
      "identify",
      "challenge",
      "challenge/answer",
      "challenge/poll",
      "challenge/resend",
      "enroll",
      "enroll/new",
      "credential/enroll",
      "recover",
      "skip",
      "cancel",
      "unlock-account",
    ]
      .map((sub) => ({
        path: `/idp/idx/${sub}`,
        operationId: `idx.${sub.replace(/[/-](\w)/g, (_, c) => c.toUpperCase())}`,
        summary: `Identity Engine remediation: ${sub}`,
      }))
      .concat([
        {
          path: "/idp/idx/**",
          operationId: "idx.remediation",
          summary: "Identity Engine remediation (follow remediation[].href)",
          derived: "row: follow remediation[].href values, the list is not exhaustive",
        },
      ])
      .map((e) => ({
        methods: ["POST"],
        kind: "idx",
        family: IDX,
        // interactionHandle / stateHandle in the body, plus Okta's idx/DT cookies
        accepts: ["one-time-token", "session-cookie"],
        ...e,
      })),
  },
  { row: 25, check: "/oauth2/{authorizationServerId}/v1/token (grant_type=interaction_code)", covered: [`POST /oauth2/${AS}/v1/token`] },
  {
    row: 26,
    check: "/login/token/redirect",
    entries: [
      {
        methods: ["GET"],
        path: "/login/token/redirect",
        operationId: "login.tokenRedirect",
        kind: "end-user",
        family: "session-cookie bootstrap",
        accepts: ["one-time-token"],
        summary: "Set the Okta session cookie after an Identity Engine sign-in and redirect",
      },
    ],
  },
  {
    row: 27,
    check: "/idp/myaccount/**",
    entries: [
      {
        methods: ["*"],
        path: "/idp/myaccount/**",
        operationId: "myaccount",
        kind: "myaccount",
        family: "MyAccount",
        // the end user's access token with okta.myAccount.* scopes, from the org AS or a custom AS
        accepts: ["bearer-org-as", "bearer-custom-as"],
        summary: "MyAccount API (the signed-in user's own profile, factors, sessions)",
      },
    ],
  },
  {
    row: 28,
    check: "/api/v1/myaccount",
    entries: [
      ["/api/v1/myaccount", "myaccount.v1"],
      ["/api/v1/myaccount/profile", "myaccount.v1.profile"],
      ["/api/v1/myaccount/profile/schema", "myaccount.v1.profileSchema"],
      ["/api/v1/myaccount/directoryProfile", "myaccount.v1.directoryProfile"],
    ].map(([path, operationId]) => ({
      methods: ["GET", "POST"],
      path,
      operationId,
      kind: "myaccount",
      family: "MyAccount",
      // "Any user with a valid session"; the doc example uses SSWS
      accepts: ["session-cookie", "ssws"],
      deprecated: true,
      summary: "MyAccount v1 (deprecated, replaced by /idp/myaccount)",
    })),
  },
  {
    row: 29,
    check: "/api/v1/registration/**",
    entries: [
      {
        methods: ["POST"],
        path: "/api/v1/registration/**",
        operationId: "registration",
        kind: "end-user",
        family: "registration",
        accepts: ["none"],
        summary: "Classic self-service registration",
      },
    ],
  },
  {
    row: 30,
    check: "/sso/idps/{idpId}",
    entries: [
      {
        methods: ["GET"],
        path: "/sso/idps/{idpId}",
        operationId: "sso.idp",
        kind: "end-user",
        family: "IdP discovery",
        accepts: ["session-cookie", "none"],
        summary: "Redirect the browser to an identity provider",
      },
    ],
  },
  {
    row: 31,
    check: "/.well-known/webfinger",
    entries: [
      {
        methods: ["GET"],
        path: "/.well-known/webfinger",
        operationId: "discovery.webfinger",
        kind: "discovery",
        family: "discovery",
        accepts: ["none"],
        summary: "WebFinger (IdP discovery for a login)",
      },
    ],
  },
  // Rows 32-33 describe how /api/v1/** management calls authenticate (DPoP, SSWS, org-AS bearer);
  // the operations themselves come from management-endpoints.tsv.
  { row: 32, check: "/api/v1/** management endpoints with DPoP", covered: ["GET /api/v1/users", "GET /api/v1/groups"] },
  { row: 33, check: "/api/v1/** management endpoints (see", covered: ["GET /api/v1/users", "GET /api/v1/groups"] },
  {
    row: 34,
    check: "/oauth2/v1/clients",
    covered: [
      "POST /oauth2/v1/clients",
      "GET /oauth2/v1/clients/{clientId}",
      "PUT /oauth2/v1/clients/{clientId}",
      "DELETE /oauth2/v1/clients/{clientId}",
      "POST /oauth2/v1/clients/{clientId}/lifecycle/newSecret",
    ],
  },
  { row: 35, check: "/oauth2/v1/global-token-revocation", covered: ["POST /oauth2/v1/global-token-revocation"] },
];

/** Browser use from the row's browser_use_cors column. */
function browserUse(text) {
  const t = text.trim().toLowerCase();
  if (/^(yes|browser)/.test(t)) return "yes";
  if (/top-level|navigation/.test(t)) return "navigation";
  if (/browser/.test(t)) return "yes";
  if (/^server/.test(t)) return "no";
  return undefined;
}

const authRows = readTsv("auth-endpoints.tsv");
if (authRows.length !== AUTH_ROWS.length) {
  fail(`auth-endpoints.tsv has ${authRows.length} rows, the curation covers ${AUTH_ROWS.length}; update AUTH_ROWS`);
}
const KINDS = new Set(["end-user", "management", "oauth", "idx", "myaccount", "discovery", "static", "unknown"]);
const CREDS = new Set(["ssws", "bearer-org-as", "bearer-custom-as", "session-cookie", "client-auth", "one-time-token", "none"]);
const auth = [];
AUTH_ROWS.forEach((cur, idx) => {
  if (cur.row !== idx + 1) fail(`AUTH_ROWS out of order at row ${cur.row}`);
  const src = authRows[idx];
  const where = `auth-endpoints.tsv row ${cur.row} (line ${cur.row + 1})`;
  if (!src.path_pattern.includes(cur.check)) fail(`${where}: expected path column to contain ${cur.check}, got ${src.path_pattern}`);
  if (cur.covered) {
    for (const route of cur.covered) {
      if (!mgmtRoutes.has(route) && !AUTH_ROWS.some((r) => r.entries?.some((e) => route === `${e.methods[0]} ${e.path}`))) {
        fail(`${where}: covered route ${route} is neither in the management spec nor curated`);
      }
    }
    return;
  }
  const rowBrowser = browserUse(src.browser_use_cors);
  for (const e of cur.entries) {
    const entryRow = e.sourceRow ? authRows[e.sourceRow - 1] : src;
    const pathText = entryRow.path_pattern;
    if (!e.derived && !pathText.includes(e.path)) fail(`${where}: ${e.path} does not occur in the path column`);
    if (!KINDS.has(e.kind)) fail(`${where}: kind ${e.kind}`);
    for (const a of e.accepts) if (!CREDS.has(a)) fail(`${where}: credential ${a}`);
    let operationId = e.operationId;
    let deprecated = e.deprecated;
    if (e.overlay) {
      const op = mgmt.find((o) => o[2] === e.overlay);
      if (!op) fail(`${where}: overlay ${e.overlay} is not a management operation`);
      if (op[1] !== e.path || !e.methods.includes(op[0])) fail(`${where}: overlay ${e.overlay} is ${op[0]} ${op[1]}`);
      operationId = e.overlay;
    }
    const browser = e.browser ?? browserUse(entryRow.browser_use_cors) ?? rowBrowser;
    if (!browser) fail(`${where}: cannot tell browser use from "${entryRow.browser_use_cors}"`);
    const def = {
      row: e.sourceRow ?? cur.row,
      methods: e.methods,
      path: e.path,
      operationId,
      kind: e.kind,
      family: e.family,
      accepts: e.accepts,
      browser,
    };
    if (e.as) def.as = e.as;
    if (e.scopes) def.scopes = e.scopes;
    if (deprecated) def.deprecated = true;
    if (e.overlay) def.overlay = true;
    def.summary = e.summary;
    auth.push(def);
  }
});
// Each method+path once.
{
  const seen = new Set();
  for (const d of auth) {
    for (const m of d.methods) {
      const k = `${m} ${d.path}`;
      if (seen.has(k)) fail(`auth endpoint ${k} curated twice`);
      seen.add(k);
      if (!d.overlay && mgmtRoutes.has(k)) fail(`auth endpoint ${k} is a management operation; mark it as an overlay`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const q = (v) => JSON.stringify(v);
const rel = (p) => relative(repoRoot, p).split("\\").join("/");
const shortCommit = sourceCommit.slice(0, 8);
const specVersions = Object.fromEntries([...specFiles].map(([code, { file, version }]) => [code, { file, version }]));

const lines = [];
lines.push(
  `// generated by scripts/gen-catalog.mjs from ${rel(resolve(srcDir, "management-endpoints.tsv"))} and ${rel(resolve(srcDir, "auth-endpoints.tsv"))}`,
  `// (${sourceRepo}@${shortCommit}, spec ${mainSpec.version}) — do not edit. Regenerate with \`npm run gen:catalog\`.`,
  "",
  "/* eslint-disable */",
  "",
  "/** Where the management operations come from. */",
  "export const catalogSource = {",
  `  specVersion: ${q(mainSpec.version)},`,
  `  repository: ${q(sourceRepo)},`,
  `  commit: ${q(sourceCommit)},`,
  `  specs: ${q(specVersions)},`,
  "} as const;",
  "",
  "/** `spec` column: which spec file an operation comes from. */",
  `export type SpecCode = ${Object.values(SPEC_CODES).map(q).join(" | ")};`,
  "",
  "/**",
  " * One management operation. `security` lists the spec's security schemes separated by spaces",
  " * (`apiToken` = SSWS token, `oauth2` = org-AS bearer token, `sid` = admin session, `none` = security: []).",
  " * `scopes`, `adminRoles`, `permissions` are space-separated (empty when the spec lists none).",
  " */",
  "export type ManagementRow = readonly [",
  "  method: string,",
  "  path: string,",
  "  operationId: string,",
  "  tag: string,",
  "  security: string,",
  "  scopes: string,",
  "  adminRoles: string,",
  "  permissions: string,",
  "  lifecycle: string,",
  "  deprecated: 0 | 1,",
  "  spec: SpecCode,",
  "  summary: string,",
  "];",
  "",
  `export const managementOperations: readonly ManagementRow[] = [`,
  ...mgmt.map((op) => `  ${q(op)},`),
  "];",
  "",
  "/**",
  " * An endpoint outside the management spec (or an end-user overlay on one of its operations),",
  " * curated from auth-endpoints.tsv. `row` is the data row it comes from; `methods` may be [\"*\"];",
  " * a path ending in `/**` covers everything below it. `overlay` entries share method and path",
  " * with a management operation and replace its kind, credentials and browser use.",
  " */",
  "export interface AuthEndpointDef {",
  "  row: number;",
  "  methods: readonly string[];",
  "  path: string;",
  "  operationId: string;",
  '  kind: "end-user" | "management" | "oauth" | "idx" | "myaccount" | "discovery";',
  "  family: string;",
  "  accepts: readonly (",
  ...[...CREDS].map((c) => `    | ${q(c)}`),
  "  )[];",
  '  browser: "yes" | "no" | "navigation";',
  '  as?: "org" | "custom";',
  "  scopes?: readonly string[];",
  "  deprecated?: boolean;",
  "  overlay?: boolean;",
  "  summary: string;",
  "}",
  "",
  "export const authEndpoints: readonly AuthEndpointDef[] = [",
  ...auth.map((d) => `  { ${Object.entries(d).map(([k, v]) => `${k}: ${q(v)}`).join(", ")} },`),
  "];",
  "",
);
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, lines.join("\n"));
console.log(
  `gen-catalog: wrote ${rel(outFile)}: ${mgmt.length} management operations (spec ${mainSpec.version} @ ${shortCommit}), ${auth.length} auth endpoints from ${authRows.length} rows`,
);
