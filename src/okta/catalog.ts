/**
 * The Okta endpoint catalog: which API a request calls, what authenticates it, which scopes it
 * needs and whether a browser may call it.
 *
 * Data comes from the generated ./data/catalog.ts (the management OpenAPI spec plus curated
 * end-user / OAuth / IDX / MyAccount endpoints). A segment trie is built once at module load;
 * classify() walks it with no regular expressions and no allocation beyond the path split.
 */
import {
  authEndpoints,
  catalogSource,
  managementOperations,
  type AuthEndpointDef,
  type ManagementRow,
  type SpecCode,
} from "./data/catalog.js";
import { isOktaCdnHost } from "./hosts.js";

export type EndpointKind =
  | "end-user"
  | "management"
  | "oauth"
  | "idx"
  | "myaccount"
  | "discovery"
  | "static"
  | "unknown";

/**
 * What authenticates a call.
 * - `ssws`: `Authorization: SSWS {apiToken}`
 * - `bearer-org-as` / `bearer-custom-as`: an access token from the org authorization server
 *   (issuer `https://{org}`) or from a custom one (`https://{org}/oauth2/{id}`), sent as Bearer or DPoP
 * - `session-cookie`: the browser's Okta session cookie (`sid` Classic, `idx` Identity Engine)
 * - `client-auth`: OAuth client authentication (Basic client secret, secret or JWT assertion in the form)
 * - `one-time-token`: sessionToken, cookieToken, stateToken/stateHandle, interactionHandle, recoveryToken
 * - `none`: anonymous call
 */
export type CredentialType =
  | "ssws"
  | "bearer-org-as"
  | "bearer-custom-as"
  | "session-cookie"
  | "client-auth"
  | "one-time-token"
  | "none";

/** `yes`: fetch/XHR from a page is fine; `no`: server side only; `navigation`: only as a top-level browser navigation. */
export type BrowserUse = "yes" | "no" | "navigation";

export interface Classification {
  kind: EndpointKind;
  /**
   * API family: the spec tag for management operations ("User", "Group", "Application", "Session" …);
   * for the others "authn", "sessions", "users/me", "session-cookie bootstrap", "app SSO",
   * "OAuth (org AS)", "OAuth (custom AS)", "Identity Engine (IDX)", "MyAccount", "registration",
   * "IdP discovery", "discovery", "static", "unknown".
   */
  family: string;
  /** The spec's operationId, or our stable name for endpoints outside it ("authn.primary", "oauth.token", "users.me"). */
  operationId?: string;
  /** The matched template, e.g. "/api/v1/users/{id}" (a trailing "/**" covers everything below). */
  pathTemplate?: string;
  /**
   * What authenticates this call. Empty when the endpoint is not known well enough to say
   * (unknown paths, unlisted OAuth sub-endpoints): rules must not judge credentials then.
   */
  accepts: readonly CredentialType[];
  /** okta.* scopes the spec lists for OAuth access (any one of them suffices). */
  scopes: readonly string[];
  browser: BrowserUse;
  /**
   * When `browser` is "no": credentials with which a browser call is still legitimate. Management
   * operations accept an org-AS access token cross-origin (no Trusted Origin needed), so a
   * browser call is only a problem with an SSWS token.
   */
  browserCredentials?: readonly CredentialType[];
  /** For /oauth2/... and AS discovery paths. `id` is the custom AS id as it appears in the URL ("default", "aus…"). */
  authorizationServer?: { type: "org" | "custom"; id?: string };
  summary?: string;
  deprecated?: boolean;
  /** Spec lifecycle: GA, EA, LIMITED_GA, PRODUCT_DEV (management operations). */
  lifecycle?: string;
  /**
   * Set when the path matched but not the method (including OPTIONS preflights): the methods the
   * catalog knows for this path. `operationId` is absent then; kind/family/accepts are the path's.
   */
  allowedMethods?: readonly string[];
}

