import { fakeJwt, fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const CLIENT = "0oa2bc3deFgH4iJk5lM6";
const USER = "00u8rs9tuVwX0yzA1bc2";
const SPA = { browser: APP };
const cors = { "access-control-allow-origin": APP, "access-control-expose-headers": "WWW-Authenticate", vary: "Origin" };

const accessToken = fakeJwt({ ver: 1, jti: "AT." + fakeRandom("idt-at", 43), iss: ORG, aud: ORG, iat: T0, exp: T0 + 3600, cid: CLIENT, uid: USER, sub: "amara@example.com", scp: ["openid", "profile", "okta.users.read.self"], auth_time: T0 - 25 });
const idToken = fakeJwt({ ver: 1, jti: "ID." + fakeRandom("idt-id", 20), iss: ORG, aud: CLIENT, sub: USER, iat: T0, exp: T0 + 3600, auth_time: T0 - 25, amr: ["pwd", "mfa", "otp"], nonce: fakeRandom("idt-nonce", 32), idp: "00o4okta5idp6abc7d8e", at_hash: fakeRandom("idt-ath", 22) });

function spa(bearer: string, ok: boolean, comment: string): CaptureSpec {
  const token: EntrySpec = {
    method: "POST",
    url: `${ORG}/oauth2/v1/token`,
    status: 200,
    from: SPA,
    at: 0,
    form: { client_id: CLIENT, redirect_uri: `${APP}/login/callback`, grant_type: "authorization_code", code_verifier: fakeRandom("idt-verifier", 64), code: fakeRandom("idt-code", 43) },
    responseHeaders: cors,
    response: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: "openid profile okta.users.read.self", id_token: idToken },
    comment: "expect: none (authorization code with PKCE)",
  };
  const me: EntrySpec = {
    method: "GET",
    url: `${ORG}/api/v1/users/me`,
    status: ok ? 200 : 401,
    from: SPA,
    at: 410,
    headers: { authorization: `Bearer ${bearer}` },
    responseHeaders: ok
      ? cors
      : {
          ...cors,
          "www-authenticate": `Bearer authorization_uri="${ORG}/oauth2/v1/authorize", realm="${ORG}", scope="okta.users.read.self", error="invalid_token", error_description="The access token is invalid.", resource="/api/v1/users/me"`,
        },
    ...(ok ? { response: { id: USER, status: "ACTIVE", profile: { login: "amara@example.com", firstName: "Amara", lastName: "Okafor", email: "amara@example.com" } } } : {}),
    comment,
  };
  return { producer: "chrome", start: START, entries: [token, me] };
}

export const samples: Record<string, CaptureSpec> = {
  "id-token-as-access-token.fires.har": {
    ...spa(idToken, false, "expect: id-token-as-access-token (the SPA sent its ID token instead of the access token)"),
    comment: "An SPA loads the signed-in user's profile with the ID token as its Bearer credential.",
  },
  "id-token-as-access-token.passes.har": {
    ...spa(accessToken, true, "expect: none"),
    comment: "The same SPA sending the access token.",
  },
};
