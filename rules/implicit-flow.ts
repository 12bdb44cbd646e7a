import type { Rule } from "../src/engine/types.js";
import { urlParams } from "../src/model/params.js";
import { requestLineOf } from "./util.js";
import { maskText } from "../src/okta/mask.js";
import { clientLabel, findParam, isAuthorizeCall, oauthErrorOf, paramValue, redirectOf, requestParams, serverLabel, words } from "./util-oauth.js";

const RESPONSE_MODES: Record<string, string> = {
  fragment: "in the URL fragment of the redirect",
  query: "in the URL query of the redirect",
  form_post: "in an auto-submitted form",
  okta_post_message: "by postMessage from a hidden iframe",
};

/** Okta's answers when the app does not allow the implicit grant. */
const NOT_ALLOWED = new Set(["unsupported_response_type", "unauthorized_client"]);

const rule: Rule = {
  id: "implicit-flow",
  severity: "warning",
  tags: ["oauth", "browser", "tokens"],
  title: "Implicit flow: tokens returned directly from /authorize",
  explanation:
    "With `response_type=token` (or `id_token token`) Okta returns the access token straight from /authorize, in the redirect's URL fragment " +
    "(or by postMessage or a form post). The token then sits in the browser history and is readable by every script on the callback page, " +
    "cannot be bound to the client that asked for it, and comes without a refresh token, so apps renew it in hidden iframes that break when " +
    "browsers block third-party cookies. OAuth 2.0 security best practice and Okta recommend Authorization Code with PKCE for browser apps instead.",
  fix:
    "Switch the app to Authorization Code with PKCE: `response_type=code` with `code_challenge`/`code_challenge_method=S256`, then redeem the code at " +
    "/token with the `code_verifier` (okta-auth-js: `pkce: true`, `responseType: \"code\"`). In the Okta app, enable the Authorization Code grant and " +
    "disable Implicit; use refresh tokens (with rotation) instead of silent iframe renewal.",
  docs: [
    "https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/",
    "https://developer.okta.com/docs/guides/implement-grant-type/implicit/main/",
    "https://developer.okta.com/docs/concepts/oauth-openid/",
  ],
  // Okta refuses response_type=token when the app does not allow the implicit grant: that failed /authorize is this problem.
  explains: ["authorize-error"],
  messages: {
    implicit:
      "{{endpoint}} asks {{server}} for response_type={{responseType}} for client {{client}}: the access token comes back {{delivery}} (implicit flow).{{issued}}",
    notAllowed:
      "{{endpoint}} asks {{server}} for response_type={{responseType}} for client {{client}} (implicit flow), and Okta refused it with {{error}}: the app does not allow the implicit grant. Rather than enabling it, switch the app to Authorization Code with PKCE, where no token travels in the redirect.",
    failed:
      "{{endpoint}} asks {{server}} for response_type={{responseType}} for client {{client}} (implicit flow): had Okta granted it, the access token would come back {{delivery}}. This request failed with {{error}}, a problem of its own.",
  },
  check(ctx) {
    for (const call of ctx.calls) {
      if (!isAuthorizeCall(call)) continue;
      const params = requestParams(call.exchange);
      const rt = findParam(params, "response_type");
      if (!rt || !words(rt.value).includes("token")) continue;
      const mode = paramValue(params, "response_mode") ?? "fragment";
      const r = redirectOf(call.exchange);
      const issuedHere = r !== undefined && (urlParams(r.url, "fragment").some((p) => p.name === "access_token") || urlParams(r.url, "query").some((p) => p.name === "access_token"));
      const refused = issuedHere ? undefined : oauthErrorOf(call);
      // The app does not allow the implicit grant: Okta's answer is this flow refused, one problem with it.
      const notAllowed = refused !== undefined && NOT_ALLOWED.has(refused.error);
      ctx.report({
        call,
        messageId: notAllowed ? "notAllowed" : refused ? "failed" : "implicit",
        explains: notAllowed ? ["authorize-error"] : [],
        data: {
          error: refused?.error ?? "",
          endpoint: requestLineOf(call),
          server: serverLabel(call),
          responseType: words(rt.value).join(" "),
          client: clientLabel(paramValue(params, "client_id")),
          delivery: RESPONSE_MODES[mode] ?? `with response_mode=${mode}`,
          issued: issuedHere ? " Okta's redirect in this entry carries the access token in its URL." : "",
        },
        evidence: [
          `response_type=${words(rt.value).join(" ")}`,
          ...(paramValue(params, "response_mode") ? [`response_mode=${mode}`] : []),
          ...(refused ? [`HTTP ${call.exchange.response.status} ${refused.error}${refused.description ? `: ${maskText(refused.description)}` : ""}`] : []),
        ],
        path: rt.path,
        confidence: "certain",
      });
    }
  },
};

export default rule;