/** A catalogued operation, as returned by operationById(). */
export interface CatalogOperation {
  method: string;
  pathTemplate: string;
  operationId: string;
  classification: Classification;
  source: "management" | "auth";
  /** Management operations: spec file, admin roles and permissions the spec lists. */
  spec?: SpecCode;
  tag?: string;
  adminRoles?: readonly string[];
  permissions?: readonly string[];
  /** Auth endpoints: data row of auth-endpoints.tsv. */
  authRow?: number;
}

// -----------------------------------------------------------------------------------------------
// Classifications of catalogued operations

const ORG_AS = Object.freeze({ type: "org" as const });
const EMPTY: readonly never[] = Object.freeze([]);
const BEARER_ONLY: readonly CredentialType[] = Object.freeze(["bearer-org-as"]);

function freezeList<T>(list: readonly T[]): readonly T[] {
  return list.length === 0 ? EMPTY : Object.freeze([...list]);
}

function words(s: string): readonly string[] {
  return s === "" ? EMPTY : Object.freeze(s.split(" "));
}

function clean(c: Classification): Classification {
  for (const k of Object.keys(c) as (keyof Classification)[]) if (c[k] === undefined) delete c[k];
  return Object.freeze(c);
}

/**
 * Kind, credentials and browser use of a management-spec operation, from its security schemes.
 *
 * - `apiToken` / `oauth2` → management; SSWS and/or an org-AS bearer token; server side (a browser
 *   may still use an org-AS bearer token, see browserCredentials).
 * - `sid` (two dev-spec Admin Console operations under /admin/) → management with the admin
 *   session cookie, called by the Admin Console page itself.
 * - no security (`security: []`):
 *   - `/.well-known/*` → discovery: public documents (app-site association, WebAuthn related
 *     origins, org metadata, SSF metadata) fetched anonymously by anyone, browsers included.
 *   - `/api/v1/sessions/me*` → end-user: the browser's own session, cookie only (auth-endpoints.tsv
 *     overlays these with the same answer).
 *   - `/idp/dbsc/*` → end-user: Device Bound Session Credentials, sent by the browser itself to
 *     register and refresh a device-bound session cookie.
 *   - `/security/api/v1/security-events` → management: an SSF transmitter (a security vendor's
 *     server) pushes signed Security Event Tokens; the signed JWT in the body is what authenticates
 *     it, so no Authorization header is expected ("none"), and it is server to server.
 *   - anything else unsecured that a future spec adds → management, anonymous, server side, so
 *     that it is at least not reported as unknown.
 */
function managementClassification(row: ManagementRow): Classification {
  const [, path, operationId, tag, security, scopes, , , lifecycle, deprecated, , summary] = row;
  const schemes = security.split(" ");
  let kind: EndpointKind = "management";
  let accepts: CredentialType[] = [];
  let browser: BrowserUse = "no";
  let browserCredentials: readonly CredentialType[] | undefined;
  if (schemes.includes("apiToken")) accepts.push("ssws");
  if (schemes.includes("oauth2")) {
    accepts.push("bearer-org-as");
    browserCredentials = BEARER_ONLY;
  }
  if (schemes.includes("sid")) {
    accepts.push("session-cookie");
    browser = "yes";
  }
  if (accepts.length === 0) {
    if (path.startsWith("/.well-known/")) {
      kind = "discovery";
      accepts = ["none"];
      browser = "yes";
    } else if (path === "/api/v1/sessions/me" || path.startsWith("/api/v1/sessions/me/") || path.startsWith("/idp/dbsc/")) {
      kind = "end-user";
      accepts = ["session-cookie"];
      browser = "yes";
    } else {
      accepts = ["none"];
    }
  }
  return clean({
    kind,
    family: tag,
    operationId,
    pathTemplate: path,
    accepts: freezeList(accepts),
    scopes: words(scopes),
    browser,
    browserCredentials,
    summary,
    deprecated: deprecated === 1 ? true : undefined,
    lifecycle: lifecycle || undefined,
  });
}

