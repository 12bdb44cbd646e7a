/**
 * Redaction markers: what a secret is replaced with.
 *
 * A marker is a pure function of the secret and a per-run key (HMAC-SHA256),
 * so the same secret gets the same marker everywhere in one file (entry 3 and
 * entry 9 visibly used the same token), while nothing about the secret can be
 * recovered or brute-forced from it once the key is gone. Every marker
 * contains `oktalint-redacted`, which `sanitized-capture` and `--check`
 * recognise. Formats (`<id>` is lowercase hex of the HMAC):
 *
 * - JWT: `<header>.<claims>.oktalint-redacted-<id16>` — the header is kept,
 *   the claims rules read are kept (see KEPT_CLAIMS), `sub` is kept only when
 *   it is a client or user id, `jti` keeps its `AT.`/`ID.` prefix, personal
 *   claims are removed and every other claim's value becomes a marker; the
 *   result still decodes as a JWT (it is no longer validly signed).
 * - SSWS API token shape (`00` + 40 characters): `<first 4>oktalint-redacted-<id17><last 3>`,
 *   42 characters, so it still has the API token shape and masks as the token did.
 * - Other values of 35 characters or more: `<first 4>.oktalint-redacted.<id>.<last 3>`, as long
 *   as the value, keeping the characters `maskSecret` shows (when they are `[A-Za-z0-9_-]`).
 * - Basic credentials: `base64(<user>:<marker of the password>)`; the user is
 *   kept when it is an Okta client id, else replaced by its marker.
 * - Other values of 16 characters or more (shorter, or other characters at their ends): `<first 2>.oktalint-redacted.<length>.<id10>.<last 2>`.
 * - Shorter values and personal values (passwords, answers, e-mail):
 *   `oktalint-redacted.<length>.<id10>` (no character of the value kept).
 *
 * Markers only use `[A-Za-z0-9._-]`, so they are safe unencoded in headers,
 * cookie values, URLs, form bodies and JSON strings.
 */
import { createHmac, randomBytes } from "node:crypto";
import { decodeJwt, isOktaClientId, isSswsTokenShape } from "../okta/credentials.js";
import { maskShown } from "../okta/mask.js";

export const MARKER_WORD = "oktalint-redacted";

/** Claims kept verbatim: what rules and readers need to diagnose a token. */
export const KEPT_CLAIMS: ReadonlySet<string> = new Set([
  "iss", "aud", "exp", "iat", "nbf", "auth_time", "scp", "scope", "cid", "client_id", "azp", "uid", "ver", "token_type", "cnf",
  "typ", "htm", "htu", "amr", "idp", "acr", "org_id", "groups_claim_present",
]);

/** Claims removed outright: they describe the person. */
export const PERSONAL_CLAIMS: ReadonlySet<string> = new Set([
  "name", "email", "preferred_username", "given_name", "family_name", "middle_name", "nickname", "phone_number", "address",
  "birthdate", "picture", "profile", "website", "gender", "zoneinfo", "locale", "login", "username", "upn", "unique_name",
]);

const SAFE_CHAR = /[A-Za-z0-9._~-]/;
/** A marker, anywhere in a string. */
const MARKER_RE = /oktalint-redacted/;

export function containsMarker(s: string): boolean {
  return MARKER_RE.test(s);
}

function keepChars(s: string): string {
  let out = "";
  for (const ch of s) out += SAFE_CHAR.test(ch) ? ch : "_";
  return out;
}

function b64url(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj), "utf8").toString("base64url");
}

/** Stable markers for one file. */
export class MarkerMap {
  private readonly key: Buffer;
  private readonly memo = new Map<string, string>();
  /** Secrets replaced so far (distinct values). */
  count = 0;

  constructor(key?: Buffer) {
    this.key = key ?? randomBytes(32);
  }

  private id(value: string, len: number, salt = ""): string {
    return createHmac("sha256", this.key).update(salt).update(value).digest("hex").slice(0, len);
  }

  /** The marker of a value seen before in this file (exact match), if any. */
  known(value: string): string | undefined {
    return this.memo.get(value);
  }

  /**
   * The marker for a secret. `personal` values (passwords, answers) keep none
   * of their characters. Values that already are markers are returned as is.
   */
  marker(value: string, personal = false): string {
    if (value === "") return value;
    const seen = this.memo.get(value);
    if (seen !== undefined) return seen;
    if (containsMarker(value)) return value;
    const m = this.make(value, personal);
    if (this.memo.size < 500_000) this.memo.set(value, m);
    this.count++;
    return m;
  }

