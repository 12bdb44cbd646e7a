/**
 * Follows the Network domain events of every attached target and emits one
 * HAR entry per hop (a redirect chain gives one entry per redirect) as soon
 * as the hop is complete.
 *
 * Events of one request do not all come from one session: a cross-site
 * iframe's navigation is announced by its parent and finishes in the
 * iframe's own target, a worker's request has its ExtraInfo on the page.
 * So requests are keyed by requestId alone. ExtraInfo events (raw headers,
 * cookies the browser blocked) may arrive before or after the events they
 * complete; they are matched to hops in order, the way DevTools does, and a
 * hop that Chrome said has them waits a little for them.
 */
import { isTextualMime } from "../ingest/har/normalize.js";
import type { CdpEvent } from "./cdp.js";
import type {
  CdpRequest,
  CdpResponse,
  DataReceived,
  LoadingFailed,
  LoadingFinished,
  RequestWillBeSent,
  RequestWillBeSentExtraInfo,
  ResponseReceived,
  ResponseReceivedExtraInfo,
} from "./cdp-types.js";
import { hopToEntry, type BrowserHarEntry, type Hop, type HopBody, type HopEnd } from "./har-entry.js";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface NetworkRecorderOptions {
  /** Send a command to a target's session. */
  send(method: string, params: object, sessionId: string | undefined): Promise<unknown>;
  onEntry(entry: BrowserHarEntry): void;
  /** Largest response body kept, in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** How long a hop waits for ExtraInfo events Chrome announced (default 2 s). */
  extraInfoWaitMs?: number;
  /**
   * Entries are emitted in the order their requests started (the rules read a
   * capture in that order: a token is issued before it is redeemed). A
   * completed entry waits at most this long for earlier requests still in
   * flight (default 1 s), so a long poll does not hold everything up.
   */
  orderHoldMs?: number;
}

/** The hop of a request still in flight. */
interface OpenHop {
  /** Start order, for emitting in order. */
  seq: number;
  sessionId: string | undefined;
  sent: RequestWillBeSent;
  response?: ResponseReceived["response"];
  responseTimestamp?: number;
  hasExtraInfo?: boolean;
  resourceType?: string;
  dataLength: number;
  fromMemoryCache: boolean;
  /**
   * Rebuilt from later events: requestWillBeSent came before this target's
   * recording was on. `held`: from the request as the browser held it;
   * `guessed`: from the response alone (method settled at completion).
   */
  recovered?: "held" | "guessed";
}

interface Flight {
  /** Date.now() when the first event of the request arrived. */
  since: number;
  current?: OpenHop;
  reqExtras: RequestWillBeSentExtraInfo[];
  resExtras: ResponseReceivedExtraInfo[];
  /** Index of the next ExtraInfo pair a completing hop takes. */
  slot: number;
  /** Hops complete one after another (redirects in order). */
  chain: Promise<void>;
  /** Called when an ExtraInfo event arrives. */
  wake?: () => void;
}

/** A body the browser does not hand over within this time is left out (the target may be gone). */
const BODY_TIMEOUT_MS = 5000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Requests with ExtraInfo events only are forgotten after this long (checked every SWEEP_EVERY new requests). */
const ORPHAN_AFTER_MS = 60_000;
const SWEEP_EVERY = 500;

/** Failed requests may or may not have reached the network: wait this long for their ExtraInfo. */
const FAILED_GRACE_MS = 150;

/** Response bodies worth keeping: JSON, forms, HTML, XML, plain text (not scripts, styles or media). */
function wantsBody(mimeType: string): boolean {
  return isTextualMime(mimeType) && !/javascript|ecmascript|css|svg/i.test(mimeType);
}

const isHttp = (url: string): boolean => url.startsWith("http://") || url.startsWith("https://");

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/**
 * Releases items in sequence order. Each item is first on the wire (allocated),
 * then being processed (its exchange ended: the recorder is collecting its
 * ExtraInfo and body), then ready. A ready item waits for every earlier one,
 * except that an earlier item still on the wire holds it up at most `holdMs`
 * (a long poll must not stop the recording). Items being processed are always
 * waited for: that takes a bounded time.
 */
export class InOrder<T> {
  private counter = 0;
  private readonly onWire = new Set<number>();
  private readonly processing = new Set<number>();
  private readonly ready = new Map<number, { item: T; at: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly holdMs: number,
    private readonly release: (item: T) => void,
  ) {}

