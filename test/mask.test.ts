import { describe, expect, it } from "vitest";
import {
  maskAuthorization,
  maskCookieHeader,
  maskHeader,
  maskJwt,
  maskPersonal,
  maskSecret,
  maskSetCookie,
  maskText,
  maskToken,
  maskUrl,
} from "../src/okta/mask.js";

const SSWS = "00Ab1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV-wX_yX9z";
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
const SIG = "c2lnbmF0dXJlLXZhbHVlLTEyMzQ";
const jwt = (h: object, c: object, sig = SIG) => `${b64(h)}.${b64(c)}.${sig}`;
const ID = jwt(
  { kid: "k1", alg: "RS256" },
  {
    sub: "jane@example.com",
    iss: "https://acme.okta.com/oauth2/default",
    aud: "0oa1abcdEFGH2345ijkl",
    nonce: "n-0S6_WzA2Mj",
    email: "jane@example.com",
    name: "Jane Doe",
    exp: 1700000000,
  },
);
const ID_MASKED =
  'JWT {"kid":"k1","alg":"RS256"} . {"sub":"••• (16 chars)","iss":"https://acme.okta.com/oauth2/default","aud":"0oa1abcdEFGH2345ijkl","nonce":"n-0S6_WzA2Mj","email":"••• (16 chars)","name":"••• (8 chars)","exp":1700000000} (signature removed)';
const ACCESS = jwt({ alg: "RS256", kid: "k2" }, { iss: "https://acme.okta.com", cid: "0oar95zt9zIpYuz6A0h7", scp: ["okta.users.read"], exp: 1 });

describe("maskSecret", () => {
  it("hides short values fully and shows at most a quarter of long ones", () => {
    expect(maskSecret("")).toBe("(empty)");
    expect(maskSecret("a")).toBe("••• (1 char)");
    expect(maskSecret("abc")).toBe("••• (3 chars)");
    expect(maskSecret("abcdefghijk")).toBe("••• (11 chars)");
    expect(maskSecret("abcdefghijkl")).toBe("ab…l (12 chars)");
    expect(maskSecret("abcdefghijklmnop")).toBe("ab…op (16 chars)");
    expect(maskSecret("abcdefghijklmnopqrst")).toBe("abc…st (20 chars)");
    expect(maskSecret("abcdefghijklmnopqrstuvwxyz01")).toBe("abcd…z01 (28 chars)");
    expect(maskSecret(SSWS)).toBe("00Ab…X9z (42 chars)");
  });
  it("counts code points, not UTF-16 units", () => {
    expect(maskSecret("😀😀😀")).toBe("••• (3 chars)");
    expect(maskSecret("é".repeat(16))).toBe("éé…éé (16 chars)");
  });
  it("never shows more than a quarter of any value", () => {
    for (let n = 0; n < 200; n++) {
      const v = "x".repeat(n);
      const shown = maskSecret(v).replace(/ \(\d+ chars?\)$/, "").replace(/[…•]/g, "").replace("(empty)", "");
      expect(shown.length).toBeLessThanOrEqual(n < 12 ? 0 : Math.floor(n / 4));
    }
  });
});