  private make(value: string, personal: boolean): string {
    const len = [...value].length;
    if (!personal) {
      const jwt = value.length >= 16 && value.charCodeAt(0) === 101 ? decodeJwt(value) : null;
      if (jwt) return this.jwt(value, jwt.header, jwt.claims, jwt.signaturePresent);
      // Long values keep their length and the characters `maskSecret` shows: a message quoting the
      // redacted value reads as it did on the original (`00Ab…X9z (42 chars)`).
      const { head, tail } = maskShown(len);
      const ends = len === value.length ? value.slice(0, head) + value.slice(len - tail) : "";
      if (isSswsTokenShape(value)) return `${value.slice(0, head)}${MARKER_WORD}-${this.id(value, len - head - tail - MARKER_WORD.length - 1)}${value.slice(len - tail)}`;
      if (len >= 35 && /^[A-Za-z0-9_-]*$/.test(ends)) {
        return `${value.slice(0, head)}.${MARKER_WORD}.${this.id(value, len - head - tail - MARKER_WORD.length - 3)}.${value.slice(len - tail)}`;
      }
      if (len >= 16) return `${keepChars(value.slice(0, 2))}.${MARKER_WORD}.${len}.${this.id(value, 10)}.${keepChars(value.slice(-2))}`;
    }
    return `${MARKER_WORD}.${len}.${this.id(value, 10)}`;
  }

  private jwt(value: string, header: Record<string, unknown>, claims: Record<string, unknown>, signed: boolean): string {
    const out: Record<string, unknown> = {};
    const sameAsClient = (v: unknown) => typeof v === "string" && (v === claims["cid"] || v === claims["client_id"] || v === claims["azp"]);
    for (const [k, v] of Object.entries(claims)) {
      if (PERSONAL_CLAIMS.has(k)) continue;
      if (KEPT_CLAIMS.has(k)) out[k] = v;
      else if (k === "sub" && typeof v === "string" && (sameAsClient(v) || isOktaClientId(v) || /^00u[A-Za-z0-9]{17}$/.test(v))) out[k] = v;
      else if (k === "jti" && typeof v === "string" && /^(?:AT|ID)\./.test(v)) out[k] = v.slice(0, 3) + this.marker(v.slice(3));
      else if (v === null || typeof v === "boolean") out[k] = v;
      else out[k] = this.marker(typeof v === "string" ? v : JSON.stringify(v), k === "sub");
    }
    const sig = signed ? `${MARKER_WORD}-${this.id(value, 16, "sig")}` : "";
    return `${b64url(header)}.${b64url(out)}.${sig}`;
  }

  /** Basic credentials (`base64(user:password)`), or null when the token is not that. */
  basic(token: string): string | null {
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) return null;
    const text = Buffer.from(token, "base64").toString("utf8");
    if (text.includes("\uFFFD") || /[\x00-\x1f\x7f]/.test(text)) return null;
    const i = text.indexOf(":");
    if (i < 0) {
      // `base64(client_id)`, no colon and no secret: a public client naming itself (okta-auth-js revoke). Masked
      // like every Authorization value, as base64 of a marker: still a bare client id, so the rules read it alike.
      if (!/^[\x21-\x39\x3b-\x7e]{1,128}$/.test(text)) return null;
      if (containsMarker(text)) return token;
      const m = Buffer.from(this.marker(text, true), "utf8").toString("base64");
      this.memo.set(token, m);
      return m;
    }
    const user = text.slice(0, i);
    const password = text.slice(i + 1);
    if (containsMarker(password) && (isOktaClientId(user) || containsMarker(user))) return token;
    const u = isOktaClientId(user) ? user : this.marker(user, true);
    const p = password === "" ? "" : this.marker(password, true);
    const m = Buffer.from(`${u}:${p}`, "utf8").toString("base64");
    this.memo.set(token, m);
    return m;
  }
}

/** Is this Basic credential already redacted (its password part is a marker)? */
export function isRedactedBasic(token: string): boolean | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) return null;
  const text = Buffer.from(token, "base64").toString("utf8");
  if (text.includes("\uFFFD")) return null;
  const i = text.indexOf(":");
  // A bare client id (no colon, no secret, okta-auth-js's public client) is done once it is a marker.
  if (i < 0) return /^[\x21-\x39\x3b-\x7e]{1,128}$/.test(text) ? containsMarker(text) : null;
  const password = text.slice(i + 1);
  return password === "" || containsMarker(password);
}

/** Is this JWT one of ours (marker signature, or unsigned with marker-only secrets)? */
export function isRedactedJwt(token: string): boolean {
  const dot = token.lastIndexOf(".");
  return dot >= 0 && token.slice(dot + 1).startsWith(MARKER_WORD);
}