/** An auth-endpoints.tsv entry; overlays keep the spec's scopes, summary and lifecycle when they add none. */
function authClassification(def: AuthEndpointDef, base: Classification | undefined): Classification {
  return clean({
    kind: def.kind,
    family: def.family,
    operationId: def.operationId,
    pathTemplate: def.path,
    accepts: freezeList(def.accepts),
    scopes: def.scopes ? freezeList(def.scopes) : (base?.scopes ?? EMPTY),
    browser: def.browser,
    authorizationServer: def.as === "org" ? ORG_AS : undefined,
    summary: def.summary,
    deprecated: def.deprecated || base?.deprecated || undefined,
    lifecycle: base?.lifecycle,
  });
}

/**
 * Structural fallbacks (not operations): what a path under a known prefix is, when the exact
 * endpoint is not catalogued. No operationId; empty `accepts` where the credential depends on the
 * endpoint.
 */
const FALLBACKS: readonly { path: string; c: Classification }[] = [
  {
    path: "/api/v1/authn/**",
    c: { kind: "end-user", family: "authn", accepts: ["one-time-token", "ssws"], scopes: EMPTY, browser: "yes", summary: "Classic authn transaction step" },
  },
  {
    path: "/.well-known/**",
    c: { kind: "discovery", family: "discovery", accepts: ["none"], scopes: EMPTY, browser: "yes", summary: "Well-known public document" },
  },
  {
    path: "/oauth2/{authorizationServerId}/.well-known/**",
    c: { kind: "discovery", family: "discovery", accepts: ["none"], scopes: EMPTY, browser: "yes", summary: "Well-known document of a custom AS" },
  },
  {
    path: "/oauth2/v1/**",
    c: { kind: "oauth", family: "OAuth (org AS)", accepts: EMPTY, scopes: EMPTY, browser: "yes", authorizationServer: ORG_AS, summary: "Org authorization server endpoint" },
  },
  {
    path: "/oauth2/{authorizationServerId}/v1/**",
    c: { kind: "oauth", family: "OAuth (custom AS)", accepts: EMPTY, scopes: EMPTY, browser: "yes", summary: "Custom authorization server endpoint" },
  },
];

// -----------------------------------------------------------------------------------------------
// The trie

interface Route {
  c: Classification;
  /** Segment index of `{authorizationServerId}` for custom-AS routes, else -1. */
  asIndex: number;
}

interface Node {
  lit: Map<string, Node> | undefined;
  param: Node | undefined;
  /** Routes ending here, by method ("*" = any). */
  ops: Map<string, Route> | undefined;
  /** Routes for `/**` below this node (zero or more further segments), by method. */
  rest: Map<string, Route> | undefined;
  /** A segment value the parameter child must not take ("v1" is never a custom AS id). */
  paramNot?: string;
  /** Path-only answers (method not catalogued), built lazily. */
  opsAny?: Route;
  restAny?: Route;
}

const newNode = (): Node => ({ lit: undefined, param: undefined, ops: undefined, rest: undefined });
const root = newNode();

function templateSegments(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

function addRoute(path: string, methods: readonly string[], route: Route, override: boolean): void {
  const segs = templateSegments(path);
  let node = root;
  let wildcard = false;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (s === "**") {
      if (i !== segs.length - 1) throw new Error(`catalog: ** must end a template (${path})`);
      wildcard = true;
      break;
    }
    if (s.startsWith("{") && s.endsWith("}")) {
      node = node.param ??= newNode();
    } else {
      node.lit ??= new Map();
      let next = node.lit.get(s);
      if (!next) node.lit.set(s, (next = newNode()));
      node = next;
    }
  }
  const map = wildcard ? (node.rest ??= new Map()) : (node.ops ??= new Map());
  for (const m of methods) {
    if (map.has(m) && !override) throw new Error(`catalog: ${m} ${path} defined twice`);
    map.set(m, route);
  }
}

function asIndexOf(path: string): number {
  return templateSegments(path).indexOf("{authorizationServerId}");
}

const byId = new Map<string, CatalogOperation>();
const kindCounts: Record<EndpointKind, number> = {
  "end-user": 0,
  management: 0,
  oauth: 0,
  idx: 0,
  myaccount: 0,
  discovery: 0,
  static: 0,
  unknown: 0,
};
const managementByRoute = new Map<string, Classification>();

