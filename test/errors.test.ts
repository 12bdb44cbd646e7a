import { describe, expect, it } from "vitest";
import { HeaderList } from "../src/model/headers.js";
import type { Header } from "../src/model/headers.js";
import type { Exchange } from "../src/model/exchange.js";
import { errorFromExchange, parseOAuthError, parseOktaError, parseWwwAuthenticate } from "../src/okta/errors.js";

const E11 = '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeAbC123","errorCauses":[]}';

function exchange(p: {
  url?: string;
  status: number;
  headers?: Header[];
  body?: string;
  mimeType?: string;
  redirectURL?: string;
}): Exchange {
  const rawUrl = p.url ?? "https://acme.okta.com/api/v1/users";
  const url = new URL(rawUrl);
  return {
    index: 3,
    startedAt: null,
    time: -1,
    request: {
      method: "GET",
      rawUrl,
      url,
      httpVersion: "HTTP/1.1",
      headers: new HeaderList(),
      cookies: [],
      query: [...url.searchParams].map(([name, value]) => ({ name, value })),
    },
    response: {
      status: p.status,
      statusText: "",
      httpVersion: "HTTP/1.1",
      headers: new HeaderList(p.headers ?? []),
      setCookies: [],
      ...(p.body !== undefined ? { body: { mimeType: p.mimeType ?? "application/json", size: p.body.length, text: p.body } } : {}),
      ...(p.redirectURL ? { redirectURL: p.redirectURL } : {}),
    },
    timings: {},
    sender: { kind: "unknown", evidence: [] },
    extras: {},
  };
}

describe("parseOktaError", () => {
  it("reads Okta error bodies", () => {
    expect(parseOktaError(E11)).toEqual({
      errorCode: "E0000011",
      errorSummary: "Invalid token provided",
      errorLink: "E0000011",
      errorId: "oaeAbC123",
      errorCauses: [],
    });
    const e1 = JSON.stringify({
      errorCode: "E0000001",
      errorSummary: "Api validation failed: login",
      errorCauses: [{ errorSummary: "login: An object with this field already exists in the current organization" }, "plain cause", 7],
    });
    expect(parseOktaError(e1)).toEqual({
      errorCode: "E0000001",
      errorSummary: "Api validation failed: login",
      errorCauses: ["login: An object with this field already exists in the current organization", "plain cause"],
    });
    expect(parseOktaError(`\uFEFF  ${E11}\n`)?.errorCode).toBe("E0000011");
    // OAuth errors in Okta's format keep their code.
    expect(parseOktaError('{"errorCode":"invalid_client","errorSummary":"Invalid value for \'client_id\' parameter.","errorLink":"invalid_client","errorId":"oae1","errorCauses":[]}')?.errorCode).toBe(
      "invalid_client",
    );
  });
  it("falls back to pattern matching for truncated JSON and HTML", () => {
    expect(parseOktaError('{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E00000')).toEqual({
      errorCode: "E0000047",
      errorSummary: "API call exceeded rate limit due to too many requests.",
      errorCauses: [],
    });
    const html = `<html><script>var err = {"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action","errorCauses":[{"errorSummary":"a \\"quoted\\" cause"}]};</script></html>`;
    expect(parseOktaError(html, "text/html")).toEqual({
      errorCode: "E0000006",
      errorSummary: "You do not have permission to perform the requested action",
      errorCauses: ['a "quoted" cause'],
    });
  });
  it("returns null for non-errors and garbage", () => {
    expect(parseOktaError(undefined)).toBeNull();
    expect(parseOktaError("")).toBeNull();
    expect(parseOktaError('{"id":"00u1"}')).toBeNull();
    expect(parseOktaError('{"errorCode":""}')).toBeNull();
    expect(parseOktaError('{"errorCode":42}')).toBeNull();
    expect(parseOktaError("\x00\x01errorCode garbage")).toBeNull();
    expect(parseOktaError("<html><body>Bad gateway</body></html>", "text/html")).toBeNull();
  });
  it("only scans the start of very large bodies", () => {
    const big = `{"items":[${'"x",'.repeat(40000)}"y"],"errorCode":"E0000009"}`;
    expect(parseOktaError(big)).toBeNull();
  });
});

