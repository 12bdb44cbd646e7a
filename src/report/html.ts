/**
 * The HTML flow report: one self-contained file (inline CSS, inline JS, no
 * network, works from file://) with a sequence diagram of every capture's
 * Okta calls, the findings beside it, severity and rule filters, and the
 * details of each call with every header and URL masked.
 *
 * The diagram is inline SVG drawn here, on the server side; the small script
 * only selects, filters and scrolls. Stylesheet and script are files of their
 * own (html/report.css, html/report.js, the script type-checked as browser
 * JavaScript by html/tsconfig.json) that the build inlines (html/assets.ts).
 *
 * One finding card is one problem: the findings of other rules that it
 * explains (its symptoms) are listed on the card as "Also seen as", the calls
 * where they were seen are marked as the problem's in the diagram (a bracket in
 * the gutter joins them to the cause), and counts and filters are of problems. Every string that comes from a capture
 * or a finding goes through `escapeHtml` (capture content is attacker
 * controlled), and a strict Content-Security-Policy stops the page from
 * loading anything at all.
 */
import type { Capture, ForeignCall, OktaCall } from "../engine/capture.js";
import type { Exchange } from "../model/exchange.js";
import type { Finding, Severity, Symptom } from "../engine/types.js";
import type { Header } from "../model/headers.js";
import { errorFromExchange } from "../okta/errors.js";
import { maskHeader, maskText, maskUrl } from "../okta/mask.js";
import { FOREIGN_KIND, describeAccepts, describeApi, describeBrowser, describeCredential, describeForeignCredential, describeProducer, pathOf } from "./describe.js";
import { countNotes } from "./json.js";
import { CSS, SCRIPT } from "./html/assets.js";
import type { FileResult, ReportContext, Reporter } from "./types.js";

// ---------------------------------------------------------------------------
// Escaping and small helpers
// ---------------------------------------------------------------------------

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escape text for HTML element content and quoted attribute values (also valid inside inline SVG). */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const esc = escapeHtml;

/** Escaped prose where `code` spans (as rules write them) become <code>. */
function prose(text: string): string {
  return esc(text).replace(/`([^`\n]+)`/g, "<code>$1</code>");
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const SEVERITY_WORD: Record<Severity, string> = { error: "error", warning: "warning", info: "info" };

/** Cut text to `max` characters with an ellipsis. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** What the status helpers read of a call: an Okta call, or a call elsewhere that carried an Okta token. */
interface AnyCall {
  exchange: Exchange;
  errorCode?: string;
}

function isFailed(call: AnyCall): boolean {
  const s = call.exchange.response.status;
  return s === 0 || s >= 400;
}

/** `401 · E0000011`, `200`, `no response`. */
function statusText(call: AnyCall): string {
  const s = call.exchange.response.status;
  const head = s === 0 ? "no response" : String(s);
  return call.errorCode ? `${head} · ${call.errorCode}` : head;
}

function statusClass(call: AnyCall): string {
  const s = call.exchange.response.status;
  if (s === 0 || s >= 400) return "st-fail";
  if (s >= 300) return "st-redirect";
  return "st-ok";
}

/** `+0.41s`, `+12.5s`, `+2m05s`, `+1h02m`: short enough for the diagram's gutter. */
function formatOffset(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 10_000) return `+${(ms / 1000).toFixed(2)}s`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `+${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  if (s < 360_000) return `+${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  return `+${Math.round(s / 86_400)}d`;
}

/** `5 min`, `3 h 10 min`, `2 days`. */
function formatGap(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  return `${Math.round(h / 24)} days`;
}

function formatMs(ms: number): string {
  if (ms < 10) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

function worstOf(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (!worst || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

// ---------------------------------------------------------------------------
// Icons (inline SVG, coloured by CSS through currentColor)
// ---------------------------------------------------------------------------

/** A severity icon drawn in a 16×16 box at the origin. */
function iconShape(sev: Severity): string {
  switch (sev) {
    case "error":
      return '<circle cx="8" cy="8" r="7.5" class="ic-bg"/><path d="M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6" class="ic-fg"/>';
    case "warning":
      return '<path d="M8 .8L15.4 14.6H.6z" class="ic-bg" stroke-linejoin="round"/><path d="M8 5.6v4.4" class="ic-fg"/><circle cx="8" cy="12.3" r="1" class="ic-dot"/>';
    case "info":
      return '<circle cx="8" cy="8" r="7.5" class="ic-bg"/><path d="M8 7.2v4.6" class="ic-fg"/><circle cx="8" cy="4.6" r="1" class="ic-dot"/>';
  }
}

function icon(sev: Severity): string {
  return `<svg class="icon sev-${sev}" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">${iconShape(sev)}</svg>`;
}

// ---------------------------------------------------------------------------
// The sequence diagram
// ---------------------------------------------------------------------------

const ROW_H = 32;
const GAP_ROW_H = 22;
const HEAD_H = 58;
const GUTTER = 140;
const X_BROWSER = GUTTER + 70;
const X_SERVER = X_BROWSER + 210;
const X_OKTA = X_SERVER + 330;
const OKTA_STEP = 330;
/** Lanes of calls elsewhere sit closer together: their rows are short (host and path). */
const ELSEWHERE_STEP = 240;
const RIGHT_PAD = 150;
/** Average advance of the 11.5px monospace label font, for fitting labels between lanes. */
const MONO_CHAR = 7;
const SANS_CHAR = 6.4;
/** A pause between two calls longer than this gets a separator row. */
const GAP_MS = 60_000;

interface Lane {
  x: number;
  title: string;
  subtitle: string;
  used: boolean;
  kind: "browser" | "server" | "okta" | "app" | "third-party";
}

/**
 * One arrow of the diagram: an Okta call, or a call elsewhere that carried an
 * Okta token (to the app's own API or to a third party), drawn to its own lane.
 */
interface DiagramCall {
  exchange: Exchange;
  errorCode?: string;
  /** The lane it goes to: an Okta host, or `app:`/`third-party:` and the authority. */
  lane: string;
  /** `POST /oauth2/v1/token`-style label path, masked. */
  path: string;
  foreign?: ForeignCall;
}

function diagramCalls(capture: Capture): DiagramCall[] {
  const out: DiagramCall[] = capture.calls.map((c) => ({ exchange: c.exchange, ...(c.errorCode ? { errorCode: c.errorCode } : {}), lane: c.host.host, path: maskUrl(pathOf(c)) }));
  for (const fc of capture.foreign ?? []) out.push({ exchange: fc.exchange, lane: `${fc.role}:${fc.authority}`, path: foreignPath(fc), foreign: fc });
  return out.sort((a, b) => a.exchange.index - b.exchange.index);
}

