/**
 * Every pair of rules that can fire on one problem: the capture gives ONE
 * finding, with the cause's message and fix, and the other rule's finding in
 * `symptoms` (its evidence). Pairs that fire on one entry but are two
 * problems (two fixes, both needed) are shown to stay apart.
 */
import { describe, expect, it } from "vitest";
import { lintSpec } from "./rule-tester.js";
import { RULES, ruleById } from "../rules/index.js";
import { samples as sswsSamples } from "../scripts/samples/rules/ssws-in-browser.js";
import { SAMPLES } from "../scripts/gen-samples.js";
import type { Finding } from "../src/engine/types.js";
import { fakeApiToken, fakeJwt, fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../scripts/samples/builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const START = "2026-11-21T10:00:00.000Z";
const T0 = Date.parse(START) / 1000;
const SDK = { server: "okta-sdk-nodejs/7.1.1 node/20.20.2 Linux/6.1" };
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const oktaError = (code: string, summary: string) => ({ errorCode: code, errorSummary: summary, errorLink: code, errorId: "oae" + fakeRandom(code, 19), errorCauses: [] });
const E11 = oktaError("E0000011", "Invalid token provided");
const E06 = oktaError("E0000006", "You do not have permission to perform the requested action");
const E07 = oktaError("E0000007", "Not found: Resource not found: me (Session)");
const orgToken = fakeJwt({ ver: 1, jti: "AT.causality-org", iss: ORG, aud: ORG, iat: T0, exp: T0 + 3600, cid: "0oa1ab2cd3EFGH4ij5d7", sub: "0oa1ab2cd3EFGH4ij5d7", scp: ["okta.users.read"] });
const customToken = fakeJwt({ ver: 1, jti: "AT.causality-custom", iss: `${ORG}/oauth2/default`, aud: "api://default", iat: T0, exp: T0 + 3600, cid: "0oa1ab2cd3EFGH4ij5d7", sub: "dana@example.com", scp: ["openid"] });
const expiredToken = fakeJwt({ ver: 1, jti: "AT.causality-expired", iss: ORG, aud: ORG, iat: T0 - 7200, exp: T0 - 3600, cid: "0oa1ab2cd3EFGH4ij5d7", sub: "0oa1ab2cd3EFGH4ij5d7", scp: ["okta.users.read"] });
const apiToken = fakeApiToken("causality");
const sid = "102" + fakeRandom("causality-sid", 22);

const listUsers = (authorization: string | undefined, status: number, response: unknown, extra: Partial<EntrySpec> = {}): EntrySpec => ({
  method: "GET",
  url: `${ORG}/api/v1/users?limit=200`,
  status,
  from: SDK,
  at: 500,
  ...(authorization ? { headers: { Authorization: authorization } } : {}),
  response: response as Record<string, unknown>,
  ...extra,
});
const server = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "proxy", start: START, entries });
const chrome = (...entries: EntrySpec[]): CaptureSpec => ({ producer: "chrome", start: START, entries });
/** Okta sets its session cookie in a top-level navigation (a sign-in). */
const signIn: EntrySpec = {
  method: "GET",
  url: `${ORG}/login/sessionCookieRedirect?token=${fakeOneTimeToken("causality-redirect")}&redirectUrl=${encodeURIComponent(APP + "/home")}`,
  status: 302,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  responseHeaders: { location: `${APP}/home`, "set-cookie": `sid=${sid};Version=1;Path=/;Secure;HttpOnly;SameSite=None` },
};
const sessionsMe = (extra: Partial<EntrySpec> = {}): EntrySpec => ({ method: "GET", url: `${ORG}/api/v1/sessions/me`, status: 404, from: { browser: APP }, at: 2500, response: E07, ...extra });

/** `cause@entry > symptom@entry, …` for every problem. */
const shape = (fs: readonly Finding[]) => fs.map((f) => `${f.ruleId}@${f.entry}${f.symptoms.length ? ` > ${f.symptoms.map((s) => `${s.ruleId}@${s.entry}`).join(", ")}` : ""}`);

