/**
 * A minimal Chrome DevTools Protocol client over the browser's WebSocket
 * endpoint, in flat session mode (every message carries its `sessionId`).
 *
 * Why not Playwright's own `CDPSession`: it cannot talk to child sessions.
 * Auto-attaching with `waitForDebuggerOnStart` — the only way to enable the
 * Network domain of a popup before its first request — needs a connection
 * that can send `Network.enable` to the new target while it is paused, and
 * Playwright drops the messages of sessions it did not create itself.
 */
import { WebSocket } from "undici";

/** An event from the browser: `sessionId` is absent for the browser target itself. */
export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  method: string;
  sessionId: string | undefined;
}

interface Incoming {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { message?: string; code?: number };
  sessionId?: string;
}

export class CdpError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly code?: number,
  ) {
    super(`${method}: ${message}`);
    this.name = "CdpError";
  }
}

export class CdpConnection {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  private readonly closeListeners = new Set<() => void>();
  private closed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.addEventListener("message", (ev) => {
      if (typeof ev.data === "string") this.onMessage(ev.data);
    });
    ws.addEventListener("close", () => this.handleClose());
    ws.addEventListener("error", () => this.handleClose());
  }

  /** Connect to `ws://127.0.0.1:PORT/devtools/browser/…`. */
  static connect(url: string, timeoutMs = 10_000): Promise<CdpConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const timer = setTimeout(() => {
        ws.close();
        reject(new Error(`no answer from the browser's DevTools endpoint within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.addEventListener("open", () => {
        clearTimeout(timer);
        resolve(new CdpConnection(ws));
      });
      ws.addEventListener("error", () => {
        clearTimeout(timer);
        reject(new Error(`cannot connect to the browser's DevTools endpoint ${url}`));
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Send a command (to a target when `sessionId` is given); rejects with CdpError. */
  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    if (this.closed) return Promise.reject(new CdpError(method, "the DevTools connection is closed"));
    const id = ++this.nextId;
    const message = sessionId ? { id, method, params, sessionId } : { id, method, params };
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method, sessionId });
      this.ws.send(JSON.stringify(message));
    });
  }

  /** Listen to every event; returns the function that stops listening. */
  onEvent(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once when the connection ends (the browser closed, or close()). */
  onClosed(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.add(listener);
  }

  close(): void {
    if (!this.closed) this.ws.close();
    this.handleClose();
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new CdpError(p.method, "the DevTools connection closed"));
    this.pending.clear();
    for (const l of this.closeListeners) l();
    this.closeListeners.clear();
  }

  private onMessage(text: string): void {
    let msg: Incoming;
    try {
      msg = JSON.parse(text) as Incoming;
    } catch {
      return;
    }
    if (typeof msg.id === "number") {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new CdpError(p.method, msg.error.message ?? "error", msg.error.code));
      else p.resolve(msg.result ?? {});
      return;
    }
    if (typeof msg.method !== "string") return;
    if (msg.method === "Target.detachedFromTarget") {
      // Commands sent to a target that went away (a closed popup) are never answered.
      const gone = msg.params?.["sessionId"];
      for (const [id, p] of this.pending) {
        if (p.sessionId === undefined || p.sessionId !== gone) continue;
        this.pending.delete(id);
        p.reject(new CdpError(p.method, "the target closed"));
      }
    }
    const event: CdpEvent = { method: msg.method, params: msg.params ?? {} };
    if (msg.sessionId) event.sessionId = msg.sessionId;
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener's bug must not stop the others (or the connection).
      }
    }
  }
}