describe("parseWwwAuthenticate", () => {
  it("parses Okta's insufficient_scope challenge", () => {
    const v =
      'Bearer authorization_uri="http://acme.okta.com/oauth2/v1/authorize", realm="http://acme.okta.com", scope="okta.logs.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/logs"';
    expect(parseWwwAuthenticate(v)).toEqual([
      {
        scheme: "Bearer",
        params: {
          authorization_uri: "http://acme.okta.com/oauth2/v1/authorize",
          realm: "http://acme.okta.com",
          scope: "okta.logs.read",
          error: "insufficient_scope",
          error_description: "The access token provided does not contain the required scopes.",
          resource: "/api/v1/logs",
        },
      },
    ]);
  });
  it("parses Okta's DPoP challenge with a space-separated quoted value", () => {
    const v =
      'DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", authorization_uri="http://acme.okta.com/oauth2/v1/authorize", realm="http://acme.okta.com", scope="okta.groups.read", error="invalid_dpop_proof", error_description="\'htu\' claim in the DPoP proof JWT is invalid.", resource="/api/v1/groups/00g1/users"';
    const [c] = parseWwwAuthenticate(v);
    expect(c?.scheme).toBe("DPoP");
    expect(c?.params.algs).toBe("RS256 RS384 RS512 ES256 ES384 ES512");
    expect(c?.params.error_description).toBe("'htu' claim in the DPoP proof JWT is invalid.");
    expect(c?.params.resource).toBe("/api/v1/groups/00g1/users");
  });
  it("parses several challenges, escapes, token68 and bare schemes", () => {
    expect(parseWwwAuthenticate('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple", Negotiate abc123==, Bearer')).toEqual([
      { scheme: "Newauth", params: { realm: "apps", type: "1", title: 'Login to "apps"' } },
      { scheme: "Basic", params: { realm: "simple" } },
      { scheme: "Negotiate", params: {}, token68: "abc123==" },
      { scheme: "Bearer", params: {} },
    ]);
    expect(parseWwwAuthenticate('Bearer REALM="x",  ERROR = "invalid_token"')).toEqual([{ scheme: "Bearer", params: { realm: "x", error: "invalid_token" } }]);
    expect(parseWwwAuthenticate("")).toEqual([]);
    expect(parseWwwAuthenticate('Bearer realm="unterminated')).toEqual([{ scheme: "Bearer", params: { realm: "unterminated" } }]);
  });
});

