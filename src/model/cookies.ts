/** A cookie as sent in a request `Cookie` header. */
export interface RequestCookie {
  name: string;
  value: string;
}

/** A cookie as set by a response `Set-Cookie` header, with its attributes. */
export interface SetCookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expires?: string;
  maxAge?: number;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: string;
  partitioned?: boolean;
  /** Attributes we do not model (Version, Priority, ...), lower-cased name → value. */
  other?: Record<string, string>;
}

/** Parse a `Cookie` request header value (`a=1; b=2`). */
export function parseCookieHeader(value: string): RequestCookie[] {
  const out: RequestCookie[] = [];
  for (const part of value.split(";")) {
    const piece = part.trim();
    if (!piece) continue;
    const eq = piece.indexOf("=");
    if (eq < 0) out.push({ name: "", value: piece });
    else out.push({ name: piece.slice(0, eq).trim(), value: piece.slice(eq + 1).trim() });
  }
  return out;
}

/** Parse one `Set-Cookie` header value with its attributes (RFC 6265 §5.2, leniently). */
export function parseSetCookie(header: string): SetCookie | null {
  const parts = header.split(";");
  const first = (parts.shift() ?? "").trim();
  const eq = first.indexOf("=");
  if (eq <= 0 && first === "") return null;
  const cookie: SetCookie = {
    name: eq < 0 ? "" : first.slice(0, eq).trim(),
    value: eq < 0 ? first : first.slice(eq + 1).trim(),
  };
  for (const raw of parts) {
    const attr = raw.trim();
    if (!attr) continue;
    const i = attr.indexOf("=");
    const key = (i < 0 ? attr : attr.slice(0, i)).trim().toLowerCase();
    const val = i < 0 ? "" : attr.slice(i + 1).trim();
    switch (key) {
      case "domain":
        cookie.domain = val.replace(/^\./, "").toLowerCase();
        break;
      case "path":
        cookie.path = val;
        break;
      case "expires":
        cookie.expires = val;
        break;
      case "max-age": {
        const n = Number(val);
        if (Number.isFinite(n)) cookie.maxAge = n;
        break;
      }
      case "secure":
        cookie.secure = true;
        break;
      case "httponly":
        cookie.httpOnly = true;
        break;
      case "samesite":
        cookie.sameSite = val;
        break;
      case "partitioned":
        cookie.partitioned = true;
        break;
      default:
        (cookie.other ??= {})[key] = val;
    }
  }
  return cookie;
}

/**
 * Split a header value that folds several Set-Cookie lines into one (some
 * producers join them with "\n"; a few with ", " which clashes with Expires).
 */
export function splitSetCookieHeader(value: string): string[] {
  if (value.includes("\n")) return value.split("\n").filter((s) => s.trim() !== "");
  // A comma starts a new cookie only when followed by `name=` before any `;`.
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) !== 44 /* , */) continue;
    const rest = value.slice(i + 1);
    if (/^\s*[^\s=;,]+=/.test(rest) && !/^\s*\d{2}[ -]/.test(rest)) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((s) => s !== "");
}
