/**
 * The HAR 1.2 entries oktalint writes itself (the trace preload's and the
 * proxy's records, the browser recorder's hops), and the pieces of an entry
 * that every producer builds the same way.
 */
import { parseCookieHeader, parseSetCookie, splitSetCookieHeader } from "../model/cookies.js";

export interface HarNameValue {
  name: string;
  value: string;
}

/** A HAR 1.2 entry as oktalint writes it, plus `_` extensions. */
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: { mimeType: string; text: string; _truncated?: boolean; _encoding?: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: Record<string, unknown>[];
    headers: HarNameValue[];
    content: { size: number; compression?: number; mimeType: string; text?: string; encoding?: string; comment?: string; _truncated?: boolean };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    /** Why no (complete) response arrived: a network error, Chrome's `net::ERR_…`. */
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; ssl?: number; send: number; wait: number; receive: number };
  serverIPAddress?: string;
  connection?: string;
  _error?: string;
  [extension: `_${string}`]: unknown;
}

/** The first value of a header (case-insensitive name). */
export function harHeader(headers: readonly HarNameValue[], name: string): string | undefined {
  for (const h of headers) if (h.name.toLowerCase() === name) return h.value;
  return undefined;
}

/** HAR request `cookies`: those of the Cookie header. */
export function harRequestCookies(headers: readonly HarNameValue[]): HarNameValue[] {
  const cookie = harHeader(headers, "cookie");
  return cookie === undefined ? [] : parseCookieHeader(cookie).map((c) => ({ name: c.name, value: c.value }));
}

/** The response of an entry that got none (yet): status 0, no headers, no body. */
export function harNoResponse(mimeType: string): HarEntry["response"] {
  return { status: 0, statusText: "", httpVersion: "", cookies: [], headers: [], content: { size: 0, mimeType }, redirectURL: "", headersSize: -1, bodySize: -1 };
}

/** HAR `queryString` of a URL: its query, decoded, without the fragment. */
export function harQueryString(url: string): HarNameValue[] {
  const q = url.indexOf("?");
  if (q < 0) return [];
  const hash = url.indexOf("#", q);
  const out: HarNameValue[] = [];
  for (const [name, value] of new URLSearchParams(url.slice(q + 1, hash < 0 ? undefined : hash))) out.push({ name, value });
  return out;
}

/**
 * HAR cookie objects for the response's Set-Cookie lines. `expires` is
 * ISO 8601 as HAR 1.2 wants it. No `sameSite`: HAR 1.2 has no such field and
 * `validate --strict` rejects unknown ones (the attribute stays in the
 * Set-Cookie header, where the reader takes it from).
 */
export function harSetCookies(headers: readonly HarNameValue[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const h of headers) {
    if (h.name.toLowerCase() !== "set-cookie") continue;
    for (const line of splitSetCookieHeader(h.value)) {
      const c = parseSetCookie(line);
      if (!c) continue;
      const har: Record<string, unknown> = { name: c.name, value: c.value };
      if (c.path !== undefined) har["path"] = c.path;
      if (c.domain !== undefined) har["domain"] = c.domain;
      if (c.expires !== undefined) {
        const t = Date.parse(c.expires);
        har["expires"] = Number.isFinite(t) ? new Date(t).toISOString() : c.expires;
      }
      if (c.httpOnly) har["httpOnly"] = true;
      if (c.secure) har["secure"] = true;
      out.push(har);
    }
  }
  return out;
}
