/**
 * The `oktalint trace` preload: loaded into every Node process of the traced
 * command through `NODE_OPTIONS=--require <this file>`, it records each HTTP
 * exchange the process makes and streams it to oktalint as a TraceRecord.
 *
 * Three sources are observed:
 * - undici (global fetch, undici.fetch, undici.request/stream/dispatch)
 *   through its diagnostics channels. Node 20's built-in fetch runs on a
 *   bundled undici 6 that publishes no body chunks, so unless a global
 *   dispatcher already exists, an undici 7 Agent is installed as the global
 *   dispatcher (lazily: loading undici costs tens of ms).
 * - node:http / node:https ClientRequest, by wrapping write/end (request
 *   body), emit (response, errors, close) and IncomingMessage#push (response
 *   body) — never by adding listeners, which would change Node's behaviour.
 * - nothing else: the app's streams are never paused, buffered or consumed;
 *   bodies are copied (up to a limit) as they pass.
 *
 * Records travel over a FIFO shared by every traced process and thread, each
 * record as one or more atomic writes (<= PIPE_BUF) framed as
 * `<pid>.<threadId> <more:1|0> <payload>\n` (see src/trace/channel.ts).
 * Writes are synchronous so nothing is lost on process.exit() or a crash.
 *
 * This file is CommonJS and self-contained (node builtins, plus undici
 * resolved relative to this file) because it runs inside arbitrary apps.
 * Any failure inside it disables tracing silently: the app must never notice.
 */
import fs = require("node:fs");
import http = require("node:http");
import diagnostics = require("node:diagnostics_channel");
import workerThreads = require("node:worker_threads");
import type { LiveRecord, TraceRecord, WireBody } from "../live/record.js";

const FIFO_ENV = "OKTALINT_TRACE_FIFO";
const BODY_LIMIT_ENV = "OKTALINT_TRACE_BODY_LIMIT";
const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Writes up to this size to a pipe are atomic on Linux (and POSIX guarantees >= 512). */
const PIPE_BUF = 4096;
const LOADED = Symbol.for("oktalint.trace.preload");
/** undici's global dispatcher slot, read by Node's built-in fetch and by every undici >= 5. */
const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");
/** The slot undici 7 writes beside the legacy one. */
const GLOBAL_DISPATCHER_V2 = Symbol.for("undici.globalDispatcher.2");
const EXITED_EARLY = "process exited before the exchange completed";

type Client = TraceRecord["client"];
type HeaderLines = [string, string][];
type Encoding = BufferEncoding;

/** Runs `fn`, swallowing anything it throws: tracing must never break the app. */
function guard(fn: () => void): void {
  try {
    fn();
  } catch {
    // Deliberately ignored; see the file comment.
  }
}

// ---------------------------------------------------------------------------
// Transport

/** Writes framed records to the FIFO; disables itself on the first error. */
class Sink {
  private fd: number | null = null;
  private disabled = false;
  private readonly key: string;

  constructor(private readonly path: string) {
    this.key = `${process.pid}.${workerThreads.threadId}`;
  }

  send(record: LiveRecord): void {
    if (this.disabled) return;
    try {
      const fd = this.fd ?? this.open();
      for (const frame of encodeFrames(this.key, Buffer.from(JSON.stringify(record), "utf8"))) {
        writeFully(fd, frame);
      }
    } catch {
      this.disable();
    }
  }

  /**
   * Opens the FIFO for blocking writes. The non-blocking probe fails (ENXIO)
   * when nobody reads it, where a plain blocking open would hang the app.
   */
  private open(): number {
    const { O_WRONLY, O_APPEND, O_NONBLOCK } = fs.constants;
    const probe = fs.openSync(this.path, O_WRONLY | O_NONBLOCK);
    try {
      this.fd = fs.openSync(this.path, O_WRONLY | O_APPEND);
    } finally {
      fs.closeSync(probe);
    }
    return this.fd;
  }

  private disable(): void {
    this.disabled = true;
    if (this.fd !== null) guard(() => fs.closeSync(this.fd as number));
    this.fd = null;
  }
}

