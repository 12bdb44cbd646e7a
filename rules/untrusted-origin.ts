import type { OktaCall } from "../src/engine/capture.js";
import type { Exchange } from "../src/model/exchange.js";
import type { Report, Rule } from "../src/engine/types.js";
import { maskUrl } from "../src/okta/mask.js";
import { authOf, headerPath, isFromBrowser, sanitizationOf, pathOf } from "./util.js";
import { corsPairs, fetchMode, isApiV1, isPreflight, originOf, requestedHeaders, siteRelation, statusLine, reqHeader, resHeader } from "./util-browser.js";
import { isLoopbackHost } from "./util-org.js";

/** Chrome's and proxies' words for a response the browser withheld for CORS. */
const CORS_ERROR = /\bCORS\b|Access-Control|cross-origin/i;

type Allow = { ok: true } | { ok: false; why: string; credentials?: boolean };

/** Does the response let `origin` read it? */
function allows(ex: Exchange, origin: string, withCookies: boolean): Allow {
  if (resHeader(ex, "access-control-allow-origin") === undefined) return { ok: false, why: "no Access-Control-Allow-Origin" };
  const values = ex.response.headers.getAll("access-control-allow-origin").map((v) => v.trim());
  if (values.length > 1) return { ok: false, why: `${values.length} Access-Control-Allow-Origin headers` };
  const v = values[0]!;
  if (v === "*") {
    return withCookies ? { ok: false, why: "Access-Control-Allow-Origin: * on a request with cookies", credentials: true } : { ok: true };
  }
  if (v !== origin) return { ok: false, why: `Access-Control-Allow-Origin: ${v.slice(0, 100)}` };
  if (withCookies && resHeader(ex, "access-control-allow-credentials")?.trim().toLowerCase() !== "true") {
    return { ok: false, why: "no Access-Control-Allow-Credentials: true on a request with cookies", credentials: true };
  }
  return { ok: true };
}

/** What else the page should know: an API token in the request, a credential header to a management path, plain http. */
function noteOf(call: OktaCall): string {
  const ex = call.exchange;
  // (A JWT sent as SSWS is a token in the wrong scheme, which authorization-scheme explains, not an API token in the page.)
  if (authOf(call)?.schemeKey === "ssws" && authOf(call)?.tokenKind !== "jwt") return " The request also carries an SSWS API token: no Trusted Origin makes an API token work from a page (see ssws-in-browser).";
  if (isPreflight(ex) && requestedHeaders(ex).includes("authorization") && isApiV1(call) && call.classification.kind === "management") {
    return " The page wants to send an Authorization header to a management endpoint: if that is an SSWS API token, no Trusted Origin will help (see ssws-in-browser).";
  }
  // Loopback (127.0.0.1, localhost, [::1]) is a secure context for browsers: http:// there is a test org, not a risk.
  if (ex.request.url?.protocol === "http:" && !isLoopbackHost(call.host.host)) return ` The page calls Okta over http://: use https://${call.host.host}.`;
  return "";
}

function withPath(path: string | undefined): { path?: string } {
  return path ? { path } : {};
}

function endpointLine(call: OktaCall, method: string): string {
  return `${method} ${call.classification.pathTemplate ?? pathOf(call)}`;
}

