import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { maskAuthorization, maskSecret } from "../src/okta/mask.js";
import { authOf, headerPath, endpointTemplateOf, requestLineOf } from "./util.js";
import {
  deadlineOf,
  formatSecondsDuration,
  isRequestSighting,
  statusLine,
  tokenIndex,
  type TokenSighting,
  type TrackedToken,
} from "./util-browser.js";

/** Which message explains the endpoint a one-time token was sent to as a credential. */
function credentialMessage(call: OktaCall): "credentialManagement" | "credentialSession" | "credentialAuthn" | "credential" {
  const c = call.classification;
  if (c.family === "authn") return "credentialAuthn";
  if (c.accepts.includes("session-cookie") && (c.kind === "end-user" || c.family === "users/me" || c.family === "sessions")) return "credentialSession";
  if (c.kind === "management") return "credentialManagement";
  return "credential";
}

/** `issued by POST /api/v1/sessions at entry 1`, or where it was first seen when no response shows it. */
function sourceOf(rec: TrackedToken): string {
  const s = rec.issued ?? rec.sightings[0]!;
  const where = rec.issued ? "issued by" : s.where === "request.query" ? "seen in the query of" : "seen in the body of";
  return `${where} ${requestLineOf(s.call)} at entry ${s.call.exchange.index}`;
}

/** The message data both redemption findings (reused, expired) start with. */
function redemptionData(rec: TrackedToken, call: OktaCall): Record<string, string | number> {
  return {
    kind: rec.kind,
    token: maskSecret(rec.value),
    source: sourceOf(rec),
    request: requestLineOf(call),
    entry: call.exchange.index,
    status: statusLine(call),
  };
}

function sightingPath(s: TokenSighting): string | undefined {
  if (s.where === "request.query") return "request.queryString";
  if (s.where === "request.body") return "request.postData";
  return undefined;
}

