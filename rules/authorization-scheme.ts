import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { findOneTimeTokens, isDpopBound, jwtIssuerInfo, jwtKind, type AuthorizationInfo, type AuthorizationProblemCode } from "../src/okta/credentials.js";
import { maskAuthorization, maskSecret } from "../src/okta/mask.js";
import { authOf, requestLineOf, groupFirst, succeeded } from "./util.js";
import { at, authEvidence, issuerLabel, jwtSummary, outcomeOf, relatedOf, repeatNote } from "./util-tokens.js";

/** What the value after the scheme really is, in words. */
function valueLabel(auth: AuthorizationInfo): string {
  if (auth.tokenKind === "ssws-token") return "an SSWS API token";
  if (auth.jwt) {
    const k = jwtKind(auth.jwt.claims, auth.jwt.header);
    return k === "id" ? "an ID token (JWT)" : k === "access" ? "an OAuth access token (JWT)" : "a JWT";
  }
  return "a credential";
}

/** The scheme this value needs. */
function neededScheme(auth: AuthorizationInfo): string {
  if (auth.tokenKind === "ssws-token") return "SSWS";
  if (auth.jwt && isDpopBound(auth.jwt.claims)) return "DPoP";
  return "Bearer";
}

/** What to write instead, for the formatting problems. */
function writeAs(auth: AuthorizationInfo): string {
  if (auth.tokenKind === "ssws-token" || auth.jwt) return `\`${neededScheme(auth)} <token>\``;
  if (auth.schemeKey === "ssws" || auth.schemeKey === "bearer" || auth.schemeKey === "dpop") {
    return `\`${{ ssws: "SSWS", bearer: "Bearer", dpop: "DPoP" }[auth.schemeKey]} <token>\``;
  }
  return "`SSWS <api token>` or `Bearer <access token>`";
}

/** A scheme word shown in a message: short words verbatim, anything secret-sized masked. */
function schemeWord(word: string): string {
  const w = word.replace(/:$/, "");
  return w.length >= 12 || /\d{4,}/.test(w) ? maskSecret(w) : w.slice(0, 20);
}

/** First two words of the value (after a pasted header name), to show a doubled scheme. */
function doubledShape(auth: AuthorizationInfo): string {
  const words = auth.raw.trim().replace(/^(?:proxy-)?authorization\s*:\s*/i, "").split(/\s+/);
  return `${schemeWord(words[0] ?? "")} ${schemeWord(words[1] ?? "")} …`;
}

function whitespaceWhere(auth: AuthorizationInfo): string {
  const raw = auth.raw;
  if (/[\r\n]/.test(raw)) return "a line break (the token was read from a file or variable together with its newline)";
  if (raw !== raw.trim()) return "leading or trailing whitespace";
  if (/\s/.test(auth.token)) return "whitespace inside the token (only one token may follow the scheme)";
  return "more than one space, or a tab, between the scheme and the token";
}

/** Advice for a JWT sent with SSWS: which scheme and which token it really needs. */
function jwtWithSswsAdvice(call: OktaCall, auth: AuthorizationInfo): string {
  const jwt = auth.jwt!;
  const kind = jwtKind(jwt.claims, jwt.header);
  const issuer = jwtIssuerInfo(jwt.claims);
  const management = call.classification.kind === "management" || call.classification.pathTemplate?.startsWith("/api/v1/") === true;
  const parts: string[] = [];
  if (kind === "id") {
    parts.push("It is an ID token, which no Okta API takes as a credential either: send the access token from the same token response, as `Bearer <token>`.");
  } else if (issuer?.authorizationServer.type === "custom" && management) {
    parts.push(
      "Switching to Bearer is not enough: it comes from a custom authorization server, whose tokens Okta's own APIs never accept; " +
        `get an access token with okta.* scopes from the org authorization server (${issuer.orgUrl}/oauth2/v1/token) and send it as \`Bearer <token>\`.`,
    );
  } else if (isDpopBound(jwt.claims)) {
    parts.push("It is DPoP-bound (`cnf.jkt`): send it as `Authorization: DPoP <token>` together with a `DPoP` proof header.");
  } else {
    parts.push("Send it as `Authorization: Bearer <token>`.");
  }
  const ua = call.exchange.request.headers.get("user-agent") ?? "";
  if (/okta-sdk-nodejs/i.test(ua)) {
    parts.push(
      'okta-sdk-nodejs sends its `token` option as SSWS: give it an API token, or configure `authorizationMode: "PrivateKey"` so that it requests org-AS access tokens itself.',
    );
  }
  return parts.join(" ");
}

