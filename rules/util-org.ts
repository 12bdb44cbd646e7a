/**
 * Helpers of the endpoint and org rules, group D (wrong-base-url, rate-limited, insecure-transport,
 * okta-error, deprecated-api, sanitized-capture). They read the classified
 * capture only; nothing here formats a finding or prints.
 */
import type { Capture, OktaCall } from "../src/engine/capture.js";
import type { Report, RuleContext } from "../src/engine/types.js";
import { normalizeHost, oktaHostInfo, type OktaHost } from "../src/okta/hosts.js";
import { decodeJwt, isSswsTokenShape } from "../src/okta/credentials.js";
import { sessionCookieChanges } from "../src/okta/cookies.js";
import { maskSecret } from "../src/okta/mask.js";
import { groupBy, pathOf, requestLineOf, succeeded } from "./util.js";

// ---------------------------------------------------------------------------
// Paths and endpoint keys
// ---------------------------------------------------------------------------

/**
 * The path for a message: as captured, with secret-looking segments masked
 * (a session id in `/api/v1/sessions/{sessionId}`, a token or a JWT pasted
 * into the path). Okta object ids (`00u…`, `0oa…`) stay visible.
 */
export function displayPath(call: OktaCall): string {
  const path = pathOf(call);
  const template = call.classification.pathTemplate?.split("/");
  const segments = path.split("/");
  let changed = false;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.length < 12) continue;
    const t = template?.[i];
    if (t === "{sessionId}" || isSswsTokenShape(s) || (s.startsWith("eyJ") && decodeJwt(s))) {
      segments[i] = `{${maskSecret(s)}}`;
      changed = true;
    }
  }
  return changed ? segments.join("/") : path;
}

const ID_LIKE = /^(?=.*\d)[A-Za-z0-9_.~-]{8,}$/;

/**
 * What stays the same when a client repeats a call: host, method and the
 * catalog's path template (or the path with id-like segments folded).
 * Used to group repeated findings (a 1,000-call loop is one problem).
 */
export function endpointKey(call: OktaCall): string {
  const template = call.classification.pathTemplate;
  const path = template ?? pathOf(call).split("/").map((s) => (ID_LIKE.test(s) ? "{id}" : s)).join("/");
  return `${call.host.host} ${call.exchange.request.method.toUpperCase()} ${path}`;
}

/** What a rule found on one call, before repeats of it are folded into one finding. */
export interface EndpointHit {
  messageId: string;
  report: Omit<Report, "call" | "messageId">;
}

/**
 * One finding per message and endpoint (endpointKey): the first call of each
 * group reports its hit; the later calls become its `related` entries and one
 * evidence line, `${again} entries 4, 9 …`. A loop of identical calls is one problem.
 */
export function reportOncePerEndpoint(ctx: RuleContext, hits: ReadonlyMap<OktaCall, EndpointHit>, again: string): void {
  if (hits.size === 0) return;
  const groups = groupBy([...hits.keys()], (call) => `${hits.get(call)!.messageId} ${endpointKey(call)}`);
  for (const calls of groups.values()) {
    const first = calls[0]!;
    const hit = hits.get(first)!;
    const later = calls.slice(1).map((c) => c.exchange.index);
    const evidence = [...(hit.report.evidence ?? [])];
    if (later.length > 0) evidence.push(`${again} ${entryList(later)}`);
    ctx.report({ call: first, messageId: hit.messageId, ...hit.report, evidence, related: later });
  }
}

/** `entries 4, 9, 12 … (+995 more)`: a short list of entry numbers for evidence. */
export function entryList(entries: readonly number[], max = 8): string {
  if (entries.length === 0) return "no other entry";
  const shown = entries.slice(0, max).join(", ");
  const rest = entries.length - max;
  return `${entries.length === 1 ? "entry" : "entries"} ${shown}${rest > 0 ? ` … (+${rest} more)` : ""}`;
}

/** `1.2 s`, `3 min 5 s`: a duration for messages. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "an unknown time";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
}

/** `2026-11-21T10:01:00Z`: an epoch-seconds value (X-Rate-Limit-Reset) as UTC. */
export function formatEpochSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/** True for loopback hosts (127.0.0.0/8, ::1, localhost): plain HTTP there never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127(?:\.\d{1,3}){3}$/.test(h) || h === "0:0:0:0:0:0:0:1";
}

/** The response's media type, lower-cased, without parameters ("" when unknown). */
export function responseMediaType(call: OktaCall): string {
  const res = call.exchange.response;
  const header = res.headers.get("content-type");
  const value = header ?? res.body?.mimeType ?? "";
  return value.split(";")[0]!.trim().toLowerCase();
}

// ---------------------------------------------------------------------------
// Which engine an org runs
// ---------------------------------------------------------------------------

export type OrgEngine = "identity-engine" | "classic" | "unknown";

export interface OrgEngineInfo {
  engine: OrgEngine;
  /** Why, as short secret-free snippets (`entry 3: POST /idp/idx/introspect answered 200 (Identity Engine API)`). */
  evidence: string[];
  /** Entries the evidence comes from. */
  entries: number[];
}

/**
 * The org a host belongs to: the Admin Console host folds into the org's own
 * host (`acme-admin.okta.com` → `acme.okta.com`); a custom domain is its own
 * org (the capture cannot tell which Okta org is behind it).
 */
export function orgKeyOf(host: OktaHost): string {
  if (host.custom || host.suffix === "custom" || !host.org) return host.host;
  return `${host.org}.${host.suffix}`;
}

interface EngineSignals {
  ie: { entry: number; text: string }[];
  classic: { entry: number; text: string }[];
  pipeline?: { value: string; entry: number };
}

const MAX_ENGINE_EVIDENCE = 3;
const engineCache = new WeakMap<Capture, Map<string, OrgEngineInfo>>();

