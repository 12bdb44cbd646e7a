/**
 * Every pair of rules that can fire on one problem: the capture gives ONE
 * finding, with the cause's message and fix, and the other rule's finding in
 * `symptoms` (its evidence). Pairs that fire on one entry but are two
 * problems (two fixes, both needed) are shown to stay apart.
 *
 * The pairs come from `OKTALINT_PAIRS=1 npx vitest run test/pairs.enumerate.test.ts`
 * (every bundled sample, every capture of the rule tables in test/rules/, the
 * captures of test/pair-captures.ts and the third-party corpus). Grouped, as
 * cause > symptom (the cause's fix is the one to apply):
 *   authorization-scheme > api-token-rejected, id-token-as-access-token,
 *     ssws-in-browser (a JWT sent as SSWS: no API token is in the page),
 *     api-token-on-cookie-endpoint (a JWT as SSWS on a session-only endpoint),
 *     untrusted-origin (a failed call's missing CORS headers)
 *   custom-as-token-on-management-api > authorization-scheme
 *   session-token-misuse > api-token-rejected, authorization-scheme, deprecated-api,
 *     session-token-not-exchanged, ssws-in-browser (a one-time token as SSWS)
 *   deprecated-api > session-token-not-exchanged (a server-made cookieToken or Classic session only)
 *   wrong-base-url > api-token-rejected, client-assertion-audience (the -admin host)
 *   missing-admin-role > wrong-base-url (a 403 E0000006 on the -admin host)
 *   id-token-as-access-token > expired-token, untrusted-origin (failed calls)
 *   client-secret-in-browser > token-request-without-pkce
 *   third-party-cookies-blocked > authorize-error, cookie-missing, untrusted-origin
 *   invalid-scope-for-server > authorize-error (only when Okta answered invalid_scope)
 *   token-request-without-pkce > authorize-error (only "PKCE code challenge is required")
 *   implicit-flow > authorize-error (only unsupported_response_type / unauthorized_client)
 *   authorize-error > untrusted-origin (a page that fetched /authorize)
 *   client-assertion-audience > dpop-misuse, untrusted-origin
 *   management-call-without-credentials > untrusted-origin, token-in-url (the token in the URL)
 *   cookie-missing, ssws-in-browser, insecure-transport > untrusted-origin
 * okta-error is a fallback: dropped at any entry another finding is on or names.
 *
 * Two problems (TWO_PROBLEMS below, each with a test of why):
 *   api-token-rejected + ssws-in-browser, api-token-rejected + insecure-transport,
 *   authorization-scheme + expired-token, authorization-scheme + wrong-base-url,
 *   api-token-on-cookie-endpoint + wrong-base-url, authorize-error + implicit-flow,
 *   authorize-error + insecure-transport, authorize-error + invalid-scope-for-server,
 *   authorize-error + token-request-without-pkce, client-assertion-audience + client-secret-in-browser,
 *   client-assertion-audience + invalid-scope-for-server, client-assertion-audience + org-as-client-secret,
 *   custom-as-token-on-management-api + dpop-misuse, deprecated-api + session-token-not-exchanged,
 *   id-token-as-access-token + token-in-url, insecure-transport + session-token-not-exchanged,
 *   insecure-transport + token-request-without-pkce, token-request-without-pkce + untrusted-origin.
 */
