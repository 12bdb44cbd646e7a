import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { decodeJwt, isSswsTokenShape, jwtKind } from "../src/okta/credentials.js";
import { maskSecret, maskToken } from "../src/okta/mask.js";
import { urlParams, type Param } from "../src/model/params.js";
import { requestLineOf } from "./util.js";
import { foreignLine } from "./util-foreign.js";
import { isAuthorizeCall, paramValue, queryOf, redirectOf, requestParams, words } from "./util-oauth.js";

/** Parameter names under which an API token (or any bearer credential) is passed in a URL. */
const CREDENTIAL_PARAM = /^(?:token|api[_-]?token|api[_-]?key|apikey|ssws|key|auth|authorization|access[_-]?token|okta[_-]?(?:api[_-]?)?token)$/i;
/** JWT-valued parameters that OpenID Connect puts in URLs by design. */
const DESIGNED_JWT_PARAMS = new Set(["id_token_hint", "request", "login_hint_token", "client_assertion", "assertion"]);

const KIND_LABEL = { access: "an access token", id: "an ID token", refresh: "a refresh token", api: "an Okta API token", jwt: "a token (JWT)" } as const;
type Kind = keyof typeof KIND_LABEL;

/** The kind of credential a URL parameter carries, if any. `path` is the request path (for the designed one-time uses). */
function credentialKind(p: Param, path: string): Kind | undefined {
  if (p.value === "") return undefined;
  const name = p.name.toLowerCase();
  // The designed one-time uses: sessionToken on /authorize, token on /login/sessionCookieRedirect.
  if (name === "token" && /\/login\/sessionCookieRedirect$/i.test(path)) return undefined;
  if (name === "access_token") return "access";
  if (name === "id_token") return "id";
  if (name === "refresh_token") return "refresh";
  const v = p.value.trim();
  if (/^SSWS\s+\S/i.test(v)) return "api";
  if (CREDENTIAL_PARAM.test(p.name) && isSswsTokenShape(v)) return "api";
  if (DESIGNED_JWT_PARAMS.has(name) || !v.startsWith("eyJ")) return undefined;
  const jwt = decodeJwt(v);
  if (!jwt) return undefined;
  const kind = jwtKind(jwt.claims, jwt.header);
  if (kind === "access") return "access";
  if (CREDENTIAL_PARAM.test(p.name)) return kind === "id" ? "id" : "jwt";
  return undefined;
}

function masked(p: Param, kind: Kind): string {
  const v = p.value.trim();
  if (kind === "api") return `${p.name}=${/^SSWS\s/i.test(v) ? `SSWS ${maskSecret(v.replace(/^SSWS\s+/i, ""))}` : maskSecret(v)}`;
  return `${p.name}=${maskToken(v)}`;
}

function describe(found: { p: Param; kind: Kind }[]): { what: string; params: string } {
  const labels = [...new Set(found.map((f) => KIND_LABEL[f.kind]))];
  const what = labels.length === 1 ? labels[0]! : `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)!}`;
  return { what, params: found.map((f) => f.p.name).join(", ") };
}

