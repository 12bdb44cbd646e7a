import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const CLIENT = "0oa7hj2kl3MnOp4qRs5t";
const USER = "00u6ab7cdEFG8hiJ9kl0";
const SPA = { browser: APP };
const cors = { "access-control-allow-origin": APP, "access-control-expose-headers": "WWW-Authenticate", vary: "Origin" };

/** An SPA signed in with okta-auth-js; `issuer` decides which authorization server minted its tokens. */
function spa(issuer: string, scopes: string[], usersMe: { status: number; comment: string }): CaptureSpec {
  const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom(issuer + "at", 43), iss: issuer, aud: issuer === ORG ? ORG : "api://default", iat: T0, exp: T0 + 3600, cid: CLIENT, uid: USER, sub: "noor@example.com", scp: scopes, auth_time: T0 - 20 });
  const idToken = fakeJwt({ ver: 1, jti: "ID." + fakeRandom(issuer + "id", 20), iss: issuer, aud: CLIENT, sub: USER, iat: T0, exp: T0 + 3600, auth_time: T0 - 20, amr: ["pwd"], nonce: fakeRandom("nonce" + issuer, 32), idp: "00o1okta2idp3abc4d5e", at_hash: fakeRandom("ath" + issuer, 22) });
  const tokenPath = issuer === ORG ? "/oauth2/v1/token" : "/oauth2/default/v1/token";
  const token: EntrySpec = {
    method: "POST",
    url: `${ORG}${tokenPath}`,
    status: 200,
    from: SPA,
    at: 0,
    form: {
      client_id: CLIENT,
      redirect_uri: `${APP}/login/callback`,
      grant_type: "authorization_code",
      code_verifier: fakeRandom("verifier" + issuer, 64),
      code: fakeRandom("code" + issuer, 43),
    },
    responseHeaders: cors,
    response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: scopes.join(" "), id_token: idToken },
    comment: "expect: none (authorization code with PKCE from the SPA)",
  };
  const me: EntrySpec = {
    method: "GET",
    url: `${ORG}/api/v1/users/me`,
    status: usersMe.status,
    from: SPA,
    at: 350,
    headers: { authorization: `Bearer ${accessToken}` },
    responseHeaders:
      usersMe.status === 200
        ? cors
        : {
            ...cors,
            "www-authenticate": `Bearer authorization_uri="${ORG}/oauth2/v1/authorize", realm="${ORG}", scope="okta.users.read.self", error="invalid_token", error_description="The access token is invalid.", resource="/api/v1/users/me"`,
          },
    ...(usersMe.status === 200
      ? { response: { id: USER, status: "ACTIVE", profile: { login: "noor@example.com", firstName: "Noor", lastName: "Haddad", email: "noor@example.com" } } }
      : {}),
    comment: usersMe.comment,
  };
  return { producer: "chrome", start: START, entries: [token, me] };
}

export const samples: Record<string, CaptureSpec> = {
  "custom-as-token-on-management-api.fires.har": {
    ...spa(`${ORG}/oauth2/default`, ["openid", "profile", "email"], {
      status: 401,
      comment: "expect: custom-as-token-on-management-api (a /oauth2/default token on /api/v1/users/me)",
    }),
    comment: "An SPA signed in against the default custom authorization server calls /api/v1/users/me with its access token.",
  },
  "custom-as-token-on-management-api.passes.har": {
    ...spa(ORG, ["openid", "profile", "email", "okta.users.read.self"], { status: 200, comment: "expect: none" }),
    comment: "The same SPA signed in against the org authorization server, with okta.users.read.self.",
  },
};
