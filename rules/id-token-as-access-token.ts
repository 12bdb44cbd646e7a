import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import type { Classification } from "../src/okta/catalog.js";
import { isOktaClientId, jwtKind, type DecodedJwt } from "../src/okta/credentials.js";
import { authOf, jwtOf, requestLineOf, groupFirst, succeeded } from "./util.js";
import { at, authEvidence, issuedTokens, jwtSummary, outcomeOf, relatedOf, repeatNote } from "./util-tokens.js";

/** Okta endpoints that take an access token as their credential. */
function takesAccessTokens(c: Classification): boolean {
  return c.accepts.includes("bearer-org-as") || c.accepts.includes("bearer-custom-as") || c.kind === "myaccount";
}

/** The claims that give an ID token away, in words (secret-free: claim names, the public client id). */
function idTokenSigns(jwt: DecodedJwt): string {
  const c = jwt.claims;
  const signs: string[] = [];
  if (typeof c.jti === "string" && c.jti.startsWith("ID.")) signs.push("its jti starts with `ID.`");
  if (typeof c.aud === "string" && isOktaClientId(c.aud)) signs.push(`its aud is the client id ${c.aud}`);
  for (const k of ["nonce", "at_hash", "c_hash", "amr"]) if (k in c) signs.push(`it has ${k === "amr" || k === "at_hash" ? "an" : "a"} \`${k}\` claim`);
  if (!("scp" in c)) signs.push("it has no `scp`");
  return signs.join(", ");
}

const rule: Rule = {
  id: "id-token-as-access-token",
  severity: "error",
  tags: ["tokens", "oauth"],
  title: "ID token sent as a Bearer credential to an API",
  explanation:
    "A sign-in with OpenID Connect returns two different JWTs. The ID token tells your application who signed in: its audience is your app's client id and it carries `nonce`, `amr` and profile claims, but no scopes. " +
    "The access token is what APIs accept: it carries `scp` and the audience of the API (the Okta org for the org authorization server). " +
    "Okta's APIs (management, /api/v1/users/me, MyAccount, /userinfo) refuse an ID token with 401 `invalid_token`, and your own resource servers should refuse it too.",
  fix:
    "Send the `access_token` from the same token response (`Authorization: Bearer <access_token>`); with okta-auth-js that is `authClient.getAccessToken()`, not `getIdToken()`. " +
    "If the flow only returned an ID token (`response_type=id_token`), switch to the authorization code flow with PKCE so you also get an access token with the scopes you need.",
  docs: [
    "https://developer.okta.com/docs/guides/validate-id-tokens/main/",
    "https://developer.okta.com/docs/concepts/oauth-claims/",
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/",
  ],
  needs: ["authorization"],
  // An ID token is the wrong token whether or not it expired: refreshing it would not help.
  // A failed call's missing CORS headers hide this failure from the page.
  explains: ["expired-token", "untrusted-origin"],
  messages: {
    idToken:
      "{{endpoint}} received an ID token as its {{scheme}} credential ({{signs}}; {{outcome}}). ID tokens are for your app to learn who signed in; APIs take access tokens. " +
      "Send the access token instead.{{issued}}{{repeat}}",
  },
  check(ctx) {
    const hits: OktaCall[] = [];
    for (const call of ctx.calls) {
      const auth = authOf(call);
      if (!auth || (auth.schemeKey !== "bearer" && auth.schemeKey !== "dpop" && auth.schemeKey !== "ssws")) continue;
      const jwt = jwtOf(call);
      if (!jwt || jwtKind(jwt.claims, jwt.header) !== "id") continue;
      if (!takesAccessTokens(call.classification)) continue;
      hits.push(call);
    }
    if (hits.length === 0) return;
    const issued = issuedTokens(ctx.capture);
    for (const { first: call, rest } of groupFirst(hits, (c) => authOf(c)!.token)) {
      const auth = authOf(call)!;
      const jwt = jwtOf(call)!;
      const from = issued.get(auth.token);
      let issuedNote = "";
      if (from) {
        issuedNote = from.siblings.includes("access_token")
          ? ` Entry ${from.entry} (${from.endpoint}) returned it together with an access_token: send that one.`
          : ` Entry ${from.entry} (${from.endpoint}) returned only an ID token: use the authorization code flow with PKCE to get an access token as well.`;
      }
      ctx.report({
        ...at(call),
        messageId: "idToken",
        data: {
          endpoint: requestLineOf(call),
          scheme: auth.scheme,
          signs: idTokenSigns(jwt),
          outcome: outcomeOf(call),
          issued: issuedNote,
          repeat: repeatNote("ID token", rest),
        },
        evidence: [authEvidence(auth.scheme, auth.token), jwtSummary(jwt), outcomeOf(call)],
        related: relatedOf(rest, [from?.entry]),
        confidence: succeeded(call) ? "likely" : "certain",
        explains: succeeded(call) ? ["expired-token"] : ["expired-token", "untrusted-origin"],
      });
    }
  },
};

export default rule;
