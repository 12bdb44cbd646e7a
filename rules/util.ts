/**
 * Small helpers the rules share. Everything here reads the classified capture;
 * nothing formats or prints.
 */
import type { Capture, OktaCall } from "../src/engine/capture.js";
import type { Exchange } from "../src/model/exchange.js";
import type { AuthorizationInfo, DecodedJwt } from "../src/okta/credentials.js";
import { errorFromExchange, type ExchangeError } from "../src/okta/errors.js";

/** The parsed Authorization header of a call, if it sent one. */
export function authOf(call: OktaCall): AuthorizationInfo | undefined {
  return call.credential.authorization;
}

/** The decoded JWT a call presented in its Authorization header (Bearer, DPoP or wrongly SSWS). */
export function jwtOf(call: OktaCall): DecodedJwt | undefined {
  return call.credential.authorization?.jwt;
}

export function isFromBrowser(call: OktaCall): boolean {
  return call.exchange.sender.kind === "browser";
}

/** `request.headers[3]`: the JSON path (inside the entry) of a request or response header. */
export function headerPath(ex: Exchange, side: "request" | "response", name: string): string | undefined {
  const i = ex[side].headers.sourceIndexOf(name);
  return i < 0 ? undefined : `${side}.headers[${i}]`;
}

const errorCache = new WeakMap<Exchange, ExchangeError | null>();

/** The Okta (E0000xxx) or OAuth error of a call's response, parsed once. */
export function errorOf(call: OktaCall): ExchangeError | null {
  let e = errorCache.get(call.exchange);
  if (e === undefined) {
    e = errorFromExchange(call.exchange);
    errorCache.set(call.exchange, e);
  }
  return e;
}

/** What a capture lacks because it was exported without sensitive data (a browser export with every credential header stripped). */
export interface Sanitization {
  /** No Authorization, Cookie or Set-Cookie header anywhere, while entries do have headers. */
  sanitized: boolean;
  /** The capture carries redaction markers (oktalint's own, or a sanitizer's). */
  redacted: boolean;
  noAuthorization: boolean;
  noCookies: boolean;
  noSetCookies: boolean;
}

const sanitizationCache = new WeakMap<Capture, Sanitization>();

/**
 * Whether a missing cookie or Authorization header in this capture proves
 * anything. Chrome 130+ exports "HAR (sanitized)" by default: no Cookie,
 * Set-Cookie or Authorization headers at all. Rules that need them stay silent
 * on such captures and `sanitized-capture` says why.
 */
export function sanitizationOf(capture: Capture): Sanitization {
  const cached = sanitizationCache.get(capture);
  if (cached) return cached;
  const s = capture.stats;
  // Only browser exports are sanitized this way; a server-side proxy capture
  // without credentials simply had none, and that is worth reporting.
  const enough = s.withHeaders >= 2 && s.fromBrowser > 0;
  const noAuthorization = enough && s.withAuthorization === 0;
  const noCookies = enough && s.withCookie === 0;
  const noSetCookies = enough && s.withSetCookie === 0;
  const result: Sanitization = {
    sanitized: noAuthorization && noCookies && noSetCookies,
    redacted: s.withRedactionMarkers > 0,
    noAuthorization,
    noCookies,
    noSetCookies,
  };
  sanitizationCache.set(capture, result);
  return result;
}
