/**
 * The server half of `oktalint proxy`: a reverse proxy in front of one Okta org.
 *
 * The app or SDK uses `http://127.0.0.1:8787` as its Okta URL; every request is forwarded to the
 * target through one undici Pool (keep-alive, no pipelining), bodies stream both ways without being
 * buffered whole, and each completed exchange is handed to `onRecord` as a TraceRecord describing
 * what Okta saw (target URL, headers as sent upstream, response headers as Okta sent them, the
 * first `bodyLimit` bytes of each body as raw wire bytes).
 *
 * So that a browser app keeps working through it, the response headers that name the target are
 * rewritten to name the proxy (Location, Link, Set-Cookie Domain, Access-Control-Allow-Origin), and
 * an Origin/Referer naming the proxy itself becomes the target. Bodies are never rewritten.
 *
 * X-Forwarded-For/-Proto/-Host are deliberately NOT added. The proxy is a lens, not a hop: what
 * Okta receives (and what gets linted) should be what the app itself would send. The only client
 * address the proxy could report is loopback, which tells Okta nothing; and Okta honours
 * X-Forwarded-For only from proxies the org registered as trusted, so adding it would at best be
 * ignored and at worst feed a made-up address into rate-limit or network-zone decisions.
 * X-Forwarded-* headers the client sent itself pass through unchanged.
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { connect as netConnect, isIP } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { Pool } from "undici";
import type { Dispatcher } from "undici";
import { DEFAULT_BODY_LIMIT } from "../live/record.js";
import type { TraceRecord, WireBody } from "../live/record.js";
import { maskUrl } from "../okta/mask.js";

export interface ProxyOptions {
  /** Origin URL of the Okta org (or custom domain), http or https: `https://dev-123456.okta.com`. */
  target: string;
  /** Address to listen on; 127.0.0.1 by default. */
  host?: string;
  /** Port to listen on; 8787 by default, 0 picks a free one. */
  port?: number;
  /** Bytes of each body kept in the record (the whole size is still counted); DEFAULT_BODY_LIMIT by default. */
  bodyLimit?: number;
  /** Called once per completed (or failed) exchange. */
  onRecord(record: TraceRecord): void;
  /** One line per upstream failure (and per onRecord failure), without a prefix; never contains secrets. */
  onLog?(line: string): void;
  /**
   * Most upstream connections at once. Unlimited by default: each concurrent client request gets
   * its own upstream connection, so Okta sees the app's own concurrency (its concurrent-request
   * limits count exactly what the app would do directly).
   */
  connections?: number;
}

export interface RunningProxy {
  /** `http://127.0.0.1:PORT`: the URL to give the app as its Okta URL. */
  url: string;
  port: number;
  /** Stop listening, let in-flight exchanges finish (1 s at most), close upstream connections. */
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus the ones undici manages itself; never forwarded. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "expect", "host"]);
/** `; Domain=…` attributes of a Set-Cookie value (module level: compiled once). */
const DOMAIN_ATTRIBUTE = /;\s*domain\s*=\s*([^;]*)/gi;
/** How long close() waits for in-flight exchanges before cutting their connections. */
const CLOSE_GRACE_MS = 1000;
/** Errors that mean the connection to the target never came up (as opposed to breaking later). */
const CONNECT_CODES = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** The target, parsed once. */
interface Target {
  /** `https://dev-1.okta.com` (no default port, no trailing slash). */
  origin: string;
  /** The same origin with the default port spelled out (`https://dev-1.okta.com:443`): Location may use either. */
  originWithPort: string;
  /** Host header value: hostname plus a non-default port. */
  host: string;
  /** Lower-case hostname, IPv6 without brackets: what cookie Domain attributes are compared with. */
  hostname: string;
}

function parseTarget(target: string): Target {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`proxy target is not a URL: '${target}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`proxy target must be an http or https URL, got '${target}'`);
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    throw new Error(`proxy target must be an origin without path or credentials, e.g. ${url.origin}`);
  }
  const defaultPort = url.protocol === "https:" ? "443" : "80";
  return {
    origin: url.origin,
    originWithPort: `${url.protocol}//${url.hostname}:${url.port || defaultPort}`,
    host: url.host,
    hostname: url.hostname.replace(/^\[|\]$/g, "").toLowerCase(),
  };
}

/** Everything the per-request code needs, shared by all exchanges. */
interface ProxyContext {
  target: Target;
  pool: Pool;
  bodyLimit: number;
  onRecord(record: TraceRecord): void;
  onLog(line: string): void;
  /** Exchanges not yet recorded; close() waits for them, then cancels the rest. */
  active: Set<Exchange>;
  /** Set by close() while it waits for `active` to empty. */
  drained: (() => void) | null;
}