describe("maskJwt", () => {
  it("shows header and claims, hides personal claims and the signature", () => {
    expect(maskJwt(ID)).toBe(ID_MASKED);
    expect(maskJwt(ACCESS)).toBe(
      'JWT {"alg":"RS256","kid":"k2"} . {"iss":"https://acme.okta.com","cid":"0oar95zt9zIpYuz6A0h7","scp":["okta.users.read"],"exp":1} (signature removed)',
    );
  });
  it("summarizes JWK headers, long arrays and nested personal objects", () => {
    const proof = jwt(
      { typ: "dpop+jwt", alg: "ES256", jwk: { kty: "EC", crv: "P-256", x: "abc", y: "def" } },
      { htm: "GET", htu: "https://acme.okta.com/api/v1/users", iat: 1, jti: "j1" },
    );
    expect(maskJwt(proof)).toBe(
      'JWT {"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"…","y":"…"}} . {"htm":"GET","htu":"https://acme.okta.com/api/v1/users","iat":1,"jti":"j1"} (signature removed)',
    );
    const groups = jwt({ alg: "RS256" }, { groups: Array.from({ length: 22 }, (_, i) => `g${i}`), address: { street: "1 Main St" } }, "");
    expect(maskJwt(groups)).toBe(
      `JWT {"alg":"RS256"} . {"groups":[${Array.from({ length: 20 }, (_, i) => `"g${i}"`).join(",")},"… (+2 more)"],"address":{"•••"}} (unsigned)`.replace(
        '{"•••"}',
        '"{•••}"',
      ),
    );
  });
  it("falls back to maskSecret for non-JWTs", () => {
    expect(maskJwt(SSWS)).toBe("00Ab…X9z (42 chars)");
    expect(maskToken(SSWS)).toBe("00Ab…X9z (42 chars)");
    expect(maskToken(ID)).toBe(ID_MASKED);
  });
});

describe("maskSecret on a JWT", () => {
  it("shows the header's first characters and exp, never the length or the signature, so a redacted copy masks the same", () => {
    const token = jwt({ alg: "RS256", kid: "k2" }, { iss: "https://acme.okta.com", exp: 1_795_000_000, jti: "AT.abcdefghijklmnopqrstuvwxyz0123456789" });
    const redacted = jwt({ alg: "RS256", kid: "k2" }, { iss: "https://acme.okta.com", exp: 1_795_000_000, jti: "AT.oktalint-redacted.40.abcdef0123" }, "oktalint-redacted-0123456789abcdef");
    expect(maskSecret(token)).toBe("eyJh… (JWT, exp 2026-11-18T11:06:40Z)");
    expect(maskSecret(redacted)).toBe(maskSecret(token));
    expect(maskSecret(token)).not.toContain(SIG.slice(-3));
    expect(maskSecret(jwt({ alg: "none" }, { iat: 1_795_000_000 }, ""))).toBe("eyJh… (JWT, iat 2026-11-18T11:06:40Z, unsigned)");
  });
});

describe("maskAuthorization", () => {
  it("masks the credential and keeps the header's shape", () => {
    expect(maskAuthorization(`SSWS ${SSWS}`)).toBe("SSWS 00Ab…X9z (42 chars)");
    expect(maskAuthorization(`Bearer ${ID}`)).toBe(`Bearer ${ID_MASKED}`);
    expect(maskAuthorization(`Bearer Bearer ${ID}`)).toBe(`Bearer Bearer ${ID_MASKED}`);
    expect(maskAuthorization(`SSWS "${SSWS}"\n`)).toBe('SSWS "00Ab…X9z (42 chars)"\\n');
    expect(maskAuthorization(SSWS)).toBe("00Ab…X9z (42 chars)");
    expect(maskAuthorization("Bearer ")).toBe("Bearer ");
    expect(maskAuthorization("Token opaque-value-123456")).toBe("Token op…56 (19 chars)");
  });
  it("decodes Basic credentials: client ids shown, other users and passwords hidden", () => {
    expect(maskAuthorization(`Basic ${Buffer.from("0oa1abcdEFGH2345ijkl:supersecretvalue123").toString("base64")}`)).toBe(
      "Basic 0oa1abcdEFGH2345ijkl:••• (decoded)",
    );
    expect(maskAuthorization(`Basic ${Buffer.from("jane@example.com:hunter2").toString("base64")}`)).toBe("Basic ••• (16 chars):••• (decoded)");
    expect(maskAuthorization(`Basic ${Buffer.from("svc:").toString("base64")}`)).toBe("Basic ••• (3 chars):(no password) (decoded)");
    expect(maskAuthorization("Basic !!notbase64!!")).toBe("Basic !!…! (13 chars)");
  });
});

