// Shared by the client programs: what a browser does between sign-in and the code (the
// authorize navigation with a sessionToken), with plain fetch.
"use strict";

/** POST /api/v1/authn with the test user's credentials; the one-time sessionToken. */
async function sessionToken(env = process.env) {
  const res = await fetch(`${env.ORG_URL}/api/v1/authn`, {
    method: "POST", headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ username: env.USERNAME, password: env.PASSWORD }),
  });
  const body = await res.json();
  if (body.status !== "SUCCESS") throw new Error(`authn: ${res.status} ${body.errorCode ?? body.status}`);
  return body.sessionToken;
}

/** Follow the authorize URL once: Okta answers 302 to the redirect URI; that URL, with the code. */
async function authorizeRedirect(url) {
  const res = await fetch(url, { redirect: "manual" });
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`authorize: ${res.status}`);
  return new URL(location);
}

/** The private key the test generated for the service app, as a JWK object. */
const privateJwk = (env = process.env) => JSON.parse(env.PRIVATE_KEY_JWK);

function done(result) { console.log(JSON.stringify({ ok: true, ...result })); }
function failed(e) {
  console.log(JSON.stringify({ ok: false, error: String((e && (e.error_description || e.message)) || e), status: e && (e.status ?? e.response?.status) }));
  process.exitCode = 3;
}

module.exports = { sessionToken, authorizeRedirect, privateJwk, done, failed };
