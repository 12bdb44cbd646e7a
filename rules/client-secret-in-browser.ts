import type { Rule } from "../src/engine/types.js";
import { isFromBrowser, browserEvidenceLine, requestLineOf } from "./util.js";
import { clientAuthsOf, clientIdOf, clientLabel, pageOrigin, type ClientAuthKind } from "./util-oauth.js";

const HOW: Record<ClientAuthKind, string> = {
  client_secret_basic: "as Basic client authentication (Authorization: Basic base64(client_id:client_secret))",
  client_secret_post: "as client_secret in the request body",
  client_secret_query: "as client_secret in the URL query",
  client_secret_jwt: "as a client_assertion signed with the client secret (client_secret_jwt)",
  private_key_jwt: "as a client_assertion signed with the app's private key (private_key_jwt)",
};

const rule: Rule = {
  id: "client-secret-in-browser",
  severity: "error",
  tags: ["oauth", "browser", "tokens"],
  title: "Client secret or client private key used from a browser",
  explanation:
    "An OAuth client secret (or the private key behind private_key_jwt) proves that a request comes from the app's own server. " +
    "Code that runs in a browser is public: anyone can read the secret from the page's JavaScript, from the network panel or from a HAR file like this one, " +
    "and then request tokens as the app. Okta treats a browser app as a public client that authenticates with PKCE alone; " +
    "a secret in front-end code must be considered leaked.",
  fix:
    "Rotate the client secret (or the key) in the Okta Admin Console now. Then either make the browser app an Okta SPA app " +
    "(public client, `token_endpoint_auth_method: none`) that uses Authorization Code with PKCE, or move the token request to your server " +
    "and keep the secret there.",
  docs: [
    "https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/",
    "https://developer.okta.com/docs/concepts/oauth-openid/",
  ],
  needs: ["authorization", "bodies"],
  // A browser app redeeming its code with a secret and no PKCE is a confidential client in a page: the fix (a SPA app with PKCE) covers both.
  explains: ["token-request-without-pkce"],
  messages: {
    secret:
      "{{endpoint}} sends the client secret of client {{client}} {{how}} from a browser page ({{origin}}): the secret is exposed to anyone who can open that page.",
    assertion:
      "{{endpoint}} authenticates client {{client}} {{how}} from a browser page ({{origin}}): whoever can open the page can read the key and sign assertions as the app.",
  },
  check(ctx) {
    for (const call of ctx.calls) {
      if (!isFromBrowser(call)) continue;
      const auths = clientAuthsOf(call);
      if (auths.length === 0) continue;
      const ex = call.exchange;
      const origin = pageOrigin(ex) ?? browserEvidenceLine(ex);
      const client = clientLabel(clientIdOf(call));
      // One finding per request: a request that sends the secret twice (Basic and body) leaks the same secret.
      const secrets = auths.filter((a) => a.kind !== "private_key_jwt");
      const shown = secrets.length > 0 ? secrets : auths;
      const assertion = secrets.length === 0;
      ctx.report({
        call,
        messageId: assertion ? "assertion" : "secret",
        data: { endpoint: requestLineOf(call), client, how: shown.map((a) => HOW[a.kind]).join(" and "), origin },
        evidence: [...shown.map((a) => a.evidence), browserEvidenceLine(ex)],
        ...(shown[0]!.path ? { path: shown[0]!.path } : {}),
        // A private key in a page is as wrong as a secret, but a signed assertion could come from a key the page
        // cannot read (a non-extractable WebCrypto key); a secret in the request is exposed for certain.
        // Only as sure as the sender: a capture that can barely tell a page from server code gets a "possible".
        confidence: ex.sender.confidence === "possible" ? "possible" : assertion ? "likely" : "certain",
      });
    }
  },
};

export default rule;
