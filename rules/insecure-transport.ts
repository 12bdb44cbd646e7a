import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { findOneTimeTokens } from "../src/okta/credentials.js";
import { sessionCookieChanges } from "../src/okta/cookies.js";
import { maskAuthorization, maskCookieHeader, maskSecret, maskToken } from "../src/okta/mask.js";
import { headerPath } from "./util.js";
import { displayPath, isLoopbackHost, reportOncePerEndpoint, type EndpointHit } from "./util-org.js";

/** A credential found on a plain-HTTP exchange: a short name for the message, a masked snippet for the evidence. */
interface Exposed {
  what: string;
  evidence: string;
  path?: string;
}

function schemeOf(call: OktaCall): string {
  const req = call.exchange.request;
  if (req.url) return req.url.protocol.replace(/:$/, "").toLowerCase();
  const pseudo = req.headers.pseudo["scheme"];
  if (pseudo) return pseudo.toLowerCase();
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(req.rawUrl);
  return m ? m[1]!.toLowerCase() : "";
}

/** Chrome records an HSTS upgrade as a 307 "Internal Redirect" that never went over the network. */
function isHstsInternalRedirect(call: OktaCall): boolean {
  const res = call.exchange.response;
  if (res.status !== 307) return false;
  const reason = res.headers.get("non-authoritative-reason");
  return reason !== undefined && /hsts/i.test(reason);
}

function formValue(call: OktaCall, name: string): string | undefined {
  const body = call.exchange.request.body;
  if (!body) return undefined;
  const p = body.params?.find((x) => x.name === name);
  if (p) return p.value;
  if (body.text && /x-www-form-urlencoded/i.test(body.mimeType) && body.text.includes(`${name}=`)) return new URLSearchParams(body.text).get(name) ?? undefined;
  return undefined;
}

const JSON_PASSWORD = /"(?:password|passCode|newPassword|oldPassword)"\s*:/;
const RESPONSE_TOKEN = /"(access_token|id_token|refresh_token)"\s*:\s*"([^"]+)"/g;

/** Everything on this exchange that would let someone on the network path act as the caller or the user. */
function exposedCredentials(call: OktaCall): Exposed[] {
  const ex = call.exchange;
  const out: Exposed[] = [];
  const auth = ex.request.headers.get("authorization");
  if (auth !== undefined && auth.trim() !== "") {
    const scheme = call.credential.authorization?.scheme || "credential";
    out.push({ what: `the Authorization header (${scheme})`, evidence: `Authorization: ${maskAuthorization(auth)}`, ...pathOf(headerPath(ex, "request", "authorization")) });
  }
  if (call.credential.sessionCookies.length > 0) {
    const cookie = ex.request.headers.get("cookie");
    out.push({
      what: `the Okta session cookie ${call.credential.sessionCookies.join(" and ")}`,
      evidence: cookie !== undefined ? `Cookie: ${maskCookieHeader(cookie)}` : `cookies: ${call.credential.sessionCookies.join(", ")}`,
      ...pathOf(headerPath(ex, "request", "cookie") ?? "request.cookies"),
    });
  }
  const secret = formValue(call, "client_secret") ?? ex.request.query.find((q) => q.name === "client_secret")?.value;
  if (secret) out.push({ what: "the client_secret", evidence: `client_secret=${maskSecret(secret)}`, path: ex.request.query.some((q) => q.name === "client_secret") ? "request.queryString" : "request.postData" });
  const assertion = formValue(call, "client_assertion");
  if (assertion) out.push({ what: "the client_assertion", evidence: `client_assertion=${maskToken(assertion)}`, path: "request.postData" });
  const body = ex.request.body;
  if (formValue(call, "password") !== undefined || (body?.text && JSON_PASSWORD.test(body.text))) {
    out.push({ what: "the user's password", evidence: "password field in the request body", path: "request.postData" });
  }
  for (const t of findOneTimeTokens(ex)) {
    if (t.where === "request.query" || t.where === "request.body") {
      out.push({ what: `the ${t.kind}`, evidence: `${t.kind}=${maskSecret(t.value)} (${t.where === "request.query" ? "URL" : "body"})`, path: t.where === "request.query" ? "request.queryString" : "request.postData" });
    } else if (t.kind === "sessionToken" || t.kind === "cookieToken") {
      out.push({ what: `the ${t.kind} in the response`, evidence: `${t.kind}: ${maskSecret(t.value)} (response)`, path: "response.content" });
    }
  }
  for (const change of sessionCookieChanges(ex.response.setCookies, ex.startedAt ?? Date.now())) {
    if (change.action === "set") {
      out.push({ what: `the ${change.name} session cookie Okta set`, evidence: `Set-Cookie: ${change.name}=${maskSecret(change.cookie.value)}`, ...pathOf(headerPath(ex, "response", "set-cookie")) });
    }
  }
  const resText = ex.response.body?.text;
  if (resText && resText.length < 256 * 1024 && resText.includes("_token")) {
    for (const m of resText.matchAll(RESPONSE_TOKEN)) {
      out.push({ what: `the ${m[1]} in the response`, evidence: `${m[1]}: ${maskToken(m[2]!)}`, path: "response.content" });
    }
  }
  // One line per kind of credential.
  const seen = new Set<string>();
  return out.filter((e) => (seen.has(e.what) ? false : (seen.add(e.what), true)));
}