/** `localhost:8080/api/messages`: where a call elsewhere went, masked, without its query. */
function foreignPath(fc: ForeignCall): string {
  const url = fc.exchange.request.url;
  return url ? `${url.host}${maskUrl(url.pathname)}` : maskUrl(fc.exchange.request.rawUrl).replace(/[?#].*$/, "");
}

function senderLaneX(call: AnyCall): number {
  return call.exchange.sender.kind === "browser" ? X_BROWSER : X_SERVER;
}

function laneBox(lane: Lane): string {
  const w = Math.min((lane.kind === "app" || lane.kind === "third-party" ? ELSEWHERE_STEP : OKTA_STEP) - 24, Math.max(124, Math.max(lane.title.length * 7.4, lane.subtitle.length * SANS_CHAR) + 24));
  const maxSub = Math.floor((w - 16) / SANS_CHAR);
  return (
    `<g class="lane-head lane-${lane.kind}${lane.used ? "" : " unused"}">` +
    `<rect x="${lane.x - w / 2}" y="8" width="${w}" height="42" rx="8"/>` +
    `<text class="lane-title" x="${lane.x}" y="26" text-anchor="middle">${esc(lane.title)}</text>` +
    `<text class="lane-sub" x="${lane.x}" y="41" text-anchor="middle">${esc(cut(lane.subtitle, maxSub))}</text>` +
    `</g>`
  );
}

interface Row {
  y: number;
  call?: DiagramCall;
  gapMs?: number;
}

/**
 * The problems that touch one call: those found at it, and those found
 * elsewhere whose symptoms were seen at it (they belong to their cause).
 */
interface AtCall {
  here: readonly Finding[];
  symptomOf: readonly Finding[];
}

const NO_PROBLEMS: AtCall = { here: [], symptomOf: [] };

function whereText(entry: number | null): string {
  return entry === null ? "the capture" : `entry ${entry}`;
}

function callTooltip(call: DiagramCall, at: AtCall): string {
  const ex = call.exchange;
  const parts = [`#${ex.index} ${ex.request.method} ${maskUrl(ex.request.rawUrl)}`, `→ ${statusText(call)}`, `sender: ${ex.sender.kind}`];
  if (call.foreign) parts.push(`${FOREIGN_KIND[call.foreign.role]}: ${describeForeignCredential(call.foreign)}`);
  if (at.here.length > 0) parts.push(`${plural(at.here.length, "finding")}: ${[...new Set(at.here.map((f) => f.ruleId))].join(", ")}`);
  for (const f of at.symptomOf) {
    const seen = [...new Set(f.symptoms.filter((s) => s.entry === ex.index).map((s) => s.ruleId))].join(", ");
    parts.push(`${seen}: symptom of ${f.ruleId} at ${whereText(f.entry)}`);
  }
  return parts.join(" · ");
}

function renderCallRow(call: DiagramCall, capIndex: number, y: number, width: number, oktaX: number, t0: number | null, at: AtCall, ids: ReadonlyMap<Finding, string>): string {
  const ex = call.exchange;
  const from = senderLaneX(call);
  const to = oktaX;
  const mid = 22;
  const findings = [...at.here, ...at.symptomOf];
  const worst = worstOf(findings);
  const classes = ["call", statusClass(call)];
  if (isFailed(call)) classes.push("failed");
  if (ex.sender.kind === "unknown") classes.push("sender-unknown");
  if (call.foreign) classes.push(`to-${call.foreign.role}`);
  if (worst) classes.push("has-findings");
  if (at.symptomOf.length > 0) classes.push(at.here.length > 0 ? "symptom-of" : "symptom-of symptom-only");
  const tip = callTooltip(call, at);
  const attrs =
    `class="${classes.join(" ")}" data-cap="${capIndex}" data-entry="${ex.index}" data-sender="${ex.sender.kind}" data-status="${ex.response.status}"` +
    (call.foreign ? ` data-to="${call.foreign.role}"` : "") +
    (worst ? ` data-worst="${worst}" data-vis="${worst}"` : "") +
    (at.symptomOf.length > 0 ? ` data-symptom-of="${at.symptomOf.map((f) => ids.get(f) ?? "").join(" ")}"` : "") +
    ` transform="translate(0 ${y})" tabindex="0" role="button" aria-pressed="false"`;

  const out: string[] = [`<g ${attrs}>`, `<title>${esc(tip)}</title>`];
  out.push(`<rect class="row-bg" x="0" y="0" width="${width}" height="${ROW_H}"/>`);
  out.push(`<rect class="row-accent" x="0" y="3" width="3" height="${ROW_H - 6}" rx="1.5"/>`);
  if (worst) {
    out.push(`<g class="mark" transform="translate(12 ${mid - 8})">`);
    for (const s of SEVERITIES) out.push(`<g class="mk mk-${s} sev-${s}">${iconShape(s)}</g>`);
    out.push(`</g>`);
    if (findings.length > 1) out.push(`<text class="mark-count" x="31" y="${mid + 4}">${findings.length}</text>`);
  }
  out.push(`<text class="idx" x="74" y="${mid + 4}" text-anchor="end">#${ex.index}</text>`);
  if (t0 !== null && ex.startedAt !== null) out.push(`<text class="time" x="${GUTTER - 8}" y="${mid + 4}" text-anchor="end">${esc(formatOffset(ex.startedAt - t0))}</text>`);

  // The request arrow, sender → Okta.
  out.push(`<line class="arrow" x1="${from}" y1="${mid}" x2="${to - 9}" y2="${mid}"/>`);
  out.push(`<path class="head" d="M${to} ${mid}l-10 -5v10z"/>`);
  out.push(`<circle class="origin" cx="${from}" cy="${mid}" r="3.2"/>`);
  if (ex.sender.kind === "unknown") {
    out.push(`<g class="unknown-mark"><circle cx="${from - 13}" cy="${mid}" r="7"/><text x="${from - 13}" y="${mid + 3.6}" text-anchor="middle">?</text></g>`);
  }
  const room = Math.floor((to - from - 24) / MONO_CHAR);
  const method = ex.request.method;
  const path = call.path;
  const label = cut(`${method} ${path}`, room);
  const methodPart = label.slice(0, Math.min(label.length, method.length));
  const rest = label.slice(methodPart.length);
  out.push(`<text class="label" x="${from + 10}" y="${mid - 6}"><tspan class="m">${esc(methodPart)}</tspan>${esc(rest)}</text>`);

  // The status badge, just past the arrowhead.
  const st = statusText(call);
  const bw = Math.round(st.length * 6.6 + 14);
  out.push(
    `<g class="badge"><rect x="${to + 8}" y="${mid - 9}" width="${bw}" height="18" rx="9"/>` +
      `<text x="${to + 8 + bw / 2}" y="${mid + 4}" text-anchor="middle">${esc(st)}</text></g>`,
  );
  out.push(`</g>`);
  return out.join("");
}

/** Where a problem's cause and its symptoms elsewhere sit in the diagram: the rows a gutter bracket joins. */
interface SymptomLink {
  id: string;
  severity: Severity;
  /** The cause's entry, when it is a call in the diagram. */
  cause: number | null;
  symptoms: number[];
}

/**
 * A bracket in the diagram's gutter joining a problem's cause to the calls where
 * its symptoms were seen: a tick (solid dot) at the cause, a tick (ring) at each
 * symptom. Side by side when several problems overlap.
 */
function renderSymptomLink(link: SymptomLink, slot: number, rowY: ReadonlyMap<number, number>): string {
  const x = 5 + (slot % 3) * 3;
  const ys = [link.cause, ...link.symptoms].filter((e): e is number => e !== null && rowY.has(e)).map((e) => rowY.get(e)! + 22);
  if (ys.length === 0) return "";
  const top = Math.min(...ys);
  const bottom = Math.max(...ys);
  const out = [`<g class="sym-link sev-${link.severity}" data-finding="${link.id}" aria-hidden="true">`, `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}"/>`];
  if (link.cause !== null && rowY.has(link.cause)) out.push(`<circle class="sym-cause" cx="${x}" cy="${rowY.get(link.cause)! + 22}" r="2.6"/>`);
  for (const e of link.symptoms) if (rowY.has(e)) out.push(`<circle class="sym-at" cx="${x}" cy="${rowY.get(e)! + 22}" r="2.4"/>`);
  out.push(`</g>`);
  return out.join("");
}

/** The lane header (sticky above the rows) and the rows of one capture's diagram. */
function renderDiagram(capture: Capture, capIndex: number, atCall: ReadonlyMap<number, AtCall>, links: readonly SymptomLink[], ids: ReadonlyMap<Finding, string>): string {
  const calls = diagramCalls(capture);
  // Okta's hosts first, then the app's APIs, then third parties (a lane per authority).
  const hosts: string[] = [];
  for (const c of capture.calls) if (!hosts.includes(c.host.host)) hosts.push(c.host.host);
  const elsewhere: ForeignCall[] = [];
  for (const role of ["app", "third-party"] as const) for (const fc of capture.foreign ?? []) if (fc.role === role && !elsewhere.some((e) => e.role === role && e.authority === fc.authority)) elsewhere.push(fc);
  const laneKeys = [...hosts, ...elsewhere.map((fc) => `${fc.role}:${fc.authority}`)];
  const laneX = (i: number) => (i < hosts.length ? X_OKTA + i * OKTA_STEP : X_OKTA + Math.max(0, hosts.length - 1) * OKTA_STEP + (hosts.length > 0 ? 1 : 0) * ELSEWHERE_STEP + (i - hosts.length) * ELSEWHERE_STEP);
  const oktaX = new Map(laneKeys.map((h, i) => [h, laneX(i)]));
  const lastX = laneX(Math.max(1, laneKeys.length) - 1);
  const width = lastX + RIGHT_PAD;

  const usedBrowser = calls.some((c) => c.exchange.sender.kind === "browser");
  const usedServer = calls.some((c) => c.exchange.sender.kind !== "browser");
  const lanes: Lane[] = [
    { x: X_BROWSER, title: "Browser", subtitle: usedBrowser ? "page, SPA, redirects" : "no calls", used: usedBrowser, kind: "browser" },
    { x: X_SERVER, title: "App server", subtitle: usedServer ? "backend, SDK, API tool" : "no calls", used: usedServer, kind: "server" },
    ...hosts.map((h, i): Lane => {
      const host = capture.calls.find((c) => c.host.host === h)!.host;
      const title = host.custom ? "Okta (custom domain)" : host.admin ? "Okta Admin" : "Okta";
      return { x: X_OKTA + i * OKTA_STEP, title, subtitle: h, used: true, kind: "okta" };
    }),
    ...elsewhere.map((fc, i): Lane => ({ x: laneX(hosts.length + i), title: fc.role === "app" ? "Your API" : "Third party", subtitle: fc.authority, used: true, kind: fc.role })),
  ];

  // Rows, with a separator where the capture pauses for more than a minute.
  const rows: Row[] = [];
  let y = 6;
  let prev: number | null = null;
  let t0: number | null = null;
  for (const c of calls) {
    const at = c.exchange.startedAt;
    if (at !== null && t0 === null) t0 = at;
    if (at !== null && prev !== null && at - prev > GAP_MS) {
      rows.push({ y, gapMs: at - prev });
      y += GAP_ROW_H;
    }
    if (at !== null) prev = at;
    rows.push({ y, call: c });
    y += ROW_H;
  }
  const height = y + 10;

  const head =
    `<svg class="lanes" width="${width}" height="${HEAD_H}" viewBox="0 0 ${width} ${HEAD_H}" role="img" aria-label="Lanes: ${esc(lanes.map((l) => `${l.title} ${l.subtitle}`).join(", "))}">` +
    `<rect class="lanes-bg" x="0" y="0" width="${width}" height="${HEAD_H}"/>` +
    `<text class="gutter-head" x="74" y="44" text-anchor="end">entry</text>` +
    `<text class="gutter-head" x="${GUTTER - 8}" y="44" text-anchor="end">time</text>` +
    lanes.map(laneBox).join("") +
    `</svg>`;

  const body: string[] = [];
  body.push(`<svg class="seq" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="group" aria-label="${elsewhere.length > 0 ? "Okta calls, and calls elsewhere that carried an Okta token," : "Okta calls"} in capture order">`);
  for (const lane of lanes) body.push(`<line class="lifeline lane-${lane.kind}${lane.used ? "" : " unused"}" x1="${lane.x}" y1="0" x2="${lane.x}" y2="${height}"/>`);
  const rowY = new Map<number, number>();
  for (const row of rows) if (row.call) rowY.set(row.call.exchange.index, row.y);
  for (const row of rows) {
    if (row.call) {
      body.push(renderCallRow(row.call, capIndex, row.y, width, oktaX.get(row.call.lane)!, t0, atCall.get(row.call.exchange.index) ?? NO_PROBLEMS, ids));
    } else if (row.gapMs !== undefined) {
      body.push(
        `<g class="gap" transform="translate(0 ${row.y})"><line x1="8" y1="${GAP_ROW_H / 2}" x2="${width - 8}" y2="${GAP_ROW_H / 2}"/>` +
          `<text x="${GUTTER - 8}" y="${GAP_ROW_H / 2 + 4}" text-anchor="end">${esc(formatGap(row.gapMs))} later</text></g>`,
      );
    }
  }
  links.forEach((link, i) => body.push(renderSymptomLink(link, i, rowY)));
  body.push(`</svg>`);
  return `<div class="diagram-scroll" data-cap="${capIndex}"><div class="lanes-sticky">${head}</div>${body.join("")}</div>`;
}

function renderLegend(symptoms: boolean): string {
  return (
    `<div class="legend" aria-hidden="true">` +
    `<span><svg width="34" height="10"><line class="lg-ok" x1="1" y1="5" x2="25" y2="5"/><path class="lg-ok-h" d="M33 5l-9 -4.5v9z"/></svg>call</span>` +
    `<span><svg width="34" height="10"><line class="lg-fail" x1="1" y1="5" x2="25" y2="5"/><path class="lg-fail-h" d="M33 5l-9 -4.5v9z"/></svg>failed (status 0 or ≥ 400)</span>` +
    `<span><svg width="34" height="10"><line class="lg-unknown" x1="1" y1="5" x2="25" y2="5"/><path class="lg-ok-h" d="M33 5l-9 -4.5v9z"/></svg>sender unknown (drawn from App server)</span>` +
    SEVERITIES.map((s) => `<span>${icon(s)}${SEVERITY_WORD[s]}</span>`).join("") +
    (symptoms
      ? `<span><svg width="14" height="22"><line class="lg-sym" x1="5" y1="4" x2="5" y2="18"/><circle class="lg-sym-cause" cx="5" cy="4" r="2.6"/><circle class="lg-sym-at" cx="5" cy="18" r="2.4"/></svg>a problem (dot) and the calls where it was also seen (rings)</span>`
      : "") +
    `</div>`
  );
}

/** Calls listed per credential before the rest are summed up. */
const CRED_CALLS_SHOWN = 12;

/**
 * Which credential went where, and how Okta answered: one row per distinct
 * (masked) credential, in order of first use. A token that worked at entry 0
 * and was rejected at entry 2 shows at a glance.
 */
function renderCredentials(capture: Capture, capIndex: number): string {
  const groups = new Map<string, { calls: OktaCall[]; senders: Set<string> }>();
  for (const call of capture.calls) {
    const key = describeCredential(call.credential);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { calls: [], senders: new Set() }));
    g.calls.push(call);
    g.senders.add(call.exchange.sender.kind);
  }
  const rows = [...groups.entries()].map(([cred, g]) => {
    const failed = g.calls.filter(isFailed).length;
    const shown = g.calls.slice(0, CRED_CALLS_SHOWN).map((c) => {
      const st = c.exchange.response.status === 0 ? "—" : String(c.exchange.response.status);
      return `<button type="button" class="entry-ref goto ${statusClass(c)}" data-cap="${capIndex}" data-goto="${c.exchange.index}" title="${esc(`${c.exchange.request.method} ${maskUrl(pathOf(c))} → ${statusText(c)}`)}">#${c.exchange.index} <b>${esc(st)}</b></button>`;
    });
    if (g.calls.length > CRED_CALLS_SHOWN) shown.push(`<span class="muted small">+${g.calls.length - CRED_CALLS_SHOWN} more</span>`);
    const count = `${plural(g.calls.length, "call")}${failed > 0 ? `, <span class="fail">${failed} failed</span>` : ""}`;
    const senders = [...g.senders].map((s) => (s === "server" ? "server" : s === "browser" ? "browser" : "unknown")).join(", ");
    return `<tr><td><code>${esc(cred)}</code></td><td>${esc(senders)}</td><td class="n">${count}</td><td class="calls">${shown.join("")}</td></tr>`;
  });
  return (
    `<div class="creds"><h3>Credentials presented to Okta</h3>` +
    `<table><thead><tr><th scope="col">Credential (masked)</th><th scope="col">Sent by</th><th scope="col">Calls</th><th scope="col">Entries and status</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table></div>`
  );
}

