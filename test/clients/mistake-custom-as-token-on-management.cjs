// MISTAKE: an access token from the custom authorization server (/oauth2/default) used on the
// management API, which only accepts org-AS tokens with okta.* scopes (or an API token).
const axios = require("axios");
const { done, failed } = require("./common.cjs");

(async () => {
  const env = process.env;
  const { data: token } = await axios.post(`${env.ORG_URL}/oauth2/default/v1/token`,
    new URLSearchParams({ grant_type: "client_credentials", scope: "api:read" }),
    { auth: { username: env.CLIENT_ID, password: env.CLIENT_SECRET } });
  const { data: users } = await axios.get(`${env.ORG_URL}/api/v1/users`, { headers: { Authorization: `Bearer ${token.access_token}` } });
  done({ users: users.length });
})().catch(failed);