/** Keeps a copy of the first `limit` bytes of a body (by reference, no copying) and counts the rest. */
class BodyTap {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  size = 0;
  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.size += chunk.length;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }

  /** The recorded body (base64 made once, here); undefined when no byte went over the wire. */
  wire(): WireBody | undefined {
    if (this.size === 0) return undefined;
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.kept);
    const body: WireBody = { size: this.size, base64: bytes.toString("base64") };
    if (this.size > this.kept) body.truncated = true;
    return body;
  }
}

/** Marks an abort the proxy causes (client gone, proxy closing), to tell it apart from upstream failures. */
class ClientGoneError extends Error {
  constructor(message = "aborted") {
    super(message);
  }
}

/** The message of an error, including undici's AggregateError (happy-eyeballs) whose own message is empty. */
function errorText(err: unknown): string {
  if (err instanceof AggregateError && !err.message) {
    const first: unknown = err.errors[0];
    if (first instanceof Error && first.message) return first.message;
  }
  if (err instanceof Error) return err.message || (err as NodeJS.ErrnoException).code || err.name;
  return String(err);
}

function errorCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code) return code;
  if (err instanceof AggregateError) return (err.errors[0] as NodeJS.ErrnoException | undefined)?.code;
  return undefined;
}

/** True when the character code after an origin ends it: end of string, `/`, `?`, `#` or `>`. */
const endsOrigin = (code: number): boolean => Number.isNaN(code) || code === 47 || code === 63 || code === 35 || code === 62;

/**
 * `url` with its origin swapped when it starts with `from` as a whole origin
 * (`https://x.okta.com.evil.example` and `https://x.okta.com:8443` are left alone).
 * URLs nested in its query (fromURI=…) are not touched.
 */
export function swapOrigin(url: string, from: string, to: string): string {
  return url.startsWith(from) && endsOrigin(url.charCodeAt(from.length)) ? to + url.slice(from.length) : url;
}

/** Swap the origin of every `<URL>` reference in a Link header value. */
export function swapLinkOrigins(value: string, from: string, to: string): string {
  const open = "<" + from;
  let at = value.indexOf(open);
  if (at < 0) return value;
  let out = "";
  let last = 0;
  while (at >= 0) {
    const end = at + open.length;
    if (endsOrigin(value.charCodeAt(end))) {
      out += value.slice(last, at + 1) + to;
      last = end;
    }
    at = value.indexOf(open, end);
  }
  return out + value.slice(last);
}

/** True when a cookie Domain attribute value covers the target host (the host itself or a parent domain). */
function domainCoversTarget(domain: string, hostname: string): boolean {
  let d = domain.trim().toLowerCase();
  if (d.startsWith(".")) d = d.slice(1);
  return d.length > 0 && (d === hostname || hostname.endsWith("." + d));
}

/**
 * Drop a Domain attribute naming the target (or a parent of it) so the cookie becomes host-only on
 * the proxy's host; every other attribute stays. Secure stays too: browsers treat
 * http://127.0.0.1 and http://localhost as secure contexts and keep Secure cookies there.
 */
export function rewriteSetCookie(value: string, targetHostname: string): string {
  return value.replace(DOMAIN_ATTRIBUTE, (whole: string, domain: string) => (domainCoversTarget(domain, targetHostname) ? "" : whole));
}

/** Names listed in a Connection header (besides keep-alive/close): hop-by-hop for this message only. */
function connectionTokens(value: string): string[] {
  return value
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t && t !== "keep-alive" && t !== "close" && t !== "host");
}

/**
 * One exchange: builds the upstream request from the client's, then, as undici's dispatch handler,
 * streams the response back and writes the record.
 *
 * It implements undici's core (legacy) handler interface rather than the newer controller one:
 * that is what undici's Client calls natively (a controller handler gets wrapped and its headers
 * re-parsed into an object), and it hands over the raw header list (names as written, in order,
 * duplicates kept) which the record needs, plus the status text and onBodySent/onRequestSent.
 */
class Exchange {
  private readonly started = performance.now();
  private readonly startedDateTime = new Date().toISOString();
  private readonly requestBody: BodyTap | null;
  private responseBody: BodyTap | null = null;
  private upstreamAbort: ((err?: Error) => void) | null = null;
  private clientGone = false;
  private done = false;
  private sentAt = -1;
  private headersAt = -1;
  private status = 0;
  private statusText = "";
  private responseHeaders: [string, string][] | null = null;
  /** The origin the client used to reach the proxy (`http://127.0.0.1:8787`), from its Host header. */
  readonly clientOrigin: string;
  readonly path: string;
  /** Flat [name, value, …] list for undici, Host first. */
  readonly upstreamHeaders: string[];
  readonly recordedHeaders: [string, string][];
  readonly hasBody: boolean;