// ---------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------

function docLink(url: string): string {
  if (!/^https?:\/\//i.test(url)) return `<span class="doc">${esc(url)}</span>`;
  return `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer">${esc(url)}</a>`;
}

function entryButton(capIndex: number, entry: number, isCall: boolean, text = `entry ${entry}`): string {
  if (!isCall) return `<span class="entry-ref" title="not an Okta call">${esc(text)}</span>`;
  return `<button type="button" class="entry-ref goto" data-cap="${capIndex}" data-goto="${entry}">${esc(text)}</button>`;
}

interface FindingContext {
  capIndex: number;
  callEntries: ReadonlySet<number>;
  /** Rules whose fix is already shown open once in this list. */
  fixShown: Set<string>;
  /** Element ids of the findings in the main list. */
  ids: ReadonlyMap<Finding, string>;
}

/** The entries a problem touches: its own, then those of its symptoms, each once. */
function entriesOf(f: Finding): number[] {
  const out: number[] = [];
  for (const e of [f.entry, ...f.symptoms.map((s) => s.entry)]) if (e !== null && !out.includes(e)) out.push(e);
  return out;
}

/** One symptom on its cause's card: the other rule, where it saw the problem, what it said, its evidence. */
function renderSymptom(s: Symptom, fc: FindingContext): string {
  const where = s.entry === null ? `<span class="entry-ref">capture</span>` : entryButton(fc.capIndex, s.entry, fc.callEntries.has(s.entry));
  const conf = s.confidence === "certain" ? "" : `<span class="conf" title="confidence">${esc(s.confidence)}</span>`;
  const out: string[] = [`<li class="symptom sev-${s.severity}" data-rule="${esc(s.ruleId)}"${s.entry !== null ? ` data-entry="${s.entry}"` : ""}>`];
  out.push(`<header><span class="sev-pill sev-${s.severity}" title="${esc(`${SEVERITY_WORD[s.severity]} on its own`)}">${icon(s.severity)}</span><code class="rule">${esc(s.ruleId)}</code>${where}${conf}</header>`);
  out.push(`<p class="sym-msg">${prose(maskText(s.message))}</p>`);
  if (s.evidence.length > 0) out.push(`<ul class="evidence" aria-label="evidence">${s.evidence.map((e) => `<li><code>${esc(maskText(e))}</code></li>`).join("")}</ul>`);
  out.push(`</li>`);
  return out.join("");
}

function renderFinding(f: Finding, id: string, fc: FindingContext, list: "main" | "detail"): string {
  const isCall = f.entry !== null && fc.callEntries.has(f.entry);
  const entries = entriesOf(f);
  const attrs =
    `class="finding sev-${f.severity}${f.symptoms.length > 0 ? " has-symptoms" : ""}" data-list="${list}" data-sev="${f.severity}" data-rule="${esc(f.ruleId)}" data-cap="${fc.capIndex}"` +
    (f.entry !== null ? ` data-entry="${f.entry}"` : "") +
    (entries.length > 0 ? ` data-entries="${entries.join(" ")}"` : "") +
    (list === "main" ? ` id="${id}"` : "");
  const where = f.entry === null ? `<span class="entry-ref">capture</span>` : entryButton(fc.capIndex, f.entry, isCall);
  const conf = f.confidence === "certain" ? "" : `<span class="conf" title="confidence">${esc(f.confidence)}</span>`;
  const out: string[] = [`<article ${attrs}>`];
  out.push(
    `<header><span class="sev-pill sev-${f.severity}">${icon(f.severity)}${SEVERITY_WORD[f.severity]}</span>` +
      `<code class="rule">${esc(f.ruleId)}</code>${where}${conf}</header>`,
  );
  out.push(`<h4>${prose(f.title)}</h4>`);
  out.push(`<p class="msg">${prose(maskText(f.message))}</p>`);
  if (f.request && list === "main") out.push(`<p class="req"><code>${esc(f.request.method)} ${esc(maskUrl(f.request.url))}</code></p>`);
  if (f.evidence.length > 0) {
    out.push(`<ul class="evidence" aria-label="evidence">${f.evidence.map((e) => `<li><code>${esc(maskText(e))}</code></li>`).join("")}</ul>`);
  }
  if (f.related.length > 0) {
    const label = f.occurrences > 1 ? `The same problem occurs ${f.occurrences} times; also at` : "Related:";
    const more = f.occurrences > 1 && f.related.length < f.occurrences - 1 ? " …" : "";
    out.push(`<p class="related">${label} ${f.related.map((r) => entryButton(fc.capIndex, r, fc.callEntries.has(r))).join(" ")}${more}</p>`);
  }
  if (f.jsonPath && list === "main") {
    const loc = f.line !== undefined ? ` (line ${f.line}${f.column !== undefined ? `, column ${f.column}` : ""})` : "";
    out.push(`<p class="where">At <code>${esc(f.jsonPath)}</code>${esc(loc)}</p>`);
  }
  if (f.symptoms.length > 0) {
    out.push(
      `<div class="symptoms"><p class="sym-head">Also seen as <span class="muted">(${esc(plural(f.symptoms.length, "symptom"))} of this problem, not counted on their own)</span></p>` +
        `<ul class="symptom-list">${f.symptoms.map((s) => renderSymptom(s, fc)).join("")}</ul></div>`,
    );
  }
  if (list === "detail") {
    // The call's details show the finding in short; its explanation, fix and docs are one click away in the list.
    const main = fc.ids.get(f);
    if (main) out.push(`<p><button type="button" class="link show-finding" data-cap="${fc.capIndex}" data-finding="${main}">Why and how to fix →</button></p>`);
    out.push(`</article>`);
    return out.join("");
  }
  const openFix = !fc.fixShown.has(f.ruleId);
  if (openFix) fc.fixShown.add(f.ruleId);
  out.push(`<details class="why"><summary>Why it matters</summary><p>${prose(f.explanation)}</p></details>`);
  out.push(`<details class="fix"${openFix ? " open" : ""}><summary>How to fix</summary><p>${prose(f.fix)}</p></details>`);
  if (f.docs.length > 0) out.push(`<p class="docs">Docs: ${f.docs.map(docLink).join(" ")}</p>`);
  out.push(`</article>`);
  return out.join("");
}

// ---------------------------------------------------------------------------
// Call details
// ---------------------------------------------------------------------------

function headerTable(headers: readonly Header[], pseudo: Readonly<Record<string, string>>, label: string): string {
  const rows: string[] = [];
  for (const [name, value] of Object.entries(pseudo)) rows.push(`<tr><th scope="row">:${esc(name)}</th><td>${esc(maskHeader(`:${name}`, value))}</td></tr>`);
  for (const h of headers) rows.push(`<tr><th scope="row">${esc(h.name)}</th><td>${esc(maskHeader(h.name, h.value))}</td></tr>`);
  const n = rows.length;
  if (n === 0) return `<details class="headers"><summary>${esc(label)} (none recorded)</summary></details>`;
  return `<details class="headers" open><summary>${esc(label)} (${n})</summary><table>${rows.join("")}</table></details>`;
}

function kv(name: string, valueHtml: string): string {
  return `<dt>${esc(name)}</dt><dd>${valueHtml}</dd>`;
}

function timingText(call: OktaCall): string {
  const ex = call.exchange;
  const parts: string[] = [];
  if (ex.time >= 0) parts.push(`total ${formatMs(ex.time)}`);
  const t = ex.timings;
  for (const k of ["blocked", "dns", "connect", "ssl", "send", "wait", "receive"] as const) {
    const v = t[k];
    if (v !== undefined && v >= 0) parts.push(`${k} ${formatMs(v)}`);
  }
  return parts.length > 0 ? parts.join(" · ") : "not recorded";
}

function renderDetail(call: OktaCall, capIndex: number, at: AtCall, fc: FindingContext): string {
  const findings = [...at.here, ...at.symptomOf];
  const ex = call.exchange;
  const c = call.classification;
  const out: string[] = [`<section class="detail" data-cap="${capIndex}" data-entry="${ex.index}" hidden aria-label="Details of entry ${ex.index}">`];
  out.push(
    `<header class="detail-head"><span class="idx-pill">#${ex.index}</span><span class="method">${esc(ex.request.method)}</span>` +
      `<span class="status-pill ${statusClass(call)}">${esc(statusText(call))}</span></header>`,
  );
  out.push(`<p class="url"><code>${esc(maskUrl(ex.request.rawUrl))}</code></p>`);

  const dl: string[] = [];
  const s = ex.response.status;
  dl.push(kv("Status", s === 0 ? `<span class="fail">no response</span>` : `<span class="${statusClass(call)}">${s}</span> ${esc(ex.response.statusText)}`));
  if (call.errorCode || isFailed(call)) {
    const err = errorFromExchange(ex);
    if (err) {
      const summary = err.summary ? ` — ${esc(maskText(err.summary))}` : "";
      dl.push(kv("Okta error", `<code class="fail">${esc(err.code)}</code>${summary}`));
    }
  }
  if (ex.error) dl.push(kv("Producer error", esc(maskText(ex.error))));
  if (ex.response.redirectURL) dl.push(kv("Redirect", `<code>${esc(maskUrl(ex.response.redirectURL))}</code>`));
  dl.push(kv("Kind", `<span class="kind">${esc(c.kind)}</span>${c.deprecated ? ' <span class="tag">deprecated</span>' : ""}`));
  dl.push(kv("API", esc(describeApi(c))));
  if (c.pathTemplate) dl.push(kv("Endpoint", `<code>${esc(c.pathTemplate)}</code>`));
  if (c.kind !== "unknown") {
    dl.push(kv("Accepts", esc(describeAccepts(c))));
    dl.push(kv("Browser use", esc(describeBrowser(c))));
  }
  dl.push(kv("Credential", `<code>${esc(describeCredential(call.credential))}</code>`));
  const senderWord = ex.sender.kind === "unknown" ? "unknown (drawn from App server)" : ex.sender.kind === "browser" ? "browser" : "server / tool";
  const evidence = ex.sender.evidence.length > 0 ? `<ul class="plain">${ex.sender.evidence.map((e) => `<li><code>${esc(maskText(e))}</code></li>`).join("")}</ul>` : "";
  dl.push(kv("Sender", `${esc(senderWord)}${evidence}`));
  dl.push(kv("Okta host", `<code>${esc(call.host.host)}</code>`));
  if (ex.startedAt !== null) dl.push(kv("Started", `<time>${esc(new Date(ex.startedAt).toISOString())}</time>`));
  dl.push(kv("Timing", esc(timingText(call))));
  const proto = [ex.request.httpVersion, ex.serverIPAddress ? `server ${ex.serverIPAddress}` : ""].filter(Boolean).join(" · ");
  if (proto) dl.push(kv("Connection", esc(proto)));
  if (ex.source) dl.push(kv("In the file", `<code>${esc(ex.source.jsonPath)}</code> line ${ex.source.line}, column ${ex.source.column}`));
  if (ex.comment) dl.push(kv("Comment", esc(maskText(ex.comment))));
  out.push(`<dl class="kv">${dl.join("")}</dl>`);

  detailTail(out, ex, findings, at, capIndex, fc);
  return out.join("");
}

/** The end of a call's details: its findings (and whose symptom they are), its masked headers. */
function detailTail(out: string[], ex: Exchange, findings: readonly Finding[], at: AtCall, capIndex: number, fc: FindingContext): void {
  if (findings.length > 0) {
    out.push(`<h4 class="sub">Findings on this call (${findings.length})</h4>`);
    if (at.symptomOf.length > 0) {
      const causes = at.symptomOf.map((f) => `<code>${esc(f.ruleId)}</code> at ${f.entry === null ? "the capture" : entryButton(capIndex, f.entry, fc.callEntries.has(f.entry))}`);
      out.push(`<p class="sym-note">Seen here as a symptom of ${causes.join(", ")}: one problem, counted once, where its cause is.</p>`);
    }
    findings.forEach((f, i) => out.push(renderFinding(f, `d${capIndex}-${ex.index}-${i}`, fc, "detail")));
  } else {
    out.push(`<p class="muted">No findings on this call.</p>`);
  }
  out.push(headerTable(ex.request.headers.list, ex.request.headers.pseudo, "Request headers"));
  out.push(headerTable(ex.response.headers.list, ex.response.headers.pseudo, "Response headers"));
  out.push(`<p class="muted small">Secrets in headers and URLs are masked. Bodies are not included in this report.</p>`);
  out.push(`</section>`);
}

/** The details of a call elsewhere that carried an Okta token: where it went, whose host that is and why, the token (masked), the findings. */
function renderForeignDetail(fcall: ForeignCall, capIndex: number, at: AtCall, fc: FindingContext): string {
  const findings = [...at.here, ...at.symptomOf];
  const ex = fcall.exchange;
  const out: string[] = [`<section class="detail foreign" data-cap="${capIndex}" data-entry="${ex.index}" data-to="${fcall.role}" hidden aria-label="Details of entry ${ex.index}">`];
  out.push(
    `<header class="detail-head"><span class="idx-pill">#${ex.index}</span><span class="method">${esc(ex.request.method)}</span>` +
      `<span class="status-pill ${statusClass(fcall)}">${esc(statusText(fcall))}</span><span class="tag to-${fcall.role}">${esc(FOREIGN_KIND[fcall.role])}</span></header>`,
  );
  out.push(`<p class="url"><code>${esc(maskUrl(ex.request.rawUrl))}</code></p>`);
  const dl: string[] = [];
  const s = ex.response.status;
  dl.push(kv("Status", s === 0 ? `<span class="fail">no response</span>` : `<span class="${statusClass(fcall)}">${s}</span> ${esc(ex.response.statusText)}`));
  const www = ex.response.headers.get("www-authenticate");
  if (www !== undefined) dl.push(kv("WWW-Authenticate", `<code>${esc(maskText(www))}</code>`));
  if (ex.error) dl.push(kv("Producer error", esc(maskText(ex.error))));
  dl.push(kv("Kind", `<span class="kind">${esc(FOREIGN_KIND[fcall.role])}</span> (not Okta)`));
  dl.push(kv("Why", esc(maskText(fcall.roleEvidence))));
  dl.push(kv("Okta token", `<ul class="plain">${fcall.tokens.map((t) => `<li><code>${esc(describeForeignCredential({ ...fcall, tokens: [t] }))}</code></li>`).join("")}</ul>`));
  const senderWord = ex.sender.kind === "unknown" ? "unknown (drawn from App server)" : ex.sender.kind === "browser" ? "browser" : "server / tool";
  dl.push(kv("Sender", esc(senderWord)));
  dl.push(kv("Host", `<code>${esc(fcall.authority)}</code>`));
  if (ex.startedAt !== null) dl.push(kv("Started", `<time>${esc(new Date(ex.startedAt).toISOString())}</time>`));
  if (ex.source) dl.push(kv("In the file", `<code>${esc(ex.source.jsonPath)}</code> line ${ex.source.line}, column ${ex.source.column}`));
  out.push(`<dl class="kv">${dl.join("")}</dl>`);
  detailTail(out, ex, findings, at, capIndex, fc);
  return out.join("");
}

// ---------------------------------------------------------------------------
// One capture
// ---------------------------------------------------------------------------

function renderCapture(result: FileResult, capIndex: number): string {
  const capture = result.capture;
  const findings = result.findings;
  const counts = countBySeverity(findings);
  const out: string[] = [`<section class="capture" id="cap-${capIndex}" data-cap="${capIndex}">`];
  const meta: string[] = [];
  if (capture) {
    meta.push(esc(describeProducer(capture)));
    meta.push(esc(plural(capture.stats.entries, "entry", "entries")));
    meta.push(esc(plural(capture.calls.length, "Okta call")));
    const foreign = capture.foreign ?? [];
    if (foreign.length > 0) {
      const app = foreign.filter((f) => f.role === "app").length;
      const parts = [app > 0 ? `${FOREIGN_KIND.app} ${app}` : "", foreign.length - app > 0 ? `${FOREIGN_KIND["third-party"]} ${foreign.length - app}` : ""].filter(Boolean);
      meta.push(esc(`Okta tokens on ${plural(foreign.length, "other call")} (${parts.join(", ")})`));
    }
    if (capture.oktaHosts.length > 0) meta.push(`Okta: ${capture.oktaHosts.map((h) => `<code>${esc(h)}</code>`).join(", ")}`);
    if (capture.meta.wrappers.length > 0) meta.push(esc(`unwrapped: ${capture.meta.wrappers.join(", ")}`));
    const dev = countNotes(capture, "error");
    if (dev > 0) meta.push(esc(`${plural(dev, "HAR 1.2 deviation")} (oktalint validate)`));
  }
  if (result.ms !== undefined) meta.push(esc(`linted in ${formatMs(result.ms)}`));
  const pills = SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `<span class="count-pill sev-${s}">${icon(s)}${esc(plural(counts[s], SEVERITY_WORD[s], s === "info" ? "info" : `${SEVERITY_WORD[s]}s`))}</span>`)
    .join("");
  out.push(
    `<header class="cap-head"><div><h2><span class="file">${esc(result.path)}</span></h2><p class="meta">${meta.join('<span class="sep">·</span>')}</p></div>` +
      `<div class="pills">${pills || '<span class="count-pill clean">no findings</span>'}</div></header>`,
  );
  if (result.error) out.push(`<p class="input-error" role="alert">${esc(maskText(result.error))}</p>`);
  if (!capture) {
    out.push(`</section>`);
    return out.join("");
  }

  // The calls drawn in the diagram: Okta's, and those elsewhere that carried an Okta token.
  const callEntries = new Set([...capture.calls, ...(capture.foreign ?? [])].map((c) => c.exchange.index));
  const ids = new Map(findings.map((f, i) => [f, `f${capIndex}-${i}`] as const));
  // Each call's problems: found there, or found elsewhere with a symptom there.
  const atCall = new Map<number, { here: Finding[]; symptomOf: Finding[] }>();
  const at = (entry: number) => {
    let a = atCall.get(entry);
    if (!a) atCall.set(entry, (a = { here: [], symptomOf: [] }));
    return a;
  };
  const links: SymptomLink[] = [];
  for (const f of findings) {
    if (f.entry !== null) at(f.entry).here.push(f);
    const elsewhere = entriesOf(f).filter((e) => e !== f.entry);
    for (const e of elsewhere) at(e).symptomOf.push(f);
    const shown = elsewhere.filter((e) => callEntries.has(e));
    if (shown.length > 0) links.push({ id: ids.get(f)!, severity: f.severity, cause: f.entry !== null && callEntries.has(f.entry) ? f.entry : null, symptoms: shown });
  }
  const fc: FindingContext = { capIndex, callEntries, fixShown: new Set(), ids };

  out.push(`<div class="cap-body">`);
  out.push(`<div class="diagram">`);
  if (capture.calls.length > 0 || (capture.foreign ?? []).length > 0) {
    out.push(renderDiagram(capture, capIndex, atCall, links, ids));
    out.push(renderLegend(links.length > 0));
    out.push(renderCredentials(capture, capIndex));
  } else {
    out.push(`<p class="empty">No Okta calls in this capture${capture.stats.entries > 0 ? ` (${esc(plural(capture.stats.entries, "entry", "entries"))} to other hosts)` : ""}.</p>`);
  }
  out.push(`</div>`);

  const tabId = (t: string) => `cap${capIndex}-${t}`;
  out.push(`<aside class="side" aria-label="Findings and call details">`);
  out.push(
    `<div class="tabs" role="tablist">` +
      `<button type="button" role="tab" class="tab" data-tab="findings" id="${tabId("tab-findings")}" aria-controls="${tabId("findings")}" aria-selected="true">Findings <span class="tab-count" data-count-cap="${capIndex}">${findings.length}</span></button>` +
      `<button type="button" role="tab" class="tab" data-tab="details" id="${tabId("tab-details")}" aria-controls="${tabId("details")}" aria-selected="false" tabindex="-1">Call details</button>` +
      `</div>`,
  );
  out.push(`<div class="pane" role="tabpanel" data-pane="findings" id="${tabId("findings")}" aria-labelledby="${tabId("tab-findings")}">`);
  if (findings.length === 0) out.push(`<p class="empty ok">No findings: nothing in this capture broke a rule.</p>`);
  else {
    out.push(`<p class="empty all-hidden" hidden>Every finding of this capture is hidden by the filters.</p>`);
    for (const f of findings) out.push(renderFinding(f, ids.get(f)!, fc, "main"));
  }
  out.push(`</div>`);
  out.push(`<div class="pane" role="tabpanel" data-pane="details" id="${tabId("details")}" aria-labelledby="${tabId("tab-details")}" hidden>`);
  out.push(`<p class="empty placeholder">Select an arrow in the diagram (or a finding's entry) to see the call: status, API, credential, sender, timing and headers.</p>`);
  for (const call of capture.calls) out.push(renderDetail(call, capIndex, atCall.get(call.exchange.index) ?? NO_PROBLEMS, fc));
  for (const call of capture.foreign ?? []) out.push(renderForeignDetail(call, capIndex, atCall.get(call.exchange.index) ?? NO_PROBLEMS, fc));
  out.push(`</div>`);
  out.push(`</aside>`);
  out.push(`</div>`);
  out.push(`</section>`);
  return out.join("");
}