  /** A new sequence number, in start order. */
  allocate(): number {
    const seq = this.counter++;
    this.onWire.add(seq);
    return seq;
  }

  /** The exchange of `seq` is over; its item will follow shortly. */
  finished(seq: number): void {
    if (this.onWire.delete(seq)) this.processing.add(seq);
    this.flush(false);
  }

  /** The item of `seq` is ready (or, with no item, will never come). */
  done(seq: number, item?: T): void {
    this.onWire.delete(seq);
    this.processing.delete(seq);
    if (item !== undefined) this.ready.set(seq, { item, at: Date.now() });
    this.flush(false);
  }

  /** Release everything ready now, whatever is still pending. */
  flushAll(): void {
    this.flush(true);
  }

  private flush(force: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.ready.size === 0) return;
    const now = Date.now();
    const seqs = [...this.onWire, ...this.processing, ...this.ready.keys()].sort((a, b) => a - b);
    // Release up to the last ready item that may go: nothing passes an item being processed;
    // items on the wire are passed once a ready item after them has waited long enough.
    let upTo = -1;
    let pastWire = false;
    for (let i = 0; i < seqs.length; i++) {
      const s = seqs[i]!;
      const r = this.ready.get(s);
      if (r) {
        if (force || !pastWire || now - r.at >= this.holdMs) upTo = i;
      } else if (this.processing.has(s) && !force) break;
      else pastWire = true;
    }
    let nextDue = Infinity;
    for (let i = 0; i < seqs.length; i++) {
      const r = this.ready.get(seqs[i]!);
      if (!r) continue;
      if (i <= upTo) {
        this.ready.delete(seqs[i]!);
        this.release(r.item);
      } else nextDue = Math.min(nextDue, r.at + this.holdMs);
    }
    if (nextDue !== Infinity) {
      this.timer = setTimeout(() => this.flush(false), Math.max(0, nextDue - now));
      this.timer.unref();
    }
  }
}

export class NetworkRecorder {
  private readonly flights = new Map<string, Flight>();
  private readonly order: InOrder<BrowserHarEntry>;
  private readonly bodyLimit: number;
  private readonly extraWait: number;
  private stopping = false;
  private emitted = 0;
  private created = 0;
  /** wallTime − timestamp of the last request: turns CDP's monotonic seconds into dates. */
  private clockOffset: number | undefined;
  /** Requests already emitted (a bounded memory): late or repeated events of theirs are ignored. */
  private readonly finishedIds = new Set<string>();
  /** Requests as the browser held them (Fetch.requestPaused), by requestId, each hop in order: for rebuilding missed hops. */
  private readonly held = new Map<string, { request: CdpRequest; resourceType?: string }[]>();

  constructor(private readonly opts: NetworkRecorderOptions) {
    this.bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
    this.extraWait = opts.extraInfoWaitMs ?? 2000;
    this.order = new InOrder(opts.orderHoldMs ?? 1000, (entry) => this.emit(entry));
  }

  /** Entries emitted so far. */
  get entries(): number {
    return this.emitted;
  }

  /** Requests still in flight. */
  get inFlight(): number {
    let n = 0;
    for (const f of this.flights.values()) if (f.current) n++;
    return n;
  }

  /** A request as the browser held it before sending (Fetch.requestPaused): kept in case its requestWillBeSent was missed. */
  noteRequest(requestId: string, request: CdpRequest, resourceType?: string): void {
    if (this.stopping || this.finishedIds.has(requestId)) return;
    let list = this.held.get(requestId);
    if (!list) {
      this.held.set(requestId, (list = []));
      // Bounded: a request that never shows up in the Network domain is forgotten eventually.
      if (this.held.size > 2000) this.held.delete(this.held.keys().next().value!);
    }
    list.push(resourceType ? { request, resourceType } : { request });
  }

