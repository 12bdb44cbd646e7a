import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { maskAuthorization, maskSecret } from "../src/okta/mask.js";
import { authOf, headerPath, endpointTemplateOf, requestLineOf } from "./util.js";
import { isApiV1, statusLine } from "./util-browser.js";

/** The user id Okta answered with, from a 2xx JSON body (`"id":"00u…"`). */
function answeredUserId(call: OktaCall): string | undefined {
  const ex = call.exchange;
  if (ex.response.status < 200 || ex.response.status >= 300) return undefined;
  const text = ex.response.body?.text;
  if (!text || text.length > 64 * 1024) return undefined;
  return /"id"\s*:\s*"(00u[A-Za-z0-9]{10,30})"/.exec(text)?.[1];
}

const rule: Rule = {
  id: "api-token-on-cookie-endpoint",
  severity: "error",
  tags: ["tokens", "cookies", "sessions", "browser"],
  title: "An API token or access token is sent to an endpoint of the browser's own session",
  explanation:
    "A few Okta endpoints exist only for the person at the browser and find that person through the Okta session cookie: `/api/v1/sessions/me` (read, refresh or close the current session) and `/api/v1/users/me/lifecycle/delete_sessions`. " +
    "They do not look at an `SSWS` API token (Okta: \"An API token isn't allowed for this operation\"), and `/api/v1/sessions/me` takes no access token either: there is no \"me\" session behind a header, so the call fails (usually 404 E0000007 or 403). " +
    "`/api/v1/users/me` does take an API token, but then \"me\" is the admin who created the token, not the user at the browser: code that reads the current user that way gets the wrong person.",
  fix:
    "Call these endpoints from the page, with the browser's session cookie: `fetch(url, { credentials: \"include\" })` (or `xhr.withCredentials = true`) from a Trusted Origin with CORS enabled, and no Authorization header. " +
    "From a server, use the admin endpoints instead: `GET /api/v1/sessions/{sessionId}`, `DELETE /api/v1/users/{userId}/sessions`, `GET /api/v1/users/{userId}` with the user's id. " +
    "To read the signed-in user from an app, use an access token from the org authorization server with `okta.users.read.self` (or the MyAccount API), or the ID token's claims.",
  docs: [
    "https://developer.okta.com/docs/api/openapi/okta-management/management/tags/session",
    "https://developer.okta.com/docs/guides/session-cookie/main/",
    "https://developer.okta.com/docs/guides/enable-cors/main/",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/",
  ],
  needs: ["authorization"],
  messages: {
    ssws: "{{endpoint}} only takes the browser's Okta session cookie, but {{request}} at entry {{entry}} sends {{credential}} ({{status}}); an API token is not allowed there and there is no browser session behind it.",
    bearer:
      "{{endpoint}} only takes the browser's Okta session cookie, but {{request}} at entry {{entry}} sends an access token (`{{scheme}}`, {{token}}) ({{status}}); Okta finds the current session from the cookie, never from a token.",
    sswsUsersMe:
      "{{request}} at entry {{entry}} sends {{credential}} to /api/v1/users/me ({{status}}{{answer}}): with an API token, \"me\" is the admin who created the token, not the user signed in at the browser.",
  },
  check(ctx) {
    for (const call of ctx.calls) {
      const ex = call.exchange;
      if (ex.request.method === "OPTIONS" || !isApiV1(call)) continue;
      const accepts = call.classification.accepts;
      if (!accepts.includes("session-cookie")) continue;
      const auth = authOf(call);
      if (!auth || auth.token === "") continue;
      const path = headerPath(ex, "request", "authorization");
      const base = {
        endpoint: endpointTemplateOf(call),
        request: requestLineOf(call),
        entry: ex.index,
        status: statusLine(call),
        token: maskSecret(auth.token),
        // A JWT in the SSWS header is no API token (authorization-scheme says so): name what was sent.
        credential: auth.tokenKind === "jwt" ? `the JWT ${maskSecret(auth.token)} with the SSWS scheme` : `the API token ${maskSecret(auth.token)}`,
      };
      const evidence = [`Authorization: ${maskAuthorization(auth.raw)}`, statusLine(call)];
      if (auth.schemeKey === "ssws") {
        if (!accepts.includes("ssws")) {
          ctx.report({ call, messageId: "ssws", data: base, evidence, ...(path ? { path } : {}), confidence: "certain" });
        } else if (call.classification.operationId === "users.me" && auth.tokenKind !== "jwt") {
          // (A JWT sent as SSWS is not an API token: "me" is nobody; authorization-scheme reports the scheme.)
          const id = answeredUserId(call);
          ctx.report({
            call,
            messageId: "sswsUsersMe",
            data: { ...base, answer: id ? `, answered with user ${id}` : "" },
            evidence: id ? [...evidence, `answered with "id": "${id}"`] : evidence,
            ...(path ? { path } : {}),
            severity: "warning",
            confidence: "likely",
          });
        }
      } else if (auth.schemeKey === "bearer" || auth.schemeKey === "dpop") {
        if (accepts.some((a) => a === "bearer-org-as" || a === "bearer-custom-as")) continue;
        ctx.report({ call, messageId: "bearer", data: { ...base, scheme: auth.scheme }, evidence, ...(path ? { path } : {}), confidence: "certain" });
      }
    }
  },
};

export default rule;