  constructor(
    private readonly ctx: ProxyContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    const { target } = ctx;
    this.clientOrigin = `http://${req.headers.host ?? "127.0.0.1"}`;
    this.path = upstreamPath(req.url ?? "/");
    this.upstreamHeaders = ["host", target.host];
    this.recordedHeaders = [["host", target.host]];
    this.hasBody = this.copyRequestHeaders();
    this.requestBody = this.hasBody ? new BodyTap(ctx.bodyLimit) : null;
    ctx.active.add(this);
    res.on("close", this.onClientClose);
  }

  /** Fill upstreamHeaders/recordedHeaders from the client's raw headers; returns whether a body follows. */
  private copyRequestHeaders(): boolean {
    const raw = this.req.rawHeaders;
    const origin = this.ctx.target.origin;
    let extraHop: string[] | null = null;
    let chunked = false;
    let length = 0;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!;
      let value = raw[i + 1]!;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || lower.startsWith("proxy-")) {
        if (lower === "transfer-encoding") chunked = true;
        else if (lower === "connection") extraHop = connectionTokens(value);
        continue;
      }
      if (lower === "origin") {
        if (value === this.clientOrigin) value = origin;
      } else if (lower === "referer") {
        value = swapOrigin(value, this.clientOrigin, origin);
      } else if (lower === "content-length") {
        length = Number(value);
      }
      this.upstreamHeaders.push(name, value);
      this.recordedHeaders.push([name, value]);
    }
    if (extraHop?.length) this.dropHeaders(extraHop);
    if (chunked) this.recordedHeaders.push(["transfer-encoding", "chunked"]);
    return chunked || length > 0;
  }

  /** Remove headers the client's Connection header declared hop-by-hop (rare: a second pass is fine). */
  private dropHeaders(names: string[]): void {
    const drop = new Set(names);
    const kept: string[] = [];
    for (let i = 0; i < this.upstreamHeaders.length; i += 2) {
      if (!drop.has(this.upstreamHeaders[i]!.toLowerCase())) kept.push(this.upstreamHeaders[i]!, this.upstreamHeaders[i + 1]!);
    }
    this.upstreamHeaders.length = 0;
    this.upstreamHeaders.push(...kept);
    const recorded = this.recordedHeaders.filter(([n]) => !drop.has(n.toLowerCase()));
    this.recordedHeaders.length = 0;
    this.recordedHeaders.push(...recorded);
  }

  dispatch(): void {
    const opts: Dispatcher.DispatchOptions = {
      path: this.path,
      method: this.req.method ?? "GET",
      headers: this.upstreamHeaders,
      body: this.hasBody ? this.req : null,
    };
    try {
      // undici's typings mark the core handler methods deprecated and give onBodySent an old signature.
      this.ctx.pool.dispatch(opts, this as unknown as Dispatcher.DispatchHandler);
    } catch (err) {
      this.onError(err as Error);
    }
  }

  // ---- undici handler ----

  onConnect(abort: (err?: Error) => void): void {
    this.upstreamAbort = abort;
    // The client left while the request was queued for a connection.
    if (this.clientGone) abort(new ClientGoneError());
  }

  /** Called by undici with each request body chunk it writes (its typings still say (size, total)). */
  onBodySent(chunk: Buffer | string): void {
    this.requestBody?.add(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }

  onRequestSent(): void {
    this.sentAt = performance.now();
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void, statusText: string): boolean {
    if (status < 200) return true; // 1xx informational: Node answers 100-continue itself
    this.headersAt = performance.now();
    if (this.sentAt < 0) this.sentAt = this.headersAt; // answered before the body was all sent
    this.status = status;
    this.statusText = statusText;
    const { target } = this.ctx;
    const recorded: [string, string][] = [];
    const out: string[] = [];
    let extraHop: string[] | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toString("latin1");
      let value = raw[i + 1]!.toString("latin1");
      recorded.push([name, value]);
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || lower.startsWith("proxy-")) {
        if (lower === "connection") extraHop = connectionTokens(value);
        continue;
      }
      switch (lower) {
        case "location":
        case "content-location":
          value = this.toClientOrigin(value);
          break;
        case "link":
          value = swapLinkOrigins(swapLinkOrigins(value, target.origin, this.clientOrigin), target.originWithPort, this.clientOrigin);
          break;
        case "set-cookie":
          value = rewriteSetCookie(value, target.hostname);
          break;
        case "access-control-allow-origin":
          if (value === target.origin) value = this.clientOrigin;
          break;
      }
      out.push(name, value);
    }
    this.responseHeaders = recorded;
    this.responseBody = new BodyTap(this.ctx.bodyLimit);
    if (this.clientGone) return false;
    const headers = extraHop?.length ? dropFlat(out, new Set(extraHop)) : out;
    try {
      this.res.writeHead(status, statusText || undefined, headers);
    } catch (err) {
      // A header Node refuses to send (invalid characters): drop the upstream request; its
      // onError then answers 502 with the reason.
      if (this.upstreamAbort) this.upstreamAbort(err as Error);
      else this.fail(err as Error);
      return false;
    }
    this.resume = resume;
    return true;
  }

  private resume: (() => void) | null = null;
  private readonly onDrain = (): void => this.resume?.();

  onData(chunk: Buffer): boolean {
    this.responseBody?.add(chunk);
    if (this.clientGone) return true;
    if (this.res.write(chunk)) return true;
    // The client reads slower than Okta sends: pause upstream until the client drains.
    this.res.once("drain", this.onDrain);
    return false;
  }

  onComplete(): void {
    if (!this.clientGone) this.res.end();
    this.finish(undefined);
  }

  onError(err: Error): void {
    if (this.done) return;
    if (err instanceof ClientGoneError) return this.finish(err.message);
    // The client's connection is gone (it may die mid-upload before its 'close' reaches us): nobody to answer.
    if (this.clientGone || this.req.socket.destroyed) return this.finish("aborted");
    this.fail(err);
  }

  // ---- outcomes ----

  private toClientOrigin(url: string): string {
    const { origin, originWithPort } = this.ctx.target;
    return swapOrigin(swapOrigin(url, origin, this.clientOrigin), originWithPort, this.clientOrigin);
  }

  /** Upstream failed (or its answer could not be relayed): 502 when nothing was sent yet, else cut the response. */
  private fail(err: Error): void {
    const reason = errorText(err);
    const { target } = this.ctx;
    const method = this.req.method ?? "GET";
    const where = `${method} ${maskUrl(this.path.split("?", 1)[0]!)}`;
    if (!this.res.headersSent) {
      const verb = CONNECT_CODES.has(errorCode(err) ?? "") ? "could not reach" : "got no usable answer from";
      const summary = `oktalint proxy ${verb} ${target.origin}: ${reason}`;
      this.respond502(summary);
      this.ctx.onLog(`${where} → 502: ${verb} ${target.origin}: ${reason}`);
    } else {
      this.res.destroy();
      this.ctx.onLog(`${where}: the connection to ${target.origin} broke mid-response: ${reason}`);
    }
    this.finish(reason);
  }

  private respond502(summary: string): void {
    const body = JSON.stringify({ errorCode: "oktalint_upstream", errorSummary: summary });
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "cache-control": "no-store",
    };
    // Let a browser app read the error instead of seeing an opaque CORS failure.
    const origin = this.req.headers.origin;
    if (origin) {
      headers["access-control-allow-origin"] = origin;
      headers.vary = "Origin";
    }
    this.res.writeHead(502, headers);
    this.res.end(body);
  }

  private readonly onClientClose = (): void => {
    if (this.done || this.res.writableFinished) return;
    this.clientGone = true;
    this.upstreamAbort?.(new ClientGoneError());
  };

  /** The proxy is closing: drop both sides of this exchange and record it as aborted. */
  cancel(): void {
    if (this.done) return;
    this.clientGone = true;
    this.res.destroy();
    const reason = new ClientGoneError("aborted: the proxy was closing");
    if (this.upstreamAbort) this.upstreamAbort(reason);
    else this.finish(reason.message); // still waiting for an upstream connection
  }

  /** Record the exchange once, whatever way it ended. */
  private finish(error: string | undefined): void {
    if (this.done) return;
    this.done = true;
    this.res.off("close", this.onClientClose);
    const end = performance.now();
    const record: TraceRecord = {
      v: 1,
      kind: "exchange",
      client: "proxy",
      pid: process.pid,
      startedDateTime: this.startedDateTime,
      time: round(end - this.started),
      timings: {
        send: this.sentAt < 0 ? -1 : round(this.sentAt - this.started),
        wait: this.headersAt < 0 || this.sentAt < 0 ? -1 : round(this.headersAt - this.sentAt),
        receive: this.headersAt < 0 ? -1 : round(end - this.headersAt),
      },
      request: {
        method: this.req.method ?? "GET",
        url: this.ctx.target.origin + this.path,
        httpVersion: "HTTP/1.1",
        headers: this.recordedHeaders,
      },
    };
    const requestBody = this.requestBody?.wire();
    if (requestBody) record.request.body = requestBody;
    if (this.responseHeaders) {
      record.response = { status: this.status, statusText: this.statusText, httpVersion: "HTTP/1.1", headers: this.responseHeaders };
      const responseBody = this.responseBody?.wire();
      if (responseBody) record.response.body = responseBody;
    }
    if (error !== undefined) record.error = error;
    // Hand the record over on the next tick: Node flushes the response to the client in a
    // process.nextTick queued by res.write/end before this one, so the client is not kept waiting
    // while onRecord lints. Still before any further I/O, so records keep their order.
    process.nextTick(deliver, this.ctx, this, record);
  }
}