for (const row of managementOperations) {
  const c = managementClassification(row);
  const [method, path, operationId, tag, , , adminRoles, permissions, , , spec] = row;
  managementByRoute.set(`${method} ${path}`, c);
  addRoute(path, [method], { c, asIndex: -1 }, false);
  byId.set(operationId, {
    method,
    pathTemplate: path,
    operationId,
    classification: c,
    source: "management",
    spec,
    tag,
    adminRoles: freezeList(adminRoles ? adminRoles.split(" ") : []),
    permissions: freezeList(permissions ? permissions.split(" ") : []),
  });
}
for (const def of authEndpoints) {
  for (const method of def.methods) {
    const base = def.overlay ? managementByRoute.get(`${method} ${def.path}`) : undefined;
    const c = authClassification(def, base);
    addRoute(def.path, [method], { c, asIndex: def.as === "custom" ? asIndexOf(def.path) : -1 }, def.overlay === true);
    const existing = byId.get(def.operationId);
    const op: CatalogOperation = { method, pathTemplate: def.path, operationId: def.operationId, classification: c, source: "auth", authRow: def.row };
    // Overlays replace the management entry's classification; OAuth endpoints keep the org-AS variant (listed first).
    if (!existing || def.overlay) byId.set(def.operationId, existing ? { ...existing, classification: c } : op);
  }
}
for (const f of FALLBACKS) {
  const c = clean({ ...f.c, accepts: freezeList(f.c.accepts), pathTemplate: f.path });
  addRoute(f.path, ["*"], { c, asIndex: asIndexOf(f.path) }, false);
}
for (const op of byId.values()) kindCounts[op.classification.kind]++;
// `/oauth2/v1/...` is the org AS; never read its "v1" as a custom AS id (so that
// `/oauth2/v1/.well-known/openid-configuration` is not "the discovery document of AS v1").
root.lit!.get("oauth2")!.paramNot = "v1";

// -----------------------------------------------------------------------------------------------
// Matching

const UNKNOWN: Classification = Object.freeze({ kind: "unknown", family: "unknown", accepts: EMPTY, scopes: EMPTY, browser: "yes" });
const STATIC: Classification = Object.freeze({ kind: "static", family: "static", accepts: Object.freeze(["none"]) as readonly CredentialType[], scopes: EMPTY, browser: "yes" });

function pick(map: Map<string, Route>, method: string): Route | undefined {
  return map.get(method) ?? (method === "HEAD" ? map.get("GET") : undefined) ?? map.get("*");
}

/** The answer for a path whose method is not catalogued: the path's first route, minus the operation. */
function anyMethod(map: Map<string, Route>): Route {
  const first = map.values().next().value as Route;
  const methods = Object.freeze([...map.keys()].sort());
  const c = { ...first.c, allowedMethods: methods };
  delete c.operationId;
  if (c.summary !== undefined && map.size > 1) delete c.summary;
  return { c: Object.freeze(c), asIndex: first.asIndex };
}

// Match state (classify is synchronous and not re-entrant).
let mSegs: string[] = [];
let mMethod = "";
let candPath: Route | undefined;
let candWild: Route | undefined;
let candWildAny: Route | undefined;

function noteRest(node: Node): void {
  const rest = node.rest!;
  if (!candWild) {
    const r = pick(rest, mMethod);
    if (r) candWild = r;
    else candWildAny ??= node.restAny ??= anyMethod(rest);
  }
}

