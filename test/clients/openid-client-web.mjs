// openid-client for a web app (confidential; a client secret, which openid-client sends as client_secret_post) on a custom authorization
// server: the code flow with PKCE (the authorize request carries the sessionToken a sign-in
// returned, as a browser would after sign-in), userinfo, refresh, revocation and RP-initiated logout.
import * as client from "openid-client";
import common from "./common.cjs";

const env = process.env;
try {
  const config = await client.discovery(new URL(`${env.ORG_URL}/oauth2/default`), env.CLIENT_ID, env.CLIENT_SECRET, undefined,
    { execute: [client.allowInsecureRequests] });
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: env.REDIRECT_URI, scope: "openid profile email offline_access", state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
    sessionToken: await common.sessionToken(),
  });
  const callback = await common.authorizeRedirect(url);
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
  const claims = tokens.claims();
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  await client.tokenRevocation(config, refreshed.access_token);
  await client.tokenRevocation(config, tokens.refresh_token, { token_type_hint: "refresh_token" });
  const logout = await fetch(client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: env.LOGOUT_REDIRECT_URI }), { redirect: "manual" });
  common.done({ email: info.email, refreshed: refreshed.access_token !== tokens.access_token, logout: logout.status });
} catch (e) {
  common.failed(e);
}