/** Splits one JSON line into frames of at most PIPE_BUF bytes each. */
function encodeFrames(key: string, payload: Buffer): Buffer[] {
  const room = PIPE_BUF - Buffer.byteLength(`${key} 0 \n`);
  const frames: Buffer[] = [];
  let offset = 0;
  do {
    const end = Math.min(offset + room, payload.length);
    const more = end < payload.length ? 1 : 0;
    frames.push(Buffer.concat([Buffer.from(`${key} ${more} `), payload.subarray(offset, end), Buffer.from("\n")]));
    offset = end;
  } while (offset < payload.length);
  return frames;
}

function writeFully(fd: number, frame: Buffer): void {
  let written = 0;
  while (written < frame.length) written += fs.writeSync(fd, frame, written, frame.length - written);
}

// ---------------------------------------------------------------------------
// Exchanges

/** The first `limit` bytes of a body, copied as they pass, and its full size. */
class BodyCopy {
  private size = 0;
  private kept = 0;
  private readonly parts: Buffer[] = [];

  constructor(private readonly limit: number) {}

  add(chunk: unknown, encoding?: unknown): void {
    if (typeof chunk === "string") {
      const enc = Buffer.isEncoding(encoding as string) ? (encoding as Encoding) : "utf8";
      const length = Buffer.byteLength(chunk, enc);
      if (this.kept < this.limit && length > 0) this.keep(Buffer.from(chunk, enc));
      this.size += length;
    } else if (chunk instanceof Uint8Array) {
      if (this.kept < this.limit && chunk.byteLength > 0) this.keep(chunk);
      this.size += chunk.byteLength;
    }
  }

  /** Copies (apps and parsers reuse their buffers) at most what the limit leaves. */
  private keep(bytes: Uint8Array): void {
    const take = Math.min(bytes.byteLength, this.limit - this.kept);
    this.parts.push(Buffer.from(bytes.subarray(0, take)));
    this.kept += take;
  }

  /** Undefined for an empty or unseen body. */
  wire(): WireBody | undefined {
    if (this.size === 0) return undefined;
    const body: WireBody = { size: this.size, base64: Buffer.concat(this.parts).toString("base64") };
    if (this.size > this.kept) body.truncated = true;
    return body;
  }
}

interface ResponseHead {
  status: number;
  statusText: string;
  httpVersion: string;
  headers: HeaderLines;
}

/** What is known so far about one exchange in flight. */
interface Pending {
  client: Client;
  startedDateTime: string;
  /** performance.now() at start, then when the request was sent, and when the response head arrived (-1: not yet). */
  t0: number;
  tSent: number;
  tHeaders: number;
  method: string;
  url: string;
  httpVersion: string;
  headers: HeaderLines;
  requestBody: BodyCopy;
  response?: ResponseHead;
  responseBody: BodyCopy;
  error?: string;
  serverIPAddress?: string;
  /** Fills in what is read from the client's state only at the end (node:http's wire headers). */
  settle?: () => void;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Builds and sends exchange records; tracks what is still in flight for the exit flush. */
class Recorder {
  private readonly inFlight = new Set<Pending>();

  constructor(
    private readonly sink: Sink,
    private readonly bodyLimit: number,
  ) {}

  begin(client: Client, method: string, url: string): Pending {
    const pending: Pending = {
      client,
      startedDateTime: new Date().toISOString(),
      t0: performance.now(),
      tSent: -1,
      tHeaders: -1,
      method,
      url,
      httpVersion: "HTTP/1.1",
      headers: [],
      requestBody: new BodyCopy(this.bodyLimit),
      responseBody: new BodyCopy(this.bodyLimit),
    };
    this.inFlight.add(pending);
    return pending;
  }

  isOpen(pending: Pending): boolean {
    return this.inFlight.has(pending);
  }

  /** Sends the record once; later calls for the same exchange do nothing. */
  finish(pending: Pending, error?: string): void {
    if (!this.inFlight.delete(pending)) return;
    if (pending.settle) guard(pending.settle);
    this.sink.send(toRecord(pending, error ?? pending.error, performance.now()));
  }

