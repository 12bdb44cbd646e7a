import { describe, expect, it } from "vitest";
import { HeaderList } from "../src/model/headers.js";
import type { Exchange } from "../src/model/exchange.js";
import type { SetCookie } from "../src/model/cookies.js";
import {
  decodeJwt,
  findOneTimeTokens,
  isDpopBound,
  isOktaClientId,
  isSswsTokenShape,
  jwtIssuerInfo,
  jwtKind,
  jwtScopes,
  parseAuthorization,
} from "../src/okta/credentials.js";
import {
  hasDeviceTokenCookie,
  isClearingSetCookie,
  oktaCookieInfo,
  oktaSessionCookies,
  sessionCookieChanges,
  sessionCookieEngine,
} from "../src/okta/cookies.js";
import { maskAuthorization } from "../src/okta/mask.js";

// Test fixtures (fake values with real shapes).
const SSWS = "00Ab1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV-wX_yX9z"; // 42 chars
const STATE = "00lMJySRYNz3u_rKQrsLvLrzxiARgivP8FB_1gpmVb"; // docs example stateToken, same shape
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
const jwt = (header: object, claims: object, sig = "c2lnbmF0dXJlLXZhbHVlLTEyMzQ") => `${b64(header)}.${b64(claims)}.${sig}`;
const ACCESS = jwt(
  { kid: "k1", alg: "RS256" },
  { ver: 1, jti: "AT.abc", iss: "https://acme.okta.com", aud: "https://acme.okta.com", sub: "0oar95zt9zIpYuz6A0h7", cid: "0oar95zt9zIpYuz6A0h7", scp: ["okta.users.manage"] },
);
const ID_TOKEN = jwt(
  { kid: "k1", alg: "RS256" },
  { sub: "00u1", iss: "https://acme.okta.com/oauth2/default", aud: "0oa1abcdEFGH2345ijkl", nonce: "n-0S6_WzA2Mj", email: "jane@example.com" },
);

function exchange(p: {
  method?: string;
  url: string;
  reqBody?: { mimeType: string; text?: string; params?: { name: string; value: string }[] };
  status?: number;
  resBody?: string;
  location?: string;
}): Exchange {
  let url: URL | null = null;
  try {
    url = new URL(p.url);
  } catch {
    url = null;
  }
  return {
    index: 0,
    startedAt: null,
    time: -1,
    request: {
      method: p.method ?? "GET",
      rawUrl: p.url,
      url,
      httpVersion: "HTTP/1.1",
      headers: new HeaderList(),
      cookies: [],
      query: url ? [...url.searchParams].map(([name, value]) => ({ name, value })) : [],
      ...(p.reqBody ? { body: { size: -1, ...p.reqBody } } : {}),
    },
    response: {
      status: p.status ?? 200,
      statusText: "",
      httpVersion: "HTTP/1.1",
      headers: new HeaderList(p.location ? [{ name: "Location", value: p.location }] : []),
      setCookies: [],
      ...(p.resBody !== undefined ? { body: { mimeType: "application/json", size: -1, text: p.resBody } } : {}),
      ...(p.location ? { redirectURL: p.location } : {}),
    },
    timings: {},
    sender: { kind: "unknown", evidence: [] },
    extras: {},
  };
}

describe("isSswsTokenShape / isOktaClientId", () => {
  it("accepts exactly 00 + 40 token characters", () => {
    expect(isSswsTokenShape(SSWS)).toBe(true);
    expect(isSswsTokenShape(STATE)).toBe(true); // same shape: context decides, not the regex
    expect(isSswsTokenShape(SSWS.slice(0, 41))).toBe(false);
    expect(isSswsTokenShape(SSWS + "a")).toBe(false);
    expect(isSswsTokenShape("01" + SSWS.slice(2))).toBe(false);
    expect(isSswsTokenShape("00" + "a".repeat(39) + "=")).toBe(false);
  });
  it("recognizes Okta client ids", () => {
    expect(isOktaClientId("0oa1abcdEFGH2345ijkl")).toBe(true);
    expect(isOktaClientId("0oa1abcdEFGH2345ijk")).toBe(false);
    expect(isOktaClientId("00u1abcdEFGH2345ijkl")).toBe(false);
  });
});

