import type { CaptureMeta, Exchange, ValidationNote } from "../model/exchange.js";
import { HeaderList, type Header } from "../model/headers.js";
import type { BodyPolicy, CaptureReader } from "../ingest/types.js";
import { InputError } from "../ingest/types.js";
import { classify, type Classification } from "../okta/catalog.js";
import { looksLikeOktaResponse, oktaHostInfo, type OktaHost } from "../okta/hosts.js";
import { parseAuthorization, type AuthorizationInfo } from "../okta/credentials.js";
import { oktaSessionCookies } from "../okta/cookies.js";
import { errorFromExchange } from "../okta/errors.js";
import { MAX_FOREIGN_BODY, TokenIndex, type ForeignCall } from "./tokens.js";

export type { CarriedToken, ForeignCall, HostRole, OktaTokenKind, TokenPosition } from "./tokens.js";

/** What a request presented to Okta, worked out once for every rule and report. */
export interface CredentialSummary {
  /** The parsed Authorization header, when there is one. */
  authorization?: AuthorizationInfo;
  /** Okta session cookies the request carried (`sid`, `idx`). */
  sessionCookies: string[];
}

/** One call to an Okta org, classified. */
export interface OktaCall {
  exchange: Exchange;
  host: OktaHost;
  classification: Classification;
  credential: CredentialSummary;
  /** Okta or OAuth error code of the response (`E0000011`, `invalid_client`), if any. */
  errorCode?: string;
}

/** Counters over every entry, Okta or not, that rules use to judge what the capture can prove. */
export interface CaptureStats {
  entries: number;
  /** Entries with at least one request header (a few producers write none). */
  withHeaders: number;
  withAuthorization: number;
  withCookie: number;
  withSetCookie: number;
  /** Entries whose request was sent by a browser. */
  fromBrowser: number;
  /** Entries whose credential headers carry a sanitizer's redaction marker instead of a value. */
  withRedactionMarkers: number;
}