/** The capture's one problem at `entry`: cause's rule, message and fix, with exactly these symptoms. */
async function expectOneProblem(spec: CaptureSpec, entry: number, cause: string, symptoms: string[], message: string | RegExp): Promise<Finding> {
  const findings = await lintSpec(spec, RULES);
  const here = findings.filter((f) => f.entry === entry);
  expect(shape(here)).toEqual([`${cause}@${entry} > ${symptoms.join(", ")}`]);
  const f = here[0]!;
  expect(f.message).toMatch(message);
  expect(f.fix).toBe(ruleById(cause)!.fix);
  expect(f.docs).toEqual([...ruleById(cause)!.docs]);
  // Every symptom is in the findings once, under its cause, never on its own.
  for (const s of f.symptoms) expect(findings.filter((o) => o.ruleId === s.ruleId && o.entry === s.entry)).toEqual([]);
  return f;
}

describe("one problem, one finding: the cause with its symptoms", () => {
  it("authorization-scheme > api-token-rejected: an org-AS access token sent as SSWS", async () => {
    const f = await expectOneProblem(server(listUsers(`SSWS ${orgToken}`, 401, E11)), 0, "authorization-scheme", ["api-token-rejected@0"], /with the SSWS scheme \(HTTP 401 E0000011\)\. .*Send it as `Authorization: Bearer <token>`/);
    expect(f.severity).toBe("error");
    expect(f.symptoms[0]!.message).toMatch(/^Okta rejected the API token eyJ.* \(401 E0000011\)/);
  });

  it("authorization-scheme > api-token-rejected: a custom-AS token sent as SSWS leads with 'Bearer is not enough', not 'send it as Bearer'", async () => {
    const f = await expectOneProblem(server(listUsers(`SSWS ${customToken}`, 401, E11)), 0, "authorization-scheme", ["api-token-rejected@0"], /Switching to Bearer is not enough: it comes from a custom authorization server/);
    expect(f.message).not.toMatch(/^Okta rejected/);
  });

  it("authorization-scheme > api-token-rejected: an API token wrapped in quotes, not 'cannot tell which cause'", async () => {
    const f = await expectOneProblem(server(listUsers(`SSWS "${apiToken}"`, 401, E11)), 0, "authorization-scheme", ["api-token-rejected@0"], /wrapped in quotes, which are sent as part of the credential \(HTTP 401 E0000011\)/);
    expect(f.message).not.toMatch(/cannot tell/);
  });

  it("authorization-scheme > api-token-rejected: whitespace around the token", async () => {
    await expectOneProblem(server(listUsers(`SSWS  ${apiToken}`, 401, E11)), 0, "authorization-scheme", ["api-token-rejected@0"], /Trim the token/);
  });

  it("authorization-scheme > api-token-rejected, id-token-as-access-token: an ID token sent as SSWS", async () => {
    const idToken = fakeJwt({ ver: 1, iss: ORG, aud: "0oa1ab2cd3EFGH4ij5d7", iat: T0, exp: T0 + 3600, sub: "00u1ab2cdEFGH3ijK4l7", nonce: "n", amr: ["pwd"], idp: "00o1", auth_time: T0 });
    const f = await expectOneProblem(server(listUsers(`SSWS ${idToken}`, 401, E11)), 0, "authorization-scheme", ["api-token-rejected@0", "id-token-as-access-token@0"], /sent an ID token \(JWT\) .* with the SSWS scheme.*send the access token from the same token response, as `Bearer <token>`/);
    expect(f.symptoms[1]!.message).toMatch(/received an ID token as its SSWS credential/);
  });

  it("wrong-base-url > api-token-rejected: an API token sent to the -admin host", async () => {
    const spec = server(listUsers(`SSWS ${apiToken}`, 401, E11, { url: "https://acme-admin.okta.com/api/v1/users?limit=200" }));
    await expectOneProblem(spec, 0, "wrong-base-url", ["api-token-rejected@0"], /acme-admin\.okta\.com.*send API calls to acme\.okta\.com/);
  });

  it("missing-admin-role > wrong-base-url: a 403 E0000006 on the -admin host is a permissions problem first", async () => {
    const spec = server(listUsers(`SSWS ${apiToken}`, 403, E06, { url: "https://acme-admin.okta.com/api/v1/users?limit=200" }));
    await expectOneProblem(spec, 0, "missing-admin-role", ["wrong-base-url@0"], /E0000006/);
  });

  it("custom-as-token-on-management-api > authorization-scheme: fixing the quotes would not help a custom-AS token", async () => {
    await expectOneProblem(server(listUsers(`Bearer "${customToken}"`, 401, E11)), 0, "custom-as-token-on-management-api", ["authorization-scheme@0"], /issued by the custom authorization server `default`.*\(HTTP 401 E0000011\)/);
  });

  it("session-token-misuse > api-token-rejected: a sessionToken seen in the capture, sent as SSWS", async () => {
    const token = fakeOneTimeToken("causality-sighted");
    const spec = server(
      { method: "POST", url: `${ORG}/api/v1/sessions`, status: 200, from: SDK, at: 0, headers: { Authorization: `SSWS ${apiToken}` }, body: { sessionToken: token }, response: { id: sid, status: "ACTIVE" } },
      listUsers(`SSWS ${token}`, 401, E11),
    );
    await expectOneProblem(spec, 1, "session-token-misuse", ["api-token-rejected@1"], /is sent as an API credential \(`Authorization: SSWS …`\).*\(HTTP 401 E0000011\)/);
  });

  it("session-token-misuse > session-token-not-exchanged, authorization-scheme: a sessionToken sent (quoted) as an API token is also never redeemed", async () => {
    const token = fakeOneTimeToken("causality-issued");
    const spec = server(
      { method: "POST", url: `${ORG}/api/v1/authn`, status: 200, from: SDK, at: 0, body: { username: "dana@example.com", password: "correct horse" }, response: { status: "SUCCESS", sessionToken: token, expiresAt: "2026-11-21T10:05:00.000Z" } },
      listUsers(`SSWS "${token}"`, 401, E11),
    );
    const f = await expectOneProblem(spec, 1, "session-token-misuse", ["session-token-not-exchanged@0", "authorization-scheme@1"], /The sessionToken .* issued by POST \/api\/v1\/authn at entry 0/);
    // The problem is as severe as its worst part.
    expect(f.severity).toBe("error");
  });

  it("session-token-misuse > deprecated-api, session-token-not-exchanged: the motivating case is one problem with one fix", async () => {
    const f = await expectOneProblem(SAMPLES["motivating-401.har"]!, 2, "session-token-misuse", ["deprecated-api@1", "session-token-not-exchanged@1"], /The cookieToken .* issued by POST \/api\/v1\/sessions at entry 1, is sent as an API credential/);
    expect(f.message).toMatch(/redeem the sessionToken in a browser navigation/);
    expect((await lintSpec(SAMPLES["motivating-401.har"]!, RULES)).length).toBe(1);
  });

  it("third-party-cookies-blocked > authorize-error: login_required on a silent renew after the browser dropped Okta's cookie", async () => {
    const nav = { "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate" };
    const spec: CaptureSpec = {
      producer: "proxy",
      start: START,
      entries: [
        { ...signIn, from: { server: CHROME_UA }, headers: { ...nav, "Sec-Fetch-Dest": "document" } },
        {
          method: "GET",
          url: `${ORG}/oauth2/v1/authorize?client_id=0oa1ab2cd3EFGH4ij5d7&response_type=code&response_mode=okta_post_message&prompt=none&scope=openid&state=s2&nonce=n2&code_challenge=${fakeRandom("causality-cc", 43)}&code_challenge_method=S256&redirect_uri=${encodeURIComponent(APP + "/cb")}`,
          status: 200,
          from: { server: CHROME_UA },
          at: 30_000,
          headers: { ...nav, "Sec-Fetch-Dest": "iframe", Referer: APP + "/" },
          response: { mimeType: "text/html", text: `<html><body><script type="text/javascript">var data = { 'error' : 'login_required', 'error_description' : 'The client specified not to prompt, but the user is not logged in.', 'state' : 's2' }; window.parent.postMessage(data, '${APP}');</script></body></html>` },
        },
      ],
    };
    const f = await expectOneProblem(spec, 1, "third-party-cookies-blocked", ["authorize-error@1"], /Okta set its session cookie sid on acme\.okta\.com at entry 0, but GET \/oauth2\/v1\/authorize .* carries no Okta session cookie/);
    // authorize-error is an error, the cookie rule a warning: the problem fails the run as the error did.
    expect(f.severity).toBe("error");
    expect(f.symptoms[0]).toMatchObject({ ruleId: "authorize-error", messageId: "loginRequired", severity: "error" });
  });

  it("third-party-cookies-blocked > cookie-missing: the browser refused Okta's session cookie on the very call that went without it", async () => {
    const spec = chrome(
      signIn,
      sessionsMe({
        responseHeaders: { "access-control-allow-origin": APP, "access-control-allow-credentials": "true" },
        extra: { _associatedCookies: [], _blockedCookies: [{ blockedReasons: ["ThirdPartyPhaseout"], cookieLine: `sid=${sid};Version=1;Path=/;Secure;HttpOnly;SameSite=None` }] },
      }),
    );
    await expectOneProblem(spec, 1, "third-party-cookies-blocked", ["cookie-missing@1"], /The browser refused the sid cookie that Okta set/);
  });

  it("third-party-cookies-blocked > untrusted-origin: Okta's 404 for the session call has no CORS headers", async () => {
    await expectOneProblem(chrome(signIn, sessionsMe()), 1, "third-party-cookies-blocked", ["untrusted-origin@1"], /carries no Okta session cookie \(HTTP 404 E0000007\)/);
    const blocked = chrome(signIn, sessionsMe({ extra: { _associatedCookies: [{ cookie: { name: "sid", domain: "acme.okta.com" }, blockedReasons: ["ThirdPartyPhaseout"] }] } }));
    await expectOneProblem(blocked, 1, "third-party-cookies-blocked", ["untrusted-origin@1"], /ThirdPartyPhaseout/);
  });

  it("cookie-missing > untrusted-origin: a call made without credentials, whose 404 has no CORS headers", async () => {
    await expectOneProblem(chrome(signIn, sessionsMe({ extra: { _associatedCookies: [] } })), 1, "cookie-missing", ["untrusted-origin@1"], /sent no cookies at all, .*credentials: "include".*Okta answered HTTP 404 E0000007/);
  });

  it("management-call-without-credentials > untrusted-origin: the CORS error hides a 403 for a call without credentials", async () => {
    await expectOneProblem(chrome(listUsers(undefined, 403, E06, { from: { browser: APP } })), 0, "management-call-without-credentials", ["untrusted-origin@0"], /carried neither an Authorization header nor an Okta session cookie \(HTTP 403 E0000006\)/);
  });

  it("ssws-in-browser > untrusted-origin: no Trusted Origin makes an API token work from a page (the preflight and its request)", async () => {
    const findings = await lintSpec(sswsSamples["ssws-in-browser.fires.har"]!, RULES);
    expect(shape(findings)).toEqual(["ssws-in-browser@0", "ssws-in-browser@1 > untrusted-origin@1"]);
    const direct = await lintSpec(chrome(listUsers(`SSWS ${apiToken}`, 401, E11, { from: { browser: APP } })), RULES);
    expect(shape(direct)).toEqual(["api-token-rejected@0", "ssws-in-browser@0 > untrusted-origin@0"]);
  });

  it("id-token-as-access-token > expired-token: an expired ID token is the wrong token; refreshing it would not help", async () => {
    const idToken = fakeJwt({ ver: 1, iss: ORG, aud: "0oa1ab2cd3EFGH4ij5d7", iat: T0 - 7200, exp: T0 - 3600, sub: "00u1ab2cdEFGH3ijK4l7", nonce: "n", amr: ["pwd"], idp: "00o1", auth_time: T0 - 7200 });
    await expectOneProblem(server(listUsers(`Bearer ${idToken}`, 401, E11)), 0, "id-token-as-access-token", ["expired-token@0"], /received an ID token as its Bearer credential.*Send the access token instead/);
  });

  it("client-secret-in-browser > token-request-without-pkce: a browser app redeeming its code with a secret and no PKCE", async () => {
    const spec = chrome(
      { method: "GET", url: `${ORG}/oauth2/v1/authorize?client_id=0oa1ab2cd3EFGH4ij5d7&response_type=code&state=s1&scope=openid&redirect_uri=${encodeURIComponent(APP + "/cb")}`, status: 302, from: { browser: APP, mode: "navigate" }, at: 0, responseHeaders: { location: `${APP}/cb?code=c1&state=s1` } },
      {
        method: "POST",
        url: `${ORG}/oauth2/v1/token`,
        status: 200,
        from: { browser: APP },
        at: 500,
        form: { grant_type: "authorization_code", code: "c1", redirect_uri: APP + "/cb", client_id: "0oa1ab2cd3EFGH4ij5d7", client_secret: fakeRandom("causality-secret", 40) },
        responseHeaders: { "access-control-allow-origin": APP },
        response: { token_type: "Bearer", access_token: orgToken, expires_in: 3600 },
      },
    );
    const f = await expectOneProblem(spec, 1, "client-secret-in-browser", ["token-request-without-pkce@1"], /client_secret/);
    expect(f.fix).toMatch(/Authorization Code with PKCE/);
  });

  it("insecure-transport > untrusted-origin: a preflight to an http:// org URL is redirected, and browsers fail it", async () => {
    const spec = chrome({ method: "OPTIONS", url: "http://acme.okta.com/api/v1/sessions/me", status: 301, from: { browser: APP }, at: 0, headers: { "access-control-request-method": "DELETE" }, responseHeaders: { location: `${ORG}/api/v1/sessions/me` } });
    await expectOneProblem(spec, 0, "insecure-transport", ["untrusted-origin@0"], /http:\/\//);
  });

  it("okta-error is a fallback: where a rule explains the entry it is dropped, not attached (missing-scope, missing-admin-role)", async () => {
    const scope = fakeJwt({ ver: 1, jti: "AT.causality-scope", iss: ORG, aud: ORG, iat: T0, exp: T0 + 3600, cid: "0oa1ab2cd3EFGH4ij5d7", sub: "0oa1ab2cd3EFGH4ij5d7", scp: ["okta.groups.read"] });
    expect(shape(await lintSpec(server(listUsers(`Bearer ${scope}`, 403, E06)), RULES))).toEqual(["missing-scope@0"]);
    expect(shape(await lintSpec(server(listUsers(`SSWS ${apiToken}`, 403, E06)), RULES))).toEqual(["missing-admin-role@0"]);
    expect(shape(await lintSpec(server(listUsers(`SSWS ${apiToken}`, 401, E11)), RULES))).toEqual(["api-token-rejected@0"]);
  });
});

describe("pairs on one entry that are two problems stay apart", () => {
  it("an API token in a page that Okta also rejects: moving it to a server and replacing it are two fixes", async () => {
    const fs = await lintSpec(chrome(listUsers(`SSWS ${apiToken}`, 401, E11, { from: { browser: APP }, responseHeaders: { "access-control-allow-origin": APP } })), RULES);
    expect(shape(fs)).toEqual(["api-token-rejected@0", "ssws-in-browser@0"]);
  });

  it("an API token sent over http:// that Okta rejects: it crossed the network in clear, and it is not a live token", async () => {
    const fs = await lintSpec(server(listUsers(`SSWS ${apiToken}`, 401, E11, { url: "http://acme.okta.com/api/v1/users?limit=200" })), RULES);
    expect(shape(fs)).toEqual(["api-token-rejected@0", "insecure-transport@0"]);
  });

  it("an expired access token sent as SSWS: the scheme and the expiry both need fixing", async () => {
    const fs = await lintSpec(server(listUsers(`SSWS ${expiredToken}`, 401, E11)), RULES);
    expect(shape(fs)).toEqual(["authorization-scheme@0 > api-token-rejected@0", "expired-token@0"]);
  });

  it("on the -admin host, a 401 and a 403 of one endpoint: the wrong host with its rejection, and the permissions problem", async () => {
    const admin = "https://acme-admin.okta.com/api/v1/users?limit=200";
    const fs = await lintSpec(server(listUsers(`SSWS ${apiToken}`, 401, E11, { url: admin }), listUsers(`SSWS ${apiToken}`, 403, E06, { url: admin, at: 900 })), RULES);
    // The 401 is the wrong host with its rejection; the 403 is a permissions problem first, the host advice its symptom.
    expect(shape(fs)).toEqual(["wrong-base-url@0 > api-token-rejected@0", "missing-admin-role@1 > wrong-base-url@1"]);
  });

  it("a JWT sent as SSWS to the -admin host: the scheme and the host both need fixing; the rejection is attached once", async () => {
    const fs = await lintSpec(server(listUsers(`SSWS ${orgToken}`, 401, E11, { url: "https://acme-admin.okta.com/api/v1/users?limit=200" })), RULES);
    expect(shape(fs)).toEqual(["authorization-scheme@0 > api-token-rejected@0", "wrong-base-url@0"]);
  });
});
