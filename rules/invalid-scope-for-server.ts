import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { urlParams } from "../src/model/params.js";
import { requestLineOf } from "./util.js";
import { callError, answerSentence, findParam, isAuthorizeCall, isCustomScope, isOktaApiScope, paramValue, redirectOf, requestParams, serverLabel, words } from "./util-oauth.js";

/** OAuth endpoints that take a `scope` parameter. */
const SCOPED_OPERATIONS = new Set(["oauth.authorize", "oauth.token", "oauth.par", "oauth.deviceAuthorize", "oauth.bcAuthorize"]);

/** What to add to Okta's own description, for the invalid_scope answers whose cause is plain. */
const HINTS: [RegExp, string][] = [
  [/not configured for the authorization server/i, " Add the scope to the authorization server (Security › API › Authorization Servers › Scopes) or stop requesting it."],
  [/No scopes were requested/i, " Send a scope parameter (openid for a sign-in)."],
  [/Cannot request 'openid' scopes using client credentials/i, " A service app has no user: request only API scopes with client_credentials."],
  [/offline_access/i, " A browser app gets a refresh token only when the Refresh Token grant is enabled for the SPA app in Okta."],
];

function quoteList(scopes: readonly string[]): string {
  return scopes.join(" ");
}

const rule: Rule = {
  id: "invalid-scope-for-server",
  severity: "error",
  tags: ["oauth", "tokens", "management"],
  title: "Scopes requested from an authorization server that cannot issue them",
  explanation:
    "Okta has two kinds of authorization servers with different scopes. The org authorization server (`https://{org}/oauth2/v1/...`) " +
    "issues OpenID Connect scopes and the okta.* scopes of Okta's own APIs, and nothing else. Custom authorization servers " +
    "(`/oauth2/default`, `/oauth2/aus…`) issue your own API's scopes, but never okta.* management scopes (MyAccount's okta.myAccount.* aside). " +
    "Asking the wrong server fails with `invalid_scope`, or yields a token that Okta's management API refuses.",
  fix:
    "For Okta's management APIs, request okta.* scopes from the org authorization server (`/oauth2/v1/authorize`, `/oauth2/v1/token`) " +
    "and grant them to the app under Okta API Scopes. For your own API, request its scopes from the custom authorization server that defines them " +
    "(Security › API › Authorization Servers › Scopes) and check the access policy allows them for this client.",
  docs: [
    "https://developer.okta.com/docs/concepts/auth-servers/",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/",
    "https://developer.okta.com/docs/api/oauth2",
  ],
  needs: ["bodies"],
  // Okta's invalid_scope answer to the scopes this rule names is the failed /authorize: one problem.
  explains: ["authorize-error"],
  messages: {
    oktaScopeAtCustomAs:
      "{{endpoint}} asks {{server}} for {{scopes}}: okta.* scopes for Okta's APIs are issued only by the org authorization server (/oauth2/v1/...), so these are refused or missing from the token.{{answer}}",
    customScopeAtOrgAs:
      "{{endpoint}} asks the org authorization server for {{scopes}}: it issues only OpenID Connect and okta.* scopes; custom scopes belong to a custom authorization server such as /oauth2/default.{{answer}}",
    invalidScope: "Okta refused {{what}} at {{endpoint}} with invalid_scope: \"{{description}}\"{{hint}}",
  },
  check(ctx) {
    const authorizeByState = new Map<string, OktaCall>();
    for (const call of ctx.calls) {
      const op = call.classification.operationId;
      const ex = call.exchange;
      const params = op && SCOPED_OPERATIONS.has(op) ? requestParams(ex) : [];
      if (isAuthorizeCall(call)) {
        const state = paramValue(params, "state");
        if (state) authorizeByState.set(state, call);
      }
      const scopeParam = findParam(params, "scope");
      const requested = words(scopeParam?.value);
      const err = callError(call);
      const invalidScope = err?.oauth?.error === "invalid_scope" ? err : undefined;
      const answerEvidence = invalidScope ? [`HTTP ${ex.response.status} invalid_scope${invalidScope.summary ? `: ${invalidScope.summary}` : ""}`] : [];
      const answer = invalidScope ? answerSentence("invalid_scope", invalidScope.summary) : "";

      const as = call.classification.authorizationServer;
      if (as && requested.length > 0) {
        const wrong = as.type === "custom" ? requested.filter(isOktaApiScope) : requested.filter(isCustomScope);
        if (wrong.length > 0) {
          ctx.report({
            call,
            messageId: as.type === "custom" ? "oktaScopeAtCustomAs" : "customScopeAtOrgAs",
            data: { endpoint: requestLineOf(call), server: serverLabel(call), scopes: quoteList(wrong), answer },
            evidence: [`scope=${scopeParam!.value}`, ...answerEvidence],
            path: scopeParam!.path,
            confidence: "certain",
            // Only Okta's invalid_scope is this problem's outcome (not a login_required on the same request).
            explains: invalidScope ? ["authorize-error"] : [],
          });
          continue;
        }
      }
      if (!invalidScope) continue;
      // The answer may come back on a later hop of the flow: find the /authorize request by `state`.
      let origin: OktaCall | undefined;
      let shown = requested;
      if (shown.length === 0) {
        const r = redirectOf(ex);
        const state = r ? (paramValue(urlParams(r.url, "query"), "state") ?? paramValue(urlParams(r.url, "fragment"), "state")) : undefined;
        origin = state !== undefined ? authorizeByState.get(state) : undefined;
        if (origin) shown = words(paramValue(requestParams(origin.exchange), "scope"));
      }
      const description = invalidScope.summary ?? "(no description)";
      const hint = HINTS.find(([re]) => re.test(description))?.[1] ?? "";
      ctx.report({
        call,
        messageId: "invalidScope",
        data: {
          endpoint: requestLineOf(call),
          what: shown.length > 0 ? `the scopes ${quoteList(shown)}${origin ? ` requested at entry ${origin.exchange.index}` : ""}` : "the request",
          description,
          hint,
        },
        evidence: [...(shown.length > 0 ? [`scope=${shown.join(" ")}`] : []), ...answerEvidence],
        ...(scopeParam ? { path: scopeParam.path } : {}),
        ...(origin ? { related: [origin.exchange.index] } : {}),
        confidence: "certain",
      });
    }
  },
};

export default rule;
