// okta-sdk-nodejs with an API token: listUsers over every page (the SDK follows the Link header).
const okta = require("@okta/okta-sdk-nodejs");
const { done, failed } = require("./common.cjs");

(async () => {
  const client = new okta.Client({ orgUrl: process.env.ORG_URL, token: process.env.API_TOKEN });
  const logins = [];
  for await (const user of await client.userApi.listUsers({ limit: 2 })) logins.push(user.profile.login);
  const groups = [];
  for await (const group of await client.groupApi.listGroups()) groups.push(group.profile.name);
  done({ users: logins.length, groups: groups.length });
})().catch(failed);
