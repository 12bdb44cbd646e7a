import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { maskAuthorization, maskSecret } from "../src/okta/mask.js";
import { authOf, headerPath, isFromBrowser, browserEvidenceList } from "./util.js";
import { corsPairs, hasBrowserOnlyHeaders, isApiV1, isPreflight, originOf, requestedHeaders, statusLine, reqHeader, resHeader, tokenIndex } from "./util-browser.js";

/** Paths where an Authorization header from a page can only be an API token or an org-AS access token. */
function takesApiToken(call: OktaCall): boolean {
  return isApiV1(call) && call.classification.accepts.includes("ssws");
}

const rule: Rule = {
  id: "ssws-in-browser",
  severity: "error",
  tags: ["tokens", "browser", "management", "cors"],
  title: "An SSWS API token is sent from a browser",
  explanation:
    "An Okta API token (`Authorization: SSWS …`) acts with all the admin rights of the admin who created it, for up to 30 days after its last use, from anywhere. " +
    "A token that a page sends is in the page's JavaScript or storage, where every visitor can read it and replay it. " +
    "Okta refuses such calls from the browser anyway: the management API does not answer cross-origin requests that carry an API token, so the page sees a CORS error. " +
    "API tokens belong on a server; a browser talks to Okta with the user's session cookie or with an OAuth access token.",
  fix:
    "Revoke the exposed token now (Security › API › Tokens) and remove it from the front-end code and bundle. " +
    "If the page needs data about the signed-in user, get an access token from the org authorization server (`/oauth2/v1/authorize` with PKCE and okta.*.self scopes, or the MyAccount API) and send it as `Bearer`. " +
    "If it needs admin operations, move them to your backend, which calls Okta with an OAuth service app (private_key_jwt) or an API token kept in server-side secrets.",
  docs: [
    "https://developer.okta.com/docs/guides/create-an-api-token/main/",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/",
    "https://developer.okta.com/docs/guides/enable-cors/main/",
  ],
  needs: ["authorization"],
  // No Trusted Origin makes an API token work from a page.
  explains: ["untrusted-origin"],
  messages: {
    browser:
      "{{method}} {{path}} sends `Authorization: SSWS {{token}}` and was sent by a browser ({{evidence}}): an API token in a page is readable by anyone who loads it. {{outcome}}",
    notApiToken:
      "{{method}} {{path}} sends {{what}} as `Authorization: SSWS {{token}}` from a browser page ({{evidence}}): SSWS is the scheme of API tokens, and this value is not one, so no API token is exposed here, but Okta does not take it in that header. {{outcome}}",
    preflight:
      "The browser asked (OPTIONS preflight from {{origin}}) to send an Authorization header to {{endpoint}}, an endpoint that takes an SSWS API token or an org-AS access token; {{outcome}}",
  },
  check(ctx) {
    const cors = corsPairs(ctx.capture);
    for (const call of ctx.calls) {
      const ex = call.exchange;
      const auth = authOf(call);
      if (auth?.schemeKey === "ssws" && isFromBrowser(call)) {
        const status = ex.response.status;
        const outcome =
          status === 0
            ? "The browser blocked the call (no response); this is the CORS error Okta's refusal produces."
            : status >= 200 && status < 300
              ? `Okta answered ${statusLine(call)}: the token works, so whoever reads it can use it.`
              : `Okta answered ${statusLine(call)}.`;
        const path = headerPath(ex, "request", "authorization");
        // A JWT or a one-time token Okta issued in this capture is no API token: the header is wrong, no API token is exposed.
        const oneTime = tokenIndex(ctx.capture).byValue.get(auth.token)?.kind;
        const what = auth.tokenKind === "jwt" ? "a JWT (an OAuth token)" : oneTime ? `the ${oneTime} Okta issued in this capture` : undefined;
        ctx.report({
          call,
          messageId: what ? "notApiToken" : "browser",
          ...(what ? { severity: "warning" as const } : {}),
          data: {
            what: what ?? "",
            method: ex.request.method,
            path: call.classification.pathTemplate ?? ex.request.url?.pathname ?? ex.request.rawUrl,
            token: maskSecret(auth.token),
            evidence: browserEvidenceList(ex).slice(0, 3).join(", "),
            outcome,
          },
          evidence: [`Authorization: ${maskAuthorization(auth.raw)}`, ...browserEvidenceList(ex).slice(0, 4), statusLine(call)],
          ...(path ? { path } : {}),
          confidence: ex.sender.confidence === "possible" ? "possible" : hasBrowserOnlyHeaders(ex) ? "certain" : "likely",
        });
        continue;
      }

      if (!isPreflight(ex) || !isFromBrowser(call) || !takesApiToken(call)) continue;
      if (!requestedHeaders(ex).includes("authorization")) continue;
      const method = reqHeader(ex, "access-control-request-method")?.trim().toUpperCase() ?? "";
      // The request the preflight was for shows its Authorization header (wherever the export lists it): the first case judges it.
      if (cors.requestOf(call)) continue;
      const origin = originOf(ex) ?? "the page";
      const status = ex.response.status;
      const allowed = resHeader(ex, "access-control-allow-origin");
      const refused = status === 0 || status >= 300 || allowed === undefined;
      const outcome = refused
        ? `Okta refused the preflight (${statusLine(call)}${allowed === undefined && status !== 0 ? ", no Access-Control-Allow-Origin" : ""}) and the request was never sent, which is what happens when a page sends an API token.`
        : "no request followed in this capture, so it cannot show which credential the page meant to send; if it is an API token, it is exposed in the page.";
      const path = headerPath(ex, "request", "access-control-request-headers");
      ctx.report({
        call,
        messageId: "preflight",
        data: { origin, endpoint: `${method} ${call.classification.pathTemplate ?? ex.request.url?.pathname ?? ex.request.rawUrl}`, outcome },
        evidence: [
          `Access-Control-Request-Method: ${method}`,
          `Access-Control-Request-Headers: ${requestedHeaders(ex).join(", ")}`,
          `Origin: ${origin}`,
          allowed === undefined ? `${statusLine(call)}, no Access-Control-Allow-Origin` : `${statusLine(call)}, Access-Control-Allow-Origin: ${allowed}`,
        ],
        ...(path ? { path } : {}),
        confidence: refused ? "likely" : "possible",
      });
    }
  },
};

export default rule;