function deliver(ctx: ProxyContext, exchange: Exchange, record: TraceRecord): void {
  try {
    ctx.onRecord(record);
  } catch (err) {
    ctx.onLog(`could not record ${record.request.method} ${maskUrl(record.request.url.split("?", 1)[0]!)}: ${errorText(err)}`);
  }
  ctx.active.delete(exchange);
  if (ctx.active.size === 0) ctx.drained?.();
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** The path and query to request upstream: the request target, or the path of an absolute-form one. */
function upstreamPath(url: string): string {
  if (url.charCodeAt(0) === 47 /* / */) return url;
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url; // undici rejects it and the client gets a 502 saying why
  }
}

/** A flat [name, value, …] list without the named headers. */
function dropFlat(flat: string[], drop: Set<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flat.length; i += 2) if (!drop.has(flat[i]!.toLowerCase())) kept.push(flat[i]!, flat[i + 1]!);
  return kept;
}

/** The URL clients use to reach a server listening on `host`. */
function clientUrl(host: string, port: number): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return `http://127.0.0.1:${port}`;
  return isIP(host) === 6 ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

export async function startProxy(opts: ProxyOptions): Promise<RunningProxy> {
  const target = parseTarget(opts.target);
  const pool = new Pool(target.origin, {
    // Keep-alive, one request at a time per connection: what SDKs and browsers do over HTTP/1.1.
    pipelining: 1,
    ...(opts.connections ? { connections: opts.connections } : {}),
  });
  const ctx: ProxyContext = {
    target,
    pool,
    bodyLimit: Math.max(0, opts.bodyLimit ?? DEFAULT_BODY_LIMIT),
    onRecord: opts.onRecord,
    onLog: opts.onLog ?? (() => {}),
    active: new Set(),
    drained: null,
  };

  const server = createServer((req, res) => new Exchange(ctx, req, res).dispatch());
  const host = opts.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 8787, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    await pool.destroy();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (ctx.active.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CLOSE_GRACE_MS);
        ctx.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    for (const exchange of [...ctx.active]) exchange.cancel();
    server.closeAllConnections();
    await closed;
    await pool.destroy();
  };
  return {
    url: clientUrl(host, port),
    port,
    close: () => (closing ??= close()),
  };
}