import { describe, expect, it } from "vitest";
import { lintSpec } from "./rule-tester.js";
import { RULES, ruleById } from "../rules/index.js";
import { samples as sswsSamples } from "../scripts/samples/rules/ssws-in-browser.js";
import { SAMPLES } from "../scripts/gen-samples.js";
import type { Finding } from "../src/engine/types.js";
import { buildHar, fakeApiToken, fakeJwt, fakeOneTimeToken, fakeRandom, type CaptureSpec, type EntrySpec } from "../scripts/samples/builder.js";
import { APART, ONE_PROBLEM } from "./pair-captures.js";
import { coFiring } from "./co-firing.js";
import { readCaptureStream } from "../src/index.js";
import { ruleSamples } from "../scripts/gen-samples.js";
import { Readable } from "node:stream";

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
    // The outcome the app sees is Okta's login_required, not the 200 page that posted it.
    expect(f.message).toContain("carries no Okta session cookie (login_required by postMessage)");
    expect(f.message).not.toMatch(/\(HTTP 200\)/);
    // In the redirect: the outcome is the error, not the 302.
    const redirected: CaptureSpec = {
      ...spec,
      entries: [
        spec.entries[0]!,
        { ...spec.entries[1]!, url: spec.entries[1]!.url.replace("okta_post_message", "query"), status: 302, response: undefined, responseHeaders: { location: `${APP}/cb?error=login_required&error_description=The+client+specified+not+to+prompt%2C+but+the+user+is+not+logged+in.&state=s2` } },
      ],
    };
    const g = await expectOneProblem(redirected, 1, "third-party-cookies-blocked", ["authorize-error@1"], /carries no Okta session cookie \(login_required in the redirect\)/);
    expect(g.message).not.toMatch(/HTTP 302/);
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

/** Pairs that fire on one call or related calls and are two problems, each needing its own fix. */
const TWO_PROBLEMS = [
  "api-token-rejected + ssws-in-browser",
  "api-token-rejected + insecure-transport",
  "authorization-scheme + expired-token",
  "authorization-scheme + wrong-base-url",
  "api-token-on-cookie-endpoint + wrong-base-url",
  "authorize-error + implicit-flow",
  "authorize-error + insecure-transport",
  "authorize-error + invalid-scope-for-server",
  "authorize-error + token-request-without-pkce",
  "client-assertion-audience + client-secret-in-browser",
  "client-assertion-audience + invalid-scope-for-server",
  "client-assertion-audience + org-as-client-secret",
  "custom-as-token-on-management-api + dpop-misuse",
  "deprecated-api + session-token-not-exchanged",
  "id-token-as-access-token + token-in-url",
  "insecure-transport + session-token-not-exchanged",
  "insecure-transport + token-request-without-pkce",
  "token-request-without-pkce + untrusted-origin",
];