// ---------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------

function renderFilters(all: readonly Finding[]): string {
  const counts = countBySeverity(all);
  const rules = new Map<string, { n: number; worst: Severity }>();
  for (const f of all) {
    const r = rules.get(f.ruleId);
    if (!r) rules.set(f.ruleId, { n: 1, worst: f.severity });
    else {
      r.n++;
      if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[r.worst]) r.worst = f.severity;
    }
  }
  const sev = SEVERITIES.map(
    (s) =>
      `<label class="chip sev-${s}${counts[s] === 0 ? " zero" : ""}"><input type="checkbox" data-filter="severity" value="${s}" checked>${icon(s)}<span>${SEVERITY_WORD[s]}</span><span class="n">${counts[s]}</span></label>`,
  ).join("");
  const ruleChips = [...rules.entries()]
    .sort((a, b) => SEVERITY_RANK[a[1].worst] - SEVERITY_RANK[b[1].worst] || a[0].localeCompare(b[0]))
    .map(([id, r]) => `<label class="chip rule"><input type="checkbox" data-filter="rule" value="${esc(id)}" checked><code>${esc(id)}</code><span class="n">${r.n}</span></label>`)
    .join("");
  return (
    `<div class="toolbar" role="region" aria-label="Filters">` +
    `<div class="group"><span class="group-label">Severity</span>${sev}</div>` +
    (ruleChips ? `<div class="group rules"><span class="group-label">Rules</span>${ruleChips}</div>` : "") +
    `<div class="group end"><label class="switch"><input type="checkbox" data-filter="focus"> Dim calls without findings</label>` +
    `<span class="shown" aria-live="polite" data-shown>${esc(`${all.length} of ${plural(all.length, "finding")} shown`)}</span></div>` +
    `</div>`
  );
}