/** A one-line reason for a failed connection attempt. */
function connectFailure(err: unknown): string {
  const code = errorCode(err);
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
      return "host not found";
    case "EAI_AGAIN":
      return "host not found (DNS lookup failed, try again)";
    case "ETIMEDOUT":
      return "connection timed out";
    case "EHOSTUNREACH":
      return "host unreachable";
    case "ENETUNREACH":
      return "network unreachable";
    case "ECONNRESET":
      return "connection reset";
  }
  const text = errorText(err);
  if (code && (code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code.includes("CERT") || code.includes("SIGNATURE"))) {
    return `TLS handshake failed: ${text}`;
  }
  return text;
}

/**
 * Try a TCP connection (TLS handshake included for https) to the target. Resolves null when it
 * answers, or a one-line reason: "connection refused", "host not found", "TLS handshake failed: …".
 */
export async function checkTarget(target: string, timeoutMs = 5000): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return "not a URL";
  }
  const https = url.protocol === "https:";
  if (!https && url.protocol !== "http:") return `not an http or https URL (${url.protocol})`;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port) || (https ? 443 : 80);
  return new Promise<string | null>((resolve) => {
    const socket: Socket = https
      ? tlsConnect({ host, port, ALPNProtocols: ["http/1.1"], ...(isIP(host) ? {} : { servername: host }) })
      : netConnect({ host, port });
    const done = (reason: string | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reason);
    };
    const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once(https ? "secureConnect" : "connect", () => done(null));
    socket.once("error", (err) => done(connectFailure(err)));
  });
}
