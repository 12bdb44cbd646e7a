// okta-sdk-nodejs with OAuth for Okta (authorizationMode PrivateKey): one client with the private
// key as a JWK, one with the same key as PEM; each gets an org-AS token (private_key_jwt) and pages
// through the users with it.
const okta = require("@okta/okta-sdk-nodejs");
const { privateJwk, done, failed } = require("./common.cjs");

async function logins(privateKey) {
  const client = new okta.Client({
    orgUrl: process.env.ORG_URL, authorizationMode: "PrivateKey", clientId: process.env.CLIENT_ID,
    scopes: ["okta.users.read"], privateKey, keyId: process.env.KEY_ID,
  });
  const out = [];
  for await (const user of await client.userApi.listUsers({ limit: 3 })) out.push(user.profile.login);
  return out;
}

(async () => {
  const jwk = await logins(privateJwk());
  const pem = await logins(process.env.PRIVATE_KEY_PEM);
  done({ jwk: jwk.length, pem: pem.length });
})().catch(failed);