describe("cookies", () => {
  it("masks every Cookie value and keeps empty ones", () => {
    expect(maskCookieHeader("sid=102abcdefghijklmnopqrstuv; DT=short; JSESSIONID=; t=sea")).toBe(
      "sid=102…tuv (25 chars); DT=••• (5 chars); JSESSIONID=; t=••• (3 chars)",
    );
    expect(maskCookieHeader('sid=""')).toBe('sid=""');
  });
  it("masks Set-Cookie values and keeps attributes", () => {
    expect(maskSetCookie("sid=102abcdefghijklmnopqrstuv;Version=1;Path=/;Secure;HttpOnly;SameSite=None")).toBe(
      "sid=102…tuv (25 chars);Version=1;Path=/;Secure;HttpOnly;SameSite=None",
    );
    expect(maskSetCookie('sid=102abcdefghijklmnopqrstuv; Path=/\nsid=""; Expires=Thu, 01-Jan-1970 00:00:10 GMT; Path=/')).toBe(
      'sid=102…tuv (25 chars); Path=/\nsid=""; Expires=Thu, 01-Jan-1970 00:00:10 GMT; Path=/',
    );
  });
});

describe("maskUrl", () => {
  it("masks sensitive query and fragment parameters", () => {
    expect(maskUrl("https://acme.okta.com/oauth2/v1/authorize?client_id=0oa1abcdEFGH2345ijkl&sessionToken=20111abcdefghijklmnopqrstuvwxyz&state=s1")).toBe(
      "https://acme.okta.com/oauth2/v1/authorize?client_id=0oa1abcdEFGH2345ijkl&sessionToken=2011…xyz (31 chars)&state=••• (2 chars)",
    );
    expect(maskUrl(`https://app.example.com/cb#id_token=${ID}&access_token=opaqueAccessToken12345&state=xyz`)).toBe(
      `https://app.example.com/cb#id_token=${ID_MASKED}&access_token=opa…45 (22 chars)&state=••• (3 chars)`,
    );
    expect(maskUrl("https://app.example.com/cb?code=AUTHCODE1234567890&state=s")).toBe("https://app.example.com/cb?code=AU…90 (18 chars)&state=••• (1 char)");
  });
  it("masks nested redirect URLs, URL passwords and token-shaped values", () => {
    const nested = `https://acme.okta.com/login/sessionCookieRedirect?token=20111abcdefghijklmnopqrstuvwxyz&redirectUrl=${encodeURIComponent("https://app.example.com/cb?code=AUTHCODE1234567890&state=s")}`;
    expect(maskUrl(nested)).toBe(
      "https://acme.okta.com/login/sessionCookieRedirect?token=2011…xyz (31 chars)&redirectUrl=https://app.example.com/cb?code=AU…90 (18 chars)&state=••• (1 char)",
    );
    expect(maskUrl("https://user:pa55word@host.example.com/x?y=1")).toBe("https://user:•••@host.example.com/x?y=1");
    expect(maskUrl(`https://x.example.com/?t=${SSWS}`)).toBe("https://x.example.com/?t=00Ab…X9z (42 chars)");
    expect(maskUrl(`https://acme.okta.com/signin/reset-password/${SSWS}?x=1`)).toBe("https://acme.okta.com/signin/reset-password/00Ab…X9z (42 chars)?x=1");
    expect(maskUrl(`https://acme.okta.com/api/v1/users/00u1abcdEFGH2345ijkl`)).toBe("https://acme.okta.com/api/v1/users/00u1abcdEFGH2345ijkl");
  });
  it("returns URLs with nothing to mask unchanged", () => {
    const u = "https://acme.okta.com/api/v1/users?limit=200&filter=status%20eq%20%22ACTIVE%22";
    expect(maskUrl(u)).toBe(u);
    expect(maskUrl("https://acme.okta.com/api/v1/users/me")).toBe("https://acme.okta.com/api/v1/users/me");
  });
});

