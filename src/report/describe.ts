import type { Classification, CredentialType } from "../okta/catalog.js";
import type { Capture, CredentialSummary, ForeignCall, OktaCall } from "../engine/capture.js";
import { jwtIssuerInfo, jwtKind } from "../okta/credentials.js";
import { maskSecret, maskUrl } from "../okta/mask.js";

/** Plain-words names of the credentials Okta accepts. */
export const CREDENTIAL_NAMES: Record<CredentialType, string> = {
  ssws: "SSWS API token",
  "bearer-org-as": "Bearer org-AS token",
  "bearer-custom-as": "Bearer token of the custom AS",
  "session-cookie": "Okta session cookie",
  "client-auth": "client authentication",
  "one-time-token": "one-time token",
  none: "no credential",
};

const BROWSER_WORDS: Record<Classification["browser"], string> = {
  yes: "browser or server",
  no: "server side only",
  navigation: "browser navigation only",
};

/** `SSWS API token or Bearer org-AS token with okta.users.read` */
export function describeAccepts(c: Classification): string {
  const names = c.accepts.map((a) => CREDENTIAL_NAMES[a]);
  let text = names.length === 0 ? "no credential" : names.join(" or ");
  if (c.scopes.length > 0 && c.accepts.includes("bearer-org-as")) text += ` with ${c.scopes.join(" or ")}`;
  return text;
}

export function describeBrowser(c: Classification): string {
  return BROWSER_WORDS[c.browser];
}

/** `Users · getUser` or `OAuth (custom AS default) · oauth.token` */
export function describeApi(c: Classification): string {
  let family = c.family;
  if (c.authorizationServer?.type === "custom" && c.authorizationServer.id && !family.includes(c.authorizationServer.id)) {
    family += ` ${c.authorizationServer.id}`;
  }
  return c.operationId ? `${family} · ${c.operationId}` : family;
}

/** One line for `oktalint classify`: kind · API · operation · credentials · browser use. */
export function describeClassification(c: Classification): string {
  const parts: string[] = [c.kind, c.family];
  if (c.operationId) parts.push(c.operationId);
  if (c.kind !== "unknown") {
    parts.push(describeAccepts(c));
    parts.push(describeBrowser(c));
  }
  return parts.join(" · ");
}

/** The credential a request carried, masked: `SSWS 00Ab…X9z (42 chars)`, `Bearer JWT access (custom AS default)`, `cookie sid`, `none`. */
export function describeCredential(cred: CredentialSummary): string {
  const parts: string[] = [];
  const auth = cred.authorization;
  if (auth) {
    const scheme = auth.scheme || "(no scheme)";
    if (auth.jwt) {
      const kind = jwtKind(auth.jwt.claims, auth.jwt.header);
      const iss = jwtIssuerInfo(auth.jwt.claims);
      const server = iss ? (iss.authorizationServer.type === "org" ? "org AS" : `custom AS ${iss.authorizationServer.id ?? ""}`.trim()) : "";
      parts.push(`${scheme} JWT${kind === "unknown" ? "" : ` ${kind}`}${server ? ` (${server})` : ""}`);
    } else if (auth.tokenKind === "basic-credentials") {
      parts.push(`${scheme} ${auth.basic?.user ? maskSecret(auth.basic.user) : "credentials"}`);
    } else if (auth.token) {
      parts.push(`${scheme} ${maskSecret(auth.token)}`);
    } else {
      parts.push(`${scheme} (empty)`);
    }
  }
  if (cred.sessionCookies.length > 0) parts.push(`cookie ${cred.sessionCookies.join(",")}`);
  return parts.length > 0 ? parts.join(" + ") : "none";
}

/** A URL's path for display, tokens in it masked (`/welcome/<activationToken>`). */
export function pathOf(call: OktaCall): string {
  const url = call.exchange.request.url;
  return maskUrl(url ? url.pathname : call.exchange.request.rawUrl);
}

/** How a capture's producer reads in one line: `Chrome 131 (WebInspector), HAR 1.2`. */
export function describeProducer(capture: Capture): string {
  const p = capture.meta.producer;
  const name = [p.name, p.version].filter(Boolean).join(" ") || "unknown producer";
  const browser = p.browser ? `${p.browser.name} ${p.browser.version}`.trim() : "";
  const { format: kind, version } = capture.meta;
  const format = kind === "har" ? `HAR ${version || "?"}` : kind === "mitmproxy" ? `flow format ${version || "?"}` : `${kind} ${version}`.trim();
  return `${browser ? `${browser} via ${name}` : name}, ${format}`;
}

/** Flow summary kinds of calls beyond Okta's hosts. */
export const FOREIGN_KIND: Record<ForeignCall["role"], string> = { app: "your API", "third-party": "third party" };

/** The Okta token a non-Okta call carried, masked: `Bearer access token eyJr…`, `ID token in query dl`. */
export function describeForeignCredential(fc: ForeignCall): string {
  const t = fc.tokens[0];
  if (!t) return "none";
  const kind = t.kind === "access" ? "access token" : t.kind === "id" ? "ID token" : t.kind === "refresh" ? "refresh token" : "Okta JWT";
  const where = t.position === "header" && t.name === "authorization" ? `${fc.authorization?.scheme || "Authorization"} ${kind}` : `${kind} in ${t.position}${t.name === "body" ? "" : ` ${t.name}`}`;
  return `${where} ${maskSecret(t.value)}`;
}