const rule: Rule = {
  id: "authorization-scheme",
  severity: "error",
  tags: ["tokens", "management"],
  title: "Malformed Authorization header or wrong scheme for the token",
  explanation:
    "Okta reads the Authorization header by its scheme: `SSWS` must be followed by an API token (42 characters starting `00`), `Bearer` and `DPoP` by an OAuth access token (a JWT). " +
    "An access token sent as `SSWS eyJ…` or an API token sent as `Bearer 00…` is rejected with 401 (E0000011 or `invalid_token`) even though the token itself is fine. " +
    "Formatting slips do the same: quotes, a doubled or missing scheme, a trailing newline from a file or environment variable, or an empty token from an unset variable are sent as part of the credential.",
  fix:
    "Build the header as exactly `SSWS <api token>` for API tokens or `Bearer <access token>` for org-authorization-server access tokens (`DPoP <token>` plus a DPoP proof for DPoP-bound ones): " +
    "one space, no quotes, no colon after the scheme, and the token trimmed. Check that the variable holding the token is set.",
  docs: [
    "https://developer.okta.com/docs/reference/core-okta-api/",
    "https://developer.okta.com/docs/guides/create-an-api-token/main/",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/",
  ],
  needs: ["authorization"],
  // A JWT or a mangled token in the header is why Okta rejected it: the scheme or the formatting is the cause.
  // `SSWS <id token>`: this rule names the ID token too, and says to send the access token as Bearer.
  // A JWT sent as SSWS from a page is a token in the wrong scheme, not an API token in the page; a failed call's missing CORS headers hide this failure.
  explains: ["api-token-rejected", "id-token-as-access-token", "api-token-on-cookie-endpoint", "ssws-in-browser", "untrusted-origin"],
  messages: {
    jwtWithSsws:
      "{{endpoint}} sent {{what}} from {{issuer}} with the SSWS scheme ({{outcome}}). SSWS takes only Okta API tokens; Okta's API does not accept a JWT in it. {{advice}}{{repeat}}",
    apiTokenAsBearer:
      "{{endpoint}} sent {{token}}, an SSWS API token (42 characters starting `00`), with the `{{scheme}}` scheme, which Okta reads as an OAuth access token ({{outcome}}). " +
      "Send it as `SSWS <token>`, from server-side code only.{{repeat}}",
    missingScheme: "{{endpoint}}: the Authorization header holds {{what}} with no scheme in front of it ({{outcome}}). Write {{writeAs}}.{{repeat}}",
    doubledScheme:
      "{{endpoint}}: the scheme appears twice in the Authorization header (`{{shape}}`), so the second word is sent as part of the credential ({{outcome}}). Write {{writeAs}} once.{{repeat}}",
    quoted: "{{endpoint}}: the token in the Authorization header is wrapped in quotes, which are sent as part of the credential ({{outcome}}). Write {{writeAs}} without quotes.{{repeat}}",
    whitespace: "{{endpoint}}: the Authorization header contains {{where}} ({{outcome}}). Trim the token and write {{writeAs}} with a single space.{{repeat}}",
    unknownScheme:
      "{{endpoint}} sent the Authorization scheme `{{scheme}}`, which Okta does not accept ({{outcome}}). The value is {{what}}: write {{writeAs}}.{{repeat}}",
    schemeColon: "{{endpoint}}: the scheme is followed by a colon (`{{scheme}}: …`), so Okta does not recognise it ({{outcome}}). Write {{writeAs}}.{{repeat}}",
    headerNameInValue:
      "{{endpoint}}: the Authorization header's value starts with `Authorization:` — the header name was pasted into the value ({{outcome}}). Set the value to {{writeAs}} only.{{repeat}}",
    emptyToken: "{{endpoint}} sent {{shape}} with no token ({{outcome}}): the variable holding the token was probably unset or empty when the header was built.{{repeat}}",
    invalidBasic:
      "{{endpoint}}: the Basic credential is not base64 of `client_id:client_secret` ({{outcome}}). Encode `client_id:client_secret` with base64, or send the client credentials in the form body.{{repeat}}",
    duplicateHeader:
      "{{endpoint}} sent {{count}} Authorization headers ({{schemes}}); an HTTP request may carry only one credential, and which one Okta or a proxy on the way reads is not defined ({{outcome}}). " +
      "Send exactly one — usually a default header set on the HTTP client plus another added per request.{{repeat}}",
    basicNotAccepted:
      "{{endpoint}} sent Basic credentials, but {{family}} endpoints do not take them ({{outcome}}): Basic is only client authentication at the OAuth endpoints (/token, /introspect, /revoke). " +
      "Send `SSWS <api token>` or `Bearer <org-AS access token>`.{{repeat}}",
  },
  check(ctx) {
    type Hit = { call: OktaCall; auth: AuthorizationInfo; code: AuthorizationProblemCode | "basic-not-accepted" | "duplicate-header" };
    const hits: Hit[] = [];
    for (const call of ctx.calls) {
      const auth = authOf(call);
      if (!auth) continue;
      for (const p of auth.problems) if (p.level === "error") hits.push({ call, auth, code: p.code });
      const accepts = call.classification.accepts;
      if (call.exchange.request.headers.getAll("authorization").length > 1) hits.push({ call, auth, code: "duplicate-header" });
      if (auth.schemeKey === "basic" && accepts.length > 0 && !accepts.includes("client-auth")) hits.push({ call, auth, code: "basic-not-accepted" });
    }
    if (hits.length === 0) return;

    // A `00…` value that the capture shows as a sessionToken/stateToken is a one-time token
    // misused as an API credential: session-token-misuse explains that, not this rule.
    let oneTime: Set<string> | undefined;
    const isOneTime = (value: string): boolean => {
      if (!oneTime) {
        oneTime = new Set();
        for (const c of ctx.calls) {
          const body = c.exchange.response.body?.text;
          if (!body || !body.includes('Token"')) continue;
          for (const t of findOneTimeTokens(c.exchange)) if (t.where === "response.body") oneTime.add(t.value);
        }
      }
      return oneTime.has(value);
    };

    for (const { first, rest } of groupFirst(hits, (h) => `${h.code}\0${h.auth.raw}`)) {
      const { call, auth, code } = first;
      const restCalls = rest.map((h) => h.call);
      const base = {
        endpoint: requestLineOf(call),
        outcome: outcomeOf(call),
        repeat: repeatNote("header", restCalls),
        writeAs: writeAs(auth),
      };
      const evidence = [authEvidence(auth.scheme, auth.token), outcomeOf(call)];
      // Formatting slips: show the header's shape (quotes, doubled scheme, a visible `\n`), masked.
      const shaped = [`Authorization: ${maskAuthorization(auth.raw)}`, outcomeOf(call)];
      const common = {
        ...at(call),
        related: relatedOf(restCalls),
        confidence: succeeded(call) ? ("likely" as const) : ("certain" as const),
        explains: ["api-token-rejected", "id-token-as-access-token", ...(code === "jwt-with-ssws" ? ["api-token-on-cookie-endpoint", "ssws-in-browser"] : []), ...(succeeded(call) ? [] : ["untrusted-origin"])],
      };
      switch (code) {
        case "jwt-with-ssws": {
          const jwt = auth.jwt!;
          ctx.report({
            ...common,
            messageId: "jwtWithSsws",
            data: { ...base, what: valueLabel(auth), issuer: issuerLabel(jwt.claims), advice: jwtWithSswsAdvice(call, auth) },
            evidence: [...evidence, jwtSummary(jwt)],
          });
          break;
        }
        case "api-token-as-bearer":
          if (isOneTime(auth.token)) break;
          ctx.report({ ...common, messageId: "apiTokenAsBearer", data: { ...base, token: maskSecret(auth.token), scheme: auth.scheme }, evidence });
          break;
        case "missing-scheme":
          ctx.report({ ...common, messageId: "missingScheme", data: { ...base, what: auth.tokenKind === "opaque" || auth.tokenKind === "empty" ? "a bare credential" : valueLabel(auth) }, evidence });
          break;
        case "doubled-scheme":
          ctx.report({ ...common, messageId: "doubledScheme", data: { ...base, shape: doubledShape(auth) }, evidence: shaped });
          break;
        case "quoted":
          ctx.report({ ...common, messageId: "quoted", data: base, evidence: shaped });
          break;
        case "whitespace":
          ctx.report({ ...common, messageId: "whitespace", data: { ...base, where: whitespaceWhere(auth) }, evidence: shaped });
          break;
        case "unknown-scheme":
          ctx.report({
            ...common,
            messageId: "unknownScheme",
            data: { ...base, scheme: schemeWord(auth.scheme), what: auth.tokenKind === "opaque" ? "not an API token or a JWT as far as its shape tells" : valueLabel(auth) },
            evidence,
          });
          break;
        case "scheme-colon":
          ctx.report({ ...common, messageId: "schemeColon", data: { ...base, scheme: auth.scheme }, evidence: shaped });
          break;
        case "header-name-in-value":
          ctx.report({ ...common, messageId: "headerNameInValue", data: base, evidence: shaped });
          break;
        case "empty-token":
          ctx.report({
            ...common,
            messageId: "emptyToken",
            data: { ...base, shape: auth.scheme ? `\`Authorization: ${auth.scheme}\`` : "an empty Authorization header" },
            evidence: [`Authorization: ${auth.scheme || "(empty)"}`, outcomeOf(call)],
          });
          break;
        case "invalid-basic":
          ctx.report({ ...common, messageId: "invalidBasic", data: base, evidence });
          break;
        case "duplicate-header": {
          const all = call.exchange.request.headers.getAll("authorization");
          ctx.report({
            ...common,
            messageId: "duplicateHeader",
            data: { ...base, count: all.length, schemes: all.map((v) => schemeWord(v.trim().split(/\s+/)[0] ?? "") || "(empty)").join(", ") },
            evidence: [...all.map((v) => `Authorization: ${maskAuthorization(v)}`.slice(0, 200)), outcomeOf(call)],
          });
          break;
        }
        case "basic-not-accepted":
          ctx.report({
            ...common,
            messageId: "basicNotAccepted",
            data: { ...base, family: call.classification.kind === "management" ? "management" : call.classification.family },
            evidence: [`Authorization: Basic ${auth.basic ? "(client credentials)" : maskSecret(auth.token)}`, outcomeOf(call)],
            confidence: succeeded(call) ? "possible" : "likely",
          });
          break;
        default:
          // lowercase-scheme is info-level in the parser and is not reported.
          break;
      }
    }
  },
};

export default rule;