describe("maskHeader", () => {
  it("dispatches by header name", () => {
    expect(maskHeader("Authorization", `SSWS ${SSWS}`)).toBe("SSWS 00Ab…X9z (42 chars)");
    expect(maskHeader("proxy-authorization", `Bearer ${ACCESS}`)).toContain("Bearer JWT {");
    expect(maskHeader("Cookie", "sid=102abcdefghijklmnopqrstuv")).toBe("sid=102…tuv (25 chars)");
    expect(maskHeader("set-cookie", "idx=abcdefghijklmnopqrstuvwxyz01; Path=/")).toBe("idx=abcd…z01 (28 chars); Path=/");
    expect(maskHeader("Location", "https://app.example.com/cb?code=AUTHCODE1234567890&state=s")).toBe(
      "https://app.example.com/cb?code=AU…90 (18 chars)&state=••• (1 char)",
    );
    expect(maskHeader("X-API-Key", "k-1234567890abcdef")).toBe("k-…ef (18 chars)");
    expect(maskHeader("DPoP", ACCESS)).toMatch(/^JWT \{"alg":"RS256","kid":"k2"\} \. /);
  });
  it("passes ordinary headers through and masks secret-shaped values in unknown ones", () => {
    expect(maskHeader("Content-Type", "application/json")).toBe("application/json");
    const www = 'Bearer authorization_uri="http://acme.okta.com/oauth2/v1/authorize", realm="http://acme.okta.com", scope="okta.logs.read", error="insufficient_scope"';
    expect(maskHeader("WWW-Authenticate", www)).toBe(www);
    expect(maskHeader("X-Custom", `token ${SSWS}`)).toBe("token 00Ab…X9z (42 chars)");
    expect(maskHeader("X-Forwarded-Token", ID)).toBe(ID_MASKED);
  });
});

