/**
 * Writes the bundled sample captures in samples/. Run `npm run gen:samples`;
 * the output is deterministic, so a diff means a sample really changed.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildHar, fakeApiToken, fakeJwt, fakeOneTimeToken, fakeRandom, type CaptureSpec } from "./samples/builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const NODE_UA = "axios/1.7.7";
const USER_ID = "00u1ab2cdEFGH3ijK4l7";
const CLIENT_ID = "0oa1ab2cd3EFGH4ij5d7";

const apiToken = fakeApiToken("motivating-api-token");
const sessionToken = fakeOneTimeToken("motivating-session-token");
const cookieToken = fakeOneTimeToken("motivating-cookie-token", "102");
const sessionId = "102" + fakeRandom("motivating-session-id", 22);

const oktaError = (code: string, summary: string) => ({
  errorCode: code,
  errorSummary: summary,
  errorLink: code,
  errorId: "oae" + fakeRandom(code + summary, 19),
  errorCauses: [],
});

const user = {
  id: USER_ID,
  passwordChanged: "2026-03-02T09:14:11.000Z",
  profile: { login: "dana@example.com", firstName: "Dana", lastName: "Reyes", locale: "en_US", timeZone: "America/Los_Angeles" },
};

/**
 * The motivating case: a server signs a user in through /api/v1/authn with an
 * API token, turns the sessionToken into a session with a cookieToken, and then
 * uses that cookieToken as if it were an API token on a management endpoint.
 */
export const motivating401: CaptureSpec = {
  producer: "proxy",
  start: "2026-11-20T16:04:31.120Z",
  comment: "Server-side sign-in that ends in 401 E0000011 on a management call.",
  entries: [
    {
      method: "POST",
      url: `${ORG}/api/v1/authn`,
      status: 200,
      from: { server: NODE_UA },
      at: 0,
      headers: { Authorization: `SSWS ${apiToken}` },
      body: { username: "dana@example.com", password: "correct-horse-battery-staple", options: { multiOptionalFactorEnroll: false, warnBeforePasswordExpired: true } },
      response: { expiresAt: "2026-11-20T16:09:31.000Z", status: "SUCCESS", sessionToken, _embedded: { user } },
      comment: "expect: none (a trusted server may call /api/v1/authn with an API token)",
    },
    {
      method: "POST",
      url: `${ORG}/api/v1/sessions?additionalFields=cookieToken`,
      status: 200,
      from: { server: NODE_UA },
      at: 412,
      headers: { Authorization: `SSWS ${apiToken}` },
      body: { sessionToken },
      response: {
        id: sessionId,
        userId: USER_ID,
        login: "dana@example.com",
        createdAt: "2026-11-20T16:04:31.000Z",
        expiresAt: "2026-11-20T18:04:31.000Z",
        status: "ACTIVE",
        lastPasswordVerification: "2026-11-20T16:04:31.000Z",
        amr: ["pwd"],
        idp: { id: "00o1ab2cd3EFGH4ij5d7", type: "OKTA" },
        mfaActive: false,
        cookieToken,
        _links: { self: { href: `${ORG}/api/v1/sessions/${sessionId}`, hints: { allow: ["GET", "DELETE"] } } },
      },
      comment: "expect: none (asking for a deprecated cookieToken, and a session that sets no browser cookie: symptoms of the misuse at entry 2)",
    },
    {
      method: "GET",
      url: `${ORG}/api/v1/users/${USER_ID}`,
      status: 401,
      from: { server: NODE_UA },
      at: 1030,
      headers: { Authorization: `SSWS ${cookieToken}` },
      response: oktaError("E0000011", "Invalid token provided"),
      comment: "expect: session-token-misuse > deprecated-api@1 > session-token-not-exchanged@1 (the cookieToken was sent as an API token, Okta rejects it with 401 E0000011; it was asked for at entry 1 instead of redeeming the sessionToken in a browser)",
    },
  ],
};

const issuer = `${ORG}/oauth2/default`;
const now = Math.floor(Date.parse("2026-11-20T16:10:00.000Z") / 1000);
const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("at-jti", 43), iss: issuer, aud: "api://default", iat: now, exp: now + 3600, cid: CLIENT_ID, uid: USER_ID, scp: ["openid", "profile", "email"], auth_time: now - 2, sub: "dana@example.com" });
const idToken = fakeJwt({ sub: USER_ID, name: "Dana Reyes", email: "dana@example.com", ver: 1, iss: issuer, aud: CLIENT_ID, iat: now, exp: now + 3600, jti: "ID." + fakeRandom("id-jti", 43), amr: ["pwd"], idp: "00o1ab2cd3EFGH4ij5d7", nonce: fakeRandom("nonce", 64), preferred_username: "dana@example.com", auth_time: now - 2, at_hash: fakeRandom("at_hash", 22) });
const spaSessionToken = fakeOneTimeToken("spa-session-token");
const codeVerifier = fakeRandom("code-verifier", 64);
const code = fakeRandom("auth-code", 43);
const state = fakeRandom("state", 64);
const sid = "102" + fakeRandom("spa-sid", 22);

