// Correct: an app signs in (code flow with PKCE) and calls its own API with the access token as
// Bearer, as the okta-react/vue/angular samples call …/api/messages. The API (not Okta) validates
// it with @okta/jwt-verifier and answers 200.
const { done, failed } = require("./common.cjs");
const { signIn, startApi } = require("./resource-server.cjs");

(async () => {
  const api = await startApi();
  try {
    const tokens = await signIn();
    const res = await fetch(`${api.url}/api/messages`, { headers: { authorization: `Bearer ${tokens.access_token}`, accept: "application/json" } });
    const body = await res.json();
    done({ status: res.status, messages: body.messages?.length ?? 0 });
  } finally {
    await api.close();
  }
})().catch(failed);
