import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { urlParams } from "../src/model/params.js";
import { isFromBrowser, browserEvidenceLine, requestLineOf } from "./util.js";
import {
  callError,
  bodyParamsOf,
  clientAuthsOf,
  clientIdOf,
  clientLabel,
  findParam,
  isAuthorizeCall,
  isTokenCall,
  paramValue,
  redirectOf,
  requestParams,
  words,
  answerSentence,
} from "./util-oauth.js";

/** Okta's answer to a browser token request without PKCE (invalid_client). */
const PKCE_ANSWER = /Browser requests to the token endpoint must use Proof Key for Code Exchange/i;
/** Okta's /authorize answer when the app requires PKCE (pkce_missing_challenge). */
const CHALLENGE_REQUIRED = /PKCE code challenge is required/i;

/** The authorization code a response hands back (redirect query or fragment), with its `state`. */
function issuedCode(call: OktaCall): { code: string; state?: string } | undefined {
  const r = redirectOf(call.exchange);
  if (!r || !r.url.includes("code=")) return undefined;
  for (const part of ["query", "fragment"] as const) {
    const ps = urlParams(r.url, part);
    const code = paramValue(ps, "code");
    if (code && !paramValue(ps, "error")) {
      const state = paramValue(ps, "state");
      return state === undefined ? { code } : { code, state };
    }
  }
  return undefined;
}