  /** Feed every CDP event; the Network ones are used. */
  handle(event: CdpEvent): void {
    if (this.stopping) return;
    const p = event.params as unknown;
    switch (event.method) {
      case "Network.requestWillBeSent":
        return this.onRequest(p as RequestWillBeSent, event.sessionId);
      case "Network.requestWillBeSentExtraInfo": {
        const e = p as RequestWillBeSentExtraInfo;
        const f = this.flight(e.requestId);
        f.reqExtras.push(e);
        f.wake?.();
        return;
      }
      case "Network.responseReceivedExtraInfo": {
        const e = p as ResponseReceivedExtraInfo;
        const f = this.flight(e.requestId);
        f.resExtras.push(e);
        f.wake?.();
        return;
      }
      case "Network.responseReceived": {
        const e = p as ResponseReceived;
        const hop = this.flights.get(e.requestId)?.current ?? this.recover(e.requestId, e.response, e.type, event.sessionId);
        if (!hop) return;
        hop.response = e.response;
        hop.responseTimestamp = e.timestamp;
        hop.hasExtraInfo = e.hasExtraInfo === true;
        if (e.type) hop.resourceType = e.type;
        return;
      }
      case "Network.dataReceived": {
        const e = p as DataReceived;
        const hop = this.flights.get(e.requestId)?.current;
        if (hop) hop.dataLength += e.dataLength;
        return;
      }
      case "Network.requestServedFromCache": {
        const hop = this.flights.get((p as { requestId: string }).requestId)?.current;
        if (hop) hop.fromMemoryCache = true;
        return;
      }
      case "Network.loadingFinished":
        return this.onFinished(p as LoadingFinished, event.sessionId);
      case "Network.loadingFailed":
        return this.onFailed(p as LoadingFailed);
    }
  }

  /**
   * Stop: every pending entry is emitted before this resolves. A request
   * still in flight keeps everything that did arrive (its raw headers and
   * the cookies the browser considered, the response headers, the body as
   * far as the browser has it): a page that never reads a body leaves its
   * load unfinished in Chromium although Okta has answered. Only what is
   * truly missing is marked: no response at all, or a body cut short.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const [requestId, f] of this.flights) {
      const hop = f.current;
      if (!hop) continue;
      f.current = undefined;
      // ExtraInfo events that arrived are taken (nothing more is waited for: the recording is over).
      const extras = f.reqExtras.length > f.slot || f.resExtras.length > f.slot ? "expected" : "none";
      this.complete(f, hop, { kind: "unfinished" }, extras, hop.response ? this.unfinishedBody(hop, requestId) : Promise.resolve(undefined));
    }
    for (const f of this.flights.values()) f.wake?.();
    await Promise.all([...this.flights.values()].map((f) => f.chain));
    this.flights.clear();
    this.held.clear();
    this.order.flushAll();
  }

  /** Resolves when no request is in flight (or after `maxMs`). */
  async idle(maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  }

  private flight(requestId: string): Flight {
    let f = this.flights.get(requestId);
    if (!f) {
      if (++this.created % SWEEP_EVERY === 0) this.sweep();
      this.flights.set(requestId, (f = { since: Date.now(), reqExtras: [], resExtras: [], slot: 0, chain: Promise.resolve() }));
    }
    return f;
  }

  /**
   * Forget requests that only ever got ExtraInfo events (requests of targets
   * that are not recorded): nothing will complete them.
   */
  private sweep(): void {
    const old = Date.now() - ORPHAN_AFTER_MS;
    for (const [id, f] of this.flights) if (!f.current && f.slot === 0 && f.since < old) this.flights.delete(id);
  }

  private onRequest(e: RequestWillBeSent, sessionId: string | undefined): void {
    if (this.finishedIds.has(e.requestId)) return;
    this.clockOffset = e.wallTime - e.timestamp;
    const f = this.flight(e.requestId);
    // A redirect of a request whose first hop was missed: rebuild that hop from the redirect response.
    if (e.redirectResponse && !f.current) this.recover(e.requestId, e.redirectResponse, e.type, sessionId);
    if (e.redirectResponse && f.current) {
      const prev = f.current;
      prev.response = e.redirectResponse;
      prev.responseTimestamp = e.timestamp;
      f.current = undefined;
      const end: HopEnd = { kind: "redirect", timestamp: e.timestamp, location: e.request.url + (e.request.urlFragment ?? "") };
      this.complete(f, prev, end, e.redirectHasExtraInfo ? "expected" : "none", Promise.resolve(undefined));
    } else if (f.current) {
      // The same request announced again (by another session): the first report stands.
      return;
    }
    if (!isHttp(e.request.url)) {
      if (!f.current && f.reqExtras.length === 0) this.flights.delete(e.requestId);
      return;
    }
    const hop: OpenHop = { seq: this.order.allocate(), sessionId, sent: e, dataLength: 0, fromMemoryCache: false };
    if (e.type) hop.resourceType = e.type;
    f.current = hop;
  }

