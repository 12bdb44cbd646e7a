import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { decodeJwt, type DecodedJwt } from "../src/okta/credentials.js";
import { authOf, jwtOf, requestLineOf, groupFirst, succeeded } from "./util.js";
import { at, authEvidence, formatCoarseDuration, isoSeconds, issuedTokens, issuerLabel, jwtKindLabel, outcomeOf, relatedOf, repeatNote } from "./util-tokens.js";
import { maskSecret } from "../src/okta/mask.js";
import type { ForeignCall } from "../src/engine/capture.js";
import type { Report } from "../src/engine/types.js";
import { accepted, atForeign, bearerToken, challengeError, foreignLine, foreignOutcome, foreignRelated, foreignRepeat } from "./util-foreign.js";

/**
 * Clock skew allowed between the token's `exp` and the request time. Zero: a
 * token used after its `exp` is reported, and the message says by how much,
 * so a few seconds (clock drift, renewal on the dot) reads differently from hours.
 */
const CLOCK_SKEW_MS = 0;
/** Below this, the message points at renewal timing and clock drift. */
const NARROW_MS = 60_000;

interface Hit {
  call: OktaCall;
  jwt: DecodedJwt;
  token: string;
  source: "authorization" | "client_assertion";
  expMs: number;
}

function expiryOf(jwt: DecodedJwt): number | undefined {
  const exp = jwt.claims.exp;
  return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
}