describe("decodeJwt", () => {
  it("decodes header and claims without verifying", () => {
    const d = decodeJwt(ACCESS);
    expect(d).toEqual({
      header: { kid: "k1", alg: "RS256" },
      claims: { ver: 1, jti: "AT.abc", iss: "https://acme.okta.com", aud: "https://acme.okta.com", sub: "0oar95zt9zIpYuz6A0h7", cid: "0oar95zt9zIpYuz6A0h7", scp: ["okta.users.manage"] },
      signaturePresent: true,
    });
  });
  it("tolerates base64 padding and the standard alphabet", () => {
    const h = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64"); // padded
    const c = Buffer.from(JSON.stringify({ sub: "a>>>" })).toString("base64"); // eyJzdWIiOiJhPj4+In0=
    expect(c).toContain("+");
    expect(decodeJwt(`${h}.${c}.`)).toEqual({ header: { alg: "none" }, claims: { sub: "a>>>" }, signaturePresent: false });
  });
  it("returns null for non-JWTs", () => {
    expect(decodeJwt(SSWS)).toBeNull();
    expect(decodeJwt("not.a.jwt")).toBeNull();
    expect(decodeJwt(`${b64({ typ: "JWT" })}.${b64({ a: 1 })}.sig`)).toBeNull(); // no alg
    expect(decodeJwt(`${b64({ alg: "RS256" })}.${b64([1, 2])}.sig`)).toBeNull(); // payload not an object
    expect(decodeJwt(`${ACCESS}.more.parts`)).toBeNull(); // JWE-like
    expect(decodeJwt("")).toBeNull();
  });
});

describe("JWT helpers", () => {
  it("jwtIssuerInfo tells org and custom authorization servers apart", () => {
    expect(jwtIssuerInfo({ iss: "https://acme.okta.com" })).toEqual({ orgUrl: "https://acme.okta.com", authorizationServer: { type: "org" } });
    expect(jwtIssuerInfo({ iss: "https://login.acme.com/" })).toEqual({ orgUrl: "https://login.acme.com", authorizationServer: { type: "org" } });
    expect(jwtIssuerInfo({ iss: "https://acme.okta.com/oauth2/default" })).toEqual({
      orgUrl: "https://acme.okta.com",
      authorizationServer: { type: "custom", id: "default" },
    });
    expect(jwtIssuerInfo({ iss: "https://acme.okta.com/oauth2/aus1a2b3c4d5e6f7g8h9" })).toEqual({
      orgUrl: "https://acme.okta.com",
      authorizationServer: { type: "custom", id: "aus1a2b3c4d5e6f7g8h9" },
    });
    expect(jwtIssuerInfo({ iss: "https://login.microsoftonline.com/tenant/v2.0" })).toBeNull();
    expect(jwtIssuerInfo({ iss: "not a url" })).toBeNull();
    expect(jwtIssuerInfo({})).toBeNull();
  });
  it("jwtKind", () => {
    expect(jwtKind(decodeJwt(ACCESS)!.claims)).toBe("access");
    expect(jwtKind(decodeJwt(ID_TOKEN)!.claims)).toBe("id");
    expect(jwtKind({ sub: "x" }, { alg: "RS256", typ: "application/okta-internal-at+jwt" })).toBe("access");
    expect(jwtKind({ sub: "x" }, { alg: "RS256", typ: "at+jwt" })).toBe("access");
    expect(jwtKind({ jti: "ID.xyz" })).toBe("id");
    expect(jwtKind({ iss: "https://a.okta.com", sub: "00u1", aud: "0oa1abcdEFGH2345ijkl" })).toBe("id");
    expect(jwtKind({ iss: "https://a.okta.com", sub: "00u1", aud: "api://default" })).toBe("unknown");
  });
  it("jwtScopes reads scp arrays, space strings and RFC 9068 scope", () => {
    expect(jwtScopes({ scp: ["openid", "okta.users.read", 3] })).toEqual(["openid", "okta.users.read"]);
    expect(jwtScopes({ scp: "openid  profile" })).toEqual(["openid", "profile"]);
    expect(jwtScopes({ scope: "a b" })).toEqual(["a", "b"]);
    expect(jwtScopes({})).toEqual([]);
  });
  it("isDpopBound", () => {
    expect(isDpopBound({ cnf: { jkt: "abc" } })).toBe(true);
    expect(isDpopBound({ cnf: {} })).toBe(false);
    expect(isDpopBound({})).toBe(false);
  });
});