function renderSummary(results: readonly FileResult[], ctx: ReportContext): string {
  const all = results.flatMap((r) => r.findings);
  const c = countBySeverity(all);
  const calls = results.reduce((n, r) => n + (r.capture?.calls.length ?? 0), 0);
  const failedCalls = results.reduce((n, r) => n + (r.capture?.calls.filter(isFailed).length ?? 0), 0);
  const unreadable = results.filter((r) => !r.capture).length;
  const verdict = c.error > 0 ? "error" : c.warning > 0 ? "warning" : "clean";
  const verdictText =
    all.length === 0 ? "No problems found" : `${plural(all.length, "problem")} in ${plural(new Set(all.map((f) => f.ruleId)).size, "rule")}`;
  const tile = (label: string, value: number, cls = "") => `<div class="tile ${cls}"><span class="v">${value}</span><span class="l">${esc(label)}</span></div>`;
  const out: string[] = [`<section class="summary" aria-label="Summary">`];
  out.push(`<div class="verdict verdict-${verdict}">${verdict === "clean" ? "✓" : icon(verdict)} <span>${esc(verdictText)}</span>${ctx.failOn !== "never" ? `<span class="muted"> · fails on ${esc(ctx.failOn)}</span>` : ""}</div>`);
  out.push(`<div class="tiles">`);
  out.push(tile(results.length === 1 ? "capture" : "captures", results.length));
  out.push(tile(calls === 1 ? "Okta call" : "Okta calls", calls));
  out.push(tile("failed calls", failedCalls, failedCalls > 0 ? "t-fail" : ""));
  out.push(tile(c.error === 1 ? "error" : "errors", c.error, c.error > 0 ? "t-error" : ""));
  out.push(tile(c.warning === 1 ? "warning" : "warnings", c.warning, c.warning > 0 ? "t-warning" : ""));
  out.push(tile("info", c.info, c.info > 0 ? "t-info" : ""));
  if (unreadable > 0) out.push(tile("unreadable", unreadable, "t-error"));
  out.push(`</div>`);
  if (results.length > 1) {
    out.push(`<nav class="toc" aria-label="Captures"><ol>`);
    results.forEach((r, i) => {
      const rc = countBySeverity(r.findings);
      const bits = SEVERITIES.filter((s) => rc[s] > 0).map((s) => `<span class="count-pill sev-${s} small">${icon(s)}${rc[s]}</span>`).join("");
      const info = r.capture ? `${plural(r.capture.calls.length, "Okta call")}` : "unreadable";
      out.push(`<li><a href="#cap-${i}">${esc(r.path)}</a><span class="muted">${esc(info)}</span>${bits}</li>`);
    });
    out.push(`</ol></nav>`);
  }
  out.push(`</section>`);
  return out.join("");
}