/** The `client_assertion` of a token request (form body), when it is a JWT. */
function clientAssertion(call: OktaCall): { token: string; jwt: DecodedJwt } | undefined {
  const body = call.exchange.request.body;
  if (!body) return undefined;
  let value = body.params?.find((p) => p.name === "client_assertion")?.value;
  if (value === undefined && body.text && body.text.includes("client_assertion=") && /x-www-form-urlencoded/i.test(body.mimeType)) {
    value = new URLSearchParams(body.text).get("client_assertion") ?? undefined;
  }
  if (!value) return undefined;
  const jwt = decodeJwt(value);
  return jwt ? { token: value, jwt } : undefined;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const rule: Rule = {
  id: "expired-token",
  severity: "error",
  tags: ["tokens", "oauth"],
  title: "Expired JWT sent to Okta or to your API",
  explanation:
    "Access tokens, ID tokens and client assertions carry an `exp` claim; Okta refuses them after that instant (401 `invalid_token` \"The token has expired.\", or `invalid_client` for an expired client assertion), and so do your own APIs that validate Okta's tokens (401 `WWW-Authenticate: Bearer error=\"invalid_token\"`). " +
    "Tokens of the org authorization server live one hour and cannot be changed; custom authorization servers issue tokens for 5 minutes to 24 hours. " +
    "An app that caches a token without watching `exp`, or renews it exactly on expiry, fails intermittently. oktalint compares `exp` with the request's timestamp in the capture and allows no clock skew, so the message says how late the token was.",
  fix:
    "Renew before expiry: read `expires_in` from the token response and get a new token (refresh token, client_credentials again, or okta-auth-js's token manager with auto-renew) a minute or two before `exp`. " +
    "Sign a new client assertion for every token request. If the gap is only seconds, check the clocks of the machines involved.",
  docs: [
    "https://developer.okta.com/docs/concepts/oauth-claims/",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/",
  ],
  needs: ["authorization"],
  messages: {
    expired:
      "{{what}} sent to {{endpoint}} had expired {{ago}} before the request (exp {{exp}}, request at {{at}} by the capture's clock, no clock skew allowed; {{outcome}}).{{lifetime}}{{hint}}{{issued}}{{repeat}}",
    expiredAssertion:
      "The client_assertion JWT sent to {{endpoint}} had expired {{ago}} before the request (exp {{exp}}, request at {{at}} by the capture's clock, no clock skew allowed; {{outcome}}). " +
      "Sign a fresh assertion with a new `jti` and a short `exp` for every token request.{{hint}}{{repeat}}",
    expiredAtApi:
      "{{what}} sent to your API {{endpoint}} had expired {{ago}} before the request (exp {{exp}}, request at {{at}} by the capture's clock, no clock skew allowed; {{outcome}}).{{lifetime}}{{hint}}{{issued}}{{repeat}}",
  },
  check(ctx) {
    checkApis(ctx.foreign, (r) => ctx.report(r), () => issuedTokens(ctx.capture));
    const hits: Hit[] = [];
    for (const call of ctx.calls) {
      const started = call.exchange.startedAt;
      if (started === null) continue;
      const jwt = jwtOf(call);
      if (jwt) {
        const expMs = expiryOf(jwt);
        if (expMs !== undefined && expMs + CLOCK_SKEW_MS < started) hits.push({ call, jwt, token: authOf(call)!.token, source: "authorization", expMs });
      }
      const assertion = call.exchange.request.method.toUpperCase() === "POST" ? clientAssertion(call) : undefined;
      if (assertion) {
        const expMs = expiryOf(assertion.jwt);
        if (expMs !== undefined && expMs + CLOCK_SKEW_MS < started) hits.push({ call, jwt: assertion.jwt, token: assertion.token, source: "client_assertion", expMs });
      }
    }
    if (hits.length === 0) return;
    const issued = issuedTokens(ctx.capture);
    for (const { first, rest } of groupFirst(hits, (h) => `${h.source}\0${h.token}`)) {
      const { call, jwt, token, expMs } = first;
      const started = call.exchange.startedAt!;
      const late = started - expMs;
      const restCalls = rest.map((h) => h.call);
      let hint = "";
      if (succeeded(call)) hint = " Yet Okta accepted the call, so the capture's timestamps are probably off (a wrong clock on the recording machine).";
      else if (late < NARROW_MS) hint = " It was only seconds late: renew tokens a little before `exp` rather than on it, and check for clock drift.";
      const common = {
        endpoint: requestLineOf(call),
        ago: formatCoarseDuration(late),
        exp: isoSeconds(expMs),
        at: isoSeconds(started),
        outcome: outcomeOf(call),
        hint,
        repeat: repeatNote("expired token", restCalls),
      };
      const confidence = succeeded(call) ? ("possible" as const) : ("certain" as const);
      if (first.source === "client_assertion") {
        ctx.report({
          call,
          path: "request.postData",
          messageId: "expiredAssertion",
          data: common,
          evidence: [`client_assertion=${maskSecret(token)}`, `exp=${isoSeconds(expMs)}, request at ${isoSeconds(started)}`, outcomeOf(call)],
          related: relatedOf(restCalls),
          confidence,
        });
        continue;
      }
      const auth = authOf(call)!;
      const iat = typeof jwt.claims.iat === "number" ? jwt.claims.iat * 1000 : undefined;
      const from = issued.get(token);
      ctx.report({
        ...at(call),
        messageId: "expired",
        data: {
          ...common,
          what: `${capitalize(jwtKindLabel(jwt))} from ${issuerLabel(jwt.claims)}`,
          lifetime: iat !== undefined && iat < expMs ? ` It was valid for ${formatCoarseDuration(expMs - iat)} from ${isoSeconds(iat)}.` : "",
          issued: from ? ` It was issued at entry ${from.entry} (${from.endpoint}): request a new one before its exp instead of reusing it.` : " Get a new token (refresh it) before it expires.",
        },
        evidence: [authEvidence(auth.scheme, token), `exp=${isoSeconds(expMs)}, request at ${isoSeconds(started)} (${formatCoarseDuration(late)} later)`, outcomeOf(call)],
        related: relatedOf(restCalls, [from?.entry]),
        confidence,
      });
    }
  },
};

/** Expired Okta tokens sent as Bearer to the app's own APIs. */
function checkApis(foreign: readonly ForeignCall[], report: (r: Report) => void, issuedOf: () => ReturnType<typeof issuedTokens>): void {
  const hits: { fc: ForeignCall; token: string; jwt: DecodedJwt; expMs: number }[] = [];
  for (const fc of foreign) {
    if (fc.role !== "app") continue;
    const started = fc.exchange.startedAt;
    const t = bearerToken(fc);
    if (started === null || !t?.jwt) continue;
    const expMs = expiryOf(t.jwt);
    if (expMs !== undefined && expMs + CLOCK_SKEW_MS < started) hits.push({ fc, token: t.value, jwt: t.jwt, expMs });
  }
  if (hits.length === 0) return;
  const issued = issuedOf();
  for (const { first, rest } of groupFirst(hits, (h) => `${h.fc.authority}\0${h.token}`)) {
    const { fc, token, jwt, expMs } = first;
    const started = fc.exchange.startedAt!;
    const late = started - expMs;
    const restCalls = rest.map((h) => h.fc);
    const auth = fc.authorization!;
    let hint = "";
    if (accepted(fc)) hint = " Yet your API accepted it: it does not check `exp`, or the capture's clock is off.";
    else if (late < NARROW_MS) hint = " It was only seconds late: renew tokens a little before `exp` rather than on it, and check for clock drift.";
    else if (challengeError(fc) === "invalid_token") hint = " Your API's `invalid_token` is this expiry, not a problem of Okta or of the API.";
    const iat = typeof jwt.claims.iat === "number" ? jwt.claims.iat * 1000 : undefined;
    const from = issued.get(token);
    report({
      ...atForeign(fc),
      messageId: "expiredAtApi",
      data: {
        what: `${capitalize(jwtKindLabel(jwt))} from ${issuerLabel(jwt.claims)}`,
        endpoint: foreignLine(fc),
        ago: formatCoarseDuration(late),
        exp: isoSeconds(expMs),
        at: isoSeconds(started),
        outcome: foreignOutcome(fc),
        lifetime: iat !== undefined && iat < expMs ? ` It was valid for ${formatCoarseDuration(expMs - iat)} from ${isoSeconds(iat)}.` : "",
        hint,
        issued: from
          ? ` It was issued at entry ${from.entry} (${from.endpoint}): renew it before its exp (okta-auth-js's token manager with autoRenew, or a refresh token) instead of reusing it.`
          : " Renew it before it expires (okta-auth-js's token manager with autoRenew, or a refresh token), and send the current token each time.",
        repeat: foreignRepeat("expired token", restCalls),
      },
      evidence: [authEvidence(auth.scheme, token), `exp=${isoSeconds(expMs)}, request at ${isoSeconds(started)} (${formatCoarseDuration(late)} later)`, foreignOutcome(fc)],
      related: foreignRelated(restCalls, [from?.entry]),
      confidence: accepted(fc) ? "possible" : "certain",
    });
  }
}

export default rule;