describe("parseAuthorization", () => {
  const codes = (v: string) => parseAuthorization(v).problems.map((p) => p.code);

  it("accepts well-formed SSWS and Bearer headers with no problems", () => {
    const s = parseAuthorization(`SSWS ${SSWS}`);
    expect(s).toEqual({ raw: `SSWS ${SSWS}`, scheme: "SSWS", schemeKey: "ssws", token: SSWS, tokenKind: "ssws-token", problems: [] });
    const b = parseAuthorization(`Bearer ${ACCESS}`);
    expect(b.schemeKey).toBe("bearer");
    expect(b.tokenKind).toBe("jwt");
    expect(b.jwt?.claims.cid).toBe("0oar95zt9zIpYuz6A0h7");
    expect(b.problems).toEqual([]);
    expect(parseAuthorization(`DPoP ${ACCESS}`).schemeKey).toBe("dpop");
  });

  it("flags a JWT sent with SSWS and an API token sent as Bearer", () => {
    const p = parseAuthorization(`SSWS ${ACCESS}`);
    expect(p.tokenKind).toBe("jwt");
    expect(p.problems).toEqual([
      {
        code: "jwt-with-ssws",
        level: "error",
        detail:
          "A JWT (an OAuth access or ID token) is sent with the `SSWS` scheme; Okta answers 401 E0000011. Send access tokens as `Bearer <token>` (or `DPoP` when DPoP-bound).",
      },
    ]);
    expect(codes(`Bearer ${SSWS}`)).toEqual(["api-token-as-bearer"]);
    expect(codes(`DPoP ${SSWS}`)).toEqual(["api-token-as-bearer"]);
  });

  it("strips and reports a doubled scheme", () => {
    const p = parseAuthorization(`Bearer Bearer ${ACCESS}`);
    expect(p.token).toBe(ACCESS);
    expect(p.tokenKind).toBe("jwt");
    expect(p.problems.map((x) => x.code)).toEqual(["doubled-scheme"]);
    expect(codes(`SSWS SSWS ${SSWS}`)).toEqual(["doubled-scheme"]);
    expect(codes(`Bearer SSWS ${SSWS}`)).toEqual(["doubled-scheme", "api-token-as-bearer"]);
  });

  it("reports quotes and whitespace", () => {
    const q = parseAuthorization(`SSWS "${SSWS}"`);
    expect(q.token).toBe(SSWS);
    expect(q.tokenKind).toBe("ssws-token");
    expect(q.problems.map((x) => x.code)).toEqual(["quoted"]);
    expect(codes(`SSWS '${SSWS}'`)).toEqual(["quoted"]);
    expect(codes(`SSWS ${SSWS}\n`)).toEqual(["whitespace"]);
    expect(parseAuthorization(`SSWS ${SSWS}\n`).problems[0]?.detail).toContain("line break");
    expect(codes(` Bearer ${ACCESS}`)).toEqual(["whitespace"]);
    expect(codes(`Bearer  ${ACCESS}`)).toEqual(["whitespace"]);
    expect(codes(`Bearer ${ACCESS} extra`)).toEqual(["whitespace"]);
  });

  it("reports missing, unknown, lower-case and colon-suffixed schemes", () => {
    const bare = parseAuthorization(SSWS);
    expect(bare.schemeKey).toBe("none");
    expect(bare.scheme).toBe("");
    expect(bare.token).toBe(SSWS);
    expect(bare.tokenKind).toBe("ssws-token");
    expect(bare.problems.map((x) => x.code)).toEqual(["missing-scheme"]);

    const other = parseAuthorization("Token abcdef123456");
    expect(other.schemeKey).toBe("other");
    expect(other.scheme).toBe("Token");
    expect(other.tokenKind).toBe("opaque");
    expect(other.problems.map((x) => x.code)).toEqual(["unknown-scheme"]);

    const lower = parseAuthorization(`bearer ${ACCESS}`);
    expect(lower.schemeKey).toBe("bearer");
    expect(lower.problems).toEqual([
      {
        code: "lowercase-scheme",
        level: "info",
        detail:
          "The scheme is written `bearer`. Schemes are case-insensitive in HTTP, but Okta documents it as `Bearer`; some proxies and libraries compare it case-sensitively.",
      },
    ]);
    expect(codes(`Bearer: ${ACCESS}`)).toEqual(["scheme-colon"]);
    expect(codes(`Authorization: SSWS ${SSWS}`)).toEqual(["header-name-in-value"]);
  });

  it("reports empty credentials", () => {
    expect(parseAuthorization("")).toMatchObject({ schemeKey: "none", tokenKind: "empty", token: "" });
    expect(codes("")).toEqual(["empty-token"]);
    expect(parseAuthorization("Bearer")).toMatchObject({ schemeKey: "bearer", tokenKind: "empty" });
    expect(codes("Bearer ")).toEqual(["whitespace", "empty-token"]);
    expect(codes('SSWS ""')).toEqual(["quoted", "empty-token"]);
  });

  it("decodes Basic credentials without keeping the password", () => {
    const secret = "s3cr3t-Value-XYZ";
    const p = parseAuthorization(`Basic ${Buffer.from(`0oa1abcdEFGH2345ijkl:${secret}`).toString("base64")}`);
    expect(p.tokenKind).toBe("basic-credentials");
    expect(p.basic).toEqual({ user: "0oa1abcdEFGH2345ijkl", hasPassword: true });
    expect(JSON.stringify({ ...p, raw: "", token: "" })).not.toContain(secret);
    expect(parseAuthorization(`Basic ${Buffer.from("user:").toString("base64")}`).basic).toEqual({ user: "user", hasPassword: false });
    expect(codes("Basic !!!notbase64")).toEqual(["invalid-basic"]);
  });

  it("reads Basic base64(client_id), with no colon, as a public client naming itself (okta-auth-js revoke)", () => {
    // okta-auth-js 8 revokeToken: `clientSecret ? btoa(`${clientId}:${clientSecret}`) : btoa(clientId)`.
    const p = parseAuthorization(`Basic ${Buffer.from("0oa1abcdEFGH2345ijkl").toString("base64")}`);
    expect(p.basic).toEqual({ user: "0oa1abcdEFGH2345ijkl", hasPassword: false, clientIdOnly: true });
    expect(p.problems).toEqual([]);
    // A custom client id is an id too.
    expect(parseAuthorization(`Basic ${Buffer.from("my-spa.client").toString("base64")}`).basic).toMatchObject({ user: "my-spa.client", clientIdOnly: true });
    // Not a client id: words, an API token, a JWT, binary.
    expect(codes(`Basic ${Buffer.from("two words").toString("base64")}`)).toEqual(["invalid-basic"]);
    expect(codes(`Basic ${Buffer.from(SSWS).toString("base64")}`)).toEqual(["invalid-basic"]);
    expect(codes(`Basic ${Buffer.from(ACCESS).toString("base64")}`)).toEqual(["invalid-basic"]);
    expect(codes(`Basic ${Buffer.from([0xff, 0x00, 0x10, 0x80]).toString("base64")}`)).toEqual(["invalid-basic"]);
    expect(maskAuthorization(`Basic ${Buffer.from("0oa1abcdEFGH2345ijkl").toString("base64")}`)).toBe("Basic 0oa1abcdEFGH2345ijkl (client id only, no secret; decoded)");
  });

  it("reports DPoP-bound tokens sent as Bearer, plain tokens sent as DPoP, and ID tokens as access tokens", () => {
    const bound = jwt({ alg: "ES256", typ: "application/okta-internal-at+jwt" }, { iss: "https://acme.okta.com/oauth2/default", cid: "0oa1abcdEFGH2345ijkl", scp: ["openid"], cnf: { jkt: "thumb" } });
    expect(codes(`Bearer ${bound}`)).toEqual(["dpop-token-as-bearer"]);
    expect(codes(`DPoP ${bound}`)).toEqual([]);
    expect(codes(`DPoP ${ACCESS}`)).toEqual(["bearer-token-as-dpop"]);
    expect(codes(`Bearer ${ID_TOKEN}`)).toEqual(["id-token-as-bearer"]);
  });

  it("classifies opaque tokens", () => {
    expect(parseAuthorization("Bearer abc.def").tokenKind).toBe("opaque");
  });
});