/** Depth-first, literal before parameter before wildcard; returns an exact method match. */
function walk(node: Node, i: number): Route | undefined {
  if (i === mSegs.length) {
    if (node.ops) {
      const r = pick(node.ops, mMethod);
      if (r) return r;
      candPath ??= node.opsAny ??= anyMethod(node.ops);
    }
    if (node.rest) noteRest(node);
    return undefined;
  }
  const seg = mSegs[i]!;
  if (node.lit) {
    const next = node.lit.get(seg);
    if (next) {
      const r = walk(next, i + 1);
      if (r) return r;
    }
  }
  if (node.param && seg !== node.paramNot) {
    const r = walk(node.param, i + 1);
    if (r) return r;
  }
  if (node.rest) noteRest(node);
  return undefined;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Splits a path into non-empty, percent-decoded segments (trailing and doubled slashes vanish). */
function splitPath(path: string, end: number, start: number): string[] {
  const out: string[] = [];
  let from = start;
  for (let i = start; i <= end; i++) {
    if (i === end || path.charCodeAt(i) === 47 /* / */) {
      if (i > from) {
        const s = path.slice(from, i);
        out.push(s.indexOf("%") >= 0 ? decodeSegment(s) : s);
      }
      from = i + 1;
    }
  }
  return out;
}

const STATIC_EXT = new Set([
  "js",
  "mjs",
  "css",
  "map",
  "png",
  "jpg",
  "jpeg",
  "gif",
  "svg",
  "ico",
  "webp",
  "avif",
  "bmp",
  "woff",
  "woff2",
  "ttf",
  "otf",
  "eot",
]);

function isStaticPath(segs: readonly string[]): boolean {
  if (segs.length === 0) return false;
  if (segs[0] === "assets") return true;
  const last = segs[segs.length - 1]!;
  const dot = last.lastIndexOf(".");
  return dot > 0 && STATIC_EXT.has(last.slice(dot + 1).toLowerCase());
}

function withAs(route: Route): Classification {
  if (route.asIndex < 0) return route.c;
  const id = mSegs[route.asIndex];
  return { ...route.c, authorizationServer: { type: "custom", id } };
}

/**
 * Classifies one request by method and URL (a path, a full URL string or a URL object).
 *
 * Query string, fragment, trailing slashes and percent-encoding are ignored; literal segments
 * match case-sensitively and win over parameters (`/api/v1/users/me` is not `/api/v1/users/{id}`).
 * HEAD falls back to GET. A path that matches with another method (or an OPTIONS preflight) keeps
 * the path's kind and lists `allowedMethods`. Host names are not checked here (see oktaHostInfo),
 * except that anything on Okta's CDN is `static`.
 *
 * The returned object is shared and frozen: do not mutate it.
 */
export function classify(method: string, url: string | URL): Classification {
  let path: string;
  let start = 0;
  let end: number;
  if (typeof url === "string") {
    path = url;
    end = path.length;
    const q = path.indexOf("?");
    if (q >= 0) end = q;
    const h = path.indexOf("#");
    if (h >= 0 && h < end) end = h;
    if (path.charCodeAt(0) !== 47) {
      const scheme = path.indexOf("://");
      if (scheme >= 0 && scheme < end) {
        const hostStart = scheme + 3;
        let slash = path.indexOf("/", hostStart);
        if (slash < 0 || slash > end) slash = end;
        const host = path.slice(hostStart, slash);
        if (host.includes("oktacdn.com") && isOktaCdnHost(host)) return STATIC;
        start = slash;
      }
    }
  } else {
    if (url.hostname.endsWith("oktacdn.com") && isOktaCdnHost(url.hostname)) return STATIC;
    path = url.pathname;
    end = path.length;
  }
  const segs = splitPath(path, end, start);
  mSegs = segs;
  mMethod = method.toUpperCase();
  candPath = candWild = candWildAny = undefined;
  const exact = walk(root, 0);
  const route = exact ?? candPath ?? candWild ?? candWildAny;
  const result = route ? withAs(route) : isStaticPath(segs) ? STATIC : UNKNOWN;
  mSegs = [];
  candPath = candWild = candWildAny = undefined;
  return result;
}

/** A catalogued operation by its operationId (management spec ids, or ours such as "oauth.token", which gives the org-AS variant). */
export function operationById(id: string): CatalogOperation | undefined {
  return byId.get(id);
}

/** Where the catalog comes from and what it holds. */
export const catalogInfo = Object.freeze({
  specVersion: catalogSource.specVersion,
  repository: catalogSource.repository,
  commit: catalogSource.commit,
  specs: catalogSource.specs,
  managementOperations: managementOperations.length,
  authEndpoints: authEndpoints.length,
  /** Distinct operationIds per kind. */
  operationsByKind: Object.freeze({ ...kindCounts }),
});

