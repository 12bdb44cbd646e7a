import type { OktaCall } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { errorOf, headerPath, pathOf } from "./util.js";
import { displayPath, reportOncePerEndpoint, responseMediaType, type EndpointHit } from "./util-org.js";

/** `/oauth2/{as}/api/v1/…`, `/oauth2/{as}/idp/myaccount…`, `/oauth2/{as}/idp/idx/…` (and `/oauth2/api/v1/…` from an issuer `https://{org}/oauth2`). */
const UNDER_AS = /^(\/oauth2(?:\/[^/]+)?)(\/(?:api\/v1|idp\/myaccount|idp\/idx)(?:\/.*)?)$/;

const API_NAMES: Readonly<Record<string, string>> = {
  "/api/v1": "the management API (/api/v1)",
  "/idp/myaccount": "the MyAccount API (/idp/myaccount)",
  "/idp/idx": "the Identity Engine API (/idp/idx)",
};

/** Paths that are JSON APIs, so an HTML answer means the request never reached them. */
function isJsonApiPath(path: string): boolean {
  return path.startsWith("/api/v1/") || path === "/api/v1" || path.startsWith("/idp/myaccount");
}

/** API calls that must go to the org host, not the Admin Console host. */
function isApiPath(path: string): boolean {
  return path.startsWith("/api/v1/") || path.startsWith("/oauth2/") || path.startsWith("/idp/idx/") || path.startsWith("/idp/myaccount");
}

function hostOfUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The Admin Console calls the API on its own host with the admin's session:
 * that traffic (a browser request from a page on the same host, or a page
 * navigation) is Okta's own and not a misconfigured base URL.
 */
function isAdminConsoleOwnTraffic(call: OktaCall): boolean {
  const ex = call.exchange;
  if (ex.sender.kind !== "browser") return false;
  const h = ex.request.headers;
  if (h.get("sec-fetch-mode") === "navigate") return true;
  const from = hostOfUrl(h.get("origin")) ?? hostOfUrl(h.get("referer"));
  if (from !== undefined) return from === call.host.host;
  return h.get("sec-fetch-site") === "same-origin";
}

const TITLE_RE = /<title[^>]*>([^<]{1,200})<\/title>/i;

function pageTitle(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = TITLE_RE.exec(text.slice(0, 16 * 1024));
  const t = m?.[1]?.replace(/\s+/g, " ").trim();
  if (!t) return undefined;
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
}

