// MISTAKE: openid-client's private_key_jwt left as it is: its assertion names the issuer as aud,
// and Okta requires the token endpoint, so the org AS answers 401 invalid_client.
import * as client from "openid-client";
import common from "./common.cjs";

const env = process.env;
try {
  const key = await crypto.subtle.importKey("jwk", common.privateJwk(), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  const org = await client.discovery(new URL(env.ORG_URL), env.CLIENT_ID, undefined, client.PrivateKeyJwt({ key, kid: env.KEY_ID }),
    { execute: [client.allowInsecureRequests] });
  const token = await client.clientCredentialsGrant(org, { scope: "okta.users.read" });
  common.done({ scope: token.scope });
} catch (e) {
  common.failed(e);
}
