import type { OktaCall } from "../src/engine/capture.js";
import type { Rule, Severity } from "../src/engine/types.js";
import { namedCause, namedCauseInHtml, type NamedCause } from "../src/okta/causes.js";
import { explainCode } from "../src/okta/explain.js";
import { maskText, maskUrl } from "../src/okta/mask.js";
import { urlParams } from "../src/model/params.js";
import { sanitizationOf, requestLineOf } from "./util.js";
import { callError, clientLabel, findParam, isAuthorizeCall, pageOrigin, paramValue, postMessageError, redirectOf, requestParams } from "./util-oauth.js";

/** Okta's text when redirect_uri is not a registered Sign-in redirect URI (HTML page or error_description); `'` may be an HTML entity. */
const REDIRECT_URI_RE = /redirect_uri(?:&#39;|&#x27;|&apos;|'|&quot;|")?\s*parameter must be a Login redirect URI/i;
const TITLE_RE = /<title[^>]*>([^<]{1,200})<\/title>/i;
const NOT_ASSIGNED_RE = /not assigned to the client application/i;
/** Errors that are the client's choice or a passing condition, not a broken setup. */
const MILD: Readonly<Record<string, Severity>> = { server_error: "warning", temporarily_unavailable: "warning", interaction_required: "warning", consent_required: "warning" };

interface FoundError {
  error: string;
  description?: string;
  /** The cause Okta's words name, when they do. */
  cause?: NamedCause;
  /** Evidence snippet for the answer. */
  shown: string;
}

/** Okta's words as safe to print: token-shaped values masked, shortened. */
function said(text: string): string {
  const masked = maskText(text.replace(/\s+/g, " ").trim());
  return masked.length > 300 ? `${masked.slice(0, 299)}…` : masked;
}

/** The /authorize error an entry carries: OAuth error (redirect, JSON, form_post, postMessage), Okta's JSON error body, or Okta's HTML error page. */
function authorizeErrorOf(call: OktaCall): FoundError | undefined {
  const ex = call.exchange;
  const err = callError(call);
  const status = ex.response.status;
  // A JSON error body counts on an error status only (a 200 page may embed JSON that mentions an error).
  if (err?.oauth && (err.oauth.where !== "json" || status >= 400)) {
    const o = err.oauth;
    const where = o.where === "query" || o.where === "fragment" ? `redirect ${o.where}` : o.where === "json" ? "response body" : o.where;
    const cause = namedCause([o.description, err.okta?.errorSummary, ...(err.okta?.errorCauses ?? [])], o.error);
    return { error: o.error, ...(o.description ? { description: o.description } : {}), ...(cause ? { cause } : {}), shown: `HTTP ${status} ${o.error} (${where})${o.description ? `: ${said(o.description)}` : ""}` };
  }
  if (err?.okta && status >= 400) {
    // Okta's own error format: {"errorCode":"invalid_request","errorSummary":"The authorization server id is invalid.", …}
    const k = err.okta;
    const cause = namedCause([k.errorSummary, ...k.errorCauses], k.errorCode);
    return { error: k.errorCode, ...(k.errorSummary ? { description: k.errorSummary } : {}), ...(cause ? { cause } : {}), shown: `HTTP ${status} ${k.errorCode} (response body)${k.errorSummary ? `: ${said(k.errorSummary)}` : ""}` };
  }
  const pm = postMessageError(ex);
  if (pm) {
    const cause = namedCause([pm.description], pm.error);
    return { ...pm, ...(cause ? { cause } : {}), shown: `HTTP ${status} ${pm.error} (okta_post_message)${pm.description ? `: ${said(pm.description)}` : ""}` };
  }
  const text = ex.response.body?.text;
  if (status >= 400 && text && /html/i.test(ex.response.body?.mimeType ?? "")) {
    if (REDIRECT_URI_RE.test(text)) {
      const description = "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.";
      return { error: "invalid_request", description, shown: `HTTP ${status} HTML error page: "${description}"` };
    }
    const cause = namedCauseInHtml(text);
    if (cause) return { error: cause.error ?? "error", description: cause.quote, cause, shown: `HTTP ${status} HTML error page: "${said(cause.quote)}"` };
  }
  if (status >= 400 && isAuthorizeCall(call)) {
    // Okta's error page (or any error answer) to the /authorize request itself, in words we do not recognize.
    const title = TITLE_RE.exec(text?.slice(0, 16 * 1024) ?? "")?.[1]?.replace(/\s+/g, " ").trim();
    return { error: `HTTP ${status}`, shown: `HTTP ${status} ${ex.response.body?.mimeType || "answer"}${title ? `: <title>${said(title)}</title>` : ""}` };
  }
  return undefined;
}

/** Okta's words end with a full stop inside the quotes. */
function sentenceOf(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** The `state` an error redirect carries. */
function stateOf(call: OktaCall): string | undefined {
  const r = redirectOf(call.exchange);
  if (!r) return undefined;
  return paramValue(urlParams(r.url, "query"), "state") ?? paramValue(urlParams(r.url, "fragment"), "state");
}

const rule: Rule = {
  id: "authorize-error",
  severity: "error",
  tags: ["oauth", "browser", "sessions"],
  title: "Okta refused the /authorize request",
  explanation:
    "The /authorize endpoint reports problems in three ways: a redirect back to the app with `error` and `error_description` in the query or fragment, " +
    "a message posted from a hidden iframe (`response_mode=okta_post_message`), or, when the redirect_uri itself is not trusted, Okta's own 400 page " +
    "(Okta never redirects to an address the app did not register). The common causes are configuration, not code: a redirect_uri that is not one of " +
    "the app's Sign-in redirect URIs (exact match, including scheme, port, path and trailing slash), a user who is not assigned to the app, and a " +
    "silent renewal (`prompt=none`) that finds no Okta session in the browser — often because the browser blocks Okta's cookie in a third-party iframe. " +
    "Okta's error_description usually names the cause (\"The authorization server id is invalid.\", \"Policy evaluation failed for this request…\"): the " +
    "finding quotes it and explains it.",
  fix:
    "redirect_uri: add the exact URI to the app's Sign-in redirect URIs (Applications › your app › General › Login) or fix the app's configuration to send the registered one. " +
    "access_denied / not assigned: assign the user (or a group they belong to) to the app under Assignments. " +
    "Other errors: follow the cause Okta named (an authorization server id that does not exist, no matching access policy, an unknown scope…). " +
    "login_required on prompt=none: treat it as \"sign in again\" and redirect the user to /authorize without prompt=none; avoid third-party iframes by using refresh tokens " +
    "(okta-auth-js tokenManager with autoRenew and refresh tokens) or a custom domain so that Okta's cookie is first-party.",
  docs: [
    "https://developer.okta.com/docs/reference/error-codes/",
    "https://developer.okta.com/docs/concepts/third-party-cookies/",
    "https://support.okta.com/help/s/article/okta-error-400-bad-request-the-redirect-uri-parameter-must-be-a-login-redirect-uri-in-the-client-app-settings",
  ],
  needs: ["bodies"],
  // A page that fetches /authorize sees a CORS error; the refusal is the failure.
  explains: ["untrusted-origin"],
  messages: {
    redirectUri:
      "Okta refused {{endpoint}} for client {{client}}: the redirect_uri {{redirectUri}} is not one of the app's Sign-in redirect URIs, so Okta shows its own error instead of redirecting.{{origin}}",
    userNotAssigned:
      "Okta refused to issue tokens for client {{client}} at {{endpoint}} (access_denied \"{{description}}\"): the signed-in user is not assigned to this app, directly or through a group.{{origin}}",
    named:
      "Okta refused {{endpoint}} for client {{client}} with {{error}}, and named the cause: “{{description}}” {{meaning}} {{fix}}{{origin}}",
    refused:
      "Okta refused {{endpoint}} for client {{client}} with {{error}}{{description}} {{meaning}} Read Okta's words in the answer and compare the request with the app's settings.{{origin}}",
    loginRequired:
      "The silent /authorize request (prompt=none) for client {{client}}{{at}} came back with login_required: Okta found no session for this browser. {{why}}",
  },
  check(ctx) {
    const sanitized = sanitizationOf(ctx.capture);
    const authorizeByState = new Map<string, OktaCall>();
    for (const call of ctx.calls) {
      const authorize = isAuthorizeCall(call);
      if (authorize) {
        const state = paramValue(requestParams(call.exchange), "state");
        if (state) authorizeByState.set(state, call);
      }
      const found = authorizeErrorOf(call);
      if (!found) continue;
      let origin: OktaCall | undefined = authorize ? call : undefined;
      if (!origin) {
        const state = stateOf(call);
        origin = state !== undefined ? authorizeByState.get(state) : undefined;
        // An error from a non-/authorize endpoint that is not the end of an /authorize flow is another rule's business.
        if (!origin && !/\/v1\/authorize\b|\/login\/token\/redirect/i.test(call.exchange.request.url?.pathname ?? "")) continue;
      }
      const params = origin ? requestParams(origin.exchange) : [];
      const client = clientLabel(paramValue(params, "client_id"));
      const originNote = origin && origin !== call ? ` The flow started with the /authorize request at entry ${origin.exchange.index}.` : "";
      const related = origin && origin !== call ? [origin.exchange.index] : [];
      const endpoint = requestLineOf(call);

      if (REDIRECT_URI_RE.test(found.description ?? "") || (found.error === "invalid_request" && /redirect_uri/i.test(found.description ?? "") && /Login redirect URI/i.test(found.description ?? ""))) {
        const ru = findParam(params, "redirect_uri");
        ctx.report({
          call,
          messageId: "redirectUri",
          data: { endpoint, client, redirectUri: ru ? maskUrl(ru.value) : "(not in the captured request)", origin: originNote },
          evidence: [...(ru ? [`redirect_uri=${maskUrl(ru.value)}`] : []), found.shown],
          ...(ru && origin === call ? { path: ru.path } : {}),
          related,
          confidence: "certain",
        });
      } else if (found.error === "access_denied" && NOT_ASSIGNED_RE.test(found.description ?? "")) {
        ctx.report({
          call,
          messageId: "userNotAssigned",
          data: { endpoint, client, description: said(found.description!), origin: originNote },
          evidence: [found.shown],
          related,
          confidence: "certain",
        });
      } else if (found.error === "login_required") {
        const prompt = paramValue(params, "prompt");
        // Okta only answers login_required when the client asked it not to prompt; if the request shows another prompt, this is not a silent renew.
        if (origin && prompt !== "none") continue;
        const ex = (origin ?? call).exchange;
        const dest = ex.request.headers.getAll("sec-fetch-dest");
        const framed = dest.includes("iframe") || paramValue(params, "response_mode") === "okta_post_message";
        const site = ex.request.headers.getAll("sec-fetch-site");
        const from = pageOrigin(ex);
        let fromHost: string | undefined;
        try {
          fromHost = from ? new URL(from).host : undefined;
        } catch {
          fromHost = undefined;
        }
        const crossSite = site.includes("cross-site") || (fromHost !== undefined && fromHost !== (origin ?? call).host.host);
        const hasCookie = (origin ?? call).credential.sessionCookies.length > 0;
        let why: string;
        // No Cookie header anywhere proves nothing only when no Set-Cookie shows either (a sanitized export).
        if (sanitized.noCookies && sanitized.noSetCookies) {
          why = "The capture holds no cookies at all (a sanitized export?), so it cannot tell an expired session from a cookie the browser blocked; export it with sensitive data to know.";
        } else if (hasCookie) {
          why = "The request did carry an Okta session cookie, so that session has ended (signed out, idle or maximum lifetime reached) or belongs to another user or org.";
        } else if (framed && crossSite) {
          why = `The request carried no Okta session cookie and ran in a cross-site iframe of ${from ?? "the app"}: the browser most likely blocked Okta's third-party cookie.`;
        } else {
          why = "The request carried no Okta session cookie: the user has not signed in to Okta in this browser, or the session cookie was removed.";
        }
        ctx.report({
          call,
          messageId: "loginRequired",
          data: { client, at: origin && origin !== call ? ` (entry ${origin.exchange.index}, answered at ${endpoint})` : ` (${endpoint})`, why },
          evidence: ["prompt=none", found.shown, ...(framed ? [`Sec-Fetch-Dest: ${dest.includes("iframe") ? "iframe" : "(okta_post_message)"}`] : [])],
          ...(origin === call && findParam(params, "prompt") ? { path: findParam(params, "prompt")!.path } : {}),
          related,
          confidence: (sanitized.noCookies && sanitized.noSetCookies) || !origin ? "likely" : "certain",
        });
      } else {
        // Any other failed /authorize: the cause Okta named, else what the error means.
        const cause = found.cause;
        const evidence = [found.shown, ...(cause ? [`Okta's code for these words: ${cause.id} (“${cause.title}”)`] : [])];
        const common = { endpoint, client, error: found.error, origin: originNote };
        if (cause?.meaning && cause.fix) {
          ctx.report({ call, messageId: "named", data: { ...common, description: said(cause.quote), meaning: cause.meaning, fix: cause.fix }, evidence, related, confidence: "certain", ...(cause.severity ? { severity: cause.severity } : {}) });
        } else {
          const meaning = explainCode(found.error)?.meaning ?? "Okta did not grant the request.";
          const severity = MILD[found.error];
          ctx.report({
            call,
            messageId: "refused",
            data: { ...common, description: found.description ? `: “${sentenceOf(said(found.description))}”` : ".", meaning },
            evidence,
            related,
            confidence: "certain",
            ...(severity ? { severity } : {}),
          });
        }
      }
    }
  },
};

export default rule;
