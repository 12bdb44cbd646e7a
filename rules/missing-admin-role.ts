import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { operationById } from "../src/okta/catalog.js";
import { jwtIssuerInfo, jwtKind, jwtScopes } from "../src/okta/credentials.js";
import { maskSecret } from "../src/okta/mask.js";
import { authOf, errorOf, jwtOf, requestLineOf, groupFirst } from "./util.js";
import { at, authEvidence, jwtSummary, outcomeOf, relatedOf, repeatNote, scopeVerdict } from "./util-tokens.js";

type MessageId = "apiTokenRole" | "serviceAppRole" | "userRole";

/** What the catalog knows about the roles and permissions an operation needs, as a sentence fragment. */
function rolesNote(call: OktaCall): string {
  const id = call.classification.operationId;
  const op = id ? operationById(id) : undefined;
  const roles = op?.adminRoles ?? [];
  const perms = op?.permissions ?? [];
  const parts: string[] = [];
  if (roles.length) parts.push(`Okta's API reference lists ${roles.length === 1 ? "the admin role" : "the admin roles"} ${roles.join(", ")} for this operation`);
  if (perms.length) parts.push(`${parts.length ? "and" : "Okta's API reference lists"} the permission${perms.length === 1 ? "" : "s"} ${perms.join(", ")}`);
  return parts.length ? ` ${parts.join(" ")}.` : "";
}

const rule: Rule = {
  id: "missing-admin-role",
  severity: "warning",
  tags: ["management", "tokens", "oauth"],
  title: "403 E0000006: the credential is valid but its admin role does not allow the call",
  explanation:
    "Okta checks two things on a management call: that the credential may ask (an API token, or an access token with the right okta.* scope) and that the admin behind it may act. " +
    "403 E0000006 \"You do not have permission to perform the requested action\" with a sufficient credential means the second check failed: " +
    "an API token acts with the current admin roles of the admin who created it, a service app with the admin roles assigned to the app, and a user's access token with that user's admin roles. " +
    "The org authorization server issues okta.* scopes even to users who lack the matching admin permission (silent downscoping), so such a token looks fine and still gets 403. " +
    "Roles can also be limited to resource sets, so the same call may work on one group or app and fail on another.",
  fix:
    "Give the acting identity an admin role whose permissions cover this operation and this resource: Security › Administrators for users and API-token creators, Applications › your service app › Admin roles for service apps. " +
    "Prefer a custom role with just the permissions needed over Super Administrator. An API token keeps following its creator's roles, so changing them changes the token.",
  docs: [
    "https://developer.okta.com/docs/reference/error-codes/#E0000006",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/",
    "https://developer.okta.com/docs/guides/create-an-api-token/main/",
  ],
  needs: ["authorization"],
  // A 403 E0000006 is a permissions problem first: where wrong-base-url sees the same call (on the -admin host), its advice is secondary.
  explains: ["wrong-base-url"],
  messages: {
    apiTokenRole:
      "Okta accepted the API token {{token}} on {{endpoint}} but refused the action (403 E0000006): the token acts with the admin roles of the admin who created it, and those roles do not allow {{access}} " +
      "(or only on a resource set that excludes this resource).{{roles}} Give that admin a role that covers it, or use a service app with its own role.{{repeat}}",
    serviceAppRole:
      "The service app {{client}} has {{scopes}} for {{endpoint}}, yet Okta refused the action (403 E0000006): scopes only say what the app may ask for; the admin role assigned to the app decides what it may do, " +
      "and it does not allow {{access}} (or only on a resource set that excludes this resource).{{roles}} Assign a role that covers it under Applications › the app › Admin roles.{{repeat}}",
    userRole:
      "The access token sent to {{endpoint}} carries {{scopes}}, yet Okta refused the action (403 E0000006): the signed-in user the token was issued to has no admin role allowing {{access}}. " +
      "The org authorization server grants okta.* scopes the app asks for even to users without the matching admin permission.{{roles}} Have that user assigned a suitable admin role, or call the API as a service app.{{repeat}}",
  },
  check(ctx) {
    const hits: { call: OktaCall; messageId: MessageId }[] = [];
    for (const call of ctx.calls) {
      if (call.exchange.response.status !== 403 || call.classification.kind !== "management") continue;
      const err = errorOf(call);
      if (err?.okta?.errorCode !== "E0000006") continue;
      // A missing scope is a different cause (missing-scope), even when the body says E0000006.
      if (err.oauth?.error === "insufficient_scope") continue;
      const auth = authOf(call);
      if (!auth) continue;
      // An endpoint that takes only the browser's session refuses any token whatever its roles (api-token-on-cookie-endpoint).
      const accepts = call.classification.accepts;
      if (auth.schemeKey === "ssws" ? !accepts.includes("ssws") : !accepts.some((a) => a === "bearer-org-as" || a === "bearer-custom-as")) continue;
      if (auth.schemeKey === "ssws" && auth.tokenKind === "ssws-token") {
        hits.push({ call, messageId: "apiTokenRole" });
        continue;
      }
      if (auth.schemeKey !== "bearer" && auth.schemeKey !== "dpop") continue;
      const jwt = jwtOf(call);
      if (!jwt || jwtKind(jwt.claims, jwt.header) === "id") continue;
      if (jwtIssuerInfo(jwt.claims)?.authorizationServer.type !== "org") continue;
      const required = call.classification.scopes;
      if (required.length > 0 && !scopeVerdict(required, jwtScopes(jwt.claims), call, jwt.claims).ok) continue;
      const c = jwt.claims;
      const serviceApp = typeof c.cid === "string" && (c.sub === c.cid || c.uid === undefined);
      hits.push({ call, messageId: serviceApp ? "serviceAppRole" : "userRole" });
    }
    for (const { first, rest } of groupFirst(hits, (h) => `${authOf(h.call)!.token}\0${h.call.exchange.request.method}\0${h.call.classification.pathTemplate ?? ""}`)) {
      const { call, messageId } = first;
      const auth = authOf(call)!;
      const jwt = jwtOf(call);
      const method = call.exchange.request.method.toUpperCase();
      const restCalls = rest.map((h) => h.call);
      const scopes = jwt ? jwtScopes(jwt.claims) : [];
      const evidence = [authEvidence(auth.scheme, auth.token)];
      if (jwt) evidence.push(jwtSummary(jwt));
      evidence.push(outcomeOf(call));
      ctx.report({
        ...at(call),
        messageId,
        data: {
          endpoint: requestLineOf(call),
          token: maskSecret(auth.token),
          client: jwt && typeof jwt.claims.cid === "string" ? jwt.claims.cid : "(unknown client)",
          scopes: scopes.length ? scopes.join(" ") : "no scopes",
          access: method === "GET" || method === "HEAD" ? `reading ${call.classification.family} resources` : `changing ${call.classification.family} resources`,
          roles: rolesNote(call),
          repeat: repeatNote("credential", restCalls),
        },
        evidence,
        related: relatedOf(restCalls),
        confidence: "likely",
      });
    }
  },
};

export default rule;
