import type { HeaderList } from "./headers.js";
import type { ProducerInfo, Sender, SenderConfidence } from "./exchange.js";

/**
 * Who sent a request: a browser (page script, navigation, form post) or a
 * non-browser client (a server, SDK, CLI or API tool), as far as the capture
 * lets us tell, and how sure that is. Generic HTTP knowledge only.
 *
 * No single header decides: Node's built-in fetch (undici) adds
 * `Sec-Fetch-Mode: cors` and `Accept-Language: *` to every request, server
 * code may set `Origin` or a browser User-Agent, and a proxy records whatever
 * went through it. The evidence is weighed together:
 *
 * 0. A live source that knew the sender wrote it in the entry
 *    (`_oktalint: { source, sender }`): that is certain.
 * 1. Headers a page script cannot set and that no HTTP library adds by
 *    itself (`Sec-Fetch-Site`, `Sec-Fetch-Dest`, `Sec-Fetch-User`,
 *    `sec-ch-ua*`) → browser, certain, unless the request also names a
 *    non-browser client (then the client wins, as likely: a server that
 *    forwards a browser's headers).
 * 2. A non-browser client: an SDK / HTTP library User-Agent (`node`, `undici`,
 *    `okta-sdk-nodejs/…`, `openid-client/…`, `python-requests/…`, Java, Go,
 *    .NET agents …), `Accept-Language: *` (Node's fetch; browsers send the
 *    user's languages), `X-Okta-User-Agent-Extended: … nodejs/…` → server,
 *    certain.
 * 3. `Sec-Fetch-Mode` without `Sec-Fetch-Site` and `Sec-Fetch-Dest`: what
 *    Node's fetch sends (browsers send the three together) → server, likely;
 *    next to a browser User-Agent → browser, only possible.
 * 4. `Origin`, a browser User-Agent, Chrome's `_initiator`, a browser's own
 *    export → browser, likely.
 * 5. A proxy or API tool's capture with no browser hints → server, likely.
 * 6. Nothing to go on → unknown.
 */

const UA_EVIDENCE_MAX = 60;

/**
 * User-Agents of HTTP clients that are not browsers: SDKs, HTTP libraries,
 * CLIs and API tools (Postman, Insomnia count as non-browser). Matched as a
 * product token `name/version` (`@okta/okta-sdk-nodejs/8.1.0`,
 * `openid-client/v6.8.9`), or a bare `undici` / `node` / `got` UA (Node's
 * fetch and got send those).
 */
const TOOL_UA =
  /^(undici|node|got)\b|\b(okta-[\w.-]+|node-fetch|undici|node|nodejs|axios|got|openid-client|oauth4webapi|python-requests|python-urllib\d?|python-httpx|httpx|aiohttp|urllib3|python|curl|wget|libcurl|java|java-http-client|apache-httpclient|okhttp|reactornetty|jersey|go-http-client|golang|postmanruntime|insomnia|httpie|restsharp|dalvik|cfnetwork|libwww-perl|ruby|faraday|guzzlehttp|php|k6|deno|bun|dart|windowspowershell|reqwest)\/\w/i;

