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

  async function main() {
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
