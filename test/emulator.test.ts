import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import okta from "@okta/okta-sdk-nodejs";
import { OktaAuth } from "@okta/okta-auth-js";
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { startOktaEmulator } from "./emulator/okta-emulator.js";
import type { OktaEmulator } from "./emulator/okta-emulator.js";

let emu: OktaEmulator;
beforeAll(async () => { emu = await startOktaEmulator(); });
afterAll(async () => { await emu.close(); });
beforeEach(() => {
  emu.requests.length = 0;
  emu.setMode({ rateLimited: false, tokenRevoked: false, delayMs: 0, serverError: false });
});

// Neither okta-sdk-nodejs 8.1.0 nor okta-auth-js 8.0.1 checks for https (no `disableHttpsCheck` in
// either package), so a plain http://127.0.0.1 org URL works without a `testing` option.
const sdkClient = (token: string) => new okta.Client({ orgUrl: emu.url, token });
const authJs = () => new OktaAuth({ issuer: `${emu.url}/oauth2/default`, clientId: emu.clientId });

async function listLogins(token: string): Promise<string[]> {
  const logins: string[] = [];
  const users = await sdkClient(token).userApi.listUsers();
  for await (const user of users) if (user) logins.push(user.profile?.login ?? "");
  return logins;
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(emu.url + path, { headers });

describe("real @okta/okta-sdk-nodejs against the emulator", () => {
  it("listUsers pages through every user with SSWS <token>", async () => {
    expect(await listLogins(emu.apiToken)).toEqual(emu.users.map((u) => u.login));
    const calls = emu.requests.filter((r) => r.url.startsWith("/api/v1/users"));
    expect(calls.map((r) => r.url)).toEqual([
      "/api/v1/users",
      "/api/v1/users?after=00ub0oNGTSWTBKOLGLNS&limit=2",
      "/api/v1/users?after=00ub0oNGTSWTBKOLGLNU&limit=2",
    ]);
    expect(calls.every((r) => r.headers.authorization === `SSWS ${emu.apiToken}` && r.status === 200)).toBe(true);
  });

  it("an access token used as the API token is sent as SSWS eyJ… and rejected 401 E0000011", async () => {
    const jwt = emu.mintAccessToken({ scopes: ["okta.users.read"] });
    const err = await listLogins(jwt).then(() => undefined, (e: unknown) => e as Record<string, unknown>);
    expect(err).toMatchObject({ status: 401, errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011" });
    expect(String(err?.errorId)).toMatch(/^oae[A-Za-z0-9]{19}$/);
    const [req] = emu.requests;
    expect(req?.headers.authorization).toBe(`SSWS ${jwt}`);
    expect(req?.headers.authorization?.startsWith("SSWS eyJ")).toBe(true);
    expect(req?.status).toBe(401);
  });

  it("a wrong token and a revoked token both fail with 401 E0000011", async () => {
    await expect(listLogins("00wrongwrongwrongwrongwrongwrongwrongwrong")).rejects.toMatchObject({ status: 401, errorCode: "E0000011" });
    emu.setMode({ tokenRevoked: true });
    await expect(listLogins(emu.apiToken)).rejects.toMatchObject({ status: 401, errorCode: "E0000011" });
  });

  it("rateLimited: with retries off the SDK rejects with 429 E0000047", async () => {
    emu.setMode({ rateLimited: true });
    const client = new okta.Client({ orgUrl: emu.url, token: emu.apiToken, requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: 0, requestTimeout: 0 }) });
    await expect(client.userApi.listUsers().then((c) => c.next()))
      .rejects.toMatchObject({ status: 429, errorCode: "E0000047", errorSummary: "API call exceeded rate limit due to too many requests." });
    expect(emu.requests.map((r) => r.status)).toEqual([429]);
  });

  it("getUser by login returns that user", async () => {
    const user = await sdkClient(emu.apiToken).userApi.getUser({ userId: "grace.hopper@example.com" });
    expect(user.id).toBe("00ub0oNGTSWTBKOLGLNT");
    expect(emu.requests.at(-1)?.url).toBe("/api/v1/users/grace.hopper%40example.com");
  });
});

describe("real @okta/okta-auth-js in Node against the emulator", () => {
  it("signInWithCredentials posts /api/v1/authn and returns SUCCESS with a sessionToken", async () => {
    const authClient = authJs();
    const user = emu.users[0]!;
    const tx = await authClient.signInWithCredentials({ username: user.login, password: user.password });
    expect(tx.status).toBe("SUCCESS");
    expect(tx.sessionToken).toMatch(/^20111[A-Za-z0-9]{50}$/);
    const authn = emu.requests.filter((r) => r.url === "/api/v1/authn");
    expect(authn).toHaveLength(1);
    expect(authn[0]?.method).toBe("POST");
    expect(JSON.parse(authn[0]!.body)).toMatchObject({ username: user.login, password: user.password });
    expect(authn[0]?.status).toBe(200);
  });

  it("a wrong password rejects with 401 E0000004", async () => {
    const authClient = authJs();
    await expect(authClient.signInWithCredentials({ username: emu.users[0]!.login, password: "nope" }))
      .rejects.toMatchObject({ errorCode: "E0000004", errorSummary: "Authentication failed" });
    expect(emu.requests.map((r) => [r.method, r.url, r.status])).toEqual([["POST", "/api/v1/authn", 401]]);
  });
});

describe("emulator responses", () => {
  it("sends Okta's headers and error body shape", async () => {
    const res = await get("/api/v1/users", { authorization: "SSWS 00nope" });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(res.headers.get("x-okta-request-id")).toMatch(/^[A-Za-z0-9]{27}$/);
    expect(res.headers.get("x-rate-limit-limit")).toBe("600");
    expect(Number(res.headers.get("x-rate-limit-reset"))).toBeGreaterThan(Date.now() / 1000);
    expect(res.headers.get("date")).not.toBeNull();
    const body = await res.json() as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"]);
    expect(body).toMatchObject({ errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorCauses: [] });
  });

  it("no credential on a management API gives 403 E0000005", async () => {
    const res = await get("/api/v1/groups");
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ errorCode: "E0000005", errorSummary: "Invalid session" });
  });

  it("an org-AS bearer token works with the scope and fails with insufficient_scope without it", async () => {
    const ok = await get("/api/v1/groups?limit=10", { authorization: `Bearer ${emu.mintAccessToken({ scopes: ["okta.groups.read"] })}` });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { profile: { name: string } }[]).map((g) => g.profile.name)).toEqual(["Everyone", "Engineering", "Support"]);
    const res = await get("/api/v1/users", { authorization: `Bearer ${emu.mintAccessToken({ scopes: ["okta.groups.read"] })}` });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer authorization_uri="${emu.url}/oauth2/v1/authorize", realm="${emu.url}", scope="okta.users.read", error="insufficient_scope", ` +
      `error_description="The access token provided does not contain the required scopes.", resource="/api/v1/users"`);
    expect(await res.json()).toMatchObject({ errorCode: "E0000006" });
    // A custom-AS token is never accepted on /api/v1.
    const custom = await get("/api/v1/users", { authorization: `Bearer ${emu.mintAccessToken({ scopes: ["okta.users.read"], authServer: "default" })}` });
    expect(custom.status).toBe(401);
  });

  it("rateLimited mode answers 429 E0000047 with remaining 0", async () => {
    emu.setMode({ rateLimited: true });
    const res = await get("/api/v1/users", { authorization: `SSWS ${emu.apiToken}` });
    expect(res.status).toBe(429);
    expect(res.headers.get("x-rate-limit-remaining")).toBe("0");
    expect(await res.json()).toMatchObject({ errorCode: "E0000047", errorSummary: "API call exceeded rate limit due to too many requests." });
  });

  it("slow mode delays the answer", async () => {
    emu.setMode({ delayMs: 120 });
    const t0 = performance.now();
    await (await get("/.well-known/openid-configuration")).json();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it("sessions: a sessionToken is exchanged once, with cookieToken on request", async () => {
    const authn = await fetch(`${emu.url}/api/v1/authn`, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: emu.users[1]!.login, password: emu.users[1]!.password }) });
    const { sessionToken } = await authn.json() as { sessionToken: string };
    const post = () => fetch(`${emu.url}/api/v1/sessions?additionalFields=cookieToken`, { method: "POST",
      headers: { "content-type": "application/json" }, body: JSON.stringify({ sessionToken }) });
    const first = await post();
    expect(first.status).toBe(200);
    const session = await first.json() as Record<string, unknown>;
    expect(session).toMatchObject({ userId: emu.users[1]!.id, login: emu.users[1]!.login, status: "ACTIVE", amr: ["pwd"] });
    expect(String(session.id)).toMatch(/^102/);
    expect(typeof session.cookieToken).toBe("string");
    expect((await post()).status).toBe(401);
  });

  it("org AS: private_key_jwt client_credentials mints a shaped JWT; a client secret is refused", async () => {
    const assertion = ["e30", Buffer.from(JSON.stringify({ iss: emu.clientId, sub: emu.clientId, aud: `${emu.url}/oauth2/v1/token` })).toString("base64url"), "c2ln"].join(".");
    const res = await fetch(`${emu.url}/oauth2/v1/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion }) });
    expect(res.status).toBe(200);
    const tok = await res.json() as { access_token: string; token_type: string; expires_in: number };
    expect(tok.token_type).toBe("Bearer");
    const [h, p] = tok.access_token.split(".").slice(0, 2).map((s) => JSON.parse(Buffer.from(s, "base64url").toString("utf8") || "null") as unknown);
    expect(h).toEqual({ kid: "emu-kid-1", alg: "RS256" });
    expect(p).toMatchObject({ iss: emu.url, aud: emu.url, cid: emu.clientId, sub: emu.clientId, scp: ["okta.users.read"] });
    const users = await get("/api/v1/users?limit=200", { authorization: `Bearer ${tok.access_token}` });
    expect(((await users.json()) as unknown[]).length).toBe(5);

    const secret = await fetch(`${emu.url}/oauth2/v1/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: "okta.users.read", client_id: emu.clientId, client_secret: emu.clientSecret }) });
    expect(secret.status).toBe(401);
    expect(await secret.json()).toEqual({ error: "invalid_client",
      error_description: "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method." });

    const custom = await fetch(`${emu.url}/oauth2/default/v1/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${emu.clientId}:${emu.clientSecret}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: "api.read" }) });
    expect(custom.status).toBe(200);
  });

  it("discovery documents and keys name the emulator as issuer", async () => {
    expect(await (await get("/.well-known/openid-configuration")).json()).toMatchObject({ issuer: emu.url, token_endpoint: `${emu.url}/oauth2/v1/token` });
    expect(await (await get("/oauth2/default/.well-known/openid-configuration")).json())
      .toMatchObject({ issuer: `${emu.url}/oauth2/default`, jwks_uri: `${emu.url}/oauth2/default/v1/keys` });
    expect(await (await get("/oauth2/default/v1/keys")).json()).toMatchObject({ keys: [{ kid: "emu-kid-1", alg: "RS256", kty: "RSA" }] });
  });
});

