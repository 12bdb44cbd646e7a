import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { jwtIssuerInfo, jwtKind, jwtScopes } from "../src/okta/credentials.js";
import { authOf, errorOf, headerPath, jwtOf, requestLineOf, groupFirst, succeeded } from "./util.js";
import { at, authEvidence, issuedTokens, jwtSummary, outcomeOf, relatedOf, repeatNote, scopeVerdict } from "./util-tokens.js";

interface Hit {
  call: OktaCall;
  messageId: "insufficientScope" | "scopeMissing" | "selfOnly";
  /** The scope(s) the call needs, as a display string. */
  needed: string;
  /** The Okta challenge's `scope` parameter, when Okta named it. */
  challenged?: string;
  selfScope?: string;
}

/** `one of okta.users.read, okta.users.manage` or `okta.users.read`. */
function neededOf(scopes: readonly string[]): string {
  return scopes.length === 1 ? scopes[0]! : `one of ${scopes.join(", ")}`;
}

const rule: Rule = {
  id: "missing-scope",
  severity: "error",
  tags: ["tokens", "oauth", "management"],
  title: "Access token lacks the okta.* scope the endpoint needs",
  explanation:
    "Each Okta API operation that accepts OAuth names the okta.* scopes that allow it (`okta.users.read` to list users, `okta.groups.manage` to change a group); any one of them is enough. " +
    "An org-authorization-server access token without one of them is refused with 403 and a `WWW-Authenticate: Bearer … error=\"insufficient_scope\", scope=\"…\"` challenge that names the missing scope. " +
    "The token only carries scopes that the app was granted (Okta API Scopes tab) and that the token request asked for. Self scopes (`okta.users.read.self`) only reach the signed-in user's own resources.",
  fix:
    "Grant the missing scope to the app in the Admin Console (Applications › your app › Okta API Scopes), add it to the `scope` parameter of the token or authorize request, and get a new token: " +
    "existing tokens keep the scopes they were issued with. For a service app, also make sure the app has an admin role that covers the resource.",
  docs: [
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/",
    "https://developer.okta.com/docs/api/oauth2/",
  ],
  needs: ["authorization"],
  messages: {
    insufficientScope:
      "Okta refused {{endpoint}} with 403 insufficient_scope: the access token lacks {{needed}}{{has}}. Grant it to the app (Okta API Scopes) and request it when getting the token.{{issued}}{{repeat}}",
    scopeMissing:
      "{{endpoint}} needs {{needed}}, but the org-authorization-server access token sent to it carries {{has}} ({{outcome}}). Grant the scope to the app (Okta API Scopes) and request it when getting the token.{{issued}}{{repeat}}",
    selfOnly:
      "{{endpoint}} needs {{needed}}, but the access token only carries {{selfScope}}, which reaches the signed-in user's own resources only (`/me`, or the token's own user id), not other users ({{outcome}}). " +
      "Call the `/me` form of the endpoint, or grant and request {{needed}}.{{issued}}{{repeat}}",
  },
  check(ctx) {
    const hits: Hit[] = [];
    for (const call of ctx.calls) {
      const auth = authOf(call);
      if (!auth || (auth.schemeKey !== "bearer" && auth.schemeKey !== "dpop")) continue;
      const err = errorOf(call);
      const oauth = err?.oauth;
      if (oauth?.error === "insufficient_scope") {
        const challenged = oauth.challenge?.params.scope;
        const required = challenged ? challenged.split(/\s+/).filter(Boolean) : call.classification.scopes;
        const hit: Hit = { call, messageId: "insufficientScope", needed: required.length ? neededOf(required) : "the scope this endpoint requires" };
        if (challenged) hit.challenged = challenged;
        hits.push(hit);
        continue;
      }
      // Okta accepted the call: its scope rules were met, whatever the catalog lists.
      if (succeeded(call)) continue;
      // A 401 rejects the token itself (expired, revoked, wrong audience): scopes are not the reason.
      if (call.exchange.response.status === 401) continue;
      const required = call.classification.scopes;
      if (required.length === 0) continue;
      const jwt = jwtOf(call);
      if (!jwt || jwtKind(jwt.claims, jwt.header) === "id") continue;
      // Custom-AS tokens are refused whatever their scopes (custom-as-token-on-management-api).
      if (jwtIssuerInfo(jwt.claims)?.authorizationServer.type !== "org") continue;
      const verdict = scopeVerdict(required, jwtScopes(jwt.claims), call, jwt.claims);
      if (verdict.ok) continue;
      if (verdict.selfOnly) hits.push({ call, messageId: "selfOnly", needed: neededOf(required.filter((s) => !s.endsWith(".self"))), selfScope: verdict.selfOnly });
      else hits.push({ call, messageId: "scopeMissing", needed: neededOf(required) });
    }
    if (hits.length === 0) return;
    const issued = issuedTokens(ctx.capture);
    for (const { first, rest } of groupFirst(hits, (h) => `${h.messageId}\0${authOf(h.call)!.token}\0${h.needed}`)) {
      const { call } = first;
      const auth = authOf(call)!;
      const jwt = jwtOf(call);
      const scopes = jwt ? jwtScopes(jwt.claims) : undefined;
      const from = issued.get(auth.token);
      const restCalls = rest.map((h) => h.call);
      const has =
        first.messageId === "insufficientScope"
          ? scopes === undefined
            ? " (the token is opaque, so its scopes are not visible in the capture)"
            : ` (it carries ${scopes.length ? scopes.join(" ") : "no scopes"})`
          : scopes && scopes.length
            ? `only ${scopes.join(" ")}`
            : "no scopes at all";
      const issuedNote = from
        ? ` The token was issued at entry ${from.entry} by ${from.endpoint}${from.requestedScope !== undefined ? `, which asked for scope=${from.requestedScope}` : ""}.`
        : "";
      const www = headerPath(call.exchange, "response", "www-authenticate");
      const evidence = [authEvidence(auth.scheme, auth.token)];
      if (jwt) evidence.push(jwtSummary(jwt));
      if (first.challenged !== undefined) evidence.push(`WWW-Authenticate: error="insufficient_scope", scope="${first.challenged}"`);
      evidence.push(outcomeOf(call));
      ctx.report({
        ...at(call),
        ...(first.messageId === "insufficientScope" && www ? { path: www } : {}),
        messageId: first.messageId,
        data: {
          endpoint: requestLineOf(call),
          needed: first.needed,
          has,
          selfScope: first.selfScope ?? "",
          outcome: outcomeOf(call),
          issued: issuedNote,
          repeat: repeatNote("token", restCalls),
        },
        evidence,
        related: relatedOf(restCalls, [from?.entry]),
        confidence: first.messageId === "insufficientScope" || call.exchange.response.status === 403 ? "certain" : "likely",
      });
    }
  },
};

export default rule;
