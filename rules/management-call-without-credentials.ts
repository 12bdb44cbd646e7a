import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { decodeJwt, isSswsTokenShape } from "../src/okta/credentials.js";
import { maskSecret } from "../src/okta/mask.js";
import { isFromBrowser, sanitizationOf, requestLineOf, groupFirst, succeeded } from "./util.js";
import { outcomeOf, relatedOf, repeatNote } from "./util-tokens.js";

/** A credential the request carried somewhere other than `Authorization`. */
interface Misplaced {
  /** `the \`X-Api-Key\` header`, `the \`access_token\` query parameter` */
  where: string;
  path: string;
  scheme: "SSWS" | "Bearer";
  value: string;
}

const SCHEME_VALUE = /^(SSWS|Bearer|DPoP)\s+(\S+)$/i;

function credentialShape(value: string): "SSWS" | "Bearer" | undefined {
  const v = value.trim();
  const m = SCHEME_VALUE.exec(v);
  const token = m ? m[2]! : v;
  if (isSswsTokenShape(token)) return "SSWS";
  if (decodeJwt(token)) return "Bearer";
  return undefined;
}

function findMisplaced(call: OktaCall): Misplaced | undefined {
  const req = call.exchange.request;
  let i = 0;
  for (const h of req.headers) {
    const name = h.name.toLowerCase();
    if (name !== "authorization" && name !== "cookie" && name !== "dpop") {
      const scheme = credentialShape(h.value);
      if (scheme) {
        const token = SCHEME_VALUE.exec(h.value.trim())?.[2] ?? h.value.trim();
        return { where: `the \`${h.name}\` header`, path: `request.headers[${req.headers.positions?.[i] ?? i}]`, scheme, value: token };
      }
    }
    i++;
  }
  for (const p of req.query) {
    const scheme = credentialShape(p.value);
    if (scheme) return { where: `the \`${p.name}\` query parameter`, path: "request.queryString", scheme, value: p.value };
  }
  return undefined;
}

const rule: Rule = {
  id: "management-call-without-credentials",
  severity: "error",
  tags: ["management", "tokens"],
  title: "Management API call with no credentials",
  explanation:
    "Okta's management endpoints (/api/v1/users, /api/v1/groups, /api/v1/apps, …) act on the whole org, so every call must say who is acting: an API token (`Authorization: SSWS …`) or an access token from the org authorization server (`Authorization: Bearer …`). " +
    "A call with neither, and no Okta session cookie, is answered 403 E0000005 \"Invalid session\" (or 401). " +
    "It usually means the header was never built — an unset environment variable, an HTTP client configured without it, a redirect that dropped it — or that the token was put in another header or in the URL, where Okta does not look.",
  fix:
    "Send the credential in the Authorization header on every management call, from server-side code: `SSWS <api token>`, or better `Bearer <access token>` from the org authorization server with the okta.* scopes the call needs. " +
    "From a browser, use an org-AS access token (never an API token). Log whether the header is set before the call, and re-add it after redirects.",
  docs: [
    "https://developer.okta.com/docs/reference/core-okta-api/",
    "https://developer.okta.com/docs/reference/error-codes/#E0000005",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/",
  ],
  needs: ["authorization", "cookies"],
  // Okta's 401/403 to a call without credentials has no CORS headers: the CORS error follows from it.
  // A token sent in the URL instead of the header: moving it to the header fixes the call and the exposure.
  explains: ["untrusted-origin", "token-in-url"],
  messages: {
    noCredentials:
      "{{endpoint}} is a management call ({{family}}) but carried neither an Authorization header nor an Okta session cookie ({{outcome}}). {{advice}}{{earlier}}{{repeat}}",
    misplacedCredential:
      "{{endpoint}} is a management call ({{family}}) with no Authorization header: its credential ({{token}}) was sent in {{where}}, where Okta does not look ({{outcome}}). " +
      "Send it as `Authorization: {{scheme}} <token>`.{{repeat}}",
  },
  check(ctx) {
    // A sanitized export drops every Authorization and Cookie header: absence proves nothing (sanitized-capture says so).
    if (sanitizationOf(ctx.capture).sanitized) return;
    type Hit = { call: OktaCall; misplaced?: Misplaced; earlier?: OktaCall };
    const hits: Hit[] = [];
    /** The last call per host that did carry an Authorization header. */
    const lastWithAuth = new Map<string, OktaCall>();
    for (const call of ctx.calls) {
      const host = call.host.host;
      if (call.credential.authorization) {
        lastWithAuth.set(host, call);
        continue;
      }
      const c = call.classification;
      if (c.kind !== "management" || call.host.admin) continue;
      if (call.exchange.request.method.toUpperCase() === "OPTIONS") continue; // preflights never carry credentials
      if (c.accepts.length === 0 || c.accepts.includes("none") || c.accepts.includes("one-time-token")) continue;
      if (call.credential.sessionCookies.length > 0) continue;
      // Okta accepted it: the capture did not record the credential it carried.
      if (succeeded(call)) continue;
      const hit: Hit = { call };
      const misplaced = findMisplaced(call);
      if (misplaced) hit.misplaced = misplaced;
      const earlier = lastWithAuth.get(host);
      if (earlier) hit.earlier = earlier;
      hits.push(hit);
    }
    const groups = groupFirst(hits, (h) => `${h.call.host.host}\0${isFromBrowser(h.call)}\0${h.misplaced ? h.misplaced.where : ""}`);
    for (const { first, rest } of groups) {
      const { call, misplaced, earlier } = first;
      const c = call.classification;
      const restCalls = rest.map((h) => h.call);
      const scopes = c.scopes.length === 0 ? "the okta.* scopes it needs" : c.scopes.length === 1 ? c.scopes[0]! : `one of ${c.scopes.join(", ")}`;
      const base = { endpoint: requestLineOf(call), family: c.family, outcome: outcomeOf(call), repeat: repeatNote(undefined, restCalls) };
      if (misplaced) {
        ctx.report({
          call,
          path: misplaced.path,
          messageId: "misplacedCredential",
          data: { ...base, where: misplaced.where, token: maskSecret(misplaced.value), scheme: misplaced.scheme },
          evidence: [`${misplaced.where}: ${maskSecret(misplaced.value)}`, "no Authorization header", outcomeOf(call)],
          related: relatedOf(restCalls),
          confidence: "certain",
        });
        continue;
      }
      const advice = isFromBrowser(call)
        ? `From a browser, get an access token from the org authorization server with ${scopes} and send it as \`Authorization: Bearer <token>\` (never an API token in front-end code).`
        : `Send \`Authorization: SSWS <api token>\`, or \`Authorization: Bearer <token>\` with an org-authorization-server access token carrying ${scopes}.`;
      const earlierNote = earlier
        ? ` Entry ${earlier.exchange.index} (${requestLineOf(earlier)}) did send an Authorization header to ${call.host.host}: it was lost on this call (an unset variable, another HTTP client, or a redirect that dropped it).`
        : "";
      ctx.report({
        call,
        messageId: "noCredentials",
        data: { ...base, advice, earlier: earlierNote },
        evidence: ["no Authorization header", "no Okta session cookie (sid / idx)", outcomeOf(call)],
        related: relatedOf(restCalls, [earlier?.exchange.index]),
        confidence: call.exchange.response.status === 0 ? "likely" : "certain",
        explains: ["untrusted-origin"],
      });
    }
  },
};

export default rule;
