/**
 * One hop of a browser request, as the Chrome DevTools Protocol reported it,
 * becomes a HAR 1.2 entry — keeping what a DevTools HAR export loses:
 *
 * - the raw request headers (with `Cookie`) and raw response headers (with
 *   every `Set-Cookie`), from the ExtraInfo events;
 * - `_associatedCookies`: every cookie the browser considered for the request,
 *   sent (`blockedReasons: []`) or withheld and why
 *   (`[{ cookie: { name, domain, path, … }, blockedReasons: ["UserPreferences"] }]`).
 *   An empty list means it considered none: for a `fetch`, the request was made
 *   without credentials (or the browser held no cookie for the URL). Absent
 *   when Chrome sent no ExtraInfo (cache, failure before the network);
 * - `_blockedCookies`: `Set-Cookie` lines it refused, and why
 *   (`[{ blockedReasons: [...], cookieLine, cookie? }]`);
 * - `_exemptedCookies`, `_corsError`, `_blockedReason`, `_initiator`, `_resourceType`.
 *
 * The shapes are Chrome's own (rules/util-browser.ts reads them), minus the
 * cookie values: cookie objects lose `value`, and a `cookieLine` has its value
 * masked (`sid=102…f8o (25 chars); Path=/; Secure`). The values are in the
 * `Cookie` and `Set-Cookie` headers, which the redactor knows how to mask; a
 * copy in a `_` field would survive `oktalint redact`.
 */
import { harHeader, harNoResponse, harQueryString, harRequestCookies, harSetCookies, type HarEntry, type HarNameValue } from "../live/har.js";
import { maskHeader } from "../okta/mask.js";
import type {
  AssociatedCookie,
  CdpCookie,
  CdpHeaders,
  CdpInitiator,
  CdpResponse,
  CorsErrorStatus,
  RequestWillBeSent,
  RequestWillBeSentExtraInfo,
  ResponseReceivedExtraInfo,
} from "./cdp-types.js";

/** A HAR 1.2 entry as the recorder writes it, plus `_` fields. */
export type BrowserHarEntry = HarEntry;

/** How a hop ended. Timestamps are CDP's monotonic seconds. */
export type HopEnd =
  | { kind: "redirect"; timestamp: number; location: string }
  | { kind: "finished"; timestamp: number; encodedDataLength: number }
  | { kind: "failed"; timestamp: number; errorText: string; canceled?: boolean; blockedReason?: string; corsErrorStatus?: CorsErrorStatus }
  /** Still in flight when the recording stopped. */
  | { kind: "unfinished" };

/** `partial`: the text is what had arrived, and why the rest is missing. */
export type HopBody = { text: string; base64: boolean; partial?: string } | { omitted: string };

/** Everything known about one hop (one request/response pair; a redirect chain has one hop per redirect). */
export interface Hop {
  sent: RequestWillBeSent;
  requestExtra?: RequestWillBeSentExtraInfo;
  response?: CdpResponse;
  /** Seconds, monotonic: when the response headers were reported. */
  responseTimestamp?: number;
  responseExtra?: ResponseReceivedExtraInfo;
  /** CDP resource type (Document, Fetch, XHR …). */
  resourceType?: string;
  end: HopEnd;
  /** Decoded body bytes received (sum of dataReceived). */
  dataLength: number;
  body?: HopBody;
  /** The request was answered from the memory cache. */
  fromMemoryCache?: boolean;
  /** POST body fetched separately (Network.getRequestPostData) when the event did not carry it. */
  postData?: string;
  /** requestWillBeSent was missed: the request was rebuilt from the held request (`held`) or the response alone (`guessed`). */
  recovered?: "held" | "guessed";
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** CDP's protocol names → HAR's httpVersion. */
export function httpVersionOf(protocol: string | undefined): string {
  if (!protocol) return "";
  const p = protocol.toLowerCase();
  if (p === "h2" || p === "http/2" || p === "http/2.0") return "HTTP/2";
  if (p === "h3" || p.startsWith("h3-") || p === "http/3") return "HTTP/3";
  if (p === "http/1.1" || p === "http/1.0") return p.toUpperCase();
  return protocol;
}

/** Header object → HAR list; values Chrome joined with "\n" (Set-Cookie …) become separate headers. */
export function headerPairs(headers: CdpHeaders | undefined): HarNameValue[] {
  const out: HarNameValue[] = [];
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string") continue;
    for (const v of value.split("\n")) out.push({ name, value: v });
  }
  return out;
}

/** A CDP cookie without its value (the value is in the Cookie/Set-Cookie headers, where masking finds it). */
function withoutValue(cookie: CdpCookie): CdpCookie {
  const { value: _value, ...rest } = cookie;
  return rest as CdpCookie;
}