/** The `pipeline` of a `/.well-known/okta-organization` response body (`idx` or `v1`). */
function pipelineOf(call: OktaCall): string | undefined {
  const text = call.exchange.response.body?.text;
  if (!text || !text.includes('"pipeline"') || text.length > 64 * 1024) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === "object" && typeof (v as { pipeline?: unknown }).pipeline === "string") return (v as { pipeline: string }).pipeline;
  } catch {
    const m = /"pipeline"\s*:\s*"([A-Za-z0-9_-]+)"/.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

function formParam(call: OktaCall, name: string): string | undefined {
  const body = call.exchange.request.body;
  if (!body) return undefined;
  const p = body.params?.find((x) => x.name === name);
  if (p) return p.value;
  if (body.text && /x-www-form-urlencoded/i.test(body.mimeType) && body.text.includes(`${name}=`)) {
    return new URLSearchParams(body.text).get(name) ?? undefined;
  }
  return undefined;
}

function collectEngineSignals(call: OktaCall, s: EngineSignals): void {
  const ex = call.exchange;
  const entry = ex.index;
  const line = requestLineOf(call);
  const status = ex.response.status;
  const c = call.classification;

  if (c.operationId === "getWellknownOrgMetadata" && status === 200) {
    const pipeline = pipelineOf(call);
    if (pipeline && !s.pipeline) s.pipeline = { value: pipeline, entry };
  }
  if (c.kind === "idx") {
    const ion = /ion\+json/i.test(ex.response.headers.get("content-type") ?? ex.response.body?.mimeType ?? "");
    if (succeeded(call) || ion) s.ie.push({ entry, text: `entry ${entry}: ${line} answered ${status} (an Identity Engine API)` });
  }
  if (pathOf(call) === "/login/token/redirect" && succeeded(call)) {
    s.ie.push({ entry, text: `entry ${entry}: ${line} (the Identity Engine session redirect)` });
  }
  if (call.credential.sessionCookies.includes("idx")) {
    s.ie.push({ entry, text: `entry ${entry}: the browser sent Okta's idx session cookie (only Identity Engine sets it)` });
  }
  const setCookies = ex.response.setCookies;
  if (setCookies.length > 0) {
    for (const change of sessionCookieChanges(setCookies, ex.startedAt ?? Date.now())) {
      if (change.name === "idx" && change.action === "set") {
        s.ie.push({ entry, text: `entry ${entry}: ${line} set the idx session cookie (Identity Engine)` });
        break;
      }
    }
  }
  if (c.kind === "oauth") {
    const location = ex.response.redirectURL ?? "";
    if (location.includes("interaction_code=")) {
      s.ie.push({ entry, text: `entry ${entry}: ${line} redirected with an interaction_code (Interaction Code flow)` });
    } else if (c.operationId === "oauth.token" && formParam(call, "grant_type") === "interaction_code" && succeeded(call)) {
      s.ie.push({ entry, text: `entry ${entry}: ${line} redeemed an interaction_code (Interaction Code flow)` });
    }
  }
}

function engineTable(capture: Capture): Map<string, OrgEngineInfo> {
  let table = engineCache.get(capture);
  if (table) return table;
  const signals = new Map<string, EngineSignals>();
  for (const call of capture.calls) {
    const key = orgKeyOf(call.host);
    let s = signals.get(key);
    if (!s) signals.set(key, (s = { ie: [], classic: [] }));
    collectEngineSignals(call, s);
  }
  table = new Map();
  for (const [key, s] of signals) {
    let info: OrgEngineInfo;
    if (s.pipeline && (s.pipeline.value === "idx" || s.pipeline.value === "v1")) {
      const ie = s.pipeline.value === "idx";
      info = {
        engine: ie ? "identity-engine" : "classic",
        evidence: [`entry ${s.pipeline.entry}: /.well-known/okta-organization says "pipeline": "${s.pipeline.value}" (${ie ? "Identity Engine" : "Classic Engine"})`],
        entries: [s.pipeline.entry],
      };
    } else if (s.ie.length > 0) {
      const first = s.ie.slice(0, MAX_ENGINE_EVIDENCE);
      info = { engine: "identity-engine", evidence: first.map((x) => x.text), entries: [...new Set(first.map((x) => x.entry))] };
    } else {
      info = { engine: "unknown", evidence: [], entries: [] };
    }
    table.set(key, info);
  }
  engineCache.set(capture, table);
  return table;
}

/**
 * Which engine the org behind `host` runs, as far as the capture shows:
 *
 * - `/.well-known/okta-organization` answering `"pipeline": "idx"` (Identity
 *   Engine) or `"v1"` (Classic Engine) decides on its own;
 * - otherwise Identity Engine when the capture shows what only Identity Engine
 *   does: a working `/idp/idx/*` or `/v1/interact` call (or an
 *   `application/ion+json` answer), Okta setting or receiving its `idx` session
 *   cookie, `/login/token/redirect`, an `interaction_code` redirect or grant;
 * - otherwise `unknown`. Classic is never inferred from the absence of those:
 *   Classic APIs (authn, sid) keep working in Identity Engine orgs.
 *
 * `host` is an OktaHost or a host name; the Admin Console host counts as its org.
 * Computed once per capture in one pass over the Okta calls.
 */
export function orgEngine(capture: Capture, host: OktaHost | string): OrgEngineInfo {
  const table = engineTable(capture);
  let key: string;
  if (typeof host === "string") {
    const info = oktaHostInfo(host);
    key = info ? orgKeyOf(info) : normalizeHost(host);
  } else {
    key = orgKeyOf(host);
  }
  return table.get(key) ?? { engine: "unknown", evidence: [], entries: [] };
}