describe("findOneTimeTokens", () => {
  it("finds sessionToken and stateToken in an authn response by key, whatever their shape", () => {
    const ex = exchange({
      method: "POST",
      url: "https://acme.okta.com/api/v1/authn",
      resBody: JSON.stringify({ status: "SUCCESS", sessionToken: "20111abcdefghijklmnop", _embedded: { user: { id: "00u1" } } }),
    });
    expect(findOneTimeTokens(ex)).toEqual([{ kind: "sessionToken", value: "20111abcdefghijklmnop", where: "response.body", path: "$.sessionToken" }]);

    const mfa = exchange({
      method: "POST",
      url: "https://acme.okta.com/api/v1/authn/factors/f1/verify",
      reqBody: { mimeType: "application/json", text: JSON.stringify({ stateToken: STATE, passCode: "123456" }) },
      resBody: JSON.stringify({ stateToken: STATE, status: "MFA_CHALLENGE" }),
    });
    expect(findOneTimeTokens(mfa)).toEqual([
      { kind: "stateToken", value: STATE, where: "request.body", path: "$.stateToken" },
      { kind: "stateToken", value: STATE, where: "response.body", path: "$.stateToken" },
    ]);
  });

  it("finds cookieToken and the token inside cookieTokenUrl", () => {
    const ex = exchange({
      method: "POST",
      url: "https://acme.okta.com/api/v1/sessions?additionalFields=cookieToken",
      resBody: JSON.stringify({
        id: "101W_juydrDRByB7fUdRyE2JQ",
        cookieToken: "00hbM-dbQNjKl9xeKa7eHk",
        cookieTokenUrl: "https://acme.okta.com/login/sessionCookieRedirect?checkAccountSetupComplete=true&token=00hbM-dbQNjKl9xeKa7eHk&redirectUrl=https%3A%2F%2Fapp.example.com",
      }),
    });
    expect(findOneTimeTokens(ex)).toEqual([
      { kind: "cookieToken", value: "00hbM-dbQNjKl9xeKa7eHk", where: "response.body", path: "$.cookieToken" },
      { kind: "sessionRedirectToken", value: "00hbM-dbQNjKl9xeKa7eHk", where: "response.body", path: "$.cookieTokenUrl?token" },
    ]);
  });

  it("finds tokens in request query strings", () => {
    const a = exchange({ url: "https://acme.okta.com/oauth2/v1/authorize?client_id=0oa1&sessionToken=20111xyz&state=s1&response_type=code" });
    expect(findOneTimeTokens(a)).toEqual([{ kind: "sessionToken", value: "20111xyz", where: "request.query", path: "sessionToken" }]);
    const r = exchange({ url: "https://acme.okta.com/login/sessionCookieRedirect?token=20111abc&redirectUrl=https://app.example.com/" });
    expect(findOneTimeTokens(r)).toEqual([{ kind: "sessionRedirectToken", value: "20111abc", where: "request.query", path: "token" }]);
    // `token` elsewhere is not a one-time token.
    expect(findOneTimeTokens(exchange({ url: "https://acme.okta.com/api/v1/foo?token=abc" }))).toEqual([]);
  });

  it("finds authorization and interaction codes only where they are codes", () => {
    const cb = exchange({ url: "https://acme.okta.com/oauth2/v1/authorize?x=1", status: 302, location: "https://app.example.com/cb?code=AUTHCODE123&state=s1" });
    expect(findOneTimeTokens(cb)).toEqual([{ kind: "authorization_code", value: "AUTHCODE123", where: "response.redirect", path: "code" }]);
    const frag = exchange({ url: "https://acme.okta.com/oauth2/v1/authorize?x=1", status: 302, location: "https://app.example.com/cb#code=C2&state=s1" });
    expect(findOneTimeTokens(frag)).toEqual([{ kind: "authorization_code", value: "C2", where: "response.redirect", path: "#code" }]);
    const tok = exchange({
      method: "POST",
      url: "https://acme.okta.com/oauth2/default/v1/token",
      reqBody: { mimeType: "application/x-www-form-urlencoded", text: "grant_type=authorization_code&code=C3&redirect_uri=https%3A%2F%2Fapp%2Fcb" },
    });
    expect(findOneTimeTokens(tok)).toEqual([{ kind: "authorization_code", value: "C3", where: "request.body", path: "code" }]);
    const ic = exchange({
      method: "POST",
      url: "https://acme.okta.com/oauth2/default/v1/token",
      reqBody: { mimeType: "application/x-www-form-urlencoded", params: [{ name: "grant_type", value: "interaction_code" }, { name: "interaction_code", value: "IC1" }] },
    });
    expect(findOneTimeTokens(ic)).toEqual([{ kind: "interaction_code", value: "IC1", where: "request.body", path: "interaction_code" }]);
    // `code` in a JSON body or without OAuth context is ignored.
    expect(findOneTimeTokens(exchange({ url: "https://a.example.com/x?code=1", resBody: '{"code":"E1"}' }))).toEqual([]);
  });

  it("walks nested JSON (IDX stateHandle) and ignores bodies without token keys", () => {
    const idx = exchange({
      method: "POST",
      url: "https://acme.okta.com/idp/idx/introspect",
      resBody: JSON.stringify({ stateHandle: "02.id.abc~c.def", remediation: { value: [{ name: "identify", value: [{ "stateHandle": "02.id.abc~c.def" }] }] } }),
    });
    expect(findOneTimeTokens(idx)).toEqual([
      { kind: "stateHandle", value: "02.id.abc~c.def", where: "response.body", path: "$.stateHandle" },
      { kind: "stateHandle", value: "02.id.abc~c.def", where: "response.body", path: "$.remediation.value[0].value[0].stateHandle" },
    ]);
    expect(findOneTimeTokens(exchange({ url: "https://acme.okta.com/api/v1/users", resBody: '[{"id":"00u1"}]' }))).toEqual([]);
    expect(findOneTimeTokens(exchange({ url: "https://acme.okta.com/x", resBody: '{"sessionToken": broken' }))).toEqual([]);
    expect(findOneTimeTokens(exchange({ url: "https://acme.okta.com/x", resBody: '{"sessionToken":null}' }))).toEqual([]);
  });
});

