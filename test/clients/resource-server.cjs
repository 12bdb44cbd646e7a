// Shared by the resource-server programs: a sign-in with the authorization code flow and PKCE
// (a public client, plain fetch), and the app's own API: a node:http server on 127.0.0.1 that
// validates Bearer tokens with @okta/jwt-verifier as Okta's guide shows, answering 401 with
// `WWW-Authenticate: Bearer error="invalid_token"` to a token it refuses. It is not Okta.
"use strict";
const http = require("node:http");
const crypto = require("node:crypto");
const OktaJwtVerifier = require("@okta/jwt-verifier");
const { sessionToken, authorizeRedirect } = require("./common.cjs");

/** Sign in as the test user: the token response (access_token, id_token). */
async function signIn(env = process.env) {
  const issuer = `${env.ORG_URL}/oauth2/default`;
  const verifier = crypto.randomBytes(32).toString("base64url");
  const url = new URL(`${issuer}/v1/authorize`);
  url.search = new URLSearchParams({
    client_id: env.SPA_CLIENT_ID, response_type: "code", scope: "openid profile", redirect_uri: env.REDIRECT_URI,
    state: crypto.randomBytes(8).toString("hex"), nonce: crypto.randomBytes(8).toString("hex"),
    code_challenge: crypto.createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256",
    sessionToken: await sessionToken(env),
  }).toString();
  const callback = await authorizeRedirect(url.href);
  const res = await fetch(`${issuer}/v1/token`, {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: "authorization_code", client_id: env.SPA_CLIENT_ID, redirect_uri: env.REDIRECT_URI, code: callback.searchParams.get("code"), code_verifier: verifier }),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status}`);
  return res.json();
}

/** Start the app's API on 127.0.0.1: GET /api/messages for a valid access token of audience api://default. */
async function startApi(env = process.env) {
  const verifier = new OktaJwtVerifier({ issuer: `${env.ORG_URL}/oauth2/default`, testing: { disableHttpsCheck: true } });
  const server = http.createServer(async (req, res) => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    try {
      if (!m) throw new Error("no Bearer token");
      const jwt = await verifier.verifyAccessToken(m[1], "api://default");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ messages: [{ text: "hello", for: jwt.claims.sub }] }));
    } catch (e) {
      const description = String(e && e.message || e).replace(/["\\]/g, "'").slice(0, 120);
      res.writeHead(401, { "www-authenticate": `Bearer realm="api://default", error="invalid_token", error_description="${description}"`, "content-type": "application/json" });
      res.end(JSON.stringify({ error: "invalid_token" }));
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

module.exports = { signIn, startApi };