/** Does the HTML look like a sign-in page (Okta's or an access proxy's)? */
function looksLikeSignIn(text: string | undefined, title: string | undefined, location: string | undefined): boolean {
  if (title && /sign[\s-]?in|log[\s-]?in|login/i.test(title)) return true;
  if (location && /\/(?:login|signin|sign-in|oauth2\/[^/]+\/v1\/authorize|oauth2\/v1\/authorize|saml|sso)\b/i.test(location)) return true;
  if (!text) return false;
  const head = text.slice(0, 64 * 1024);
  return /okta-sign-in|OktaSignIn|type=["']?password/i.test(head);
}

function underAuthServer(call: OktaCall): EndpointHit | undefined {
  const path = pathOf(call);
  const m = UNDER_AS.exec(path);
  if (!m) return undefined;
  const prefix = m[1]!;
  const rest = m[2]!;
  const api = Object.keys(API_NAMES).find((k) => rest.startsWith(k)) ?? "/api/v1";
  const origin = call.exchange.request.url?.origin ?? `https://${call.host.host}`;
  const restDisplay = displayPath(call).slice(prefix.length);
  const status = call.exchange.response.status;
  return {
    messageId: "apiUnderAuthServer",
    report: {
      data: {
        method: call.exchange.request.method,
        path: displayPath(call),
        api: API_NAMES[api]!,
        prefix,
        correct: `${origin}${restDisplay}`,
        status: status === 0 ? "no response" : `HTTP ${status}`,
      },
      evidence: [`URL path: ${displayPath(call)}`, `authorization server prefix: ${prefix}`, ...statusEvidence(call)],
      path: "request.url",
      confidence: "certain",
    },
  };
}

function statusEvidence(call: OktaCall): string[] {
  const status = call.exchange.response.status;
  if (status === 0) return [];
  const code = errorOf(call)?.code;
  return [`HTTP ${status}${code ? ` ${code}` : ""}`];
}

function adminHost(call: OktaCall): EndpointHit | undefined {
  if (!call.host.admin || !isApiPath(pathOf(call)) || isAdminConsoleOwnTraffic(call)) return undefined;
  const orgHost = call.host.host.replace(/-admin\./, ".");
  const status = call.exchange.response.status;
  const code = errorOf(call)?.code;
  // The message follows the outcome: a call that succeeded there did not fail because of the host,
  // and a 403 E0000006 is a permissions problem (missing-admin-role) before it is a host problem.
  // An OAuth error sent back in the redirect is a refusal, and the outcome to name, not the 302 that carried it.
  const oauth = errorOf(call)?.oauth;
  const inRedirect = oauth && (oauth.where === "query" || oauth.where === "fragment") ? oauth.error : undefined;
  const answered = status >= 200 && status < 400 && !inRedirect;
  const forbidden = status === 403 && code === "E0000006";
  return {
    messageId: answered ? "adminHostAnswered" : forbidden ? "adminHostForbidden" : "adminHost",
    report: {
      data: {
        method: call.exchange.request.method,
        path: displayPath(call),
        host: call.host.host,
        orgHost,
        status: status === 0 ? "no response" : inRedirect ? `${inRedirect} in the redirect` : `HTTP ${status}${code ? ` ${code}` : ""}`,
      },
      evidence: [`Host: ${call.host.host}`, ...statusEvidence(call)],
      path: "request.url",
      confidence: "certain",
      ...(answered ? { severity: "warning" as const } : forbidden ? { severity: "info" as const } : {}),
    },
  };
}

function htmlAnswer(call: OktaCall): EndpointHit | undefined {
  const path = pathOf(call);
  if (!isJsonApiPath(path)) return undefined;
  const ex = call.exchange;
  const status = ex.response.status;
  if (status === 0 || status === 204 || status === 304 || ex.request.method === "OPTIONS") return undefined;
  const type = responseMediaType(call);
  const location = ex.response.redirectURL || ex.response.headers.get("location") || undefined;
  const redirect = status >= 300 && status < 400;
  if (redirect) {
    // A redirect's HTML body means nothing; only a redirect to a sign-in page shows the call hit a web front end.
    if (!location || !looksLikeSignIn(undefined, undefined, location)) return undefined;
  } else if (type !== "text/html" && type !== "application/xhtml+xml") {
    return undefined;
  }
  const text = redirect ? undefined : ex.response.body?.text;
  const start = text?.trimStart()[0];
  if (start === "{" || start === "[") return undefined; // JSON mislabelled as HTML: it did reach the API
  const title = pageTitle(text);
  const signIn = looksLikeSignIn(text, title, location);
  const evidence = [...(type ? [`Content-Type: ${ex.response.headers.get("content-type") ?? type}`] : []), `HTTP ${status}`];
  if (title) evidence.push(`<title>${title}</title>`);
  if (location) evidence.push(`Location: ${location.length > 120 ? `${location.slice(0, 119)}…` : location}`);
  const ctPath = redirect ? headerPath(ex, "response", "location") : headerPath(ex, "response", "content-type");
  return {
    messageId: signIn ? "htmlSignIn" : "htmlAnswer",
    report: {
      data: {
        method: ex.request.method,
        path: displayPath(call),
        host: call.host.host,
        status,
        page: redirect ? "a redirect to a sign-in page" : title ? `a page titled “${title}”` : "an HTML page",
      },
      evidence,
      path: ctPath ?? "response.content",
      confidence: "likely",
    },
  };
}

const rule: Rule = {
  id: "wrong-base-url",
  severity: "error",
  tags: ["configuration", "management"],
  title: "Okta API called at the wrong base URL",
  explanation:
    "Okta serves its APIs at the root of the org URL: `https://{yourOrg}.okta.com/api/v1/…`, `/idp/myaccount/…` and `/idp/idx/…`. " +
    "An authorization server's issuer (`https://{yourOrg}.okta.com/oauth2/default`) is not a base URL for them: putting `/api/v1` or " +
    "`/idp/myaccount` under `/oauth2/{authServerId}` reaches nothing. The Admin Console host (`{yourOrg}-admin.okta.com`) is a web " +
    "application, not the API: API tokens and OAuth calls sent there fail. And when an /api/v1 call comes back as an HTML page, the " +
    "request never reached the API: it hit a sign-in page, a web server or a proxy in front of the real org.",
  fix:
    "Configure the org URL (`https://{yourOrg}.okta.com`, or your custom domain) as the base URL of API clients and SDKs, and keep the " +
    "issuer (`…/oauth2/default`) only for OAuth settings. Replace `{yourOrg}-admin.okta.com` by `{yourOrg}.okta.com`. If an /api/v1 " +
    "call returns HTML, check the host and any proxy or gateway between the client and Okta.",
  docs: [
    "https://developer.okta.com/docs/reference/core-okta-api/",
    "https://developer.okta.com/docs/concepts/auth-servers/",
    "https://developer.okta.com/docs/guides/configure-user-scoped-account-management/main/",
  ],
  // The -admin host rejects a token, or a client assertion signed for the org host, that would work on the org's own host.
  explains: ["api-token-rejected", "client-assertion-audience"],
  messages: {
    apiUnderAuthServer:
      "{{method}} {{path}} puts {{api}} under the authorization server path {{prefix}} ({{status}}): Okta serves it at the org root, {{correct}}. The base URL was built from an issuer URL instead of the org URL.",
    adminHost:
      "{{method}} {{path}} went to {{host}}, the Admin Console host, and failed there ({{status}}): the API's base URL is the org host; send API calls to {{orgHost}}.",
    adminHostAnswered:
      "{{method}} {{path}} went to {{host}}, the Admin Console host. It answered ({{status}}), but the API's base URL is the org host {{orgHost}}: tokens, issuers and rate limits belong to the org host, and clients configured with the -admin host break where they differ. Send API calls to {{orgHost}}.",
    adminHostForbidden:
      "{{method}} {{path}} went to {{host}}, the Admin Console host, where Okta authenticated the caller and refused the action ({{status}}): that is a permissions problem, not the host's. Still, send API calls to the org host {{orgHost}}.",
    htmlSignIn:
      "{{method}} {{path}} on {{host}} was answered with {{page}} (HTTP {{status}}) instead of JSON: it ended at a sign-in page, not the Okta API. The base URL points at a web page, or a proxy in front of Okta wants a browser sign-in.",
    htmlAnswer:
      "{{method}} {{path}} on {{host}} was answered with {{page}} (HTTP {{status}}) instead of JSON: the request did not reach the Okta API. Check the host and any proxy in front of Okta.",
  },
  check(ctx) {
    const hits = new Map<OktaCall, EndpointHit>();
    for (const call of ctx.calls) {
      const hit = underAuthServer(call) ?? adminHost(call) ?? htmlAnswer(call);
      if (hit) hits.set(call, hit);
    }
    // One finding per misconfigured endpoint: a loop of identical calls is one problem.
    reportOncePerEndpoint(ctx, hits, "the same call again at");
  },
};

export default rule;
