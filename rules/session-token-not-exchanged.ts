import type { Rule } from "../src/engine/types.js";
import { maskSecret } from "../src/okta/mask.js";
import { requestLineOf } from "./util.js";
import { isRequestSighting, redemptionKind, tokenIndex, type TokenSighting, type TrackedToken } from "./util-browser.js";

/** An Identity Engine success answer: a `success` remediation whose href is `/login/token/redirect?stateToken=…`. */
function isIdxSuccessRedirect(s: TokenSighting): boolean {
  if (s.kind !== "stateToken" || s.where !== "response.body" || !/\.success\.href\?stateToken$/.test(s.path)) return false;
  return s.call.exchange.response.body?.text?.includes("/login/token/redirect") ?? false;
}

/** Request sightings of a token after the entry that issued it. */
function laterUses(rec: TrackedToken, after: number): TokenSighting[] {
  return rec.sightings.filter((s) => isRequestSighting(s) && s.call.exchange.index > after);
}

const rule: Rule = {
  id: "session-token-not-exchanged",
  severity: "warning",
  tags: ["sessions", "tokens", "browser"],
  title: "A sessionToken is never turned into a browser session",
  explanation:
    "A successful sign-in through `/api/v1/authn` (or the Identity Engine) does not sign the user in to the browser by itself: it returns a one-time sessionToken, valid for five minutes, " +
    "and only a browser navigation that carries it (`/oauth2/v1/authorize?sessionToken=…`, `/login/sessionCookieRedirect`, or `/login/token/redirect` in the Identity Engine) makes Okta set its session cookie. " +
    "`POST /api/v1/sessions` also consumes the sessionToken, but it creates the session on the server side and sets no cookie in any browser, so SSO, `/api/v1/sessions/me` and okta-auth-js session checks find nothing. " +
    "A sessionToken left unredeemed is a finished sign-in that the browser never sees.",
  fix:
    "Hand the sessionToken to the browser and redeem it at once with a navigation: prefer an OIDC redirect, `https://{yourOktaDomain}/oauth2/v1/authorize?client_id=…&response_type=code&…&sessionToken=…` (okta-auth-js `token.getWithRedirect({ sessionToken })`), " +
    "or `/login/sessionCookieRedirect?token=…&redirectUrl=…` with the redirect URL registered as a Trusted Origin (Redirect). " +
    "Do not create the session with `POST /api/v1/sessions` when the goal is a signed-in browser. With the Identity Engine, let the browser follow the success redirect to `/login/token/redirect`.",
  docs: [
    "https://developer.okta.com/docs/guides/session-cookie/main/",
    "https://developer.okta.com/docs/reference/api/authn/",
    "https://developer.okta.com/docs/api/openapi/okta-management/management/tags/session",
    "https://developer.okta.com/docs/guides/oie-upgrade-sessions-api/main/",
  ],
  needs: ["bodies"],
  liveDefer: true,
  messages: {
    neverRedeemed:
      "The sessionToken {{token}} issued by {{request}} at entry {{entry}} is never redeemed by a browser in this capture: no navigation to /oauth2/v1/authorize?sessionToken=…, /login/sessionCookieRedirect or an app link follows, so the user has no Okta session in the browser.",
    neverRedeemedServer:
      "The sessionToken {{token}} issued by {{request}} at entry {{entry}} is never redeemed in this capture, which holds no browser traffic; unless the browser navigates with it (/oauth2/v1/authorize?sessionToken=… or /login/sessionCookieRedirect) within five minutes, the user gets no Okta session in the browser.",
    onlyApiSession:
      "The sessionToken {{token}} issued by {{issuer}} at entry {{issuedEntry}} is redeemed only by POST /api/v1/sessions at entry {{entry}}, which creates a session on the server side and sets no cookie in any browser; the user is not signed in to Okta in the browser.",
    onlyApiSessionCookieToken:
      "The sessionToken {{token}} issued by {{issuer}} at entry {{issuedEntry}} is redeemed only by POST /api/v1/sessions at entry {{entry}}, which sets no cookie in any browser, and the cookieToken {{cookieToken}} it returned is never redeemed by a browser navigation either; the user is not signed in to Okta in the browser.",
    idxNotRedirected:
      "The Identity Engine sign-in finished at {{request}} (entry {{entry}}) with a success redirect to /login/token/redirect (stateToken {{token}}), but the browser never follows it in this capture; that navigation is what sets the Okta session cookie.",
  },
  check(ctx) {
    const index = tokenIndex(ctx.capture);
    if (index.byValue.size === 0) return;
    const noBrowser = ctx.capture.stats.fromBrowser === 0;
    for (const rec of index.byValue.values()) {
      const issued = rec.issued;
      if (!issued) continue;
      const at = issued.call.exchange.index;

      if (isIdxSuccessRedirect(issued)) {
        if (laterUses(rec, at).length > 0) continue;
        ctx.report({
          call: issued.call,
          messageId: "idxNotRedirected",
          data: { request: requestLineOf(issued.call), entry: at, token: maskSecret(rec.value) },
          evidence: [`${issued.path}: /login/token/redirect?stateToken=${maskSecret(rec.value)}`],
          path: "response.content.text",
          confidence: noBrowser ? "possible" : "likely",
        });
        continue;
      }

      if (issued.kind !== "sessionToken" || issued.where !== "response.body") continue;
      const uses = laterUses(rec, at);
      if (uses.length === 0) {
        ctx.report({
          call: issued.call,
          messageId: noBrowser ? "neverRedeemedServer" : "neverRedeemed",
          data: { token: maskSecret(rec.value), request: requestLineOf(issued.call), entry: at },
          evidence: [`${issued.path}: ${maskSecret(rec.value)}`, `HTTP ${issued.call.exchange.response.status}`],
          path: "response.content.text",
          confidence: noBrowser ? "possible" : "likely",
        });
        continue;
      }
      if (uses.some((u) => redemptionKind(u.call) !== "api-session")) continue;

      // Only POST /api/v1/sessions consumed it: did a cookieToken it returned reach a browser?
      const sessionCall = uses[0]!.call;
      const cookieTokens = uses
        .flatMap((u) => index.sightingsOf(u.call))
        .filter((s) => s.kind === "cookieToken" && s.where === "response.body")
        .map((s) => index.byValue.get(s.value))
        .filter((r, i, all): r is TrackedToken => r !== undefined && all.indexOf(r) === i);
      if (cookieTokens.some((ct) => laterUses(ct, ct.issued?.call.exchange.index ?? at).length > 0)) continue;
      const data = {
        token: maskSecret(rec.value),
        issuer: requestLineOf(issued.call),
        issuedEntry: at,
        entry: sessionCall.exchange.index,
      };
      ctx.report({
        call: sessionCall,
        messageId: cookieTokens.length > 0 ? "onlyApiSessionCookieToken" : "onlyApiSession",
        data: cookieTokens.length > 0 ? { ...data, cookieToken: maskSecret(cookieTokens[0]!.value) } : data,
        evidence: [
          `${issued.path} at entry ${at}: ${maskSecret(rec.value)}`,
          `POST /api/v1/sessions at entry ${sessionCall.exchange.index}: HTTP ${sessionCall.exchange.response.status}, no Set-Cookie for a browser`,
          ...cookieTokens.slice(0, 1).map((ct) => `cookieToken ${maskSecret(ct.value)} never redeemed`),
        ],
        path: "request.postData",
        related: [at],
        confidence: "likely",
      });
    }
  },
};

export default rule;