const rule: Rule = {
  id: "session-token-misuse",
  severity: "error",
  tags: ["tokens", "sessions", "management"],
  title: "A one-time sign-in token (sessionToken, cookieToken, stateToken) is misused",
  explanation:
    "Okta has two separate worlds. End-user endpoints (`/api/v1/authn`, `/api/v1/sessions/me`, `/api/v1/users/me`, `/oauth2/…/authorize`) serve the person at the browser: " +
    "they work with the browser's own Okta session cookie, and the one-time tokens of a sign-in exist only to create that cookie. " +
    "Management endpoints (`/api/v1/users`, `/api/v1/groups`, `/api/v1/apps`…) serve your backend: they take an SSWS API token or an OAuth access token from the org authorization server, sent from a server. " +
    "A sessionToken or cookieToken is neither: it is redeemed once, within five minutes, by a browser navigation that turns it into the session cookie; a stateToken only carries an authn transaction forward in the request body. " +
    "Put in an Authorization header, reused, or redeemed late, such a token fails (401 E0000011 looks like a bad API token, which hides the real mistake).",
  fix:
    "Decide which goal you have. To sign the user in to the browser: redeem the sessionToken once, right away, in a browser navigation — " +
    "`/oauth2/v1/authorize?sessionToken=…` (or `/oauth2/{authServerId}/v1/authorize`) in an OIDC flow, or `/login/sessionCookieRedirect?token=…&redirectUrl=…` — and let the browser keep the cookie. " +
    "To call management APIs (users, groups, apps): call them from your server with an OAuth service app (client credentials with private_key_jwt, okta.* scopes, an admin role) or an API token (`Authorization: SSWS …`), never with a token from the sign-in. " +
    "Do not keep a sessionToken for later: get a new one by signing in again.",
  docs: [
    "https://developer.okta.com/docs/reference/api/authn/",
    "https://developer.okta.com/docs/guides/session-cookie/main/",
    "https://developer.okta.com/docs/reference/core-okta-api/",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/",
  ],
  needs: ["authorization", "bodies"],
  // A one-time token used as an API credential is rejected, and is then never redeemed in a browser;
  // where it was issued by a deprecated call (a cookieToken), that call is part of the same mistake.
  // A one-time token in an SSWS header from a page is not an API token in the page.
  explains: ["api-token-rejected", "authorization-scheme", "session-token-not-exchanged", "deprecated-api", "ssws-in-browser"],
  messages: {
    credentialManagement:
      "The {{kind}} {{token}}, {{source}}, is sent as an API credential (`Authorization: {{scheme}} …`) on {{request}} at entry {{entry}} ({{status}}). " +
      "{{endpoint}} is a management endpoint: it takes an SSWS API token or an org-AS OAuth access token, from a server; a {{kind}} only turns into a browser session. " +
      "To sign the user in to the browser, redeem the sessionToken in a browser navigation (/oauth2/v1/authorize?sessionToken=… or /login/sessionCookieRedirect); to call management APIs, use an API token or an OAuth service app from your server.",
    credentialSession:
      "The {{kind}} {{token}}, {{source}}, is sent as an API credential (`Authorization: {{scheme}} …`) on {{request}} at entry {{entry}} ({{status}}). " +
      "{{endpoint}} is an end-user endpoint: it answers for the browser's own Okta session, from the session cookie the browser sends itself, not for a token in a header. " +
      "Redeem the sessionToken in a browser navigation (/oauth2/v1/authorize?sessionToken=… or /login/sessionCookieRedirect) and call this endpoint from the page with credentials: \"include\".",
    credentialAuthn:
      "The {{kind}} {{token}}, {{source}}, is sent in the Authorization header (`{{scheme}} …`) on {{request}} at entry {{entry}} ({{status}}). " +
      "{{endpoint}} takes the stateToken in the JSON body (`{\"stateToken\": …}`); its Authorization header is only for a trusted app's SSWS API token.",
    credential:
      "The {{kind}} {{token}}, {{source}}, is sent as an API credential (`Authorization: {{scheme}} …`) on {{request}} at entry {{entry}} ({{status}}). " +
      "{{endpoint}} does not take one-time sign-in tokens in a header: a sessionToken or cookieToken is redeemed once by a browser navigation, and API calls need an API token or an OAuth access token.",
    reused:
      "The {{kind}} {{token}}, {{source}}, is redeemed again by {{request}} at entry {{entry}} ({{status}}) after {{firstRequest}} already redeemed it at entry {{firstEntry}}; a {{kind}} works once.",
    expired:
      "The {{kind}} {{token}}, {{source}}, is redeemed by {{request}} at entry {{entry}} ({{status}}) {{age}} after it was issued, but it was valid for {{lifetime}}; sign in again for a new one and redeem it right away.",
  },
  check(ctx) {
    const index = tokenIndex(ctx.capture);
    if (index.byValue.size === 0) return;

    // Sent as a credential in the Authorization header (any scheme).
    for (const call of ctx.calls) {
      const auth = authOf(call);
      if (!auth || auth.token === "") continue;
      const rec = index.byValue.get(auth.token);
      if (!rec) continue;
      const ex = call.exchange;
      const path = headerPath(ex, "request", "authorization");
      const origin = rec.issued ?? rec.sightings[0]!;
      ctx.report({
        call,
        messageId: credentialMessage(call),
        data: {
          kind: rec.kind,
          token: maskSecret(rec.value),
          source: sourceOf(rec),
          scheme: auth.scheme || "(no scheme)",
          request: requestLineOf(call),
          entry: ex.index,
          status: statusLine(call),
          endpoint: endpointTemplateOf(call),
        },
        evidence: [`Authorization: ${maskAuthorization(auth.raw)}`, `${rec.kind} ${sourceOf(rec)} (${origin.path})`, statusLine(call)],
        ...(path ? { path } : {}),
        related: [origin.call.exchange.index],
        confidence: rec.issued ? "certain" : "likely",
      });
    }

    // Redeemed twice, or after its lifetime.
    for (const rec of index.byValue.values()) {
      let first: TokenSighting | undefined;
      let deadline: number | undefined;
      let lastIssue: TokenSighting | undefined;
      let expiredReported = false;
      for (const s of rec.sightings) {
        if (!isRequestSighting(s)) {
          // A stateToken's expiry slides with every response that carries it.
          if (!lastIssue || rec.kind === "stateToken") {
            lastIssue = s;
            deadline = deadlineOf(s, rec.kind);
          }
          continue;
        }
        const call = s.call;
        const ex = call.exchange;
        const path = sightingPath(s);
        if (rec.kind !== "stateToken" && first && first.call !== call) {
          ctx.report({
            call,
            messageId: "reused",
            data: {
              ...redemptionData(rec, call),
              firstRequest: requestLineOf(first.call),
              firstEntry: first.call.exchange.index,
            },
            evidence: [`${s.path}=${maskSecret(rec.value)} (${s.where})`, `first redeemed at entry ${first.call.exchange.index}: ${requestLineOf(first.call)}`, statusLine(call)],
            ...(path ? { path } : {}),
            related: [first.call.exchange.index, ...(rec.issued ? [rec.issued.call.exchange.index] : [])],
            confidence: "certain",
          });
          continue;
        }
        if (!first) first = s;
        if (expiredReported || deadline === undefined || !lastIssue || ex.startedAt === null || lastIssue.call.exchange.startedAt === null) continue;
        if (ex.startedAt > deadline) {
          expiredReported = true;
          const issuedAt = lastIssue.call.exchange.startedAt;
          ctx.report({
            call,
            messageId: "expired",
            data: {
              ...redemptionData(rec, call),
              age: formatSecondsDuration(ex.startedAt - issuedAt),
              lifetime: formatSecondsDuration(Math.max(0, deadline - issuedAt - 1000)),
            },
            evidence: [
              `${s.path}=${maskSecret(rec.value)} (${s.where})`,
              `issued at entry ${lastIssue.call.exchange.index} (${new Date(issuedAt).toISOString()}), used at ${new Date(ex.startedAt).toISOString()}`,
              statusLine(call),
            ],
            ...(path ? { path } : {}),
            related: [lastIssue.call.exchange.index],
            confidence: "certain",
          });
        }
      }
    }
  },
};

export default rule;
