/*
 * A single-page app on one site (http://localhost:P) signing in against an
 * Okta org on another site (http://127.0.0.1:Q) with okta-auth-js:
 *
 * 1. signInWithCredentials (POST /api/v1/authn) → sessionToken;
 * 2. session.setCookieAndRedirect: a top-level navigation to
 *    /login/sessionCookieRedirect, where Okta sets its `sid` cookie (first-party)
 *    and redirects back here with ?signedIn=1;
 * 3. back here: session.get() (GET /api/v1/sessions/me, credentials included),
 *    then GET /api/v1/users/me twice: once the way many apps get it wrong
 *    (fetch without credentials: "include"), once right.
 *
 * The outcome goes to window.__result and the page title becomes "done".
 * Other scenarios (`?scenario=pkce|embedded|ssws|untrusted|api|api-id-token`, the full okta-auth-js bundle) are below.
 */
/* global OktaAuth */
(function () {
  "use strict";
  var config = window.APP_CONFIG;
  var out = document.getElementById("out");

  function report(result) {
    window.__result = result;
    out.textContent = JSON.stringify(result, null, 2);
    document.title = "done";
  }

  function status(promise) {
    return promise.then(
      function (r) { return r.status; },
      function (e) { return "error: " + e.message; }
    );
  }

  /** The scenario this tab runs: `?scenario=` on the first page, kept across the navigations of the flow. */
  function scenario() {
    var asked = new URLSearchParams(window.location.search).get("scenario");
    if (asked) sessionStorage.setItem("scenario", asked);
    return sessionStorage.getItem("scenario") || "authn";
  }

  /**
   * pkce: the correct SPA flow with the full okta-auth-js bundle: signInWithCredentials, then
   * token.getWithRedirect with the sessionToken (a top-level /authorize with PKCE, where Okta sets
   * sid), back on /callback token.parseFromUrl (code + code_verifier at /token, ID token verified
   * with /keys), a session check (session.exists, with credentials), then signOut (revokes the
   * access token as a public client, then /logout with id_token_hint) back to /logout/callback.
   */
  async function pkce() {
    var origin = window.location.origin;
    var authClient = new OktaAuth({
      issuer: config.issuer,
      clientId: config.spaClientId,
      redirectUri: origin + "/callback",
      postLogoutRedirectUri: origin + "/logout/callback",
      scopes: ["openid", "profile", "email"],
      pkce: true,
    });
    var path = window.location.pathname;
    if (path === "/callback") {
      var res = await authClient.token.parseFromUrl();
      authClient.tokenManager.setTokens(res.tokens);
      var exists = await authClient.session.exists();
      sessionStorage.setItem("result", JSON.stringify({ tokens: Object.keys(res.tokens).sort(), sessionExists: exists }));
      await authClient.signOut();
      return;
    }
    if (path === "/logout/callback") {
      var result = JSON.parse(sessionStorage.getItem("result") || "{}");
      result.signedOut = !(await authClient.session.exists());
      return report(result);
    }
    var tx = await authClient.signInWithCredentials({ username: config.username, password: config.password });
    if (tx.status !== "SUCCESS") return report({ error: "sign-in status " + tx.status });
    await authClient.token.getWithRedirect({ sessionToken: tx.sessionToken });
  }

  /**
   * embedded: okta-auth-js's embedded sign-in: signInWithCredentials, then token.getWithoutPrompt with
   * the sessionToken (a hidden, cross-site /authorize iframe, okta_post_message, where Okta sets sid),
   * the code redeemed with PKCE; then the mistake: the session check made with fetch and no
   * credentials: "include", its answer never read.
   */
  async function embedded() {
    var authClient = new OktaAuth({ issuer: config.issuer, clientId: config.spaClientId, redirectUri: window.location.origin + "/callback", scopes: ["openid", "profile"], pkce: true });
    var tx = await authClient.signInWithCredentials({ username: config.username, password: config.password });
    var res = await authClient.token.getWithoutPrompt({ sessionToken: tx.sessionToken });
    var check = await status(fetch(config.issuer + "/api/v1/sessions/me"));
    report({ tokens: Object.keys(res.tokens).sort(), sessionCheck: check });
  }

  /**
   * api / api-id-token: the PKCE sign-in of `pkce` (signInWithCredentials, getWithRedirect, parseFromUrl
   * on /callback), then the app's own API: `fetch('/api/messages')` with the access token as Bearer
   * (api: the designed use), or with the ID token (api-id-token: the mistake), where an "analytics"
   * snippet also reports the sign-in to a tracker on another origin with the ID token in its query.
   */
  async function api(which) {
    var authClient = new OktaAuth({ issuer: config.issuer, clientId: config.spaClientId, redirectUri: window.location.origin + "/callback", scopes: ["openid", "profile", "email"], pkce: true });
    if (window.location.pathname !== "/callback") {
      var tx = await authClient.signInWithCredentials({ username: config.username, password: config.password });
      if (tx.status !== "SUCCESS") return report({ error: "sign-in status " + tx.status });
      await authClient.token.getWithRedirect({ sessionToken: tx.sessionToken });
      return;
    }
    var res = await authClient.token.parseFromUrl();
    authClient.tokenManager.setTokens(res.tokens);
    var bearer = which === "api" ? res.tokens.accessToken.accessToken : res.tokens.idToken.idToken;
    var messages = await fetch("/api/messages", { headers: { Authorization: "Bearer " + bearer } });
    var result = { messages: messages.status };
    if (which !== "api") {
      // The analytics snippet: "who signed in" as a beacon, the ID token in the query string.
      var beacon = await fetch(config.trackerOrigin + "/collect?ev=signin&id_token=" + encodeURIComponent(res.tokens.idToken.idToken));
      result.tracker = beacon.status;
    }
    report(result);
  }

  /** ssws: the mistake of calling the management API from the page with an API token. */
  async function ssws() {
    var users = await status(fetch(config.issuer + "/api/v1/users?limit=2", { headers: { Authorization: "SSWS " + config.apiToken } }));
    report({ users: users });
  }

  /** untrusted: a sign-in from an origin the org does not trust (the preflight is refused: no credentials were ever sent). */
  async function untrusted() {
    var authClient = new OktaAuth({ issuer: config.issuer });
    try {
      await authClient.signInWithCredentials({ username: config.username, password: config.password });
      report({ signIn: "succeeded" });
    } catch (e) {
      report({ signIn: "failed" });
    }
  }

  async function main() {
    var which = scenario();
    if (which === "pkce") return pkce();
    if (which === "ssws") return ssws();
    if (which === "embedded") return embedded();
    if (which === "untrusted") return untrusted();
    if (which === "api" || which === "api-id-token") return api(which);
    var authClient = new OktaAuth({ issuer: config.issuer });
    var params = new URLSearchParams(window.location.search);
    if (!params.has("signedIn")) {
      var tx = await authClient.signInWithCredentials({ username: config.username, password: config.password });
      if (tx.status !== "SUCCESS") return report({ error: "sign-in status " + tx.status });
      authClient.session.setCookieAndRedirect(tx.sessionToken, window.location.origin + "/?signedIn=1");
      return;
    }
    var session = await authClient.session.get();
    var me = config.issuer + "/api/v1/users/me";
    var withoutCredentials = await status(fetch(me));
    var withCredentials = await status(fetch(me, { credentials: "include" }));
    report({ session: session.status, withoutCredentials: withoutCredentials, withCredentials: withCredentials });
  }

  main().catch(function (e) { report({ error: String(e && e.message || e) }); });
})();