describe("pairs the merge created: one problem, the cause's message, fix and docs, the symptom as evidence", () => {
  it.each(Object.entries(ONE_PROBLEM))("%s", async (_name, { spec, entry, shape: want }) => {
    const findings = await lintSpec(spec, RULES);
    const here = findings.filter((f) => f.entry === entry);
    expect(shape(here)).toEqual([want]);
    const f = here[0]!;
    const cause = ruleById(f.ruleId)!;
    // The problem is the cause's finding: its message (as it reads alone), fix and docs.
    const alone = (await lintSpec(spec, [cause])).find((o) => o.entry === entry)!;
    expect(f.message).toBe(alone.message);
    expect(f.fix).toBe(cause.fix);
    expect(f.docs).toEqual([...cause.docs]);
    for (const s of f.symptoms) expect(findings.filter((o) => o.ruleId === s.ruleId && o.entry === s.entry)).toEqual([]);
  });

  it("a refused implicit flow does not say the token comes back; it says why Okta refused and not to enable the grant", async () => {
    const [f] = await lintSpec(ONE_PROBLEM["implicit-flow > authorize-error: response_type=token refused because the app does not allow the implicit grant"]!.spec, RULES);
    expect(f!.messageId).toBe("notAllowed");
    expect(f!.message).toMatch(/Okta refused it with unsupported_response_type: the app does not allow the implicit grant\. Rather than enabling it, switch/);
    expect(f!.message).not.toMatch(/comes back/);
    expect(f!.symptoms[0]).toMatchObject({ ruleId: "authorize-error", messageId: "named" });
    const other = await lintSpec(APART["an implicit flow whose user is not assigned to the app"]!.spec, RULES);
    expect(other.find((o) => o.ruleId === "implicit-flow")!.message).toMatch(/had Okta granted it, the access token would come back .* This request failed with access_denied/);
  });

  it("a JWT or a one-time token sent as SSWS from a page is not called an API token in the page", async () => {
    for (const key of ["authorization-scheme > ssws-in-browser, untrusted-origin: a page sends its access token (a JWT) as SSWS", "session-token-misuse > ssws-in-browser: a stateToken in an SSWS header from a page is no API token in the page"]) {
      const { spec, entry } = ONE_PROBLEM[key]!;
      const f = (await lintSpec(spec, RULES)).find((o) => o.entry === entry)!;
      const ssws = f.symptoms.find((s) => s.ruleId === "ssws-in-browser")!;
      expect(ssws.messageId).toBe("notApiToken");
      expect(ssws.message).toMatch(/this value is not one, so no API token is exposed here/);
      for (const s of f.symptoms) expect(s.message).not.toMatch(/an API token in a page|SSWS API token: no Trusted Origin/);
    }
  });

  it("on the -admin host, the client assertion's advice names the org host, as the cause does", async () => {
    const [f] = await lintSpec(ONE_PROBLEM["wrong-base-url > client-assertion-audience: a token request to the -admin host, whose assertion names the org host"]!.spec, RULES);
    expect(f!.message).toMatch(/send API calls to acme\.okta\.com/);
    expect(f!.symptoms[0]!.message).toMatch(/aud must be https:\/\/acme\.okta\.com\/oauth2\/v1\/token/);
    expect(f!.symptoms[0]!.message).not.toMatch(/acme-admin/);
  });

  it("no admin role is advised for an API token on an endpoint that takes only the browser's session", async () => {
    const fs = await lintSpec(ONE_PROBLEM["api-token-on-cookie-endpoint alone: no admin role makes an API token work on a session-only endpoint (missing-admin-role stays quiet)"]!.spec, RULES);
    expect(fs.map((f) => f.ruleId)).toEqual(["api-token-on-cookie-endpoint"]);
    expect(JSON.stringify(fs)).not.toMatch(/Give that admin a role/);
  });
});

describe("pairs the merge created that are two problems stay apart", () => {
  it.each(Object.entries(APART))("%s", async (_name, { spec, shape: want, why }) => {
    expect(why.length).toBeGreaterThan(10);
    expect(shape(await lintSpec(spec, RULES)).sort()).toEqual([...want].sort());
  });

  it("an /authorize over http:// that Okta answered with a redirect to the app is not said to be redirected to HTTPS", async () => {
    const fs = await lintSpec(APART["an /authorize over http:// refused for a user not assigned"]!.spec, RULES);
    const insecure = fs.find((f) => f.ruleId === "insecure-transport")!;
    expect(insecure.messageId).toBe("plainHttp");
    expect(insecure.message).not.toMatch(/redirected it to HTTPS/);
  });
});

describe("every pair that co-fires is grouped or documented as two problems", () => {
  it("over the bundled samples and the pair captures", async () => {
    const specs: [string, CaptureSpec][] = [
      ...Object.entries(SAMPLES),
      ...Object.entries(await ruleSamples()),
      ...Object.entries(ONE_PROBLEM).map(([k, c]): [string, CaptureSpec] => [k, c.spec]),
      ...Object.entries(APART).map(([k, c]): [string, CaptureSpec] => [k, c.spec]),
    ];
    const undocumented: string[] = [];
    for (const [name, spec] of specs) {
      const capture = await readCaptureStream(Readable.from([Buffer.from(JSON.stringify(buildHar(spec)))]), "spec.har");
      for (const c of coFiring(capture, RULES).apart) if (!TWO_PROBLEMS.includes(c.pair)) undocumented.push(`${c.pair} in ${name} @${c.entries.join("/")}`);
    }
    expect(undocumented).toEqual([]);
  });
});
