import type { HeaderList } from "../model/headers.js";

/** The Okta cell domain a host belongs to, or `custom` for a customer's own (custom URL) domain. */
export type OktaSuffix = "okta.com" | "oktapreview.com" | "okta-emea.com" | "okta-gov.com" | "okta.mil" | "custom";

export interface OktaHost {
  /** The normalized host: lower case, no port, no trailing dot. */
  host: string;
  /** The org's subdomain without `-admin` (`acme` for `acme-admin.okta.com`); "" for a custom domain. */
  org: string;
  /** True for the Admin Console host `{org}-admin.{suffix}`. */
  admin: boolean;
  suffix: OktaSuffix;
  /** True when the host matched one of the configured custom domains. */
  custom: boolean;
}

const SUFFIXES: readonly Exclude<OktaSuffix, "custom">[] = [
  "okta.com",
  "oktapreview.com",
  "okta-emea.com",
  "okta-gov.com",
  "okta.mil",
];

/**
 * Subdomains that are Okta's own sites and services (marketing, docs, support, status, the org
 * finder at login.okta.com …), never a customer org. Calls to them are not org traffic, so
 * treating them as an org would only produce misleading findings.
 */
const NOT_AN_ORG = new Set([
  "www",
  "developer",
  "developers",
  "support",
  "help",
  "login",
  "status",
  "trust",
  "devforum",
  "community",
  "events",
  "pages",
  "learning",
  "partners",
  "investor",
  "investors",
  "blog",
  "docs",
]);

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Lower-cases a host and drops what is not part of the name: a scheme and path when a whole URL
 * was given, user info, a port, IPv6 brackets, trailing dots.
 */
export function normalizeHost(input: string): string {
  let h = input.trim();
  const scheme = h.indexOf("://");
  if (scheme >= 0) h = h.slice(scheme + 3);
  let end = h.length;
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) {
      end = i;
      break;
    }
  }
  if (end !== h.length) h = h.slice(0, end);
  const at = h.lastIndexOf("@");
  if (at >= 0) h = h.slice(at + 1);
  if (h.startsWith("[")) {
    const close = h.indexOf("]");
    h = close > 0 ? h.slice(1, close) : h.slice(1);
  } else {
    const colon = h.indexOf(":");
    if (colon >= 0) h = h.slice(0, colon);
  }
  while (h.endsWith(".")) h = h.slice(0, -1);
  return h.toLowerCase();
}

/** Normalized custom-domain patterns, cached per array so a config list is prepared once. */
const patternCache = new WeakMap<readonly string[], { exact: Set<string>; wildcard: string[] }>();

function customPatterns(list: readonly string[]): { exact: Set<string>; wildcard: string[] } {
  let p = patternCache.get(list);
  if (!p) {
    p = { exact: new Set(), wildcard: [] };
    for (const raw of list) {
      const t = raw.trim();
      if (t.startsWith("*.")) {
        const base = normalizeHost(t.slice(2));
        if (base) p.wildcard.push("." + base);
      } else {
        const h = normalizeHost(t);
        if (h) p.exact.add(h);
      }
    }
    patternCache.set(list, p);
  }
  return p;
}

/**
 * Tells whether `host` is an Okta org host and which one.
 *
 * Recognised: `{org}.okta.com`, `{org}.oktapreview.com`, `{org}.okta-emea.com`,
 * `{org}.okta-gov.com`, `{org}.okta.mil` and their Admin Console hosts `{org}-admin.…`; a host in
 * `customDomains` (exact, or `*.example.com` for any subdomain of example.com, not example.com
 * itself). Not recognised: the bare suffixes, Okta's own sites (`www.okta.com`,
 * `developer.okta.com`, `login.okta.com` …), deeper names (`a.b.okta.com`), the static CDN
 * (see isOktaCdnHost) and look-alikes (`okta.com.evil.io`, `notokta.com`).
 *
 * Case-insensitive; a port, a trailing dot, or a whole URL are accepted.
 */
export function oktaHostInfo(host: string, customDomains?: readonly string[]): OktaHost | null {
  const h = normalizeHost(host);
  if (!h) return null;
  for (const suffix of SUFFIXES) {
    if (h.length <= suffix.length + 1 || !h.endsWith(suffix) || h.charCodeAt(h.length - suffix.length - 1) !== 46) {
      continue;
    }
    const label = h.slice(0, h.length - suffix.length - 1);
    if (!LABEL.test(label)) return null; // contains a dot (deeper name) or is not a valid label
    const admin = label.endsWith("-admin") && label.length > 6;
    const org = admin ? label.slice(0, -6) : label;
    if (!LABEL.test(org) || NOT_AN_ORG.has(org)) return null;
    return { host: h, org, admin, suffix, custom: false };
  }
  if (customDomains && customDomains.length > 0) {
    const p = customPatterns(customDomains);
    let hit = p.exact.has(h);
    if (!hit) for (const w of p.wildcard) if (h.endsWith(w) && h.length > w.length) hit = true;
    if (hit) return { host: h, org: "", admin: false, suffix: "custom", custom: true };
  }
  return null;
}

/** True for Okta's static content CDN (`ok12static.oktacdn.com`, `global.oktacdn.com` …). */
export function isOktaCdnHost(host: string): boolean {
  const h = normalizeHost(host);
  return h === "oktacdn.com" || (h.endsWith(".oktacdn.com") && !h.startsWith("."));
}

/**
 * True when a response carries Okta's own headers, which is how Okta behind an unconfigured
 * custom domain (or a capture of an unknown host) is still recognised.
 *
 * - `X-Okta-Request-Id` (non-empty): Okta documents it on every API response; nothing else sends it.
 * - `P3P: CP="HONK"`: the P3P policy Okta's servers have long sent with their responses (seen in
 *   recorded Okta responses, e.g. okta-auth-js test fixtures). Used as a fallback for captures
 *   where the request id was stripped.
 *
 * Deliberately not used: the `X-Rate-Limit-*` headers (the same names are used by other APIs),
 * Okta cookie names such as `sid`/`JSESSIONID`/`DT` (generic), and a CSP mentioning
 * `oktacdn.com` (customer sites that embed the sign-in widget send that too).
 */
export function looksLikeOktaResponse(headers: HeaderList): boolean {
  for (const { name, value } of headers) {
    const n = name.toLowerCase();
    if (n === "x-okta-request-id" && value.trim() !== "") return true;
    if (n === "p3p" && /CP\s*=\s*"?HONK"?/i.test(value)) return true;
  }
  return false;
}