const rule: Rule = {
  id: "token-request-without-pkce",
  severity: "error",
  tags: ["oauth", "browser", "tokens"],
  title: "Authorization code flow from a browser without PKCE",
  explanation:
    "A single-page app cannot keep a client secret, so Okta only lets a browser redeem an authorization code when the flow uses PKCE: " +
    "the /authorize request carries a `code_challenge` and the token request the matching `code_verifier`. " +
    "Okta recognises browser requests to /token by their `Origin` header and refuses them without a verifier " +
    "(`invalid_client` \"Browser requests to the token endpoint must use Proof Key for Code Exchange.\"). " +
    "An app that requires PKCE also refuses an /authorize request without `code_challenge`. " +
    "Without PKCE, anyone who intercepts the code (a log, a malicious extension, a custom-scheme hijack) can redeem it.",
  fix:
    "Use Authorization Code with PKCE: generate a random code_verifier per sign-in, send `code_challenge=BASE64URL(SHA256(verifier))` with " +
    "`code_challenge_method=S256` to /authorize and `code_verifier` to /token. okta-auth-js does this when `pkce: true` (its default). " +
    "Make the app a SPA (public client, no secret) in Okta, or, for a server-side web app, redeem the code from the server with its client secret.",
  docs: [
    "https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/",
    "https://developer.okta.com/docs/concepts/oauth-openid/",
    "https://support.okta.com/help/s/article/Browser-requests-to-the-token-endpoint-must-use-Proof-Key-for-Code-Exchange",
  ],
  needs: ["bodies"],
  // An app that requires PKCE refuses /authorize without code_challenge: the failed /authorize is this problem.
  explains: ["authorize-error"],
  messages: {
    tokenNoVerifier:
      "{{endpoint}} redeems an authorization code for client {{client}} from a browser page ({{origin}}) with no code_verifier: Okta accepts browser token requests only with PKCE.{{answer}}{{authorize}}",
    oktaRejected:
      "Okta refused {{endpoint}} for client {{client}} with {{error}} \"{{description}}\": it saw a browser request (an Origin header) with no PKCE code_verifier.{{authorize}}",
    authorizeRejected:
      "Okta refused {{endpoint}} for client {{client}} ({{error}}: \"{{description}}\"): the app requires PKCE and the request has no code_challenge.",
    authorizeNoChallenge:
      "{{endpoint}} starts an authorization code flow for client {{client}} (response_type={{responseType}}) with no code_challenge. If the browser or a mobile app redeems the code, Okta will refuse the token request; only a server redeeming it with a client secret works without PKCE.",
    confidentialNoPkce:
      "{{endpoint}} starts an authorization code flow for client {{client}} with no code_challenge; a server redeemed the code at entry {{tokenEntry}} with {{clientAuth}}. Okta accepts that from a confidential client, but PKCE would also protect it against code injection.",
  },
  check(ctx) {
    // Authorization requests by `state`, and which one issued each code.
    const authorizeByState = new Map<string, OktaCall>();
    const authorizeByCode = new Map<string, OktaCall>();
    for (const call of ctx.calls) {
      if (isAuthorizeCall(call)) {
        const state = paramValue(requestParams(call.exchange), "state");
        if (state) authorizeByState.set(state, call);
      }
      const issued = issuedCode(call);
      if (!issued) continue;
      const origin = isAuthorizeCall(call) ? call : issued.state !== undefined ? authorizeByState.get(issued.state) : undefined;
      if (origin) authorizeByCode.set(issued.code, origin);
    }

    const coveredAuthorize = new Set<OktaCall>();
    const redeemedBy = new Map<OktaCall, OktaCall>();

    for (const call of ctx.calls) {
      if (!isTokenCall(call)) continue;
      const ex = call.exchange;
      const params = bodyParamsOf(ex);
      const err = callError(call);
      const answered = err?.summary !== undefined && PKCE_ANSWER.test(err.summary);
      const grant = params ? paramValue(params, "grant_type") : undefined;
      const code = params ? paramValue(params, "code") : undefined;
      const authorize = code ? authorizeByCode.get(code) : undefined;
      if (authorize && grant === "authorization_code") redeemedBy.set(authorize, call);

      const missingVerifier = params !== null && grant === "authorization_code" && !paramValue(params, "code_verifier");
      if (!(missingVerifier && isFromBrowser(call)) && !answered) continue;

      let authorizeNote = "";
      if (authorize) {
        const challenge = paramValue(requestParams(authorize.exchange), "code_challenge");
        authorizeNote = challenge
          ? ` The /authorize request at entry ${authorize.exchange.index} did send a code_challenge: the app lost its code_verifier before calling /token.`
          : ` The code comes from the /authorize request at entry ${authorize.exchange.index}, which sent no code_challenge either.`;
        if (!challenge) coveredAuthorize.add(authorize);
      }
      const client = clientLabel(clientIdOf(call));
      const evidence = [browserEvidenceLine(ex), "grant_type=authorization_code", "code_verifier: absent"];
      if (err) evidence.push(`HTTP ${ex.response.status} ${err.code}${err.summary ? `: ${err.summary}` : ""}`);
      const related = authorize ? [authorize.exchange.index] : [];
      const grantParam = params ? findParam(requestParams(ex), "grant_type") : undefined;
      if (missingVerifier && isFromBrowser(call)) {
        ctx.report({
          call,
          messageId: "tokenNoVerifier",
          data: {
            endpoint: requestLineOf(call),
            client,
            origin: browserEvidenceLine(ex),
            answer: answered ? answerSentence(err!.code, err!.summary) : "",
            authorize: authorizeNote,
          },
          evidence,
          ...(grantParam ? { path: grantParam.path } : {}),
          related,
          confidence: "certain",
          explains: [],
        });
      } else {
        ctx.report({
          call,
          messageId: "oktaRejected",
          data: { endpoint: requestLineOf(call), client, error: err!.code, description: err!.summary!, authorize: authorizeNote },
          evidence: [`HTTP ${ex.response.status} ${err!.code}: ${err!.summary}`, ...(ex.request.headers.has("origin") ? [browserEvidenceLine(ex)] : [])],
          related,
          confidence: "certain",
          explains: [],
        });
      }
    }

    for (const call of ctx.calls) {
      if (!isAuthorizeCall(call) || !isFromBrowser(call) || coveredAuthorize.has(call)) continue;
      const params = requestParams(call.exchange);
      const responseType = paramValue(params, "response_type");
      if (!words(responseType).includes("code") || paramValue(params, "code_challenge")) continue;
      const ex = call.exchange;
      const client = clientLabel(paramValue(params, "client_id"));
      const rt = findParam(params, "response_type")!;
      const evidence = [`response_type=${responseType}`, "code_challenge: absent", browserEvidenceLine(ex)];
      const err = callError(call);
      if (err?.summary && CHALLENGE_REQUIRED.test(err.summary)) {
        ctx.report({
          call,
          messageId: "authorizeRejected",
          data: { endpoint: requestLineOf(call), client, error: err.code, description: err.summary },
          evidence: [...evidence, `${err.code}: ${err.summary}`],
          path: rt.path,
          confidence: "certain",
          explains: ["authorize-error"],
        });
        continue;
      }
      const token = redeemedBy.get(call);
      const serverAuth = token && !isFromBrowser(token) ? clientAuthsOf(token)[0] : undefined;
      if (token && serverAuth) {
        ctx.report({
          call,
          messageId: "confidentialNoPkce",
          data: { endpoint: requestLineOf(call), client, tokenEntry: token.exchange.index, clientAuth: serverAuth.kind },
          evidence: [...evidence, `entry ${token.exchange.index}: ${serverAuth.evidence}`],
          path: rt.path,
          related: [token.exchange.index],
          confidence: "certain",
          severity: "info",
          explains: [],
        });
        continue;
      }
      ctx.report({
        call,
        messageId: "authorizeNoChallenge",
        data: { endpoint: requestLineOf(call), client, responseType: responseType ?? "" },
        evidence,
        path: rt.path,
        confidence: "possible",
        severity: "warning",
        // A PKCE warning does not explain why Okta refused this /authorize (a user not assigned, an unknown scope…).
        explains: [],
      });
    }
  },
};

export default rule;