/** The page a redirect goes to, without its query or fragment (which hold the secrets). */
function targetOf(url: string): string {
  return url.replace(/[?#].*$/, "");
}

const rule: Rule = {
  id: "token-in-url",
  severity: "warning",
  tags: ["tokens", "browser", "transport"],
  title: "Token in a URL",
  explanation:
    "URLs are not secret: web servers, proxies, load balancers and CDNs log them, browsers keep them in history and sync, and the next request from the page " +
    "sends them along in the Referer header. An access, ID or refresh token in a query string therefore leaks to everyone who can read those logs, and an " +
    "Okta API token in a URL hands out its admin's privileges the same way. Okta's APIs take credentials in the Authorization header and token requests " +
    "in the POST body. The one-time tokens Okta designed for URLs (a sessionToken on /authorize, the token of /login/sessionCookieRedirect) are not reported: " +
    "they are redeemed once within minutes.",
  fix:
    "Send access tokens as `Authorization: Bearer <token>` (or `DPoP`), API tokens as `Authorization: SSWS <token>` from a server only, and refresh tokens, " +
    "codes and client credentials in the form body of a POST to /token, /introspect or /revoke. For sign-in, use Authorization Code with PKCE instead of the " +
    "implicit flow so that no token travels in a redirect. Revoke tokens that were written to logs.",
  docs: [
    "https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/",
    "https://developer.okta.com/docs/guides/create-an-api-token/main/",
    "https://developer.okta.com/docs/reference/core-okta-api/",
  ],
  messages: {
    requestQuery:
      "{{endpoint}} carries {{what}} in its URL query ({{params}}): the URL reaches server and proxy logs, browser history and the Referer of later requests.",
    redirectQuery:
      "The redirect from {{endpoint}} puts {{what}} in the query of {{target}} ({{params}}): that server's logs, the browser history and the next Referer receive it.",
    redirectFragment:
      "The redirect from {{endpoint}} puts {{what}} in the URL fragment of {{target}} ({{params}}): fragments stay out of server logs and Referer headers, but remain in the browser history and are readable by every script on that page.",
  },
  check(ctx) {
    // Implicit /authorize requests (reported by implicit-flow), by `state`: their fragment responses are that rule's finding.
    const implicitStates = new Set<string>();
    const implicitCalls = new Set<OktaCall>();
    for (const call of ctx.calls) {
      if (!isAuthorizeCall(call)) continue;
      const params = requestParams(call.exchange);
      if (!words(paramValue(params, "response_type")).includes("token")) continue;
      implicitCalls.add(call);
      const state = paramValue(params, "state");
      if (state) implicitStates.add(state);
    }

    // Okta's tokens in the URLs of the app's own APIs and websockets (and of third parties, where token-to-third-party explains it).
    for (const fc of ctx.foreign) {
      const ex = fc.exchange;
      const path = ex.request.url?.pathname ?? ex.request.rawUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "").replace(/[?#].*$/, "");
      const inUrl: { p: Param; kind: Kind; i: number }[] = [];
      queryOf(ex).forEach((p, i) => {
        const kind = credentialKind(p, path);
        if (kind) inUrl.push({ p, kind, i });
      });
      // Not the fragment: it never reaches the server, and on the app's callback page it is the implicit flow's own delivery (implicit-flow).
      if (inUrl.length === 0) continue;
      const d = describe(inUrl);
      const first = inUrl[0]!;
      ctx.report({
        foreign: fc,
        messageId: "requestQuery",
        data: { endpoint: foreignLine(fc), what: d.what, params: d.params },
        evidence: [...inUrl.map((f) => masked(f.p, f.kind)), `${fc.role === "app" ? "your API" : "third party"}: ${fc.roleEvidence}`],
        path: first.i >= 0 && ex.request.query.length === queryOf(ex).length ? `request.queryString[${first.i}]` : "request.url",
        confidence: "certain",
      });
    }

    for (const call of ctx.calls) {
      const ex = call.exchange;
      const raw = ex.request.rawUrl;
      const hasQuery = raw.includes("?") || raw.includes("#");
      const r = redirectOf(ex);
      if (!hasQuery && !r) continue;
      const path = raw.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "").replace(/[?#].*$/, "");
      const endpoint = requestLineOf(call);

      // 1. The request URL itself.
      const inQuery: { p: Param; kind: Kind; i: number }[] = [];
      queryOf(ex).forEach((p, i) => {
        const kind = credentialKind(p, path);
        if (kind) inQuery.push({ p, kind, i });
      });
      for (const p of urlParams(ex.request.rawUrl, "fragment")) {
        const kind = credentialKind(p, path);
        if (kind) inQuery.push({ p, kind, i: -1 });
      }
      if (inQuery.length > 0) {
        const d = describe(inQuery);
        const first = inQuery[0]!;
        ctx.report({
          call,
          messageId: "requestQuery",
          data: { endpoint, what: d.what, params: d.params },
          evidence: inQuery.map((f) => masked(f.p, f.kind)),
          path: first.i >= 0 && ex.request.query.length === queryOf(ex).length ? `request.queryString[${first.i}]` : "request.url",
          confidence: "certain",
        });
      }

      // 2. The redirect target.
      if (!r || (!r.url.includes("?") && !r.url.includes("#"))) continue;
      const targetPath = targetOf(r.url).replace(/^[a-z]+:\/\/[^/]*/i, "");
      for (const part of ["query", "fragment"] as const) {
        const params = urlParams(r.url, part);
        const found = params.flatMap((p) => {
          const kind = credentialKind(p, targetPath);
          return kind ? [{ p, kind }] : [];
        });
        if (found.length === 0) continue;
        if (part === "fragment") {
          // The implicit flow's own delivery: implicit-flow reports it at the /authorize entry.
          const state = paramValue(params, "state");
          if (implicitCalls.has(call) || (state !== undefined && implicitStates.has(state))) continue;
        }
        const d = describe(found);
        ctx.report({
          call,
          messageId: part === "query" ? "redirectQuery" : "redirectFragment",
          data: { endpoint, what: d.what, target: targetOf(r.url), params: d.params },
          evidence: [`${r.path.startsWith("response.headers") ? "Location" : "redirectURL"}: ${targetOf(r.url)}${part === "query" ? "?" : "#"}…`, ...found.map((f) => masked(f.p, f.kind))],
          path: r.path,
          confidence: part === "query" ? "certain" : "likely",
        });
      }
    }
  },
};

export default rule;
