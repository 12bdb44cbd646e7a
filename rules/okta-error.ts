import type { OktaCall } from "../src/engine/capture.js";
import type { Rule, RuleContext } from "../src/engine/types.js";
import { namedCause, namedCauseInHtml, type NamedCause } from "../src/okta/causes.js";
import { explainCode } from "../src/okta/explain.js";
import { maskPersonal, maskText } from "../src/okta/mask.js";
import { errorOf, groupBy } from "./util.js";
import { displayPath, endpointKey, entryList } from "./util-org.js";

const ERROR_PAGE = "https://developer.okta.com/docs/reference/error-codes/";
const MAX_SUMMARY = 200;
const MAX_CAUSES = 3;
const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g;

/** Okta's summary as safe to print: secrets and e-mail addresses masked, shortened. */
function safeSummary(text: string): string {
  const masked = maskText(text.replace(/\s+/g, " ").trim()).replace(EMAIL, (m) => maskPersonal(m));
  return masked.length > MAX_SUMMARY ? `${masked.slice(0, MAX_SUMMARY - 1)}…` : masked;
}

function numbered(causes: readonly string[]): string {
  return causes
    .slice(0, MAX_CAUSES)
    .map((c, i) => `(${i + 1}) ${c.replace(/\s+$/, "")}`)
    .join(" ");
}

/** ` Okta's errorCauses: “login: An object with this field already exists…”.` — the cause Okta gave, first in the message. */
function causesSentence(causes: readonly string[]): string {
  const shown = causes.filter((c) => c.trim() !== "").slice(0, MAX_CAUSES).map((c) => `“${safeSummary(c)}”`);
  return shown.length ? ` Okta's errorCauses: ${shown.join("; ")}.` : "";
}

/**
 * Okta's HTML error pages (a browser sent to /oauth2/v1/logout with an unregistered
 * post_logout_redirect_uri, to /authorize with a bad redirect_uri) carry no error code,
 * only Okta's words: where they name a cause we explain, report it.
 */
function htmlErrorPages(ctx: RuleContext): void {
  const hits: { call: OktaCall; cause: NamedCause }[] = [];
  for (const call of ctx.calls) {
    const res = call.exchange.response;
    if (call.errorCode !== undefined || res.status < 400 || !/html/i.test(res.body?.mimeType ?? "") || !res.body?.text) continue;
    const cause = namedCauseInHtml(res.body.text);
    if (cause?.meaning && cause.fix) hits.push({ call, cause });
  }
  const groups = groupBy(hits, (h) => `${h.cause.id} ${h.call.exchange.response.status} ${endpointKey(h.call)}`);
  for (const group of groups.values()) {
    const { call, cause } = group[0]!;
    const ex = call.exchange;
    const later = group.slice(1).map((h) => h.call.exchange.index);
    const quote = safeSummary(cause.quote);
    ctx.report({
      call,
      messageId: "namedCause",
      data: { method: ex.request.method, path: displayPath(call), status: String(ex.response.status), code: `${cause.error ?? "an error"} (on Okta's HTML error page)`, quote, meaning: cause.meaning!, fix: cause.fix! },
      evidence: [`Okta's words: “${quote}” (its code ${cause.id})`, `HTTP ${ex.response.status} ${ex.response.body?.mimeType ?? ""}`.trim(), ...(later.length ? [`the same error again at ${entryList(later)}`] : [])],
      path: "response.content",
      related: later,
      ...(cause.severity ? { severity: cause.severity } : {}),
    });
  }
}