/** The cookies the browser considered for the request, with Chrome's reasons for any it withheld. */
function associatedCookies(list: readonly AssociatedCookie[] | undefined): AssociatedCookie[] {
  if (!list) return [];
  return list.map((a) => {
    const item: AssociatedCookie = { cookie: withoutValue(a.cookie), blockedReasons: [...(a.blockedReasons ?? [])] };
    if (a.exemptionReason !== undefined && a.exemptionReason !== "None") item.exemptionReason = a.exemptionReason;
    return item;
  });
}

/** The initiator without its long async stack: the top frames say enough. */
function compactInitiator(init: CdpInitiator | undefined): Record<string, unknown> | undefined {
  if (!init) return undefined;
  const out: Record<string, unknown> = { type: init.type };
  if (init.url) out["url"] = init.url;
  if (init.lineNumber !== undefined) out["lineNumber"] = init.lineNumber;
  if (init.columnNumber !== undefined) out["columnNumber"] = init.columnNumber;
  if (init.requestId) out["requestId"] = init.requestId;
  const frames = init.stack?.callFrames;
  if (frames && frames.length > 0) {
    out["stack"] = {
      callFrames: frames.slice(0, 8).map((f) => ({ functionName: f.functionName ?? "", url: f.url ?? "", lineNumber: f.lineNumber ?? -1, columnNumber: f.columnNumber ?? -1 })),
    };
  }
  return out;
}

function postDataOf(hop: Hop): string | undefined {
  const req = hop.sent.request;
  if (typeof req.postData === "string") return req.postData;
  if (hop.postData !== undefined) return hop.postData;
  if (Array.isArray(req.postDataEntries) && req.postDataEntries.length > 0) {
    return Buffer.concat(req.postDataEntries.map((e) => Buffer.from(e.bytes ?? "", "base64"))).toString("utf8");
  }
  return undefined;
}

/** First line of an HTTP/1 head (`HTTP/1.1 302 Found`) → the reason phrase. */
function statusTextFrom(headersText: string | undefined): string | undefined {
  if (!headersText) return undefined;
  const line = headersText.slice(0, headersText.indexOf("\r\n") >>> 0);
  const m = /^HTTP\/[\d.]+\s+\d{3}\s?(.*)$/.exec(line);
  return m ? m[1] : undefined;
}

/** HAR timings from Chrome's resource timing, as DevTools' own HAR export computes them. */
function timingsOf(hop: Hop): { timings: BrowserHarEntry["timings"]; time: number } {
  const start = hop.sent.timestamp;
  const endTs = hop.end.kind === "unfinished" ? undefined : hop.end.timestamp;
  const t = hop.response?.timing;
  if (!t || !(t.requestTime > 0)) {
    // No network timing (cache, failure before the request went out): split what we know.
    const headersAt = hop.responseTimestamp ?? endTs;
    const wait = headersAt !== undefined ? Math.max(0, (headersAt - start) * 1000) : 0;
    const receive = endTs !== undefined && headersAt !== undefined ? Math.max(0, (endTs - headersAt) * 1000) : 0;
    return { timings: { blocked: -1, dns: -1, connect: -1, send: 0, wait: round(wait), receive: round(receive) }, time: round(wait + receive) };
  }
  const queued = Math.max(0, (t.requestTime - start) * 1000);
  const firstPhase = [t.dnsStart, t.connectStart, t.sendStart].find((v) => v >= 0) ?? 0;
  const blocked = queued + firstPhase;
  const dns = t.dnsStart >= 0 && t.dnsEnd >= t.dnsStart ? t.dnsEnd - t.dnsStart : -1;
  const connect = t.connectStart >= 0 && t.connectEnd >= t.connectStart ? t.connectEnd - t.connectStart : -1;
  const ssl = t.sslStart >= 0 && t.sslEnd >= t.sslStart ? t.sslEnd - t.sslStart : -1;
  const send = Math.max(0, t.sendEnd - t.sendStart);
  const wait = Math.max(0, t.receiveHeadersEnd - t.sendEnd);
  const receive = endTs !== undefined ? Math.max(0, (endTs - t.requestTime) * 1000 - t.receiveHeadersEnd) : 0;
  const time = blocked + Math.max(0, dns) + Math.max(0, connect) + send + wait + receive;
  return {
    timings: { blocked: round(blocked), dns: round(dns), connect: round(connect), ssl: round(ssl), send: round(send), wait: round(wait), receive: round(receive) },
    time: round(time),
  };
}