  /**
   * A response for a request never announced: a popup (or new tab) whose
   * first request went out before this recorder had enabled its Network
   * domain (see TargetTracker). The hop is rebuilt from the request as the
   * browser held it, the raw request headers and cookie reports (ExtraInfo)
   * and the response; without the held request, the method is settled when
   * the hop completes.
   */
  private recover(requestId: string, response: CdpResponse, type: string | undefined, sessionId: string | undefined): OpenHop | undefined {
    if (this.finishedIds.has(requestId) || !isHttp(response.url) || this.clockOffset === undefined) return undefined;
    const f = this.flight(requestId);
    if (f.current) return f.current;
    const started = response.timing?.requestTime ?? 0;
    if (!(started > 0)) return undefined;
    const held = this.held.get(requestId)?.find((h) => h.request.url === response.url);
    const resourceType = type ?? held?.resourceType;
    const sent: RequestWillBeSent = {
      requestId,
      request: held?.request ?? { url: response.url, method: "GET", headers: {} },
      timestamp: started,
      wallTime: started + this.clockOffset,
      initiator: { type: "other" },
      ...(resourceType ? { type: resourceType } : {}),
    };
    const hop: OpenHop = { seq: this.order.allocate(), sessionId, sent, dataLength: 0, fromMemoryCache: false, recovered: held ? "held" : "guessed" };
    if (resourceType) hop.resourceType = resourceType;
    f.current = hop;
    return hop;
  }

  /** GET unless the browser still holds a body for the request. */
  private async recoveredMethod(requestId: string, sessionId: string | undefined): Promise<{ method: string; postData?: string }> {
    try {
      const r = (await withTimeout(this.opts.send("Network.getRequestPostData", { requestId }, sessionId), BODY_TIMEOUT_MS)) as { postData?: string };
      if (typeof r.postData === "string") return { method: "POST", postData: r.postData };
    } catch {
      // "No post data available for the request": it had no body.
    }
    return { method: "GET" };
  }

  private onFinished(e: LoadingFinished, sessionId: string | undefined): void {
    const f = this.flights.get(e.requestId);
    const hop = f?.current;
    if (!f || !hop) return;
    f.current = undefined;
    // Ask for the body right away: a page that navigates on may take its resources with it.
    const body = this.fetchBody(hop, e.requestId, sessionId);
    this.complete(f, hop, { kind: "finished", timestamp: e.timestamp, encodedDataLength: e.encodedDataLength }, hop.hasExtraInfo ? "expected" : "none", body);
  }

  private onFailed(e: LoadingFailed): void {
    const f = this.flights.get(e.requestId);
    const hop = f?.current;
    if (!f || !hop) return;
    f.current = undefined;
    const end: HopEnd = { kind: "failed", timestamp: e.timestamp, errorText: e.errorText };
    if (e.canceled) end.canceled = true;
    if (e.blockedReason) end.blockedReason = e.blockedReason;
    if (e.corsErrorStatus) end.corsErrorStatus = e.corsErrorStatus;
    if (e.type && !hop.resourceType) hop.resourceType = e.type;
    this.complete(f, hop, end, hop.hasExtraInfo ? "expected" : "maybe", Promise.resolve(undefined));
  }

  private async fetchBody(hop: OpenHop, requestId: string, sessionId: string | undefined): Promise<HopBody | undefined> {
    const res = hop.response;
    if (!res || hop.sent.request.method === "HEAD" || res.status === 204 || res.status === 304) return undefined;
    if (!wantsBody(res.mimeType)) return undefined;
    if (hop.dataLength > this.bodyLimit) return { omitted: `body not kept: ${formatBytes(hop.dataLength)} is over the ${formatBytes(this.bodyLimit)} limit` };
    const sessions = [...new Set([sessionId, hop.sessionId])];
    for (const s of sessions) {
      try {
        const r = (await withTimeout(this.opts.send("Network.getResponseBody", { requestId }, s), BODY_TIMEOUT_MS)) as { body?: string; base64Encoded?: boolean };
        if (typeof r.body !== "string") continue;
        let text = r.body;
        let base64 = r.base64Encoded === true;
        if (base64) {
          // Textual types only get here: keep them readable.
          text = Buffer.from(text, "base64").toString("utf8");
          base64 = false;
        }
        const size = Buffer.byteLength(text);
        if (size > this.bodyLimit) return { omitted: `body not kept: ${formatBytes(size)} is over the ${formatBytes(this.bodyLimit)} limit` };
        return { text, base64 };
      } catch {
        // Not in this session's buffer (or the target is gone): try the other one.
      }
    }
    return { omitted: "body not available: the browser no longer had it" };
  }

