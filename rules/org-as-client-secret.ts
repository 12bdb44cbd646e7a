import type { Rule } from "../src/engine/types.js";
import { requestLineOf } from "./util.js";
import { callError, answerSentence, bodyParamsOf, clientAuthsOf, clientIdOf, clientLabel, findParam, isTokenCall, paramValue, requestParams, words } from "./util-oauth.js";

/** Okta's answer (`invalid_client`, unsupported_auth_method_client_creds). */
const ORG_AS_ANSWER = /Client Credentials requests to the Org Authorization Server must use the private_key_jwt/i;

const rule: Rule = {
  id: "org-as-client-secret",
  severity: "error",
  tags: ["oauth", "management", "tokens"],
  title: "Client credentials at the org authorization server with a client secret",
  explanation:
    "A service app that calls Okta's management APIs (okta.* scopes) gets its token from the org authorization server (`/oauth2/v1/token`) " +
    "with the client_credentials grant, and there Okta only accepts private_key_jwt client authentication: a JWT the app signs with its " +
    "private key. A client secret, sent as Basic authentication, in the body or as an HS256 client_secret_jwt, is refused with " +
    "`invalid_client` \"Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.\" " +
    "Custom authorization servers (`/oauth2/default`) do accept client secrets, but they cannot issue okta.* scopes.",
  fix:
    "In the Okta Admin Console, set the service app's Client authentication to Public key / Private key, add its public key (JWKS), " +
    "and sign a client_assertion (iss = sub = client id, aud = https://{yourOrg}/oauth2/v1/token, short exp, unique jti) with the private key. " +
    "Send `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer` and `client_assertion=<jwt>` instead of the secret; " +
    "the Okta SDKs do this when configured with `authorizationMode: \"PrivateKey\"`.",
  docs: [
    "https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/",
    "https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/",
    "https://support.okta.com/help/s/article/client-credentials-requests-to-the-org-auithorization-server-must-use-the-private-key-jwt-token-endpoint-auth-method",
  ],
  needs: ["authorization", "bodies"],
  messages: {
    secret:
      "{{endpoint}} asks the org authorization server for a client_credentials token for client {{client}}{{scopes}} and authenticates with {{method}}: the org authorization server only accepts private_key_jwt for this grant.{{answer}}",
    answered:
      "Okta refused {{endpoint}} for client {{client}}: \"{{description}}\" The request must authenticate with a client_assertion signed by the app's private key, not with a client secret.",
  },
  check(ctx) {
    for (const call of ctx.calls) {
      if (!isTokenCall(call) || call.classification.authorizationServer?.type !== "org") continue;
      const ex = call.exchange;
      const err = callError(call);
      const answered = err?.summary !== undefined && ORG_AS_ANSWER.test(err.summary);
      const params = bodyParamsOf(ex);
      const grant = params ? paramValue(params, "grant_type") : undefined;
      const secrets = grant === "client_credentials" ? clientAuthsOf(call).filter((a) => a.kind !== "private_key_jwt") : [];
      // Okta issued a token: an OAuth 2.0 service integration (OIN) may use client_secret_basic here.
      const succeeded = ex.response.status >= 200 && ex.response.status < 300;
      const client = clientLabel(clientIdOf(call));
      if (secrets.length > 0 && !succeeded) {
        const scope = paramValue(requestParams(ex), "scope");
        const grantParam = findParam(requestParams(ex), "grant_type");
        ctx.report({
          call,
          messageId: "secret",
          data: {
            endpoint: requestLineOf(call),
            client,
            scopes: scope ? ` (scope ${words(scope).join(" ")})` : "",
            method: secrets.map((a) => a.kind).join(" and "),
            answer: answered ? answerSentence(err!.code, err!.summary) : "",
          },
          evidence: [
            "grant_type=client_credentials",
            ...secrets.map((a) => a.evidence),
            ...(err ? [`HTTP ${ex.response.status} ${err.code}${err.summary ? `: ${err.summary}` : ""}`] : []),
          ],
          ...((secrets[0]!.path ?? grantParam?.path) ? { path: (secrets[0]!.path ?? grantParam?.path)! } : {}),
          confidence: answered ? "certain" : "likely",
        });
      } else if (answered) {
        // The credential is not in the capture (a sanitized export drops Authorization), but Okta's answer is unambiguous.
        ctx.report({
          call,
          messageId: "answered",
          data: { endpoint: requestLineOf(call), client, description: err!.summary! },
          evidence: [`HTTP ${ex.response.status} ${err!.code}: ${err!.summary}`],
          confidence: "certain",
        });
      }
    }
  },
};

export default rule;