describe("parseOAuthError", () => {
  it("reads JSON error bodies", () => {
    expect(parseOAuthError({ body: '{"error":"invalid_client","error_description":"Browser requests to the token endpoint must use Proof Key for Code Exchange."}' })).toEqual({
      error: "invalid_client",
      description: "Browser requests to the token endpoint must use Proof Key for Code Exchange.",
      where: "json",
    });
    expect(parseOAuthError({ body: '{"error":"Not Found","status":404}' })).toBeNull();
    expect(parseOAuthError({ body: '{"error":{"code":1}}' })).toBeNull();
  });
  it("reads WWW-Authenticate challenges", () => {
    const r = parseOAuthError({ wwwAuthenticate: ['Basic realm="x"', 'Bearer error="invalid_token", error_description="The token has expired."'] });
    expect(r).toEqual({
      error: "invalid_token",
      description: "The token has expired.",
      where: "www-authenticate",
      challenge: { scheme: "Bearer", params: { error: "invalid_token", error_description: "The token has expired." } },
    });
  });
  it("reads redirect query and fragment errors", () => {
    expect(parseOAuthError({ location: "https://app.example.com/cb?error=access_denied&error_description=User+is+not+assigned+to+the+client+application.&state=s" })).toEqual({
      error: "access_denied",
      description: "User is not assigned to the client application.",
      where: "query",
    });
    expect(parseOAuthError({ location: "https://app.example.com/cb#error=login_required&error_description=The%20client%20specified%20not%20to%20prompt&state=s" })).toEqual({
      error: "login_required",
      description: "The client specified not to prompt",
      where: "fragment",
    });
  });
  it("reads form_post pages and app callbacks", () => {
    const html = `<html><body onload="document.forms[0].submit()"><form method="post" action="https://app.example.com/cb">
      <input type="hidden" name="error" value="consent_required"/>
      <input type='hidden' value='The following scopes require user consent: [okta.users.read]. &amp; more' name='error_description'/>
      <input type="hidden" name="state" value="s1"/></form></body></html>`;
    expect(parseOAuthError({ body: html, mimeType: "text/html" })).toEqual({
      error: "consent_required",
      description: "The following scopes require user consent: [okta.users.read]. & more",
      where: "form_post",
    });
    expect(parseOAuthError({ requestUrl: "https://app.example.com/cb?error=access_denied&state=s1" })).toEqual({ error: "access_denied", where: "request-query" });
    expect(parseOAuthError({ requestUrl: "https://app.example.com/page?error=1" })).toBeNull();
  });
  it("takes an Exchange", () => {
    const ex = exchange({
      url: "https://acme.okta.com/oauth2/v1/authorize?client_id=0oa1&prompt=none",
      status: 302,
      redirectURL: "https://app.example.com/cb?error=login_required&state=s",
    });
    expect(parseOAuthError(ex)).toEqual({ error: "login_required", where: "query" });
    expect(parseOAuthError(exchange({ status: 200, body: '{"id":"00u1"}' }))).toBeNull();
  });
});

describe("errorFromExchange", () => {
  it("returns the Okta error with its status", () => {
    expect(errorFromExchange(exchange({ status: 401, body: E11 }))).toEqual({
      status: 401,
      code: "E0000011",
      summary: "Invalid token provided",
      okta: { errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorId: "oaeAbC123", errorCauses: [] },
    });
  });
  it("keeps both an Okta body and an OAuth challenge", () => {
    const ex = exchange({
      status: 403,
      headers: [
        {
          name: "WWW-Authenticate",
          value: 'Bearer authorization_uri="https://acme.okta.com/oauth2/v1/authorize", realm="https://acme.okta.com", scope="okta.users.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/users"',
        },
      ],
      body: '{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action","errorLink":"E0000006","errorId":"oae2","errorCauses":[]}',
    });
    const r = errorFromExchange(ex);
    expect(r?.status).toBe(403);
    expect(r?.code).toBe("E0000006");
    expect(r?.summary).toBe("You do not have permission to perform the requested action");
    expect(r?.okta?.errorCode).toBe("E0000006");
    expect(r?.oauth?.error).toBe("insufficient_scope");
    expect(r?.oauth?.where).toBe("www-authenticate");
    expect(r?.oauth?.challenge?.params.scope).toBe("okta.users.read");
  });
  it("returns OAuth-only errors and null for successes", () => {
    expect(errorFromExchange(exchange({ url: "https://acme.okta.com/oauth2/default/v1/token", status: 400, body: '{"error":"invalid_grant","error_description":"PKCE verification failed."}' }))).toEqual({
      status: 400,
      code: "invalid_grant",
      summary: "PKCE verification failed.",
      oauth: { error: "invalid_grant", description: "PKCE verification failed.", where: "json" },
    });
    expect(errorFromExchange(exchange({ status: 200, body: '[{"id":"00u1"}]' }))).toBeNull();
    expect(errorFromExchange(exchange({ status: 0 }))).toBeNull();
  });
});