/** Render the HTML flow report (a complete document). */
export function renderHtmlReport(results: readonly FileResult[], ctx: ReportContext): string {
  const all = results.flatMap((r) => r.findings);
  const title = results.length === 1 ? `oktalint · ${results[0]!.path}` : `oktalint · ${results.length} captures`;
  return [
    `<!doctype html>`,
    `<html lang="en">`,
    `<head>`,
    `<meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<meta name="referrer" content="no-referrer">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="color-scheme" content="light dark">`,
    `<meta name="generator" content="oktalint ${esc(ctx.toolVersion)}">`,
    `<link rel="icon" href="data:,">`,
    `<title>${esc(title)}</title>`,
    `<style>\n${CSS}</style>`,
    `</head>`,
    `<body>`,
    `<header class="top"><h1><span class="logo" aria-hidden="true">◆</span> oktalint <span class="muted">flow report</span></h1>`,
    `<p class="muted small">Okta calls as a sequence diagram, with what went wrong and how to fix it. Secrets are masked.</p></header>`,
    renderFilters(all),
    `<main>`,
    renderSummary(results, ctx),
    ...results.map((r, i) => renderCapture(r, i)),
    `</main>`,
    `<footer class="muted small">oktalint ${esc(ctx.toolVersion)} · self-contained report: no network access, secrets in headers, URLs and evidence masked, bodies left out.</footer>`,
    `<script>\n${SCRIPT}</script>`,
    `</body>`,
    `</html>`,
    ``,
  ].join("\n");
}

/** `--format html`: the self-contained HTML flow report. */
export const htmlReporter: Reporter = (results, ctx) => renderHtmlReport(results, ctx);