/** Redaction markers of HAR sanitizers (oktalint's own `redacted:` markers, Google's and Cloudflare's). */
export const REDACTION_MARKER = /\[?(?:redacted|sanitized|removed|filtered)\b|oktalint-redacted/i;

function hasRedactionMarker(ex: Exchange): boolean {
  for (const name of ["authorization", "cookie"]) {
    const v = ex.request.headers.get(name);
    if (v !== undefined && REDACTION_MARKER.test(v)) return true;
  }
  const sc = ex.response.headers.get("set-cookie");
  return sc !== undefined && REDACTION_MARKER.test(sc);
}

/** A capture read, classified and indexed: what rules and reports work on. */
export interface Capture {
  meta: CaptureMeta;
  notes: ValidationNote[];
  stats: CaptureStats;
  /** Okta calls in capture order. */
  calls: OktaCall[];
  /**
   * Calls to hosts that are not Okta's carrying a token Okta issued (the app's
   * own APIs and websockets, third parties), in capture order, each with the
   * tokens it carried and whose host it went to.
   */
  foreign: ForeignCall[];
  /** Hosts the capture shows are the app's (page origins, redirect URIs), with why. */
  appHosts: { host: string; why: string }[];
  /** Hosts recognised as Okta (by name, by `--okta-domain`, or by Okta's response headers). */
  oktaHosts: string[];
  /** The reader's error when the input broke partway: what was read before it is kept. */
  error?: InputError;
  /** Bytes read from the (decompressed) input. */
  bytes: number;
}

export interface CaptureOptions {
  /** Custom domains of Okta orgs (`login.example.com`, `*.id.example.com`). */
  oktaDomains?: readonly string[];
  /** Called with each Okta call as soon as it is read (live linting, progress). */
  onCall?: (call: OktaCall) => void;
  /** Called now and then with the bytes read so far (progress on a big capture). */
  onProgress?: (bytesRead: number) => void;
}

/** Request bodies that may carry a token: forms, JSON, text (beacons). */
const TOKEN_BODY_MIME = /(?:json|x-www-form-urlencoded|text\/plain|multipart\/form-data)/i;

/** Path prefixes that only Okta serves: entries on hosts not (yet) known as Okta are held back while they might prove to be. */
const OKTA_LIKE_PATH = /^\/(?:api\/v1\/|oauth2\/|idp\/|login\/|\.well-known\/(?:openid-configuration|oauth-authorization-server|okta-organization))/;

/**
 * Decides which body texts the reader keeps: only bodies of calls that may be
 * Okta's (by host, by Okta response headers, or by an Okta-only path). Images,
 * scripts and every other site's bodies are dropped as they are read.
 */
export function oktaBodyPolicy(oktaDomains: readonly string[] = []): BodyPolicy {
  return (info) => {
    if (oktaHostInfo(info.host, oktaDomains)) return true;
    // A small textual request body of any call is looked at for an Okta token (a beacon, a form post to the app); it is dropped after unless it carries one.
    if (info.which === "request" && info.size <= MAX_FOREIGN_BODY && TOKEN_BODY_MIME.test(info.mimeType)) return true;
    if (info.responseHeaders.size > 0 && looksLikeOktaResponse(info.responseHeaders)) return true;
    try {
      return OKTA_LIKE_PATH.test(new URL(info.url).pathname);
    } catch {
      return false;
    }
  };
}

/**
 * Shares identical header objects and sender descriptions between the Okta
 * calls a capture keeps: the same User-Agent, Authorization and content-type
 * lines repeat on thousands of calls, and only the calls kept for the rules
 * stay in memory, so this is where memory goes on a big capture. Everything
 * shared is treated as read-only downstream.
 */
class Interner {
  private readonly headers = new Map<string, Header>();
  private readonly senders = new Map<string, Exchange["sender"]>();
  private static readonly MAX = 100_000;

  private header(h: Header): Header {
    if (h.value.length > 4096) return h;
    const key = `${h.name}\n${h.value}`;
    const found = this.headers.get(key);
    if (found) return found;
    if (this.headers.size < Interner.MAX) this.headers.set(key, h);
    return h;
  }

  private list(l: HeaderList): HeaderList {
    if (l.size === 0) return l;
    return new HeaderList(l.list.map((h) => this.header(h)), l.pseudo, l.positions);
  }

  exchange(ex: Exchange): void {
    ex.request.headers = this.list(ex.request.headers);
    ex.response.headers = this.list(ex.response.headers);
    const key = `${ex.sender.kind}\n${ex.sender.evidence.join("\n")}`;
    const sender = this.senders.get(key);
    if (sender) ex.sender = sender;
    else if (this.senders.size < Interner.MAX) this.senders.set(key, ex.sender);
  }
}

/** Entries held per unproven host; past this the host is very likely not Okta's. */
const MAX_PENDING_PER_HOST = 200;

/** Host and port as sent (`127.0.0.1:8081`): an Okta proven by its response headers is this authority, not every port of its host. */
function authorityOf(ex: Exchange): string {
  if (ex.request.url) return ex.request.url.host.toLowerCase();
  const authority = ex.request.headers.pseudo["authority"] ?? ex.request.headers.get("host");
  return authority ? authority.toLowerCase() : "";
}

function hostOf(ex: Exchange): string {
  if (ex.request.url) return ex.request.url.hostname.toLowerCase();
  const authority = ex.request.headers.pseudo["authority"] ?? ex.request.headers.get("host");
  return authority ? authority.replace(/:\d+$/, "").toLowerCase() : "";
}

/**
 * Work out what credential a request carried. `seen` shares one parsed
 * Authorization per distinct header value: a capture sends the same token on
 * thousands of calls, and rules treat the parsed value as read-only.
 */
export function summarizeCredential(ex: Exchange, seen?: Map<string, AuthorizationInfo>): CredentialSummary {
  const auth = ex.request.headers.get("authorization");
  const summary: CredentialSummary = { sessionCookies: oktaSessionCookies(ex.request.cookies) };
  if (auth !== undefined) {
    let parsed = seen?.get(auth);
    if (!parsed) {
      parsed = parseAuthorization(auth);
      if (seen && seen.size < 10_000) seen.set(auth, parsed);
    }
    summary.authorization = parsed;
  }
  return summary;
}

function toCall(ex: Exchange, host: OktaHost, seen: Map<string, AuthorizationInfo>): OktaCall {
  const target = ex.request.url ?? ex.request.rawUrl;
  const call: OktaCall = {
    exchange: ex,
    host,
    classification: classify(ex.request.method, target),
    credential: summarizeCredential(ex, seen),
  };
  const err = errorFromExchange(ex);
  if (err) call.errorCode = err.code;
  return call;
}

/**
 * Classifies exchanges one at a time and keeps the Okta calls: the work of
 * `buildCapture`, also fed live by the tracer, the proxy and the browser recorder.
 */
export class CaptureAccumulator {
  readonly stats: CaptureStats = { entries: 0, withHeaders: 0, withAuthorization: 0, withCookie: 0, withSetCookie: 0, fromBrowser: 0, withRedactionMarkers: 0 };
  /** Okta calls so far; calls admitted late (a custom domain proved by a later response) are appended, so `calls` is sorted by `snapshot`. */
  readonly calls: OktaCall[] = [];
  private readonly oktaHosts = new Set<string>();
  /** Entries with Okta-only paths on hosts not yet known to be Okta, by host. */
  private readonly pending = new Map<string, Exchange[]>();
  /** Hosts that Okta's response headers proved to be Okta custom domains. */
  private readonly proven = new Map<string, OktaHost>();
  private readonly parsedAuth = new Map<string, AuthorizationInfo>();
  private readonly tokens = new TokenIndex();
  private interner = new Interner();
  private outOfOrder = false;

  constructor(private readonly options: CaptureOptions = {}) {}

  private admit(ex: Exchange, host: OktaHost): void {
    this.interner.exchange(ex);
    const call = toCall(ex, host, this.parsedAuth);
    this.tokens.addOkta(ex);
    const last = this.calls[this.calls.length - 1];
    if (last && last.exchange.index > ex.index) this.outOfOrder = true;
    this.calls.push(call);
    this.options.onCall?.(call);
  }

  /** Count and classify one exchange; keep it when it is Okta's (or may prove to be). */
  add(ex: Exchange): void {
    const stats = this.stats;
    stats.entries++;
    const headers = ex.request.headers;
    if (headers.size > 0) stats.withHeaders++;
    if (headers.has("authorization")) stats.withAuthorization++;
    if (headers.has("cookie")) stats.withCookie++;
    if (ex.response.headers.has("set-cookie")) stats.withSetCookie++;
    if (ex.sender.kind === "browser") stats.fromBrowser++;
    if (hasRedactionMarker(ex)) stats.withRedactionMarkers++;

    const domains = this.options.oktaDomains ?? [];
    const host = hostOf(ex);
    const authority = authorityOf(ex);
    let info = oktaHostInfo(host, domains) ?? this.proven.get(authority) ?? null;
    if (!info && host && looksLikeOktaResponse(ex.response.headers)) {
      // A custom domain (or a proxy in front of Okta) proves itself by Okta's response headers.
      const found: OktaHost = { host, org: host, admin: false, suffix: "custom", custom: true };
      this.proven.set(authority, found);
      for (const held of this.pending.get(authority) ?? []) this.admit(held, found);
      this.pending.delete(authority);
      info = found;
    }
    if (info) {
      this.oktaHosts.add(host);
      this.admit(ex, info);
      return;
    }
    if (host && ex.request.url && OKTA_LIKE_PATH.test(ex.request.url.pathname)) {
      let list = this.pending.get(authority);
      if (!list) this.pending.set(authority, (list = []));
      // Bounded: a busy non-Okta API with /api/v1 paths must not grow memory without limit.
      if (list.length < MAX_PENDING_PER_HOST) list.push(ex);
    }
    // Not (yet) Okta's: kept only when it carries an Okta token.
    if (host) this.tokens.addForeign(ex, host, authority);
  }

  /** Whether a JWT issuer's origin is an Okta org of this capture (by name, `--okta-domain`, or proven by Okta's headers). */
  private isOktaOrigin(origin: string): boolean {
    let u: URL;
    try {
      u = new URL(origin);
    } catch {
      return false;
    }
    const host = u.hostname.toLowerCase();
    return oktaHostInfo(host, this.options.oktaDomains ?? []) !== null || this.proven.has(u.host.toLowerCase());
  }

  /**
   * Drop the oldest calls so that at most `max` stay (a long-running proxy or
   * trace keeps a window, not everything it ever saw). Returns how many were dropped.
   */
  trim(max: number): number {
    this.sortCalls();
    const drop = this.calls.length - max;
    if (drop <= 0) return 0;
    this.calls.splice(0, drop);
    this.tokens.trimBefore(this.calls[0]?.exchange.index ?? 0);
    // Shared header objects of the dropped calls would stay reachable from the interner: start it afresh.
    this.interner = new Interner();
    return drop;
  }

  private sortCalls(): void {
    if (!this.outOfOrder) return;
    this.calls.sort((a, b) => a.exchange.index - b.exchange.index);
    this.outOfOrder = false;
  }

  /** The capture as read so far; `calls` is shared, in capture order. */
  snapshot(meta: CaptureMeta, notes: ValidationNote[], bytes: number): Capture {
    this.sortCalls();
    // Calls held while their host might prove to be Okta's, and since proven so, are Okta calls, not foreign ones.
    const foreign = this.tokens.foreignCalls((o) => this.isOktaOrigin(o)).filter((f) => !this.proven.has(f.authority));
    return { meta, notes, stats: { ...this.stats }, calls: this.calls, foreign, appHosts: this.tokens.appHostList(), oktaHosts: [...this.oktaHosts].sort(), bytes };
  }
}

/**
 * Read a capture to the end, keeping only what is Okta's. Memory stays bounded
 * by the Okta traffic, not the file: other entries are counted and dropped.
 * A reader error partway is kept in `error` together with everything read before it.
 */
export async function buildCapture(reader: CaptureReader, options: CaptureOptions = {}): Promise<Capture> {
  const acc = new CaptureAccumulator(options);
  let error: InputError | undefined;
  try {
    for await (const ex of reader.exchanges()) {
      acc.add(ex);
      if ((acc.stats.entries & 255) === 0) options.onProgress?.(reader.bytesRead);
    }
  } catch (e) {
    if (e instanceof InputError) error = e;
    else throw e;
  }
  const capture = acc.snapshot(reader.meta, reader.notes, reader.bytesRead);
  if (error) capture.error = error;
  return capture;
}
