// openid-client for a service: client credentials with private_key_jwt to the org authorization
// server (okta.* scopes, then a management call with the access token), and with
// client_secret_basic to a custom authorization server, then token introspection.
// Okta requires the assertion's aud to be the token endpoint (openid-client puts the issuer there
// unless told otherwise), so the assertion is adjusted with modifyAssertion as openid-client documents.
import * as client from "openid-client";
import common from "./common.cjs";

const env = process.env;
const insecure = { execute: [client.allowInsecureRequests] }; // the emulator is http on loopback

try {
  const key = await crypto.subtle.importKey("jwk", common.privateJwk(), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  const org = await client.discovery(new URL(env.ORG_URL), env.CLIENT_ID, undefined,
    client.PrivateKeyJwt({ key, kid: env.KEY_ID }, { [client.modifyAssertion]: (_header, payload) => { payload.aud = org.serverMetadata().token_endpoint; } }),
    insecure);
  const mgmt = await client.clientCredentialsGrant(org, { scope: "okta.users.read" });
  const users = await client.fetchProtectedResource(org, mgmt.access_token, new URL(`${env.ORG_URL}/api/v1/users?limit=200`), "GET");
  const logins = (await users.json()).map((u) => u.profile.login);

  const custom = await client.discovery(new URL(`${env.ORG_URL}/oauth2/default`), env.CLIENT_ID, undefined, client.ClientSecretBasic(env.CLIENT_SECRET), insecure);
  const api = await client.clientCredentialsGrant(custom, { scope: "api:read" });
  const introspected = await client.tokenIntrospection(custom, api.access_token);
  common.done({ users: logins.length, active: introspected.active, scope: introspected.scope });
} catch (e) {
  common.failed(e);
}
