// Plain fetch and axios, no Okta library: a management call with SSWS; an org-AS access token
// (private_key_jwt assertion signed with node:crypto) as Bearer on a management call; then the
// token revoked with a new assertion whose aud is the revoke endpoint.
const { createPrivateKey, randomUUID, sign } = require("node:crypto");
const axios = require("axios");
const { privateJwk, done, failed } = require("./common.cjs");

const env = process.env;
const key = createPrivateKey({ key: privateJwk(), format: "jwk" });
function assertion(aud) {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const input = `${b64({ alg: "RS256", kid: env.KEY_ID })}.${b64({ iss: env.CLIENT_ID, sub: env.CLIENT_ID, aud, iat: now, exp: now + 300, jti: randomUUID() })}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}
const form = (aud, fields) => new URLSearchParams({ ...fields, client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion(aud) });

(async () => {
  const ssws = await fetch(`${env.ORG_URL}/api/v1/users?limit=200`, { headers: { Authorization: `SSWS ${env.API_TOKEN}`, Accept: "application/json" } });
  if (ssws.status !== 200) throw new Error(`SSWS: ${ssws.status}`);

  const tokenUrl = `${env.ORG_URL}/oauth2/v1/token`;
  const { data: token } = await axios.post(tokenUrl, form(tokenUrl, { grant_type: "client_credentials", scope: "okta.groups.read" }), { headers: { Accept: "application/json" } });
  const { data: groups } = await axios.get(`${env.ORG_URL}/api/v1/groups?limit=200`, { headers: { Authorization: `Bearer ${token.access_token}`, Accept: "application/json" } });

  const revokeUrl = `${env.ORG_URL}/oauth2/v1/revoke`;
  const revoked = await axios.post(revokeUrl, form(revokeUrl, { token: token.access_token, token_type_hint: "access_token" }));
  done({ users: (await ssws.json()).length, groups: groups.length, revoke: revoked.status });
})().catch(failed);
