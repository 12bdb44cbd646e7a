/**
 * Lint results cross from worker threads to the main thread by structured
 * clone, which drops class prototypes and cannot clone URL objects: these
 * helpers turn a FileResult into plain data and back. Rules have run by then:
 * what only rules read (bodies other than error answers, `_` extras) stays behind.
 */
import type { Capture, ForeignCall, OktaCall } from "../engine/capture.js";
import type { Exchange } from "../model/exchange.js";
import { HeaderList } from "../model/headers.js";
import { InputError } from "../ingest/types.js";
import type { FileResult } from "../report/types.js";

interface PlainHeaders {
  list: { name: string; value: string }[];
  pseudo: Record<string, string>;
  positions?: readonly number[];
}

const plainHeaders = (h: HeaderList): PlainHeaders => ({ list: [...h.list], pseudo: { ...h.pseudo }, ...(h.positions ? { positions: h.positions } : {}) });
const reviveHeaders = (h: PlainHeaders): HeaderList => new HeaderList(h.list, h.pseudo, h.positions);

/** Reporters print no bodies (the HTML report reads error bodies only): the rest stays in the worker. */
function slimBody<T extends Exchange["request"]["body"]>(body: T, keep: boolean): T {
  if (!body || keep || body.text === undefined) return body;
  const { text: _text, params: _params, ...rest } = body;
  return { ...rest, omitted: "policy" } as T;
}

function plainExchange(ex: Exchange, keepErrorBody: boolean): unknown {
  return {
    ...ex,
    extras: {},
    request: { ...ex.request, url: ex.request.url ? ex.request.url.href : null, headers: plainHeaders(ex.request.headers), body: slimBody(ex.request.body, false) },
    response: { ...ex.response, headers: plainHeaders(ex.response.headers), body: slimBody(ex.response.body, keepErrorBody) },
  };
}

function reviveExchange(raw: Record<string, unknown>): Exchange {
  const req = raw["request"] as Record<string, unknown>;
  const res = raw["response"] as Record<string, unknown>;
  return {
    ...(raw as unknown as Exchange),
    request: { ...(req as unknown as Exchange["request"]), url: typeof req["url"] === "string" ? new URL(req["url"]) : null, headers: reviveHeaders(req["headers"] as PlainHeaders) },
    response: { ...(res as unknown as Exchange["response"]), headers: reviveHeaders(res["headers"] as PlainHeaders) },
  };
}

/** FileResult → structured-cloneable data. */
export function toTransfer(result: FileResult): unknown {
  const { capture, ...rest } = result;
  if (!capture) return rest;
  return {
    ...rest,
    capture: {
      ...capture,
      calls: capture.calls.map((c) => ({ ...c, exchange: plainExchange(c.exchange, c.errorCode !== undefined || c.exchange.response.status >= 400) })),
      foreign: (capture.foreign ?? []).map((f) => ({ ...f, exchange: plainExchange(f.exchange, false) })),
      error: capture.error ? { file: capture.error.file, reason: capture.error.reason } : undefined,
    },
  };
}

/** The inverse of toTransfer. */
export function fromTransfer(data: unknown): FileResult {
  const raw = data as FileResult & { capture?: Record<string, unknown> };
  if (!raw.capture) return raw;
  const c = raw.capture;
  const capture = {
    ...(c as unknown as Capture),
    calls: (c["calls"] as unknown as Record<string, unknown>[]).map((call) => ({ ...(call as unknown as OktaCall), exchange: reviveExchange(call["exchange"] as Record<string, unknown>) })),
    foreign: ((c["foreign"] ?? []) as unknown as Record<string, unknown>[]).map((f) => ({ ...(f as unknown as ForeignCall), exchange: reviveExchange(f["exchange"] as Record<string, unknown>) })),
  } as Capture;
  const err = c["error"] as { file: string; reason: string } | undefined;
  if (err) capture.error = new InputError(err.file, err.reason);
  else delete capture.error;
  return { ...raw, capture };
}