  /** At exit: whatever never completed is sent as it stands. */
  flushAll(): void {
    for (const pending of [...this.inFlight]) this.finish(pending, pending.error ?? EXITED_EARLY);
  }
}

function toRecord(p: Pending, error: string | undefined, now: number): TraceRecord {
  const record: TraceRecord = {
    v: 1,
    kind: "exchange",
    client: p.client,
    pid: process.pid,
    startedDateTime: p.startedDateTime,
    time: round(now - p.t0),
    timings: {
      send: p.tSent >= 0 ? round(p.tSent - p.t0) : -1,
      wait: p.tHeaders >= 0 ? round(p.tHeaders - (p.tSent >= 0 ? p.tSent : p.t0)) : -1,
      receive: p.tHeaders >= 0 ? round(now - p.tHeaders) : -1,
    },
    request: { method: p.method, url: p.url, httpVersion: p.httpVersion, headers: p.headers },
  };
  const requestBody = p.requestBody.wire();
  if (requestBody) record.request.body = requestBody;
  if (p.response) {
    record.response = { ...p.response };
    const responseBody = p.responseBody.wire();
    if (responseBody) record.response.body = responseBody;
  }
  if (error !== undefined) record.error = error;
  if (p.serverIPAddress) record.serverIPAddress = p.serverIPAddress;
  return record;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  return String(error);
}

/** Parses `Name: value` lines (after an optional request line) into pairs. */
function parseHeaderBlock(block: string): { requestLine?: string; headers: HeaderLines } {
  const lines = block.split("\r\n");
  const headers: HeaderLines = [];
  let requestLine: string | undefined;
  for (const [index, line] of lines.entries()) {
    if (line === "") continue;
    // The colon of an HTTP/2 pseudo-header (":path") is part of its name.
    const colon = line.indexOf(":", 1);
    if (index === 0 && / HTTP\/\d(\.\d)?$/.test(line)) requestLine = line;
    else if (colon > 0) headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return requestLine === undefined ? { headers } : { requestLine, headers };
}

/** `[name, value, name, value ...]` (strings, Buffers, or arrays of values) into pairs. */
function flatPairs(flat: readonly unknown[]): HeaderLines {
  const pairs: HeaderLines = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = headerText(flat[i]);
    const value = flat[i + 1];
    for (const one of Array.isArray(value) ? value : [value]) pairs.push([name, headerText(one)]);
  }
  return pairs;
}

/** Header bytes are latin1 on the wire, as Node's own parser and fetch decode them. */
function headerText(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString("latin1") : String(value);
}

// ---------------------------------------------------------------------------
// undici (global fetch, undici used directly)

interface UndiciRequest {
  origin?: unknown;
  path?: unknown;
  method?: unknown;
  headers?: unknown;
  body?: unknown;
  contentLength?: unknown;
}
interface UndiciSocket {
  remoteAddress?: string;
}

function undiciOrigin(origin: unknown): string {
  const text = origin instanceof URL ? origin.origin : String(origin ?? "");
  return text.endsWith("/") ? text.slice(0, -1) : text;
}

/** Header pairs as undici holds them before sending (flat array in undici 7, a string in older ones). */
function undiciRequestHeaders(request: UndiciRequest, origin: string): HeaderLines {
  const raw = request.headers;
  const headers = Array.isArray(raw) ? flatPairs(raw) : typeof raw === "string" ? parseHeaderBlock(raw).headers : [];
  if (!headers.some(([name]) => name.toLowerCase() === "host")) {
    guard(() => headers.unshift(["host", new URL(origin).host]));
  }
  return headers;
}

/** fetch (Node's or undici's) always sends Sec-Fetch-Mode; undici.request does not by itself. */
function undiciClient(headers: HeaderLines): Client {
  return headers.some(([name]) => name.toLowerCase() === "sec-fetch-mode") ? "fetch" : "undici";
}

const PAYLOAD_METHODS = new Set(["PUT", "POST", "PATCH", "QUERY", "PROPFIND", "PROPPATCH"]);

/**
 * The framing header undici's HTTP/1.1 writer appends after publishing
 * `undici:client:sendHeaders` (mirrors writeH1 in undici 7's client-h1.js).
 */
function undiciFraming(request: UndiciRequest, method: string): [string, string] | undefined {
  const body = request.body;
  const declared = typeof request.contentLength === "number" ? request.contentLength : null;
  if (typeof body === "object" && body !== null && (body as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === "FormData") {
    return undefined; // undici computes the length while encoding the form.
  }
  let length = knownBodyLength(body) ?? declared;
  if (length === 0 && !PAYLOAD_METHODS.has(method)) length = null;
  if (body === null || body === undefined) return length === 0 ? ["content-length", "0"] : undefined;
  if (length === null) return ["transfer-encoding", "chunked"];
  return ["content-length", String(length)];
}

function knownBodyLength(body: unknown): number | null {
  if (body === null || body === undefined) return 0;
  if (body instanceof Uint8Array) return body.byteLength;
  if (typeof body === "object") {
    const state = (body as { _readableState?: { objectMode?: boolean; ended?: boolean; length?: number } })._readableState;
    if (state) return state.objectMode === false && state.ended === true && Number.isFinite(state.length) ? (state.length as number) : null;
    const size = (body as { size?: unknown }).size;
    if (typeof (body as { stream?: unknown }).stream === "function" && typeof size === "number") return size;
  }
  return null;
}

function observeUndici(recorder: Recorder): void {
  const exchanges = new WeakMap<object, Pending>();
  const on = (name: string, handler: (message: Record<string, unknown>, request: UndiciRequest) => void) => {
    diagnostics.subscribe(name, (message) => {
      guard(() => {
        const request = (message as { request?: unknown }).request;
        if (typeof request === "object" && request !== null) handler(message as Record<string, unknown>, request as UndiciRequest);
      });
    });
  };
  const known = (request: UndiciRequest): Pending | undefined => {
    const pending = exchanges.get(request);
    return pending && recorder.isOpen(pending) ? pending : undefined;
  };

  on("undici:request:create", (_message, request) => {
    const origin = undiciOrigin(request.origin);
    const headers = undiciRequestHeaders(request, origin);
    const pending = recorder.begin(undiciClient(headers), String(request.method ?? "GET"), origin + String(request.path ?? "/"));
    pending.headers = headers;
    exchanges.set(request, pending);
  });
  on("undici:client:sendHeaders", (message, request) => {
    const pending = known(request);
    if (!pending || typeof message.headers !== "string") return;
    const { requestLine, headers } = parseHeaderBlock(message.headers);
    if (requestLine !== undefined) {
      pending.httpVersion = requestLine.slice(requestLine.lastIndexOf(" ") + 1);
      const framing = undiciFraming(request, pending.method);
      if (framing) headers.push(framing);
    } else {
      pending.httpVersion = "HTTP/2";
    }
    pending.headers = headers;
    const address = (message.socket as UndiciSocket | undefined)?.remoteAddress;
    if (address) pending.serverIPAddress = address;
  });
  on("undici:request:bodyChunkSent", (message, request) => {
    known(request)?.requestBody.add(message.chunk);
  });
  on("undici:request:bodySent", (_message, request) => {
    const pending = known(request);
    if (pending) pending.tSent = performance.now();
  });
  on("undici:request:headers", (message, request) => {
    const pending = known(request);
    const response = message.response as { statusCode?: unknown; statusText?: unknown; headers?: unknown } | undefined;
    if (!pending || !response) return;
    pending.tHeaders = performance.now();
    if (pending.tSent < 0) pending.tSent = pending.tHeaders;
    pending.response = {
      status: Number(response.statusCode),
      statusText: typeof response.statusText === "string" ? response.statusText : "",
      httpVersion: pending.httpVersion,
      headers: Array.isArray(response.headers) ? flatPairs(response.headers) : [],
    };
  });
  on("undici:request:bodyChunkReceived", (message, request) => {
    known(request)?.responseBody.add(message.chunk);
  });
  on("undici:request:trailers", (_message, request) => {
    const pending = known(request);
    if (pending) recorder.finish(pending);
  });
  on("undici:request:error", (message, request) => {
    const pending = known(request);
    if (pending) recorder.finish(pending, errorText(message.error));
  });
}

/**
 * Makes an undici 7 Agent the global dispatcher when fetch first asks for
 * one, unless something already installed a dispatcher. An accessor defers
 * loading undici until then; a later `setGlobalDispatcher` by the app simply
 * replaces it (the property stays configurable until it holds a value).
 */
function installGlobalDispatcher(): void {
  if (Object.getOwnPropertyDescriptor(globalThis, GLOBAL_DISPATCHER) !== undefined) return;
  let installing = false;
  const settle = (value: unknown): void => {
    for (const slot of [GLOBAL_DISPATCHER, GLOBAL_DISPATCHER_V2]) {
      const current = Object.getOwnPropertyDescriptor(globalThis, slot);
      if (slot === GLOBAL_DISPATCHER || current === undefined) {
        // Same attributes as undici's setGlobalDispatcher.
        Object.defineProperty(globalThis, slot, { value, writable: true, enumerable: false, configurable: false });
      }
    }
  };
  Object.defineProperty(globalThis, GLOBAL_DISPATCHER, {
    configurable: true,
    enumerable: false,
    get(): unknown {
      // undici's own global.js reads the slot while we load it; let it see "unset".
      if (installing) return undefined;
      installing = true;
      try {
        settle(new (loadAgent())());
      } catch {
        // Without undici, fetch falls back to Node's own dispatcher.
        Object.defineProperty(globalThis, GLOBAL_DISPATCHER, { value: undefined, writable: true, enumerable: false, configurable: true });
      } finally {
        installing = false;
      }
      return (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER];
    },
    set(value: unknown) {
      settle(value);
    },
  });
}

type AgentClass = new () => object;

/** undici's Agent alone loads in a fraction of the time of the whole package. */
function loadAgent(): AgentClass {
  try {
    return require("undici/lib/dispatcher/agent") as AgentClass;
  } catch {
    return (require("undici") as { Agent: AgentClass }).Agent;
  }
}

// ---------------------------------------------------------------------------
// node:http / node:https

interface HttpPending extends Pending {
  request: http.ClientRequest;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** Replaces `target[name]` with a wrapper that keeps the original's name. */
function wrap<T extends object>(target: T, name: string, make: (original: Method) => Method): void {
  const original = (target as Record<string, unknown>)[name];
  if (typeof original !== "function") return;
  const wrapped = make(original as Method);
  Object.defineProperty(wrapped, "name", { value: original.name });
  Object.defineProperty(target, name, { value: wrapped, writable: true, enumerable: false, configurable: true });
}

interface RequestInternals {
  _header?: unknown;
  protocol?: unknown;
  host?: unknown;
  path?: unknown;
  method?: unknown;
  agent?: { protocol?: unknown } | null;
  socket?: { remoteAddress?: string; remotePort?: number } | null;
  res?: http.IncomingMessage | null;
  writableEnded?: boolean;
  destroyed?: boolean;
}

function observeHttp(recorder: Recorder): void {
  const byRequest = new WeakMap<object, HttpPending>();
  const byResponse = new WeakMap<object, HttpPending>();

  const track = (request: http.ClientRequest): HttpPending => {
    let pending = byRequest.get(request);
    if (!pending) {
      const internals = request as unknown as RequestInternals;
      const tracked: HttpPending = Object.assign(recorder.begin("http", String(internals.method ?? "GET"), ""), { request });
      tracked.settle = () => describeHttpRequest(tracked);
      byRequest.set(request, tracked);
      pending = tracked;
    }
    return pending;
  };

  const proto = http.ClientRequest.prototype;
  wrap(proto, "write", (original) =>
    function (this: unknown, ...args: unknown[]) {
      const request = this as http.ClientRequest;
      const accepting = !isClosed(request);
      const result = Reflect.apply(original, this, args);
      if (accepting) guard(() => track(request).requestBody.add(args[0], args[1]));
      return result;
    },
  );
  wrap(proto, "end", (original) =>
    function (this: unknown, ...args: unknown[]) {
      const request = this as http.ClientRequest;
      const accepting = !isClosed(request);
      const result = Reflect.apply(original, this, args);
      if (accepting && typeof args[0] !== "function") guard(() => track(request).requestBody.add(args[0], args[1]));
      return result;
    },
  );
  wrap(proto, "emit", (original) =>
    function (this: unknown, ...args: unknown[]) {
      guard(() => onRequestEvent(this as http.ClientRequest, args[0], args[1]));
      return Reflect.apply(original, this, args);
    },
  );
  wrap(http.IncomingMessage.prototype, "push", (original) =>
    function (this: unknown, ...args: unknown[]) {
      const pending = byResponse.get(this as object);
      if (!pending) return Reflect.apply(original, this, args);
      // Copy before handing the chunk on: a 'data' listener may run (and reuse it) synchronously.
      if (args[0] !== null) guard(() => pending.responseBody.add(args[0], args[1]));
      const result = Reflect.apply(original, this, args);
      if (args[0] === null) guard(() => recorder.finish(pending));
      return result;
    },
  );

  function onRequestEvent(request: http.ClientRequest, event: unknown, arg: unknown): void {
    switch (event) {
      case "finish": {
        const pending = track(request);
        pending.tSent = performance.now();
        break;
      }
      case "response":
      case "upgrade":
      case "connect": {
        const pending = track(request);
        const response = arg as http.IncomingMessage;
        pending.tHeaders = performance.now();
        if (pending.tSent < 0) pending.tSent = pending.tHeaders;
        pending.response = {
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? "",
          httpVersion: `HTTP/${response.httpVersion}`,
          headers: flatPairs(response.rawHeaders),
        };
        const address = (request as unknown as RequestInternals).socket?.remoteAddress ?? response.socket?.remoteAddress;
        if (address) pending.serverIPAddress = address;
        // After an upgrade or CONNECT the socket belongs to the app: the exchange is over.
        if (event === "response") byResponse.set(response, pending);
        else recorder.finish(pending);
        break;
      }
      case "error": {
        const pending = track(request);
        pending.error ??= errorText(arg);
        // Before a response nothing more will come; after one, wait for the body's end or 'close'.
        if (!pending.response) recorder.finish(pending);
        break;
      }
      case "close": {
        const pending = byRequest.get(request);
        // A response can still end in this tick (Node pushes the final null after 'close' on some paths).
        if (pending && recorder.isOpen(pending)) setImmediate(() => guard(() => recorder.finish(pending, closeError(pending))));
        break;
      }
    }
  }
}

/** Why a request closed without its response completing (undefined: it did complete). */
function closeError(pending: HttpPending): string | undefined {
  if (pending.error !== undefined) return pending.error;
  const response = (pending.request as unknown as RequestInternals).res;
  if (response && response.complete) return undefined;
  return response?.errored ? errorText(response.errored) : "aborted";
}

function isClosed(request: http.ClientRequest): boolean {
  const internals = request as unknown as RequestInternals;
  return internals.writableEnded === true || internals.destroyed === true;
}

/** Method, absolute URL and wire headers, from the header block Node wrote (req._header). */
function describeHttpRequest(pending: HttpPending): void {
  const internals = pending.request as unknown as RequestInternals;
  const header = internals._header;
  let path = String(internals.path ?? "/");
  if (typeof header === "string" && header !== "") {
    const { requestLine, headers } = parseHeaderBlock(header);
    pending.headers = headers;
    const [method, target, version] = requestLine?.split(" ") ?? [];
    if (method) pending.method = method;
    if (target) path = target;
    if (version) pending.httpVersion = version;
  } else {
    pending.headers = [];
    for (const name of pending.request.getRawHeaderNames()) {
      const value = pending.request.getHeader(name);
      for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) pending.headers.push([name, String(one)]);
    }
  }
  pending.url = absoluteUrl(internals, path, pending.headers);
}

function absoluteUrl(internals: RequestInternals, path: string, headers: HeaderLines): string {
  if (/^https?:\/\//i.test(path)) return path;
  const protocol = typeof internals.protocol === "string" ? internals.protocol : typeof internals.agent?.protocol === "string" ? internals.agent.protocol : "http:";
  let host = headers.find(([name]) => name.toLowerCase() === "host")?.[1];
  if (!host) {
    host = String(internals.host ?? "localhost");
    const port = internals.socket?.remotePort;
    if (port && port !== (protocol === "https:" ? 443 : 80)) host += `:${port}`;
  }
  return `${protocol}//${host}${path.startsWith("/") || path === "*" ? "" : "/"}${path}`;
}

// ---------------------------------------------------------------------------
// Start

function bodyLimit(): number {
  const raw = process.env[BODY_LIMIT_ENV];
  const value = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : DEFAULT_BODY_LIMIT;
}

function start(): void {
  const fifo = process.env[FIFO_ENV];
  const registry = globalThis as Record<symbol, unknown>;
  if (!fifo || registry[LOADED]) return;
  registry[LOADED] = true;

  const sink = new Sink(fifo);
  const recorder = new Recorder(sink, bodyLimit());
  const main = workerThreads.isMainThread;
  if (main) sink.send({ v: 1, kind: "process", pid: process.pid, ppid: process.ppid, event: "start", argv: process.argv });
  process.on("exit", (code) => {
    guard(() => recorder.flushAll());
    if (main) guard(() => sink.send({ v: 1, kind: "process", pid: process.pid, ppid: process.ppid, event: "exit", code }));
  });
  guard(() => observeUndici(recorder));
  guard(() => observeHttp(recorder));
  guard(() => installGlobalDispatcher());
}

guard(start);
