import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { maskUrl } from "../src/okta/mask.js";
import { requestLineOf } from "./util.js";
import { answerSentence, callError, clientAuthsOf, clientIdOf, clientLabel } from "./util-oauth.js";

/** Okta's answer (`invalid_client`, client_assertion_invalid_audience), in the wordings Okta has used. */
const AUDIENCE_ANSWER = /audience claim for client_assertion must be the endpoint/i;

/** Scheme, host and path of a URL (an assertion's aud is compared without query or fragment). */
function endpointOf(url: string): URL | undefined {
  try {
    const u = new URL(url);
    u.search = "";
    u.hash = "";
    return u;
  } catch {
    return undefined;
  }
}

function audiencesOf(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (typeof aud === "string") return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === "string") : [];
}

/** Is `aud` this authorization server's issuer (the org URL, or `{org}/oauth2/{id}`) rather than an endpoint? */
function isIssuerOf(aud: URL, endpoint: URL, call: OktaCall): boolean {
  if (aud.origin !== endpoint.origin) return false;
  const path = aud.pathname.replace(/\/+$/, "");
  const as = call.classification.authorizationServer;
  if (!as || as.type === "org") return path === "";
  return /^\/oauth2\/[^/]+$/.test(path) && endpoint.pathname.startsWith(`${path}/`);
}

const rule: Rule = {
  id: "client-assertion-audience",
  severity: "error",
  tags: ["oauth", "tokens"],
  title: "Client assertion audience is not the endpoint the request reached",
  explanation:
    "With private_key_jwt (and client_secret_jwt) the client authenticates with a JWT it signs, and Okta requires that JWT's `aud` claim to be " +
    "exactly the URL of the endpoint it was sent to, as Okta serves it: `https://{yourOrg}/oauth2/v1/token` for the org authorization server, " +
    "`https://{yourOrg}/oauth2/{id}/v1/token` for a custom one (likewise `/introspect`, `/revoke`). Anything else is refused with `401 invalid_client` " +
    "\"The audience claim for client_assertion must be the endpoint invoked for the request.\" Two common causes: a library that puts the issuer in " +
    "`aud` (openid-client 6 / oauth4webapi do, following newer specs), and a base URL that is not the org's — a reverse proxy, API gateway or local " +
    "forwarder in front of Okta. The signature covers `aud`, so nothing in between can rewrite it: the client signs the URL it was configured with, " +
    "Okta compares it with its own. The same holds for a DPoP proof's `htu`.",
  fix:
    "Sign the assertion with `aud` = the full URL of the endpoint as Okta serves it (scheme, your Okta domain or custom domain, path; no query). " +
    "In openid-client 6 set it with the `modifyAssertion` option of `PrivateKeyJwt` (`payload.aud = config.serverMetadata().token_endpoint`). " +
    "Behind a reverse proxy, point the client at the Okta domain itself and record the traffic with `oktalint trace` (or mitmproxy in regular/forward mode) instead.",
  docs: [
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-and-sign-the-jwt",
    "https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/",
  ],
  needs: ["bodies"],
  explains: ["dpop-misuse", "untrusted-origin"],
  messages: {
    otherHost:
      "{{endpoint}} authenticates client {{client}} with a client_assertion whose aud is {{aud}}, but the request reached {{expected}}: the client was configured with another base URL ({{origin}}), such as a reverse proxy or gateway in front of Okta, and the signed aud cannot be rewritten on the way.{{answer}}",
    issuer:
      "{{endpoint}} authenticates client {{client}} with a client_assertion whose aud is the issuer {{aud}}: Okta requires the endpoint's own URL, {{expected}}.{{answer}}",
    notEndpoint:
      "{{endpoint}} authenticates client {{client}} with a client_assertion whose aud is {{aud}}: Okta requires the endpoint's own URL, {{expected}}.{{answer}}",
    answered:
      "Okta refused {{endpoint}} for client {{client}}: \"{{description}}\" The client_assertion's aud must be {{expected}} (its value is not in this capture).",
  },
  check(ctx) {
    for (const call of ctx.calls) {
      if (!call.classification.accepts.includes("client-auth")) continue;
      const ex = call.exchange;
      const err = callError(call);
      const answered = err?.summary !== undefined && AUDIENCE_ANSWER.test(err.summary);
      const status = ex.response.status;
      // Okta accepted the assertion: whatever its aud says, it was the right one for this org (a custom domain, say).
      if (status >= 200 && status < 400) continue;
      const endpoint = endpointOf(ex.request.rawUrl);
      if (!endpoint) continue;
      // On the Admin Console host the assertion is right to name the org host: the host is wrong (wrong-base-url).
      const expected = call.host.admin ? endpoint.href.replace(`//${call.host.host}`, `//${call.host.host.replace(/-admin\./, ".")}`) : endpoint.href;
      const client = clientLabel(clientIdOf(call));
      const answer = answered ? answerSentence(err!.code, err!.summary) : "";
      const errorLine = err ? [`HTTP ${status} ${err.code}${err.summary ? `: ${err.summary}` : ""}`] : [];
      let reported = false;
      for (const a of clientAuthsOf(call)) {
        if (!a.assertion) continue;
        const auds = audiencesOf(a.assertion.claims);
        if (auds.includes(expected)) continue;
        const shown = auds.length === 0 ? "(none)" : auds.map((x) => maskUrl(x)).join(", ");
        const first = auds.length === 1 ? endpointOf(auds[0]!) : undefined;
        const messageId = first && first.origin !== endpoint.origin && first.pathname === endpoint.pathname ? "otherHost"
          : first && isIssuerOf(first, endpoint, call) ? "issuer" : "notEndpoint";
        ctx.report({
          call,
          messageId,
          data: { endpoint: requestLineOf(call), client, aud: shown, expected: maskUrl(expected), origin: first ? maskUrl(first.origin) : "", answer },
          evidence: [a.evidence, `client_assertion aud: ${shown}`, `request URL: ${maskUrl(endpoint.href)}`, ...errorLine],
          ...(a.path ? { path: a.path } : {}),
          // Without Okta's answer (no response, another error first) the mismatch is still what Okta refuses.
          confidence: answered ? "certain" : "likely",
        });
        reported = true;
      }
      if (!reported && answered) {
        // The assertion is not in the capture (a body not kept), but Okta's answer names the cause.
        ctx.report({
          call,
          messageId: "answered",
          data: { endpoint: requestLineOf(call), client, description: err!.summary!, expected: maskUrl(expected) },
          evidence: errorLine,
          confidence: "certain",
        });
      }
    }
  },
};

export default rule;