const rule: Rule = {
  id: "untrusted-origin",
  severity: "error",
  tags: ["cors", "browser"],
  title: "Okta does not allow the page's origin (CORS)",
  explanation:
    "A page may only read an answer from Okta, or send a request that needs a preflight, when Okta names the page's origin in `Access-Control-Allow-Origin`. " +
    "Okta does that only for origins listed under Security › API › Trusted Origins with the CORS scope, matched exactly (scheme, host and port; a trailing slash or http/https mix breaks it). " +
    "Browsers also refuse a preflight that is answered with a redirect, which is what happens when the app is configured with an `http://` org URL. " +
    "Okta also leaves the CORS headers off some error answers (a 403 for a request without a session, say): then the CORS message hides an authentication problem that must be fixed first.",
  fix:
    "Add the exact origin of the page (e.g. `https://app.example.com`, no path, no trailing slash) under Security › API › Trusted Origins with CORS checked (and Redirect when Okta redirects back to it). " +
    "Configure the app with the `https://` Okta URL, the same host the org answers on. If Okta answered with an error (401/403/404), fix that first: the missing header usually follows from it. " +
    "Never try to work around CORS by calling management APIs with an API token from the page.",
  docs: ["https://developer.okta.com/docs/guides/enable-cors/main/", "https://developer.okta.com/docs/guides/session-cookie/main/"],
  messages: {
    preflightRejected:
      "Okta answered the preflight for {{endpoint}} from {{origin}} (entry {{entry}}) with {{why}} ({{status}}): {{origin}} is not a Trusted Origin with CORS in this org, so the browser never sent the request.{{note}}",
    preflightRefused:
      "Okta answered the preflight for {{endpoint}} from {{origin}} (entry {{entry}}) with {{why}} ({{status}}), although it allowed this origin at entry {{allowedAt}}: it refused this request rather than the origin (a method or header it does not accept here), so the browser never sent it.{{note}}",
    preflightRedirected:
      "The preflight for {{endpoint}} from {{origin}} (entry {{entry}}) was answered with a redirect ({{status}} to {{location}}); browsers fail a preflight that redirects, so the request never went out.{{note}}",
    rejected:
      "Okta answered {{request}} from {{origin}} (entry {{entry}}) with {{why}} ({{status}}), so the browser hid the answer from the page: {{origin}} is not a Trusted Origin with CORS in this org.{{note}}",
    rejectedHere:
      "Okta answered {{request}} from {{origin}} (entry {{entry}}) with {{why}} ({{status}}), so the browser hid the answer from the page, although Okta allowed this origin at entry {{allowedAt}}: this endpoint does not answer cross-origin calls from a page, or not in this form.{{note}}",
    credentialsNotAllowed:
      "Okta answered {{request}} from {{origin}} (entry {{entry}}) with {{why}} ({{status}}), so the browser hid the answer: a call that sends cookies needs Access-Control-Allow-Origin naming the origin and Access-Control-Allow-Credentials: true, which Okta sends for a Trusted Origin with CORS.{{note}}",
    redirected:
      "{{request}} from {{origin}} (entry {{entry}}) is a cross-origin fetch that Okta answered with a redirect ({{status}} to {{location}}) without allowing the origin; the browser stops there.{{note}}",
    blocked:
      "The browser blocked {{request}} from {{origin}} (entry {{entry}}) for CORS ({{error}}); the page never saw Okta's answer. Check that {{origin}} is a Trusted Origin with CORS in this org.{{note}}",
    errorWithoutHeaders:
      "Okta answered {{request}} from {{origin}} (entry {{entry}}) with {{status}} and {{why}}; the page sees a CORS error, but the real failure is the {{status}}. Fix that first; if {{origin}} is not a Trusted Origin with CORS, add it too.{{note}}",
  },
  check(ctx) {
    // Only as sure as the sender: a request that is only possibly a page's gives only possible CORS findings.
    const report = (r: Report & { call: OktaCall }) => ctx.report(r.call.exchange.sender.confidence === "possible" ? { ...r, confidence: "possible" } : r);
    const sanitized = sanitizationOf(ctx.capture).sanitized;
    /** Host + origin pairs for which some Okta answer did allow the origin (the first such entry): the origin is trusted there. */
    const trusted = new Map<string, number>();
    for (const call of ctx.calls) {
      const ex = call.exchange;
      const origin = originOf(ex);
      if (!origin || !isFromBrowser(call)) continue;
      const acao = resHeader(ex, "access-control-allow-origin")?.trim();
      const key = `${call.host.host} ${origin}`;
      if (acao === origin && !trusted.has(key)) trusted.set(key, ex.index);
    }
    /** Preflights reported here: the request each was for (wherever the export lists it) is not reported again as blocked. */
    const reportedPreflights = new Set<OktaCall>();
    const blocked: { call: OktaCall; report: () => void }[] = [];
    const cors = corsPairs(ctx.capture);

    for (const call of ctx.calls) {
      const ex = call.exchange;
      if (!isFromBrowser(call)) continue;
      const origin = originOf(ex);
      if (!origin) continue;
      const mode = fetchMode(ex);
      if (mode === "navigate" || mode === "no-cors" || mode === "websocket" || mode === "same-origin") continue;
      if (siteRelation(ex) === "same-origin") continue;
      if (ex.request.url && ex.request.url.origin === origin) continue;
      const status = ex.response.status;
      const location = ex.response.redirectURL ?? resHeader(ex, "location");
      const base = () => ({ origin, entry: ex.index, status: statusLine(call), note: noteOf(call), request: `${ex.request.method} ${pathOf(call)}` });
      const acaoPath = () => headerPath(ex, "response", "access-control-allow-origin") ?? headerPath(ex, "request", "origin");

      if (isPreflight(ex)) {
        const method = reqHeader(ex, "access-control-request-method")?.trim().toUpperCase() ?? "";
        if (status >= 300 && status < 400) {
          reportedPreflights.add(call);
          report({
            call,
            messageId: "preflightRedirected",
            data: { ...base(), endpoint: endpointLine(call, method), location: location ? maskUrl(location) : "(no Location)" },
            evidence: [`OPTIONS ${maskUrl(ex.request.rawUrl)}`, `Origin: ${origin}`, `${statusLine(call)} → ${location ? maskUrl(location) : "(no Location)"}`],
            ...(headerPath(ex, "response", "location") ? { path: headerPath(ex, "response", "location")! } : {}),
            confidence: "certain",
          });
          continue;
        }
        const allow = status === 0 ? ({ ok: false, why: ex.error ? `no answer (${ex.error.slice(0, 60)})` : "no answer" } as Allow) : allows(ex, origin, false);
        const statusOk = status === 0 || (status >= 200 && status < 300);
        if (allow.ok && statusOk) continue;
        reportedPreflights.add(call);
        const allowedAt = trusted.get(`${call.host.host} ${origin}`);
        report({
          call,
          messageId: allowedAt === undefined ? "preflightRejected" : "preflightRefused",
          data: { ...base(), endpoint: endpointLine(call, method), why: allow.ok ? `HTTP ${status}` : allow.why, ...(allowedAt !== undefined ? { allowedAt } : {}) },
          evidence: [`Origin: ${origin}`, `Access-Control-Request-Method: ${method}`, allow.ok ? statusLine(call) : `${statusLine(call)}, ${allow.why}`],
          ...withPath(acaoPath()),
          ...(allowedAt !== undefined ? { related: [allowedAt] } : {}),
          confidence: allowedAt === undefined ? "certain" : "likely",
        });
        continue;
      }

      if (status === 0) {
        const error = ex.error;
        if (!error || !CORS_ERROR.test(error)) continue;
        // Reported once the preflights are known: the preflight may come later in the file than its request.
        blocked.push({
          call,
          report: () =>
            report({
              call,
              messageId: "blocked",
              data: { ...base(), error: error.slice(0, 120) },
              evidence: [`Origin: ${origin}`, `HTTP 0: ${error.slice(0, 120)}`],
              ...(headerPath(ex, "request", "origin") ? { path: headerPath(ex, "request", "origin")! } : {}),
              confidence: "certain",
            }),
        });
        continue;
      }

      const withCookies = !sanitized && ex.request.cookies.length > 0;
      const allow = allows(ex, origin, withCookies);
      if (allow.ok) continue;
      if (status >= 300 && status < 400) {
        report({
          call,
          messageId: "redirected",
          data: { ...base(), location: location ? maskUrl(location) : "(no Location)" },
          evidence: [`Origin: ${origin}`, `${statusLine(call)} → ${location ? maskUrl(location) : "(no Location)"}`, allow.why],
          ...withPath(acaoPath()),
          confidence: "certain",
        });
        continue;
      }
      if (status >= 400) {
        // Okta leaves the CORS headers off some errors; when it allowed this origin elsewhere, the error is the problem.
        if (trusted.has(`${call.host.host} ${origin}`)) continue;
        report({
          call,
          messageId: "errorWithoutHeaders",
          data: { ...base(), why: allow.why },
          evidence: [`Origin: ${origin}`, `${statusLine(call)}, ${allow.why}`],
          ...withPath(acaoPath()),
          confidence: "possible",
        });
        continue;
      }
      const allowedAt = trusted.get(`${call.host.host} ${origin}`);
      if (allow.credentials) {
        report({
          call,
          messageId: "credentialsNotAllowed",
          data: { ...base(), why: allow.why },
          evidence: [`Origin: ${origin}`, "request carries cookies", `${statusLine(call)}, ${allow.why}`],
          ...withPath(acaoPath()),
          confidence: "certain",
        });
        continue;
      }
      report({
        call,
        messageId: allowedAt === undefined ? "rejected" : "rejectedHere",
        data: { ...base(), why: allow.why, ...(allowedAt !== undefined ? { allowedAt } : {}) },
        evidence: [`Origin: ${origin}`, `${statusLine(call)}, ${allow.why}`],
        ...withPath(acaoPath()),
        ...(allowedAt !== undefined ? { related: [allowedAt] } : {}),
        confidence: allowedAt === undefined ? "certain" : "likely",
      });
    }
    for (const b of blocked) {
      const preflight = cors.preflightOf(b.call);
      if (preflight && reportedPreflights.has(preflight)) continue;
      b.report();
    }
  },
};

export default rule;
