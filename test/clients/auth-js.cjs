// okta-auth-js in Node, as its README shows for a public (SPA) client: sign in with credentials
// (/api/v1/authn), the PKCE code flow with that sessionToken, userinfo, refresh, then sign out by
// revoking both tokens (revokeToken sends `Authorization: Basic base64(clientId)` for a public client).
const { OktaAuth, buildAuthorizeParams } = require("@okta/okta-auth-js");
const { authorizeRedirect, done, failed } = require("./common.cjs");

(async () => {
  const env = process.env;
  const authClient = new OktaAuth({
    issuer: `${env.ORG_URL}/oauth2/default`, clientId: env.SPA_CLIENT_ID, redirectUri: env.REDIRECT_URI,
    scopes: ["openid", "profile", "email", "offline_access"], pkce: true,
  });
  const tx = await authClient.signInWithCredentials({ username: env.USERNAME, password: env.PASSWORD });
  if (tx.status !== "SUCCESS") throw new Error(`sign-in: ${tx.status}`);

  // The authorize request a browser would navigate to, with the sessionToken: Okta answers 302 with the code.
  const params = await authClient.token.prepareTokenParams({ sessionToken: tx.sessionToken, responseMode: "query" });
  const back = await authorizeRedirect(`${authClient.options.issuer}/v1/authorize${buildAuthorizeParams(params)}`);
  const { tokens } = await authClient.token.exchangeCodeForTokens({
    authorizationCode: back.searchParams.get("code"), codeVerifier: params.codeVerifier, redirectUri: env.REDIRECT_URI, nonce: params.nonce,
  });
  const user = await authClient.token.getUserInfo(tokens.accessToken, tokens.idToken);

  const renewed = await authClient.token.renewTokensWithRefresh({}, tokens.refreshToken);

  // Sign-out of a session held server-side: revoke what was issued.
  await authClient.revokeAccessToken(renewed.accessToken);
  await authClient.revokeRefreshToken(tokens.refreshToken);
  await authClient.stop(); // no token-manager timers left behind
  done({ sub: user.sub, renewed: renewed.accessToken.accessToken !== tokens.accessToken.accessToken });
})().catch(failed);
