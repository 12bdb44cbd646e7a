// MISTAKE: okta-sdk-nodejs given an OAuth access token as `token` (meant for API tokens): the SDK
// sends it as `Authorization: SSWS eyJ…` and Okta answers 401 E0000011.
const okta = require("@okta/okta-sdk-nodejs");
const { done, failed } = require("./common.cjs");

(async () => {
  const client = new okta.Client({ orgUrl: process.env.ORG_URL, token: process.env.ACCESS_TOKEN,
    requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: 0 }) });
  const logins = [];
  for await (const user of await client.userApi.listUsers()) logins.push(user.profile.login);
  done({ users: logins.length });
})().catch(failed);
