import type { HeaderList } from "./headers.js";
import type { ProducerInfo, Sender } from "./exchange.js";

/**
 * Who sent a request: a browser (page script, navigation, form post) or a
 * non-browser client (a server, SDK, CLI or API tool), as far as the capture
 * lets us tell. Generic HTTP knowledge only.
 *
 * Order of evidence:
 * 1. A non-browser User-Agent (SDKs, HTTP libraries, curl, Postman, ...) →
 *    "server": browsers never send those.
 * 2. Browser-only request headers (Sec-Fetch-*, sec-ch-ua; page scripts cannot
 *    set them), `Origin`, or a browser User-Agent → "browser". This is also what
 *    decides when a proxy (mitmproxy, Fiddler, Charles) recorded the traffic.
 * 3. Otherwise the producer: a browser's own export (log.browser, WebInspector,
 *    Firefox, ...) or a Chrome `_initiator` → "browser"; a proxy or API tool
 *    with no browser hints in the request → "server".
 * 4. Nothing to go on → "unknown".
 */

const UA_EVIDENCE_MAX = 60;

/**
 * User-Agents of HTTP clients that are not browsers: SDKs, HTTP libraries,
 * CLIs and API tools (Postman, Insomnia count as non-browser). Matched as a
 * product token `name/version`, or a bare `undici` / `node` / `got` UA (Node's
 * fetch and got send those).
 */
const TOOL_UA =
  /^(undici|node|got)\b|\b(okta-sdk[\w.-]*|okta-auth-js|node-fetch|undici|node|axios|got|python-requests|python-urllib\d?|python-httpx|httpx|aiohttp|urllib3|curl|wget|libcurl|java|apache-httpclient|okhttp|go-http-client|postmanruntime|insomnia|httpie|restsharp|dalvik|cfnetwork|libwww-perl|ruby|faraday|guzzlehttp|k6|deno|bun|windowspowershell|reqwest)\/\w/i;

/** User-Agents that announce a browser engine (headless browsers included: they are browsers). */
const BROWSER_UA = /^Mozilla\/[45]\.0 \(.*\b(Chrome|Chromium|Firefox|Safari|Edg|Edge|OPR|Trident|MSIE|AppleWebKit|Gecko)\b/;

/** Producers that are browsers (or a browser's own DevTools export). */
const BROWSER_PRODUCER = /^(WebInspector|Firefox|Firebug|Safari|Web Inspector|Chrome|Chromium|Microsoft Edge|Edge|Internet Explorer|Opera)\b/i;

/** Producers that are proxies or API tools: they record whatever client went through them. */
const TOOL_PRODUCER = /(mitmproxy|fiddler|charles|proxyman|burp|http ?toolkit|zap|insomnia|postman|paw|httpie|har ?extractor)/i;

const BROWSER_ONLY_HEADERS = ["Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest", "Sec-Fetch-User", "sec-ch-ua"];

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

/** Request headers the decision looks at, lower-cased name → display name. */
const WATCHED: ReadonlyMap<string, string> = new Map([
  ["user-agent", "User-Agent"],
  ["origin", "Origin"],
  ...BROWSER_ONLY_HEADERS.map((name) => [name.toLowerCase(), name] as [string, string]),
]);

/** Decide who sent a request from its headers, the capture's producer and the entry's `_` fields. */
export function detectSender(
  headers: HeaderList,
  producer: ProducerInfo,
  extras: Record<string, unknown> = {},
): Sender {
  // One pass over the headers (first value of each watched header).
  const found = new Map<string, string>();
  for (const h of headers.list) {
    const lower = h.name.toLowerCase();
    if (WATCHED.has(lower) && !found.has(lower)) found.set(lower, h.value);
  }
  const ua = found.get("user-agent");
  if (ua !== undefined && isToolUserAgent(ua)) {
    return { kind: "server", evidence: [`User-Agent: ${truncate(ua, UA_EVIDENCE_MAX)}`] };
  }

  const browser: string[] = [];
  for (const [lower, display] of WATCHED) {
    if (lower === "user-agent") continue;
    const value = found.get(lower);
    if (value !== undefined) browser.push(`${display}: ${truncate(value, UA_EVIDENCE_MAX)}`);
  }
  if (ua !== undefined && isBrowserUserAgent(ua)) browser.push(`User-Agent: ${truncate(ua, UA_EVIDENCE_MAX)}`);
  if (browser.length > 0) {
    if (isBrowserProducer(producer)) browser.push(producerLabel(producer));
    return { kind: "browser", evidence: browser };
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
  if (browser.length > 0) return { kind: "browser", evidence: browser };

  if (isToolProducer(producer)) {
    const evidence = [`${producerLabel(producer)} with no browser headers`];
    if (ua !== undefined) evidence.push(`User-Agent: ${truncate(ua, UA_EVIDENCE_MAX)}`);
    return { kind: "server", evidence };
  }
  return { kind: "unknown", evidence: [] };
}
