import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { jwtIssuerInfo, jwtKind, jwtScopes, type JwtIssuerInfo } from "../src/okta/credentials.js";
import { authOf, jwtOf, requestLineOf, groupFirst, succeeded } from "./util.js";
import { at, authEvidence, takesOnlyOrgAsTokens, issuedTokens, jwtSummary, outcomeOf, relatedOf, repeatNote } from "./util-tokens.js";

const rule: Rule = {
  id: "custom-as-token-on-management-api",
  severity: "error",
  tags: ["tokens", "oauth", "management"],
  title: "Access token from a custom authorization server sent to an Okta management API",
  explanation:
    "Okta has two kinds of authorization servers. Custom ones (`https://{org}/oauth2/default`, `https://{org}/oauth2/aus…`) mint tokens for your own APIs: their audience is your API and their scopes are yours. " +
    "Only the org authorization server (issuer `https://{org}`, with no /oauth2/{id} in it) mints access tokens with okta.* scopes, and Okta's /api/v1 management endpoints accept no other OAuth token. " +
    "So a perfectly valid token from /oauth2/default is rejected by /api/v1/users with 401, whatever scopes it carries.",
  fix:
    "Request the token from the org authorization server (`https://{org}/oauth2/v1/token` or `/oauth2/v1/authorize`, not `/oauth2/default/...`) with the okta.* scopes the call needs, " +
    "after granting those scopes to the app (Okta API Scopes tab). A server-side job should use a service app with client_credentials and private_key_jwt; keep custom-AS tokens for your own APIs.",
  docs: [
    "https://developer.okta.com/docs/concepts/auth-servers/",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/",
  ],
  needs: ["authorization"],
  // Fixing the header's form does not help while the token comes from a custom authorization server.
  explains: ["authorization-scheme"],
  messages: {
    customAsToken:
      "{{endpoint}} is {{what}}, but its {{scheme}} token was issued by the custom authorization server `{{asId}}` ({{iss}}) ({{outcome}}). " +
      "Custom authorization servers mint tokens for your own APIs; only the org authorization server ({{orgUrl}}, with no /oauth2/{id} in the issuer) mints the okta.* scoped tokens Okta's APIs accept. " +
      "Request {{needed}} from {{orgUrl}}/oauth2/v1/token instead.{{issued}}{{repeat}}",
  },
  check(ctx) {
    const hits: { call: OktaCall; issuer: JwtIssuerInfo }[] = [];
    for (const call of ctx.calls) {
      const auth = authOf(call);
      if (!auth || (auth.schemeKey !== "bearer" && auth.schemeKey !== "dpop")) continue;
      const jwt = jwtOf(call);
      if (!jwt || !takesOnlyOrgAsTokens(call.classification)) continue;
      // An ID token is a different mistake, explained by id-token-as-access-token.
      if (jwtKind(jwt.claims, jwt.header) === "id") continue;
      const issuer = jwtIssuerInfo(jwt.claims);
      if (issuer?.authorizationServer.type !== "custom") continue;
      hits.push({ call, issuer });
    }
    if (hits.length === 0) return;
    const issued = issuedTokens(ctx.capture);
    for (const { first, rest } of groupFirst(hits, (h) => authOf(h.call)!.token)) {
      const { call, issuer } = first;
      const auth = authOf(call)!;
      const jwt = jwtOf(call)!;
      const c = call.classification;
      const from = issued.get(auth.token);
      const scopes = jwtScopes(jwt.claims);
      const restCalls = rest.map((h) => h.call);
      ctx.report({
        ...at(call),
        messageId: "customAsToken",
        data: {
          endpoint: requestLineOf(call),
          what: c.kind === "management" ? `an Okta management endpoint (${c.family})` : "an Okta endpoint that accepts only org-authorization-server tokens",
          scheme: auth.scheme,
          asId: issuer.authorizationServer.id ?? "?",
          iss: typeof jwt.claims.iss === "string" ? jwt.claims.iss : "",
          orgUrl: issuer.orgUrl,
          outcome: outcomeOf(call),
          needed: c.scopes.length === 0 ? "an access token" : c.scopes.length === 1 ? `an access token with ${c.scopes[0]}` : `an access token with one of ${c.scopes.join(", ")}`,
          issued: from
            ? ` The token was issued at entry ${from.entry} by ${from.endpoint}${scopes.length ? ` with the scopes ${scopes.join(" ")}` : ""}.`
            : scopes.length
              ? ` Its scopes (${scopes.join(" ")}) mean nothing to Okta's APIs.`
              : "",
          repeat: repeatNote("token", restCalls),
        },
        evidence: [authEvidence(auth.scheme, auth.token), jwtSummary(jwt), outcomeOf(call)],
        related: relatedOf(restCalls, [from?.entry]),
        confidence: succeeded(call) ? "likely" : "certain",
      });
    }
  },
};

export default rule;