/** User-Agents that announce a browser engine (headless browsers included: they are browsers). */
const BROWSER_UA = /^Mozilla\/[45]\.0 \(.*\b(Chrome|Chromium|Firefox|Safari|Edg|Edge|OPR|Trident|MSIE|AppleWebKit|Gecko)\b/;

/** Producers that are browsers (or a browser's own DevTools export). */
const BROWSER_PRODUCER = /^(WebInspector|Firefox|Firebug|Safari|Web Inspector|Chrome|Chromium|Microsoft Edge|Edge|Internet Explorer|Opera)\b/i;

/** Producers that are proxies or API tools: they record whatever client went through them. */
const TOOL_PRODUCER = /(mitmproxy|fiddler|charles|proxyman|burp|http ?toolkit|zap|insomnia|postman|paw|httpie|har ?extractor)/i;

/** The `_oktalint` field of the HAR entries oktalint writes itself: who recorded the entry and, when it knows, who sent it. */
export interface OktalintEntryMark {
  /** The live command that recorded the entry. */
  source: "trace" | "proxy" | "browse";
  /** Who sent the request, when the recorder knows (trace: the traced Node process; browse: the browser). */
  sender?: "server" | "browser";
  /** trace: what made the call in the traced process (`fetch`, `undici`, `http`). */
  client?: string;
  /** trace: the traced process id. */
  pid?: number;
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** Is this User-Agent a browser's? */
export function isBrowserUserAgent(ua: string): boolean {
  return BROWSER_UA.test(ua);
}

/** Is this User-Agent a known non-browser HTTP client? */
export function isToolUserAgent(ua: string): boolean {
  return !BROWSER_UA.test(ua) && TOOL_UA.test(ua);
}

/** Is the capture a browser's own export (or recorded by driving a browser)? */
export function isBrowserProducer(producer: ProducerInfo): boolean {
  return producer.browser !== undefined || BROWSER_PRODUCER.test(producer.name);
}

/** Is the capture written by a proxy or API tool (which records whatever went through it)? */
export function isToolProducer(producer: ProducerInfo): boolean {
  return !isBrowserProducer(producer) && TOOL_PRODUCER.test(producer.name);
}

function producerLabel(producer: ProducerInfo): string {
  const browser = producer.browser?.name;
  if (!producer.name) return `producer: ${browser || "unknown"}`;
  if (browser && browser !== producer.name) return `producer: ${producer.name} (${browser})`;
  return `producer: ${producer.name}`;
}

/** Request headers the decision looks at, lower-cased name → display name, in the order evidence lists them. */
const WATCHED: ReadonlyMap<string, string> = new Map([
  ["origin", "Origin"],
  ["sec-fetch-site", "Sec-Fetch-Site"],
  ["sec-fetch-mode", "Sec-Fetch-Mode"],
  ["sec-fetch-dest", "Sec-Fetch-Dest"],
  ["sec-fetch-user", "Sec-Fetch-User"],
  ["sec-ch-ua", "sec-ch-ua"],
  ["user-agent", "User-Agent"],
  ["accept-language", "Accept-Language"],
  ["x-okta-user-agent-extended", "X-Okta-User-Agent-Extended"],
]);

/** Headers only a browser sends, that a page script cannot set and that HTTP libraries do not add (undici adds only Sec-Fetch-Mode). */
const BROWSER_ONLY = ["sec-fetch-site", "sec-fetch-dest", "sec-fetch-user", "sec-ch-ua"] as const;

const SERVER_SOURCES: Readonly<Record<string, string>> = { fetch: "fetch", undici: "undici", http: "node:http" };

/** The sender a live source recorded in the entry (`_oktalint`), or the one an older oktalint trace HAR implies. */
function recordedSender(producer: ProducerInfo, extras: Record<string, unknown>): Sender | undefined {
  const raw = extras["_oktalint"];
  const mark = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Partial<OktalintEntryMark>) : undefined;
  const sender = mark?.sender;
  if (mark && (sender === "server" || sender === "browser")) {
    if (sender === "browser") return { kind: "browser", evidence: [`recorded in the browser by oktalint ${mark.source ?? "browse"}`], confidence: "certain" };
    const via = SERVER_SOURCES[String(mark.client)] ?? (typeof mark.client === "string" ? mark.client : "");
    const pid = typeof mark.pid === "number" ? ` ${mark.pid}` : "";
    return { kind: "server", evidence: [`traced Node.js process${pid}${via ? ` (${via})` : ""}`], confidence: "certain" };
  }
  // HAR files from `oktalint trace` before `_oktalint` existed: `_client` names the Node.js API that made the call.
  if (!mark && /^oktalint trace\b/.test(producer.name)) {
    const via = SERVER_SOURCES[String(extras["_client"])];
    const pid = typeof extras["_pid"] === "number" ? ` ${extras["_pid"] as number}` : "";
    if (via) return { kind: "server", evidence: [`traced Node.js process${pid} (${via})`], confidence: "certain" };
  }
  return undefined;
}

function result(kind: Sender["kind"], evidence: string[], confidence: SenderConfidence): Sender {
  return { kind, evidence, confidence };
}

/** Decide who sent a request from its headers, the capture's producer and the entry's `_` fields. */
export function detectSender(
  headers: HeaderList,
  producer: ProducerInfo,
  extras: Record<string, unknown> = {},
): Sender {
  const recorded = recordedSender(producer, extras);
  if (recorded) return recorded;

  // One pass over the headers (first value of each watched header).
  const found = new Map<string, string>();
  for (const h of headers.list) {
    const lower = h.name.toLowerCase();
    if (WATCHED.has(lower) && !found.has(lower)) found.set(lower, h.value);
  }
  const line = (lower: string): string => `${WATCHED.get(lower)!}: ${truncate(found.get(lower)!, UA_EVIDENCE_MAX)}`;
  const ua = found.get("user-agent");

  // What says "not a browser".
  const server: string[] = [];
  if (ua !== undefined && isToolUserAgent(ua)) server.push(line("user-agent"));
  const languages = found.get("accept-language")?.trim();
  if (languages === "*") server.push("Accept-Language: * (Node.js fetch's default; browsers send the user's languages)");
  const extended = found.get("x-okta-user-agent-extended");
  if (extended !== undefined && /\bnodejs\/\d/i.test(extended)) server.push(line("x-okta-user-agent-extended"));
  const strongServer = server.length > 0;
  const modeAlone = found.has("sec-fetch-mode") && !found.has("sec-fetch-site") && !found.has("sec-fetch-dest");

  // What says "a browser".
  const browserOnly = BROWSER_ONLY.some((h) => found.has(h));
  const browser: string[] = [];
  for (const lower of ["origin", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest", "sec-fetch-user", "sec-ch-ua"]) {
    if (lower === "sec-fetch-mode" && modeAlone) continue;
    if (found.has(lower)) browser.push(line(lower));
  }
  if (ua !== undefined && isBrowserUserAgent(ua)) browser.push(line("user-agent"));

  if (browserOnly) {
    // A server that forwards a browser's headers still names itself in its User-Agent or Accept-Language.
    if (strongServer) return result("server", [...server, ...browser.map((e) => `${e} (forwarded?)`)], "likely");
    if (isBrowserProducer(producer)) browser.push(producerLabel(producer));
    return result("browser", browser, "certain");
  }
  if (strongServer) {
    if (modeAlone) server.push(`${line("sec-fetch-mode")} without Sec-Fetch-Site/Dest (Node.js fetch adds it)`);
    return result("server", server, "certain");
  }
  const browserUa = ua !== undefined && isBrowserUserAgent(ua);
  if (modeAlone && !browserUa) {
    // Browsers send Sec-Fetch-Mode together with Sec-Fetch-Site and Sec-Fetch-Dest; Node's fetch sends it alone.
    return result("server", [`${line("sec-fetch-mode")} without Sec-Fetch-Site/Dest (Node.js fetch adds it; browsers send all three)`], "likely");
  }

  const initiator = extras["_initiator"];
  if (initiator !== undefined && initiator !== null) {
    const type =
      typeof initiator === "object" && typeof (initiator as { type?: unknown }).type === "string"
        ? (initiator as { type: string }).type
        : undefined;
    browser.push(type ? `_initiator: ${type}` : "_initiator present");
  }
  if (isBrowserProducer(producer)) browser.push(producerLabel(producer));
  // A browser User-Agent next to a lone Sec-Fetch-Mode (an edited or partial capture, or server code posing as a
  // browser): still called a browser, but only as possible.
  if (browser.length > 0) return result("browser", browser, modeAlone ? "possible" : "likely");

  if (isToolProducer(producer)) {
    const evidence = [`${producerLabel(producer)} with no browser headers`];
    if (ua !== undefined) evidence.push(`User-Agent: ${truncate(ua, UA_EVIDENCE_MAX)}`);
    return result("server", evidence, "likely");
  }
  return { kind: "unknown", evidence: [] };
}
