// A mistake: the app sends its ID token to its own API as Bearer. The API (not Okta) validates
// tokens with @okta/jwt-verifier and answers 401 `WWW-Authenticate: Bearer error="invalid_token"`.
const { done, failed } = require("./common.cjs");
const { signIn, startApi } = require("./resource-server.cjs");

(async () => {
  const api = await startApi();
  try {
    const tokens = await signIn();
    const res = await fetch(`${api.url}/api/messages`, { headers: { authorization: `Bearer ${tokens.id_token}`, accept: "application/json" } });
    if (res.status !== 200) {
      const e = new Error(`api: ${res.status} ${res.headers.get("www-authenticate")}`);
      e.status = res.status;
      throw e;
    }
    done({ status: res.status });
  } finally {
    await api.close();
  }
})().catch(failed);
