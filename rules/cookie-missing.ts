import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { authOf, errorOf, headerPath, isFromBrowser, sanitizationOf, endpointTemplateOf, requestLineOf } from "./util.js";
import {
  blockedSessionCookies,
  cookieTimeline,
  describeReasons,
  isApiV1,
  isPreflight,
  originOf,
  siteRelation,
  statusLine,
  THIRD_PARTY_REASONS,
  type CookieState,
  browserConsideredNoCookies,
} from "./util-browser.js";

/** Okta's answers to a cookie endpoint called without a session: 404 E0000007 (`me (Session)`), 403, 401. */
function noSessionAnswer(call: OktaCall): boolean {
  const status = call.exchange.response.status;
  const err = errorOf(call);
  if (status === 404 && err?.code === "E0000007") return true;
  return status === 403 || status === 401;
}

function heldText(session: CookieState["session"], anyCookieAt: number | undefined): string {
  if (session) return `${session.name} ${session.how === "set" ? "set" : "sent"} at entry ${session.since}`;
  return `Okta cookies ${anyCookieAt === undefined ? "seen" : `seen at entry ${anyCookieAt}`}`;
}

const rule: Rule = {
  id: "cookie-missing",
  severity: "error",
  tags: ["cookies", "browser", "sessions", "cors"],
  title: "A cookie-authenticated Okta endpoint is called without the session cookie",
  explanation:
    "Endpoints such as `/api/v1/sessions/me` and `/api/v1/users/me` find the signed-in user through Okta's session cookie (`sid` in Classic Engine, `idx` in Identity Engine), which lives on the Okta domain. " +
    "A page on another origin only sends it when it asks for it: `fetch` sends no cookies cross-origin unless called with `credentials: \"include\"`, and XHR needs `withCredentials = true`. " +
    "Without the cookie Okta sees an anonymous request and answers 404 E0000007 \"Not found: Resource not found: me (Session)\" or 403, usually without the CORS headers, so the page reports a CORS error that hides the real cause.",
  fix:
    "Call the endpoint with credentials: `fetch(\"https://{yourOktaDomain}/api/v1/sessions/me\", { credentials: \"include\" })`, `axios(…, { withCredentials: true })` or `xhr.withCredentials = true` " +
    "(okta-auth-js `session.get()` / `session.exists()` already do). Add the page's origin under Security › API › Trusted Origins with CORS enabled, and send no Authorization header. " +
    "If the browser reports the cookie as blocked, fix what it names (see the reason in the finding).",
  docs: ["https://developer.okta.com/docs/guides/enable-cors/main/", "https://developer.okta.com/docs/guides/session-cookie/main/"],
  needs: ["cookies", "set-cookie"],
  // Okta answers the call without a session with an error that has no CORS headers: the CORS error follows from it.
  explains: ["untrusted-origin"],
  messages: {
    noCredentials:
      "{{request}} from {{origin}} (entry {{entry}}) sent no cookies at all, although the browser holds Okta cookies for {{host}} ({{held}}): {{endpoint}} authenticates with the Okta session cookie, so the page must call it with credentials: \"include\" (fetch) or withCredentials = true (XHR). Okta answered {{status}}.",
    blocked:
      "{{request}} from {{origin}} (entry {{entry}}) went without Okta's {{cookie}} session cookie because the browser blocked it: {{reasons}}. {{endpoint}} authenticates with that cookie only; Okta answered {{status}}.",
  },
  check(ctx) {
    if (sanitizationOf(ctx.capture).sanitized) return;
    const timeline = cookieTimeline(ctx.capture);
    for (const call of ctx.calls) {
      const ex = call.exchange;
      if (!isFromBrowser(call) || isPreflight(ex) || ex.request.method === "OPTIONS" || !isApiV1(call)) continue;
      if (!call.classification.accepts.includes("session-cookie")) continue;
      if (authOf(call) || call.credential.sessionCookies.length > 0) continue;
      const relation = siteRelation(ex);
      if (relation === "same-origin") continue;
      const origin = originOf(ex) ?? "the page";

      const blocked = blockedSessionCookies(ex).filter((b) => b.side === "request" && b.reasons.some((r) => !THIRD_PARTY_REASONS.has(r)));
      if (blocked.length > 0) {
        const b = blocked[0]!;
        ctx.report({
          call,
          messageId: "blocked",
          data: { request: requestLineOf(call), origin, entry: ex.index, cookie: b.name, reasons: describeReasons(b.reasons), endpoint: endpointTemplateOf(call), status: statusLine(call) },
          evidence: [`browser blocked ${b.name}: ${b.reasons.join(", ")}`, statusLine(call)],
          path: b.path,
          confidence: "certain",
        });
        continue;
      }
      // Blocked for third-party reasons: third-party-cookies-blocked explains it.
      if (blockedSessionCookies(ex).some((b) => b.side === "request")) continue;

      if (ex.request.cookies.length > 0) continue;
      const state = timeline.before(call);
      // Okta ended the session (sign-out cleared its cookie) and nothing set one since: there was no cookie to send.
      if (state.cleared !== undefined && !state.session && state.anyCookieAt === undefined) continue;
      const crossSiteWorks = timeline.crossSiteCookiesSeen.has(call.host.host);
      const sureSession = state.session && !state.session.crossSite ? state.session : undefined;
      if (state.anyCookieAt === undefined && !sureSession && !crossSiteWorks) continue;
      // The browser says it considered no cookie at all: the request went without credentials, whatever the site relation.
      const omitted = browserConsideredNoCookies(ex) && (state.session !== undefined || state.anyCookieAt !== undefined);
      // A cross-site page after Okta set its session cookie, with no sign that third-party cookies reach Okta: third-party-cookies-blocked.
      if (!omitted && relation === "cross-site" && state.session && !crossSiteWorks) continue;
      const held = state.anyCookieAt !== undefined || sureSession ? heldText(sureSession, state.anyCookieAt) : "a cross-site request from a page carried them elsewhere in the capture";
      const confirmed = noSessionAnswer(call);
      ctx.report({
        call,
        messageId: "noCredentials",
        data: { request: requestLineOf(call), origin, entry: ex.index, host: call.host.host, held, endpoint: endpointTemplateOf(call), status: statusLine(call) },
        evidence: [
          `Origin: ${origin}`,
          "no Cookie header",
          `browser holds Okta cookies: ${held}`,
          ...(omitted ? ["the browser considered no cookie for this request (DevTools associatedCookies is empty): it was made without credentials"] : []),
          statusLine(call),
        ],
        ...(headerPath(ex, "request", "origin") ? { path: headerPath(ex, "request", "origin")! } : {}),
        related: [sureSession?.since ?? state.anyCookieAt].filter((n): n is number => n !== undefined),
        confidence: omitted || (confirmed && relation !== "cross-site") ? "certain" : "likely",
      });
    }
  },
};

export default rule;