/** A single-page app signing in the way Okta recommends: authn, then authorize with PKCE, then the token and userinfo calls. */
export const spaSignin: CaptureSpec = {
  producer: "chrome",
  start: "2026-11-20T16:09:58.004Z",
  comment: "A single-page app of a Classic Engine org signing in with okta-auth-js: no findings expected.",
  entries: [
    {
      method: "GET",
      url: `${issuer}/.well-known/openid-configuration`,
      status: 200,
      from: { browser: APP },
      at: 0,
      responseHeaders: { "access-control-allow-origin": APP },
      response: { issuer, authorization_endpoint: `${issuer}/v1/authorize`, token_endpoint: `${issuer}/v1/token`, userinfo_endpoint: `${issuer}/v1/userinfo`, jwks_uri: `${issuer}/v1/keys` },
      comment: "expect: none",
    },
    {
      method: "POST",
      url: `${ORG}/api/v1/authn`,
      status: 200,
      from: { browser: APP },
      at: 950,
      responseHeaders: { "access-control-allow-origin": APP, "access-control-allow-credentials": "true", "set-cookie": ["DT=" + fakeRandom("dt", 30) + ";Version=1;Path=/;Max-Age=63072000;Secure;Expires=Sun, 20 Nov 2028 16:09:59 GMT;HttpOnly;SameSite=None"] },
      body: { username: "dana@example.com", password: "correct-horse-battery-staple", options: { warnBeforePasswordExpired: true, multiOptionalFactorEnroll: false } },
      response: { expiresAt: "2026-11-20T16:14:59.000Z", status: "SUCCESS", sessionToken: spaSessionToken, _embedded: { user } },
      comment: "expect: none",
    },
    {
      method: "GET",
      url: `${issuer}/v1/authorize?client_id=${CLIENT_ID}&code_challenge=${fakeRandom("challenge", 43)}&code_challenge_method=S256&nonce=${fakeRandom("nonce", 64)}&redirect_uri=${encodeURIComponent(APP + "/login/callback")}&response_type=code&sessionToken=${spaSessionToken}&state=${state}&scope=openid%20profile%20email`,
      status: 302,
      from: { browser: APP, mode: "navigate" },
      at: 1410,
      responseHeaders: {
        location: `${APP}/login/callback?code=${code}&state=${state}`,
        "set-cookie": [`sid=${sid};Version=1;Path=/;Secure;HttpOnly;SameSite=None`],
      },
      comment: "expect: none (the designed one-time use of a sessionToken in a URL)",
    },
    {
      method: "POST",
      url: `${issuer}/v1/token`,
      status: 200,
      from: { browser: APP },
      at: 1730,
      responseHeaders: { "access-control-allow-origin": APP, "cache-control": "no-cache, no-store", pragma: "no-cache" },
      form: { client_id: CLIENT_ID, redirect_uri: APP + "/login/callback", grant_type: "authorization_code", code_verifier: codeVerifier, code },
      response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "openid profile email", id_token: idToken },
      comment: "expect: none",
    },
    {
      method: "GET",
      url: `${issuer}/v1/userinfo`,
      status: 200,
      from: { browser: APP },
      at: 1990,
      headers: { authorization: `Bearer ${accessToken}` },
      responseHeaders: { "access-control-allow-origin": APP },
      response: { sub: USER_ID, name: "Dana Reyes", email: "dana@example.com", preferred_username: "dana@example.com" },
      comment: "expect: none",
    },
    {
      method: "GET",
      url: `${ORG}/api/v1/users/me`,
      status: 200,
      from: { browser: APP },
      at: 2240,
      headers: { cookie: `sid=${sid}; DT=${fakeRandom("dt", 30)}` },
      responseHeaders: { "access-control-allow-origin": APP, "access-control-allow-credentials": "true" },
      response: { ...user, status: "ACTIVE" },
      comment: "expect: none (a browser calling /api/v1/users/me with its Okta session cookie)",
    },
  ],
};

export const SAMPLES: Record<string, CaptureSpec> = {
  "motivating-401.har": motivating401,
  "spa-signin.har": spaSignin,
};

/** Rule samples: every module in scripts/samples/rules/ exports `samples`, file name → capture. */
export async function ruleSamples(): Promise<Record<string, CaptureSpec>> {
  const dir = new URL("./samples/rules/", import.meta.url);
  const out: Record<string, CaptureSpec> = {};
  // Compiled (.js) when run from dist/, TypeScript when a test imports this from source.
  const files = readdirSync(dir).filter((f) => f.endsWith(".js") || (f.endsWith(".ts") && !f.endsWith(".d.ts"))).sort();
  for (const file of files) {
    const mod = (await import(new URL(file, dir).href)) as { samples?: Record<string, CaptureSpec> };
    for (const [name, spec] of Object.entries(mod.samples ?? {})) {
      if (out[name]) throw new Error(`sample ${name} is defined twice (again in ${file})`);
      out[name] = spec;
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL("../../samples/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const [name, spec] of Object.entries(SAMPLES)) {
    writeFileSync(dir + name, JSON.stringify(buildHar(spec), null, 2) + "\n");
    console.log(`wrote samples/${name} (${spec.entries.length} entries)`);
  }
  const rules = await ruleSamples();
  rmSync(dir + "rules", { recursive: true, force: true });
  mkdirSync(dir + "rules", { recursive: true });
  for (const [name, spec] of Object.entries(rules)) writeFileSync(dir + "rules/" + name, JSON.stringify(buildHar(spec), null, 2) + "\n");
  console.log(`wrote ${Object.keys(rules).length} rule samples in samples/rules/`);
}
