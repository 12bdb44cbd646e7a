// @okta/jwt-verifier in a resource server: an access token from the custom authorization server
// (client credentials, client_secret_basic, with plain fetch), verified against the keys it fetches.
const OktaJwtVerifier = require("@okta/jwt-verifier");
const { done, failed } = require("./common.cjs");

(async () => {
  const env = process.env;
  const issuer = `${env.ORG_URL}/oauth2/default`;
  const res = await fetch(`${issuer}/v1/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${env.CLIENT_ID}:${env.CLIENT_SECRET}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: "api:read" }),
  });
  const { access_token } = await res.json();
  const verifier = new OktaJwtVerifier({ issuer, testing: { disableHttpsCheck: true } });
  const jwt = await verifier.verifyAccessToken(access_token, "api://default");
  done({ sub: jwt.claims.sub, scp: jwt.claims.scp });
})().catch(failed);