describe("maskText", () => {
  it("masks JSON secrets and keeps the JSON valid", () => {
    const body = JSON.stringify({
      username: "jane",
      password: "hunter2",
      credentials: { password: { value: "Sup3rS3cret!" } },
      stateToken: SSWS,
      id_token: ID,
      note: `x ${ID}`,
      authorization: "Bearer opaqueTokenValue1234567890",
      log: `Authorization: Bearer ${ID}`,
    });
    const out = maskText(body);
    expect(JSON.parse(out)).toEqual({
      username: "jane",
      password: "••• (7 chars)",
      credentials: { password: { value: "••• (12 chars)" } },
      stateToken: "00Ab…X9z (42 chars)",
      id_token: ID_MASKED,
      note: `x ${ID_MASKED}`,
      authorization: "Bearer opa…890 (26 chars)",
      log: `Authorization: Bearer ${ID_MASKED}`,
    });
  });
  it("masks form pairs, curl commands and bare tokens", () => {
    expect(maskText("grant_type=client_credentials&client_secret=abcdefghijklmnopqrstuvwxyz0123456789&scope=okta.users.read")).toBe(
      "grant_type=client_credentials&client_secret=••• (36 chars)&scope=okta.users.read",
    );
    expect(maskText(`curl -H "Authorization: SSWS ${SSWS}" -H 'Cookie: sid=102abcdefghijklmnopqrstuv' https://acme.okta.com/api/v1/users`)).toBe(
      `curl -H "Authorization: SSWS 00Ab…X9z (42 chars)" -H 'Cookie: sid=102…tuv (25 chars)' https://acme.okta.com/api/v1/users`,
    );
    expect(maskText(`token is ${SSWS}.`)).toBe("token is 00Ab…X9z (42 chars).");
    expect(maskText(`Set-Cookie: sid=102abcdefghijklmnopqrstuv; Path=/; Secure`)).toBe("Set-Cookie: sid=102…tuv (25 chars); Path=/; Secure");
    expect(maskText(`see https://app.example.com/cb?code=AUTHCODE1234567890&state=s`)).toBe("see https://app.example.com/cb?code=AU…90 (18 chars)&state=s");
  });
  it("leaves prose, challenges and error codes alone (same string)", () => {
    const prose = "Use Basic authentication and Bearer tokens; errorCode=E0000011 and a cookie: maybe";
    expect(maskText(prose)).toBe(prose);
    const www = 'DPoP algs="RS256 ES256", authorization_uri="http://x/oauth2/v1/authorize", error="invalid_dpop_proof"';
    expect(maskText(www)).toBe(www);
    expect(maskText('Basic realm="okta", charset="UTF-8"')).toBe('Basic realm="okta", charset="UTF-8"');
    const plain = '{"errorCode":"E0000011","errorSummary":"Invalid token provided"}';
    expect(maskText(plain)).toBe(plain);
  });
  it("is fast on large texts with nothing to mask", () => {
    const big = '{"id":"00u1","status":"ACTIVE","profile":{"firstName":"A"}},'.repeat(20000); // ~1.2 MB
    const t0 = performance.now();
    expect(maskText(big)).toBe(big);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

describe("no full secret survives", () => {
  const client = "0oa9zyxwVUTS8765rqpo"; // shares no 5-character run with the secrets below
  const secrets = [
    SSWS,
    ID,
    ACCESS,
    "20111abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNO", // sessionToken-like, 55 chars
    "102W_juydrDRByB7fUdRyE2JQ", // sid
    "Sup3rS3cret!Passw0rd",
    "vErYsEcReTcLiEnTsEcReT_0123456789abcdef",
  ];
  const basic = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString("base64");

  function leaks(out: string, secret: string): string | null {
    // Nothing longer than 4 characters of a secret may appear (the head shown is at most 4).
    const core = secret.includes(".") ? secret.split(".").pop()! : secret; // JWT: the signature must never appear
    for (let i = 0; i + 5 <= core.length; i++) {
      const piece = core.slice(i, i + 5);
      if (out.includes(piece)) return piece;
    }
    if (secret.includes(".") && out.includes(secret)) return secret;
    return null;
  }

  it("in every masking function", () => {
    for (const s of secrets) {
      const outputs = [
        maskSecret(s),
        maskToken(s),
        maskJwt(s),
        maskAuthorization(`SSWS ${s}`),
        maskAuthorization(`Bearer "${s}"`),
        maskAuthorization(`Bearer Bearer ${s}\n`),
        maskAuthorization(s),
        maskAuthorization(`Basic ${basic(client, s)}`),
        maskAuthorization(`Basic ${basic(s, s)}`),
        maskCookieHeader(`sid=${s}; DT=${s}`),
        maskSetCookie(`sid=${s}; Path=/; Secure`),
        maskUrl(`https://acme.okta.com/x?sessionToken=${encodeURIComponent(s)}&code=${encodeURIComponent(s)}#id_token=${s}`),
        maskUrl(`https://acme.okta.com/login/sessionCookieRedirect?redirectUrl=${encodeURIComponent(`https://app/cb?code=${s}&state=1`)}`),
        maskHeader("authorization", `DPoP ${s}`),
        maskHeader("cookie", `idx=${s}`),
        maskHeader("x-api-key", s),
        maskText(JSON.stringify({ password: s, client_secret: s, sessionToken: s, credentials: { password: { value: s } } })),
        maskText(`client_secret=${s}&password=${s}&refresh_token=${s}`),
        maskText(`Authorization: Bearer ${s}\nCookie: sid=${s}`),
      ];
      for (const out of outputs) {
        const leaked = leaks(out, s);
        expect(leaked, `leaked ${leaked} of ${s.slice(0, 6)}… in: ${out}`).toBeNull();
      }
    }
  });

  it("personal values are fully hidden", () => {
    expect(maskPersonal("jane@example.com")).toBe("••• (16 chars)");
  });
});