describe("Okta cookies", () => {
  it("describes known cookies", () => {
    expect(oktaCookieInfo("sid")).toMatchObject({ role: "session", engine: "classic", documented: true });
    expect(oktaCookieInfo("idx")).toMatchObject({ role: "session", engine: "identity-engine" });
    expect(oktaCookieInfo("DT")).toMatchObject({ role: "device" });
    expect(oktaCookieInfo("toString")).toBeUndefined();
    expect(oktaCookieInfo("xids")).toBeUndefined();
  });
  it("finds session cookies that carry a value", () => {
    expect(oktaSessionCookies([{ name: "DT", value: "abc" }, { name: "idx", value: "v" }, { name: "sid", value: "102x" }])).toEqual(["sid", "idx"]);
    expect(oktaSessionCookies([{ name: "sid", value: '""' }, { name: "JSESSIONID", value: "x" }])).toEqual([]);
    expect(sessionCookieEngine("sid")).toBe("classic");
    expect(sessionCookieEngine("idx")).toBe("identity-engine");
    expect(hasDeviceTokenCookie([{ name: "DT", value: "d" }])).toBe(true);
    expect(hasDeviceTokenCookie([{ name: "sid", value: "d" }])).toBe(false);
  });
  it("tells set from cleared session cookies", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    const cleared: SetCookie = { name: "sid", value: '""', expires: "Thu, 01-Jan-1970 00:00:10 GMT", path: "/" };
    const expiredOnly: SetCookie = { name: "sid", value: "102abc", expires: "Thu, 01-Jan-1970 00:00:10 GMT" };
    const set: SetCookie = { name: "sid", value: "102abc", path: "/", secure: true, httpOnly: true, sameSite: "None" };
    expect(isClearingSetCookie(cleared, now)).toBe(true);
    expect(isClearingSetCookie(expiredOnly, now)).toBe(true);
    expect(isClearingSetCookie({ name: "idx", value: "x", maxAge: 0 }, now)).toBe(true);
    expect(isClearingSetCookie(set, now)).toBe(false);
    expect(sessionCookieChanges([set, { name: "DT", value: "d" }, cleared], now).map((c) => [c.name, c.action])).toEqual([
      ["sid", "set"],
      ["sid", "cleared"],
    ]);
  });
});
