import type { Rule } from "../src/engine/types.js";
import { authOf, headerPath, isFromBrowser, sanitizationOf, requestLineOf } from "./util.js";
import {
  blockedSessionCookies,
  cookieTimeline,
  describeReasons,
  isPreflight,
  isTopLevelNavigation,
  originOf,
  siteOf,
  siteRelation,
  statusLine,
  THIRD_PARTY_REASONS,
  reqHeader,
  browserConsideredNoCookies,
} from "./util-browser.js";

const rule: Rule = {
  id: "third-party-cookies-blocked",
  severity: "warning",
  tags: ["cookies", "browser", "sessions"],
  title: "Okta's session cookie does not reach Okta from the app's site (third-party cookies blocked)",
  explanation:
    "Okta's session cookie (`sid`, `idx`) belongs to the Okta domain. When a page on another site calls Okta — `/api/v1/sessions/me` or `/api/v1/users/me` by XHR, or `/authorize?prompt=none` in a hidden iframe to renew tokens — that cookie is a third-party cookie. " +
    "Safari and Firefox block third-party cookies by default and Chrome lets users (and its phase-out) do the same, so the request reaches Okta without the session: session checks fail with 403/404, silent renewal answers `login_required`, and the app keeps sending the user back to sign in. " +
    "Okta-hosted sign-in pages are not affected: the problem is calling Okta's cookie endpoints from a page on another site.",
  fix:
    "Stop depending on the Okta cookie from the app's pages: use the redirect flow (Authorization Code with PKCE) and renew tokens with refresh tokens (enable the refresh token grant with rotation) instead of a hidden iframe, " +
    "and read the user from the ID token or the MyAccount API instead of `/api/v1/sessions/me`. " +
    "If the app must share Okta's session, give the org a custom URL domain on the app's site (login.example.com for app.example.com) so that the cookie is first-party.",
  docs: [
    "https://developer.okta.com/blog/2024/02/29/third-party-cookies",
    "https://developer.okta.com/docs/guides/session-cookie/main/",
    "https://developer.okta.com/docs/guides/enable-cors/main/",
  ],
  needs: ["cookies", "set-cookie"],
  // Without Okta's cookie a silent renew answers login_required, and a session call fails (with no CORS headers on Okta's error).
  explains: ["authorize-error", "cookie-missing", "untrusted-origin"],
  messages: {
    missing:
      "Okta set its session cookie {{cookie}} on {{host}} at entry {{setAt}}, but {{request}} from {{origin}} (entry {{entry}}, cross-site) carries no Okta session cookie ({{status}}): the browser is most likely blocking Okta's cookie as a third-party cookie on {{site}} (if it is not, the call was made without credentials: \"include\").",
    blockedSend:
      "The browser did not send Okta's {{cookie}} cookie with {{request}} from {{origin}} (entry {{entry}}): it reported {{reasons}}. Calls from {{site}} to {{host}} reach Okta without the session ({{status}}).",
    blockedSet:
      "The browser refused the {{cookie}} cookie that Okta set in its answer to {{request}} (entry {{entry}}{{from}}): it reported {{reasons}}. The Okta session is not stored, so later calls from the page reach Okta without it.",
  },
  check(ctx) {
    const sanitized = sanitizationOf(ctx.capture).sanitized;
    const timeline = cookieTimeline(ctx.capture);
    for (const call of ctx.calls) {
      const ex = call.exchange;
      if (!isFromBrowser(call)) continue;
      const origin = originOf(ex);
      const host = call.host.host;
      const blockedAll = blockedSessionCookies(ex);
      const blocked = blockedAll.length === 0 ? blockedAll : blockedAll.filter((b) => b.reasons.some((r) => THIRD_PARTY_REASONS.has(r)));
      const site = blocked.length === 0 ? "" : siteLabel(origin);

      for (const b of blocked) {
        const reasons = describeReasons(b.reasons.filter((r) => THIRD_PARTY_REASONS.has(r)));
        ctx.report({
          call,
          messageId: b.side === "request" ? "blockedSend" : "blockedSet",
          data: {
            cookie: b.name,
            request: requestLineOf(call),
            origin: origin ?? "the page",
            entry: ex.index,
            reasons,
            site,
            host,
            status: statusLine(call),
            from: origin ? `, from ${origin}` : "",
          },
          evidence: [`${b.side === "request" ? "not sent" : "Set-Cookie refused"}: ${b.name} (${b.reasons.join(", ")})`, ...(origin ? [`Origin: ${origin}`] : []), statusLine(call)],
          path: b.path,
          confidence: "certain",
        });
      }
      // When the browser said why it did not send the cookie, that reason stands (cookie-missing reports the others).
      if (blockedAll.some((b) => b.side === "request")) continue;

      // Inferred: the browser holds the session cookie, a cross-site call that needs it goes without.
      if (sanitized || isPreflight(ex) || ex.request.method === "OPTIONS" || isTopLevelNavigation(ex)) continue;
      if (!call.classification.accepts.includes("session-cookie") || authOf(call)) continue;
      if (call.credential.sessionCookies.length > 0 || siteRelation(ex) !== "cross-site") continue;
      // The browser recorded that it considered no cookie: credentials were left out (cookie-missing says so), not blocked.
      if (browserConsideredNoCookies(ex)) continue;
      const state = timeline.before(call);
      if (!state.session || timeline.crossSiteCookiesSeen.has(host)) continue;
      const sfs = headerPath(ex, "request", "sec-fetch-site");
      ctx.report({
        call,
        messageId: "missing",
        data: {
          cookie: state.session.name,
          host,
          setAt: state.session.since,
          request: requestLineOf(call),
          origin: origin ?? "the page",
          entry: ex.index,
          status: statusLine(call),
          site: siteLabel(origin),
        },
        evidence: [
          `${state.session.name} ${state.session.how === "set" ? "set" : "sent"} at entry ${state.session.since}`,
          ...(origin ? [`Origin: ${origin}`] : []),
          `Sec-Fetch-Site: ${reqHeader(ex, "sec-fetch-site") ?? "(absent; origin is on another site)"}`,
          ex.request.cookies.length === 0 ? "no Cookie header" : `Cookie without ${state.session.name}`,
          statusLine(call),
        ],
        ...(sfs ? { path: sfs } : {}),
        related: [state.session.since],
        confidence: "likely",
      });
    }
  },
};

function siteLabel(origin: string | undefined): string {
  if (!origin || origin === "null") return "the app's site";
  try {
    return siteOf(new URL(origin).hostname);
  } catch {
    return origin;
  }
}

export default rule;