const rule: Rule = {
  id: "okta-error",
  severity: "info",
  tags: ["errors"],
  title: "Okta answered with an error",
  explanation:
    "Okta explains every failure in its answer: management and authn calls return a JSON body with an `errorCode` (E0000xxx) and an " +
    "`errorSummary`, OAuth endpoints return an `error` and `error_description` (in the body, the redirect or the WWW-Authenticate " +
    "header). This rule names the code, what it usually means and where Okta documents it, for errors that no more specific rule " +
    "explains; when another rule reports the same entry, its finding replaces this one. When Okta's words name the cause (\"The client secret supplied " +
    "for a confidential client is invalid.\", \"Policy evaluation failed for this request…\"), the finding gives that cause and its fix, at the severity of " +
    "a request that cannot succeed as configured.",
  fix:
    "Read Okta's summary and the usual causes, compare the request with the endpoint's reference, and run `oktalint explain <code>` " +
    "for the full explanation. When asking Okta Support, give the errorId and the X-Okta-Request-Id response header of the failing call.",
  docs: [ERROR_PAGE],
  needs: ["bodies"],
  fallback: true,
  messages: {
    oktaError:
      "{{method}} {{path}} returned HTTP {{status}} {{code}} (“{{summary}}”).{{errorCauses}} {{meaning}} Usual causes: {{causes}} Okta's reference: {{link}}",
    oauthError:
      "{{method}} {{path}} returned the OAuth error {{code}} with HTTP {{status}} (“{{summary}}”). {{meaning}} Usual causes: {{causes}} Okta's reference: {{link}}",
    namedCause:
      "{{method}} {{path}} returned {{code}} with HTTP {{status}}, and Okta named the cause: “{{quote}}” {{meaning}} {{fix}}",
    undocumented:
      "{{method}} {{path}} returned HTTP {{status}} with the error {{code}} (“{{summary}}”), a code Okta's error reference does not list. Read the full response body and the endpoint's reference.",
  },
  check(ctx) {
    htmlErrorPages(ctx);
    const failing = ctx.calls.filter((c) => c.errorCode !== undefined && errorOf(c) !== null);
    if (failing.length === 0) return;
    // One finding per error and endpoint: a loop of identical failures is one problem.
    const groups = groupBy(failing, (c: OktaCall) => `${errorOf(c)!.code} ${errorOf(c)!.status} ${endpointKey(c)}`);
    for (const calls of groups.values()) {
      const call = calls[0]!;
      const err = errorOf(call)!;
      const ex = call.exchange;
      const explanation = explainCode(err.code);
      const status = err.status === 0 ? "(no response)" : String(err.status);
      const summary = err.summary ? safeSummary(err.summary) : explanation ? safeSummary(explanation.oktaSummary) : "no summary given";
      const later = calls.slice(1).map((c) => c.exchange.index);
      const evidence: string[] = [`HTTP ${status} ${err.code}`];
      if (err.okta?.errorSummary) evidence.push(`errorSummary: ${safeSummary(err.okta.errorSummary)}`);
      for (const cause of err.okta?.errorCauses.slice(0, 3) ?? []) evidence.push(`errorCauses: ${safeSummary(cause)}`);
      if (err.oauth) evidence.push(`error=${err.oauth.error} (in the ${err.oauth.where === "www-authenticate" ? "WWW-Authenticate header" : err.oauth.where === "json" ? "response body" : err.oauth.where})`);
      if (err.okta?.errorId) evidence.push(`errorId: ${err.okta.errorId}`);
      const requestId = ex.response.headers.get("x-okta-request-id");
      if (requestId) evidence.push(`X-Okta-Request-Id: ${requestId}`);
      if (later.length > 0) evidence.push(`the same error again at ${entryList(later)}`);
      const where = err.oauth && !err.okta ? (err.oauth.where === "www-authenticate" ? "response.headers" : err.oauth.where === "json" ? "response.content" : "response.redirectURL") : "response.content";
      const base = { method: ex.request.method, path: displayPath(call), status, code: err.code, summary };
      // Okta's own words first: a description that names the cause says more than the code's usual causes.
      const named = namedCause([err.oauth?.description, err.okta?.errorSummary, ...(err.okta?.errorCauses ?? [])], err.oauth?.error ?? err.okta?.errorCode);
      // A 2xx whose JSON body merely mentions an error is no failure to escalate.
      const failed = err.status < 200 || err.status >= 300 || (err.oauth !== undefined && err.oauth.where !== "json" && !err.okta);
      if (named?.meaning && named.fix && failed) {
        ctx.report({
          call,
          messageId: "namedCause",
          data: { ...base, quote: safeSummary(named.quote), meaning: named.meaning, fix: named.fix },
          evidence: [`Okta's words: “${safeSummary(named.quote)}” (its code ${named.id})`, ...evidence],
          path: where,
          related: later,
          ...(named.severity ? { severity: named.severity } : {}),
        });
        continue;
      }
      if (named) evidence.push(`Okta's code for these words: ${named.id} (“${named.title}”)`);
      if (!explanation) {
        ctx.report({ call, messageId: "undocumented", data: base, evidence, path: where, related: later, confidence: "possible" });
        continue;
      }
      const link = explanation.docs[0] ?? ERROR_PAGE;
      evidence.push(`docs: ${link}`);
      ctx.report({
        call,
        messageId: explanation.kind === "okta" ? "oktaError" : "oauthError",
        data: { ...base, errorCauses: causesSentence(err.okta?.errorCauses ?? []), meaning: explanation.meaning, causes: numbered(explanation.causes), link },
        evidence,
        path: where,
        related: later,
      });
    }
  },
};

export default rule;