describe("OAuth as Okta answers it: authorize, code and refresh grants, introspect, revoke, userinfo, logout", () => {
  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(emu.url + path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields) });
  const basic = (v: string) => ({ authorization: `Basic ${Buffer.from(v).toString("base64")}` });
  const verifier = "a-code-verifier-with-enough-entropy-0123456789-abcdefghijklmno";
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  async function sessionToken(): Promise<string> {
    const u = emu.users[1]!;
    const res = await fetch(`${emu.url}/api/v1/authn`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: u.login, password: u.password }) });
    return ((await res.json()) as { sessionToken: string }).sessionToken;
  }
  async function authorize(params: Record<string, string>): Promise<{ status: number; location: URL | null; setCookie: string | null }> {
    const q = new URLSearchParams({ client_id: emu.spaClientId, response_type: "code", scope: "openid email offline_access", redirect_uri: emu.redirectUris[0]!, state: "st4te", code_challenge: challenge, code_challenge_method: "S256", ...params });
    const res = await fetch(`${emu.url}/oauth2/default/v1/authorize?${q}`, { redirect: "manual" });
    const loc = res.headers.get("location");
    return { status: res.status, location: loc ? new URL(loc) : null, setCookie: res.headers.get("set-cookie") };
  }
  async function codeTokens(): Promise<{ access_token: string; refresh_token: string; id_token: string }> {
    const { location } = await authorize({ sessionToken: await sessionToken() });
    const res = await form("/oauth2/default/v1/token", { grant_type: "authorization_code", client_id: emu.spaClientId, code: location!.searchParams.get("code")!, redirect_uri: emu.redirectUris[0]!, code_verifier: verifier });
    expect(res.status).toBe(200);
    return (await res.json()) as { access_token: string; refresh_token: string; id_token: string };
  }

  it("authorize with a sessionToken: 302 to the redirect URI with code and state (query or fragment), and the sid cookie", async () => {
    const r = await authorize({ sessionToken: await sessionToken() });
    expect(r.status).toBe(302);
    expect(r.location!.origin + r.location!.pathname).toBe(emu.redirectUris[0]);
    expect(r.location!.searchParams.get("state")).toBe("st4te");
    expect(r.location!.searchParams.get("code")).toMatch(/^[\w-]{43}$/);
    expect(r.setCookie).toMatch(/^sid=/);
    const frag = await authorize({ sessionToken: await sessionToken(), response_mode: "fragment" });
    expect(new URLSearchParams(frag.location!.hash.slice(1)).get("code")).toMatch(/^[\w-]{43}$/);
  });

  it("authorize errors go back to the redirect URI; a wrong client or redirect URI is an error page", async () => {
    const none = await authorize({ prompt: "none" });
    expect(none.status).toBe(302);
    expect(Object.fromEntries(none.location!.searchParams)).toEqual({ error: "login_required", error_description: "The client specified not to prompt, but the user is not logged in.", state: "st4te" });
    const noPkce = await authorize({ sessionToken: await sessionToken(), code_challenge: "" });
    expect(noPkce.location!.searchParams.get("error")).toBe("invalid_request");
    const noSession = await authorize({});
    expect(noSession.location!.pathname).toBe("/login/login.htm");
    expect((await authorize({ redirect_uri: "https://evil.example/cb" })).status).toBe(400);
    expect((await authorize({ client_id: "0oanotaclient" })).status).toBe(400);
  });

  it("code exchange checks the PKCE verifier and is one-time; tokens are RS256-signed with the served JWK", async () => {
    const { location } = await authorize({ sessionToken: await sessionToken() });
    const code = location!.searchParams.get("code")!;
    const bad = await form("/oauth2/default/v1/token", { grant_type: "authorization_code", client_id: emu.spaClientId, code, redirect_uri: emu.redirectUris[0]!, code_verifier: "wrong-verifier-0123456789-0123456789-0123456789" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "invalid_grant", error_description: "PKCE verification failed." });
    const tokens = await codeTokens();
    const jwks = (await (await fetch(`${emu.url}/oauth2/default/v1/keys`)).json()) as { keys: JsonWebKey[] };
    const key = createPublicKey({ key: jwks.keys[0]!, format: "jwk" });
    for (const t of [tokens.access_token, tokens.id_token]) {
      const [h, p, s] = t.split(".");
      expect(verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(s!, "base64url"))).toBe(true);
    }
    const id = JSON.parse(Buffer.from(tokens.id_token.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
    expect(id).toMatchObject({ iss: `${emu.url}/oauth2/default`, aud: emu.spaClientId, sub: emu.users[1]!.id });
  });

  it("refresh, introspect, userinfo, then revoke with the public client's Basic id (no colon): 200 with an empty body, and the token is inactive", async () => {
    const tokens = await codeTokens();
    const refreshed = await form("/oauth2/default/v1/token", { grant_type: "refresh_token", client_id: emu.spaClientId, refresh_token: tokens.refresh_token, scope: "openid email offline_access" });
    expect(refreshed.status).toBe(200);
    const fresh = (await refreshed.json()) as { access_token: string };
    const info = await fetch(`${emu.url}/oauth2/default/v1/userinfo`, { headers: { authorization: `Bearer ${fresh.access_token}` } });
    expect(await info.json()).toEqual({ sub: emu.users[1]!.id, email: emu.users[1]!.login, email_verified: true });
    const active = await form("/oauth2/default/v1/introspect", { token: fresh.access_token, client_id: emu.spaClientId });
    expect(await active.json()).toMatchObject({ active: true, client_id: emu.spaClientId, username: emu.users[1]!.login });
    const revoke = await form("/oauth2/default/v1/revoke", { token: fresh.access_token }, basic(emu.spaClientId));
    expect(revoke.status).toBe(200);
    expect(await revoke.text()).toBe("");
    expect(await (await form("/oauth2/default/v1/introspect", { token: fresh.access_token, client_id: emu.spaClientId })).json()).toEqual({ active: false });
    expect((await fetch(`${emu.url}/oauth2/default/v1/userinfo`, { headers: { authorization: `Bearer ${fresh.access_token}` } })).status).toBe(401);
    // A confidential client revokes with id:secret; a wrong secret is invalid_client.
    expect((await form("/oauth2/default/v1/revoke", { token: "anything" }, basic(`${emu.clientId}:${emu.clientSecret}`))).status).toBe(200);
    expect((await form("/oauth2/default/v1/revoke", { token: "anything" }, basic(`${emu.clientId}:nope`))).status).toBe(401);
  });

  it("logout with id_token_hint goes back to a registered post-logout URI with the state", async () => {
    const tokens = await codeTokens();
    const q = new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: emu.redirectUris[1]!, state: "bye" });
    const res = await fetch(`${emu.url}/oauth2/default/v1/logout?${q}`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${emu.redirectUris[1]}?state=bye`);
    const bad = new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: "https://evil.example/" });
    expect((await fetch(`${emu.url}/oauth2/default/v1/logout?${bad}`, { redirect: "manual" })).status).toBe(400);
  });

  it("a client assertion whose aud is not the endpoint invoked is invalid_client with Okta's audience description", async () => {
    const assertion = (aud: string) => ["e30", Buffer.from(JSON.stringify({ iss: emu.clientId, sub: emu.clientId, aud })).toString("base64url"), "c2ln"].join(".");
    const fields = (aud: string) => ({ grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion(aud) });
    for (const aud of [emu.url, "http://127.0.0.1:1/oauth2/v1/token", `${emu.url}/oauth2/default/v1/token`]) {
      const res = await form("/oauth2/v1/token", fields(aud));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "invalid_client", error_description: "The audience claim for client_assertion must be the endpoint invoked for the request." });
    }
    expect((await form("/oauth2/v1/token", fields(`${emu.url}/oauth2/v1/token`))).status).toBe(200);
  });

  it("a registered public key: a client assertion must carry a valid RS256 signature", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const other = await startOktaEmulator({ clientPublicJwks: [publicKey.export({ format: "jwk" })] });
    try {
      const url = `${other.url}/oauth2/v1/token`;
      const input = `${Buffer.from(JSON.stringify({ alg: "RS256" })).toString("base64url")}.${Buffer.from(JSON.stringify({ iss: other.clientId, sub: other.clientId, aud: url, exp: Math.floor(Date.now() / 1000) + 60 })).toString("base64url")}`;
      const post = (sig: string) => fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: `${input}.${sig}` }) });
      expect((await post(sign("sha256", Buffer.from(input), privateKey).toString("base64url"))).status).toBe(200);
      const forged = await post("c2ln");
      expect(forged.status).toBe(401);
      expect(((await forged.json()) as { error_description: string }).error_description).toBe("The client_assertion signature is invalid.");
    } finally {
      await other.close();
    }
  });

  it("a rate-limit budget: the call after it answers 429 E0000047 with X-Rate-Limit-* headers", async () => {
    const other = await startOktaEmulator({ rateLimit: 3 });
    try {
      const auth = { authorization: `SSWS ${other.apiToken}` };
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i++) { last = await fetch(`${other.url}/api/v1/groups`, { headers: auth }); statuses.push(last.status); }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last!.headers.get("x-rate-limit-limit")).toBe("3");
      expect(last!.headers.get("x-rate-limit-remaining")).toBe("0");
      expect(Number(last!.headers.get("x-rate-limit-reset"))).toBeGreaterThan(Date.now() / 1000);
      expect(((await last!.json()) as { errorCode: string }).errorCode).toBe("E0000047");
    } finally {
      await other.close();
    }
  });
});