/** Build the HAR entry of one hop. */
export function hopToEntry(hop: Hop): BrowserHarEntry {
  const sent = hop.sent;
  const url = sent.request.url + (sent.request.urlFragment ?? "");
  const reqHeaders = headerPairs(hop.requestExtra?.headers ?? sent.request.headers);
  const postData = postDataOf(hop);
  const httpVersion = httpVersionOf(hop.response?.protocol);
  const { timings, time } = timingsOf(hop);

  const entry: BrowserHarEntry = {
    startedDateTime: new Date(Math.round(sent.wallTime * 1000)).toISOString(),
    time,
    request: {
      method: sent.request.method,
      url,
      httpVersion,
      cookies: harRequestCookies(reqHeaders),
      headers: reqHeaders,
      queryString: harQueryString(url),
      headersSize: -1,
      bodySize: postData === undefined ? 0 : Buffer.byteLength(postData),
    },
    response: harNoResponse("x-unknown"),
    cache: {},
    timings,
  };
  if (postData !== undefined) entry.request.postData = { mimeType: harHeader(reqHeaders, "content-type") ?? "", text: postData };

  const res = hop.response;
  const extra = hop.responseExtra;
  if (res || extra) {
    const headers = headerPairs(extra?.headers ?? res?.headers);
    const status = extra?.statusCode ?? res?.status ?? 0;
    const headersSize = extra?.headersText ? Buffer.byteLength(extra.headersText) : -1;
    const content: BrowserHarEntry["response"]["content"] = { size: hop.dataLength, mimeType: res?.mimeType || harHeader(headers, "content-type") || "x-unknown" };
    const body = hop.body;
    if (body && "text" in body) {
      content.text = body.text;
      if (body.base64) content.encoding = "base64";
      if (content.size === 0) content.size = body.base64 ? Buffer.from(body.text, "base64").length : Buffer.byteLength(body.text);
      if (body.partial) content.comment = body.partial;
    } else if (body && "omitted" in body) {
      content.comment = body.omitted;
    }
    let bodySize = -1;
    if (hop.end.kind === "redirect" || status === 304 || status === 204) bodySize = 0;
    else if (hop.end.kind === "finished" && headersSize >= 0) bodySize = Math.max(0, hop.end.encodedDataLength - headersSize);
    else if (hop.end.kind === "finished" && hop.fromMemoryCache) bodySize = 0;
    entry.response = {
      status,
      statusText: res?.statusText || statusTextFrom(extra?.headersText) || "",
      httpVersion: httpVersionOf(res?.protocol) || httpVersion,
      cookies: harSetCookies(headers),
      headers,
      content,
      redirectURL: hop.end.kind === "redirect" ? hop.end.location : "",
      headersSize,
      bodySize,
    };
    if (!entry.request.httpVersion) entry.request.httpVersion = entry.response.httpVersion;
  }

  if (hop.end.kind === "failed") entry.response._error = hop.end.errorText;
  // A response whose headers arrived is Okta's answer: only its body may be missing (said in content.comment).
  else if (hop.end.kind === "unfinished" && !(res || extra)) entry.response._error = "unfinished: the recording stopped before the response ended";
  if (res?.remoteIPAddress) entry.serverIPAddress = res.remoteIPAddress.replace(/^\[(.*)\]$/, "$1");
  if (res?.connectionId) entry.connection = String(res.connectionId);

  const initiator = compactInitiator(sent.initiator);
  if (initiator) entry._initiator = initiator;
  // Every hop is the browser's own: the reader need not guess the sender from headers.
  entry._oktalint = { source: "browse", sender: "browser" };
  const type = hop.resourceType ?? sent.type;
  if (type) entry._resourceType = type.toLowerCase();
  if (hop.requestExtra) entry._associatedCookies = associatedCookies(hop.requestExtra.associatedCookies);
  const blocked = extra?.blockedCookies ?? [];
  if (blocked.length > 0) {
    entry._blockedCookies = blocked.map((b) => ({ blockedReasons: [...b.blockedReasons], cookieLine: maskHeader("set-cookie", b.cookieLine), ...(b.cookie ? { cookie: withoutValue(b.cookie) } : {}) }));
  }
  const exempted = extra?.exemptedCookies ?? [];
  if (exempted.length > 0) {
    entry._exemptedCookies = exempted.map((e) => ({ exemptionReason: e.exemptionReason, cookieLine: maskHeader("set-cookie", e.cookieLine), cookie: withoutValue(e.cookie) }));
  }
  if (hop.end.kind === "failed") {
    if (hop.end.corsErrorStatus) entry._corsError = { ...hop.end.corsErrorStatus };
    if (hop.end.blockedReason) entry._blockedReason = hop.end.blockedReason;
    if (hop.end.canceled) entry._canceled = true;
  }
  if (hop.recovered) {
    entry._recovered =
      hop.recovered === "held"
        ? "the request was announced before its page was recorded: rebuilt from the request the browser held and the events that followed (no initiator)"
        : "the request was announced before its page was recorded: rebuilt from its response (method inferred, no initiator)";
  }
  if (hop.fromMemoryCache) entry._fromCache = "memory";
  else if (res?.fromDiskCache) entry._fromCache = "disk";
  if (res?.fromServiceWorker) entry._fromServiceWorker = true;
  if (hop.end.kind === "finished") entry._transferSize = hop.end.encodedDataLength;
  return entry;
}