/** Where a redirect points, without its query (which may carry tokens). */
function redirectTarget(location: string): string {
  try {
    const u = new URL(location);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return location.split(/[?#]/)[0] ?? location;
  }
}

function pathOf(path: string | undefined): { path?: string } {
  return path ? { path } : {};
}

function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function inspect(call: OktaCall): EndpointHit | undefined {
  if (schemeOf(call) !== "http") return undefined;
  // Loopback: a test org or a local tracer/proxy; nothing crosses a network.
  if (isLoopbackHost(call.host.host)) return undefined;
  const ex = call.exchange;
  const url = `http://${call.host.host}${ex.request.url?.port ? `:${ex.request.url.port}` : ""}${displayPath(call)}`;
  const base = { method: ex.request.method, path: displayPath(call), host: call.host.host, url };
  if (isHstsInternalRedirect(call)) {
    return {
      messageId: "hstsUpgraded",
      report: {
        data: base,
        evidence: [`URL: ${url}`, `HTTP 307, Non-Authoritative-Reason: ${ex.response.headers.get("non-authoritative-reason") ?? "HSTS"}`],
        path: "request.url",
        severity: "info",
        confidence: "certain",
      },
    };
  }
  const exposed = exposedCredentials(call);
  if (exposed.length > 0) {
    return {
      messageId: "credentialsInClear",
      report: {
        data: { ...base, credentials: joinList(exposed.map((e) => e.what)) },
        evidence: [`URL: ${url}`, ...exposed.map((e) => e.evidence)],
        path: exposed[0]!.path ?? "request.url",
        confidence: "certain",
      },
    };
  }
  const status = ex.response.status;
  const location = ex.response.redirectURL || ex.response.headers.get("location") || "";
  // Okta's upgrade: a redirect to the same host over https (not /authorize's redirect back to the app).
  if (status >= 300 && status < 400 && location.toLowerCase().startsWith(`https://${call.host.host.toLowerCase()}`)) {
    return {
      messageId: "plainHttpRedirected",
      report: {
        data: { ...base, status },
        evidence: [`URL: ${url}`, `HTTP ${status} → ${redirectTarget(location)}`],
        path: "request.url",
        confidence: "certain",
      },
    };
  }
  return {
    messageId: "plainHttp",
    report: {
      data: base,
      evidence: [`URL: ${url}`, ...(status > 0 ? [`HTTP ${status}`] : [])],
      path: "request.url",
      confidence: "certain",
    },
  };
}

const rule: Rule = {
  id: "insecure-transport",
  severity: "error",
  tags: ["transport", "tokens", "cookies"],
  title: "Okta called over plain HTTP",
  explanation:
    "Everything an Okta call carries is a credential or leads to one: API tokens and access tokens in the Authorization header, the " +
    "session cookie, client secrets, passwords, one-time sessionTokens, and the tokens and cookies Okta sends back. Over plain HTTP " +
    "anyone on the network path (shared Wi-Fi, a proxy, a compromised router) can read them and sign in or call the API as the user or " +
    "the app, and can change the answers on the way. Okta orgs are meant to be reached only over HTTPS; an `http://` org URL in a " +
    "configuration is a mistake even when a redirect or the browser's HSTS upgrade happens to save the request.",
  fix:
    "Use `https://` in the org URL, issuer and every Okta endpoint your code or configuration builds (SDK `orgUrl`, `issuer`, " +
    "environment variables, reverse-proxy upstreams). If a credential did go over plain HTTP, treat it as exposed: revoke the API " +
    "token or client secret, end the session, and have the user change the password.",
  docs: [
    "https://developer.okta.com/docs/reference/core-okta-api/",
    "https://developer.okta.com/docs/guides/create-an-api-token/main/",
  ],
  // A preflight to an http:// org URL is redirected to https, and browsers fail a preflight that redirects.
  explains: ["untrusted-origin"],
  messages: {
    credentialsInClear:
      "{{method}} {{path}} was sent to {{host}} over plain HTTP ({{url}}) with {{credentials}}: anyone on the network path could copy and replay that.",
    plainHttp:
      "{{method}} {{path}} went to the Okta host {{host}} over plain HTTP ({{url}}): the request and Okta's answer crossed the network unencrypted and could be read or changed on the way.",
    plainHttpRedirected:
      "{{method}} {{path}} went to the Okta host {{host}} over plain HTTP ({{url}}); Okta redirected it to HTTPS (HTTP {{status}}), but the request had already crossed the network unencrypted. Fix the http:// URL in the configuration.",
    hstsUpgraded:
      "{{method}} {{url}} was requested with http://: the browser upgraded it to HTTPS itself (HSTS), so nothing left unencrypted, but the page or its configuration still uses an http:// Okta URL that a client without HSTS would send in the clear.",
  },
  check(ctx) {
    const hits = new Map<OktaCall, EndpointHit>();
    for (const call of ctx.calls) {
      const hit = inspect(call);
      if (hit) hits.set(call, hit);
    }
    reportOncePerEndpoint(ctx, hits, "the same over plain HTTP again at");
  },
};

export default rule;