  /**
   * The body of a response that had not ended when the recording stopped:
   * whole when the browser already holds all of it, else what it has
   * buffered (Network.streamResourceContent), marked as cut short.
   */
  private async unfinishedBody(hop: OpenHop, requestId: string): Promise<HopBody | undefined> {
    const res = hop.response;
    if (!res || hop.sent.request.method === "HEAD" || res.status === 204 || res.status === 304 || !wantsBody(res.mimeType)) return undefined;
    const whole = await this.fetchBody(hop, requestId, hop.sessionId);
    if (whole && "text" in whole) return whole;
    try {
      const r = (await withTimeout(this.opts.send("Network.streamResourceContent", { requestId }, hop.sessionId), BODY_TIMEOUT_MS)) as { bufferedData?: string };
      if (typeof r.bufferedData === "string") {
        const bytes = Buffer.from(r.bufferedData, "base64");
        const length = Number(Object.entries(res.headers).find(([k]) => k.toLowerCase() === "content-length")?.[1]);
        if (bytes.length > this.bodyLimit) return { omitted: `body not kept: ${formatBytes(bytes.length)} is over the ${formatBytes(this.bodyLimit)} limit` };
        if (Number.isFinite(length) && bytes.length === length) return { text: bytes.toString("utf8"), base64: false };
        if (bytes.length > 0) return { text: bytes.toString("utf8"), base64: false, partial: `body cut short: ${bytes.length} bytes had arrived when the recording stopped` };
      }
    } catch {
      // An older browser, or the target is gone.
    }
    return { omitted: "body not recorded: the response had not ended when the recording stopped" };
  }

  /**
   * Queue a hop's entry: it waits (in hop order) for its ExtraInfo events
   * and its body, then is emitted.
   */
  private complete(f: Flight, hop: OpenHop, end: HopEnd, extras: "expected" | "maybe" | "none", body: Promise<HopBody | undefined>): void {
    const slot = extras === "none" ? -1 : f.slot++;
    this.order.finished(hop.seq);
    const hasResponse = hop.response !== undefined;
    f.chain = f.chain.then(async () => {
      if (slot >= 0) {
        const wait = extras === "expected" ? this.extraWait : FAILED_GRACE_MS;
        // A hop with a response has both events; a failed one may have only the request's.
        await this.waitFor(f, () => f.reqExtras.length > slot && (!hasResponse || f.resExtras.length > slot), wait);
      }
      let sent = hop.sent;
      if (hop.recovered === "guessed") {
        const { method, postData } = await this.recoveredMethod(hop.sent.requestId, hop.sessionId);
        sent = { ...sent, request: { ...sent.request, method, ...(postData !== undefined ? { postData } : {}) } };
      }
      const full: Hop = { sent, end, dataLength: hop.dataLength };
      if (hop.recovered) full.recovered = hop.recovered;
      const reqExtra = slot >= 0 ? f.reqExtras[slot] : undefined;
      const resExtra = slot >= 0 ? f.resExtras[slot] : undefined;
      if (reqExtra) full.requestExtra = reqExtra;
      if (resExtra) full.responseExtra = resExtra;
      if (hop.response) full.response = hop.response;
      if (hop.responseTimestamp !== undefined) full.responseTimestamp = hop.responseTimestamp;
      if (hop.resourceType) full.resourceType = hop.resourceType;
      if (hop.fromMemoryCache) full.fromMemoryCache = true;
      const b = await body;
      if (b) full.body = b;
      let entry: BrowserHarEntry | undefined;
      try {
        entry = hopToEntry(full);
      } finally {
        this.order.done(hop.seq, entry);
      }
    }).catch(() => undefined); // A broken hop must not hold up the ones after it.
    if (end.kind !== "redirect") {
      // The last hop: forget the request once its entries are out.
      void f.chain.then(() => {
        if (f.current || this.flights.get(hop.sent.requestId) !== f) return;
        this.flights.delete(hop.sent.requestId);
        this.held.delete(hop.sent.requestId);
        this.finishedIds.add(hop.sent.requestId);
        if (this.finishedIds.size > 5000) this.finishedIds.delete(this.finishedIds.values().next().value!);
      });
    }
  }

  private waitFor(f: Flight, ready: () => boolean, ms: number): Promise<void> {
    if (ready() || this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        f.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      f.wake = () => {
        if (ready() || this.stopping) done();
      };
    });
  }

  private emit(entry: BrowserHarEntry): void {
    this.emitted++;
    try {
      this.opts.onEntry(entry);
    } catch {
      // The consumer's failure must not stop the recording.
    }
  }
}
