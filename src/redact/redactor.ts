/**
 * The walk over one HAR entry that finds every secret place: headers,
 * cookies, URLs (query and fragment, also inside other URLs), form, JSON and
 * multipart bodies at any depth (base64-encoded text bodies too), HAR `_`
 * fields, `postData.params`, `queryString` and cookie arrays.
 *
 * The same walk serves both commands: in "redact" mode each secret is
 * replaced by its marker (the entry is changed in place), in "check" mode it is
 * recorded as a finding and left alone. Values that already are markers are
 * skipped, so a redacted file checks clean and redaction is idempotent.
 */
import { decodeJwt, isSswsTokenShape } from "../okta/credentials.js";
import { maskPersonal, maskSecret, TOKEN_PATH_RE } from "../okta/mask.js";
import { MarkerMap, containsMarker, isRedactedBasic, isRedactedJwt } from "./markers.js";
import { Sweeper } from "./sweep.js";
import { TOKEN_HEADERS, URL_HEADERS, isPersonalField, isSecretField, normName } from "./words.js";

export type RedactMode = "redact" | "check";
/** How a collected value is masked: 0 secret, 1 personal, 2 Basic credentials. */
export type Kind = 0 | 1 | 2;

/** A value that still looks secret (`--check`). `value` is masked. */
export interface SecretFinding {
  /** Index in `log.entries` (-1 outside the entries: pages, log comment). */
  entry: number;
  /** JSON path of the HAR field holding the value. */
  path: string;
  /** Where inside that field: a JSON path into a body (`$.sessionToken`), a parameter (`?code`, `#id_token`), a cookie (`cookie sid`). */
  inner?: string;
  /** Why it looks secret. */
  reason: string;
  /** The value, masked. */
  value: string;
}

/** Stop recording findings past this many (they are still counted). */
const MAX_FINDINGS = 10_000;
/** Bodies larger than this are scanned as text, never parsed as JSON. */
const MAX_JSON_BODY = 64 * 1024 * 1024;
/** Values learned as secrets are also replaced wherever they reappear whole, if at least this long. */
const MIN_KNOWN = 8;

const JWT_RE = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
/** An SSWS API token anywhere in text (a script bundle, HTML, a log comment). */
const SSWS_ANY = /(?<![A-Za-z0-9_-])00[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])/g;
/** A PEM private key block: its base64 body is the secret. */
const PEM_RE = /(-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----)([\s\S]*?)(-----END \2-----)/g;
/** JWK members that hold private key material (RFC 7518 §6.2.2, §6.3.2, §6.4). */
const JWK_PRIVATE = new Set(["d", "p", "q", "dp", "dq", "qi", "k", "oth"]);
/** The same members in text that is not parsed as JSON (a script, HTML, a broken entry). */
const JWK_TEXT = /(["']?)\b(d|p|q|dp|dq|qi|k)\1(\s*:\s*)(["'])([A-Za-z0-9_-]{16,})\4/g;
/** Cookies set by a script: `document.cookie = "sid=…; path=/"`. */
const SCRIPT_COOKIE = /(\bdocument\.cookie\s*=\s*)(["'`])([^"'`=;\s]+)=([^"'`;]*)/g;
/** An HTML form field: `<input name="code" value="…">` (either order, either quote). */
const HTML_INPUT = /<input\b[^>]*>/gi;
const HTML_ATTR = /\b(name|value)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const SCHEMES = new Set(["ssws", "bearer", "dpop", "basic", "digest", "negotiate", "ntlm", "token", "aws4-hmac-sha256", "hoba", "mutual", "vapid"]);
const TEXTUAL_MIME = /json|text|javascript|ecmascript|xml|html|x-www-form-urlencoded|graphql|csv|multipart/i;

/** Raw spellings of secret names for scanning text that is not JSON (scripts, HTML). */
const TEXT_NAMES =
  "password|passwd|passCode|pass_code|client_secret|clientSecret|client_assertion|code_verifier|refresh_token|refreshToken|access_token|accessToken|id_token|idToken|" +
  "sessionToken|session_token|stateToken|state_token|cookieToken|stateHandle|interaction_handle|interaction_code|interactionCode|activationToken|recoveryToken|" +
  "authenticity_token|csrf_token|csrfToken|xsrfToken|_csrf|api_key|apiKey|SAMLRequest|SAMLResponse|token|secret|nonce|answer|otp";
const TEXT_KV = new RegExp(`(["']?)\\b(${TEXT_NAMES})\\1(\\s*[:=]\\s*)(["'])((?:\\\\.|(?!\\4)[^\\\\\\n])*)\\4`, "gi");

/**
 * The authorization code (and its state, masked in URLs too) in the HTML page an
 * /authorize answers with when the response mode is a page: okta_post_message (`data = { code: '…', state: '…' }`
 * posted to the opener or parent frame, what okta-auth-js's silent renew and
 * embedded sign-in read) and form_post (`<input type="hidden" name="code" value="…">`).
 * `code` and `state` alone are too common words to mask in any text: only these two shapes.
 */
const POST_MESSAGE_CODE = /(["']?)\b(code|state)\1(\s*:\s*)(["'])((?:\\.|(?!\4)[^\\\n])+)\4/g;
const FORM_POST_CODE = /(<input\b[^>]*?\bname\s*=\s*["'](code|state)["'][^>]*?\bvalue\s*=\s*)(["'])([^"'<>]+)\3|(<input\b[^>]*?\bvalue\s*=\s*)(["'])([^"'<>]+)\6([^>]*?\bname\s*=\s*["'](code|state)["'])/gi;

/** Words one of TEXT_NAMES holds: a cheap test before the pattern. */
const TEXT_GUARD = /password|passwd|passcode|secret|token|_csrf|api_?key|saml|nonce|answer|otp/i;

function hasTextName(text: string): boolean {
  return TEXT_GUARD.test(text);
}

function safeDecode(s: string): string {
  if (!s.includes("%") && !s.includes("+")) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function keyPath(path: string, k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
}

const URLISH = /^(?:[a-z][a-z0-9+.-]*:\/\/|\/)[^\s]*[?#]/i;

interface Ctx {
  entry: number;
  path: string;
  inner?: string;
}

export class Redactor {
  readonly findings: SecretFinding[] = [];
  /** All secrets found (check mode) or replaced (redact mode), also past MAX_FINDINGS. */
  found = 0;
  private changed = false;
  /** Check mode: secrets seen, to flag the same value where it reappears. */
  private readonly seen = new Set<string>();
  /** Every secret value found (first pass): value → personal. */
  readonly collected = new Map<string, Kind>();
  /** Second pass: every collected value, searched for everywhere. */
  sweeper: Sweeper | null = null;
  /**
   * One pass only (a live session's HAR): every value collected so far is
   * searched for in each entry written after it (and in the rest of the entry
   * that held it), since the file cannot be read twice.
   */
  incremental = false;
  /** Incremental mode: values collected since the last entry. */
  private pending: string[] = [];

  constructor(
    readonly mode: RedactMode,
    readonly markers: MarkerMap = new MarkerMap(),
  ) {}

  /** A secret at `ctx`: its marker (redact) or itself after recording it (check). */
  private secret(value: string, reason: string, ctx: Ctx, personal = false): string {
    if (value === "" || containsMarker(value)) return value;
    this.found++;
    if (this.collected.size < 200_000 && !this.collected.has(value)) {
      this.collected.set(value, personal ? 1 : 0);
      if (this.incremental) this.pending.push(value);
    }
    if (this.mode === "check") {
      if (this.findings.length < MAX_FINDINGS) {
        this.findings.push({
          entry: ctx.entry,
          path: ctx.path,
          ...(ctx.inner !== undefined ? { inner: ctx.inner } : {}),
          reason,
          value: personal ? maskPersonal(value) : maskSecret(value),
        });
      }
      if (value.length >= MIN_KNOWN && this.seen.size < 500_000) this.seen.add(value);
      return value;
    }
    const m = this.markers.marker(value, personal);
    if (m !== value) this.changed = true;
    return m;
  }

  private isKnown(s: string): boolean {
    if (s.length < MIN_KNOWN) return false;
    return this.mode === "check" ? this.seen.has(s) : this.markers.known(s) !== undefined;
  }

  /** Redact (or check) one parsed entry in place. Returns true when it was changed. */
  entry(e: unknown, index: number): boolean {
    this.changed = false;
    if (!isObj(e)) return false;
    const base = `$.log.entries[${index}]`;
    const ctx = (path: string): Ctx => ({ entry: index, path });
    for (const [k, v] of Object.entries(e)) {
      const p = `${base}.${k}`;
      if (k === "request" && isObj(v)) this.message(v, "request", p, index);
      else if (k === "response" && isObj(v)) this.message(v, "response", p, index);
      else if (k === "startedDateTime" || k === "time" || k === "timings" || k === "serverIPAddress" || k === "connection" || k === "pageref") continue;
      else e[k] = this.json(v, ctx(p), "$");
    }
    if (this.incremental && this.mode === "redact") this.learn();
    if (this.sweeper && this.sweeper.size > 0) this.sweepValue(e);
    return this.changed;
  }

  /** Incremental mode: search for the values collected since the last entry. */
  private learn(): void {
    if (this.pending.length === 0) return;
    this.sweeper ??= new Sweeper();
    for (const value of this.pending) this.sweeper.add(value, this.markers.marker(value, this.collected.get(value) === 1));
    this.pending = [];
  }

  /** Second pass: every collected value, wherever it is (keys too; base64 bodies decoded). */
  private sweepValue(v: unknown): unknown {
    const sw = this.sweeper!;
    if (typeof v === "string") {
      const r = sw.replace(v);
      if (r !== v) this.changed = true;
      return r;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = this.sweepValue(v[i]);
      return v;
    }
    if (!isObj(v)) return v;
    const base64 = v["encoding"] === "base64" && typeof v["text"] === "string";
    for (const k of Object.keys(v)) {
      let val = v[k];
      if (base64 && k === "text") {
        const t = val as string;
        const decoded = t.length <= MAX_JSON_BODY && looksText(t) ? Buffer.from(t, "base64").toString("utf8") : "";
        const swept = decoded === "" || decoded.includes("\uFFFD") ? decoded : sw.replace(decoded);
        if (swept !== decoded) {
          this.changed = true;
          val = Buffer.from(swept, "utf8").toString("base64");
        }
      } else val = this.sweepValue(val);
      const nk = sw.replace(k);
      if (nk !== k) {
        delete v[k];
        this.changed = true;
      }
      v[nk] = val;
    }
    return v;
  }

  private message(m: Record<string, unknown>, which: "request" | "response", base: string, index: number): void {
    for (const [k, v] of Object.entries(m)) {
      const p = `${base}.${k}`;
      const ctx: Ctx = { entry: index, path: p };
      if ((k === "url" || k === "redirectURL") && typeof v === "string") m[k] = this.url(v, ctx);
      else if (k === "headers" && Array.isArray(v)) v.forEach((h, i) => this.header(h, { entry: index, path: `${p}[${i}].value` }));
      else if (k === "cookies") this.cookies(v, ctx);
      else if ((k === "queryString" || k === "params") && Array.isArray(v)) v.forEach((q, i) => this.pair(q, { entry: index, path: `${p}[${i}].value` }));
      else if ((k === "postData" || k === "content") && isObj(v)) this.body(v, p, index);
      else if (k === "method" || k === "httpVersion" || k === "status" || k === "statusText" || k === "headersSize" || k === "bodySize") continue;
      else m[k] = this.json(v, ctx, "$");
    }
    void which;
  }

  /** A `{name, value}` pair of queryString / params. */
  private pair(q: unknown, ctx: Ctx): void {
    if (!isObj(q) || typeof q["value"] !== "string") return;
    const name = typeof q["name"] === "string" ? q["name"] : "";
    q["value"] = this.named(name, q["value"], { ...ctx, inner: name });
    // A token can sit in a field's name (a form body that is only the token, as Fiddler splits it).
    if (name.length >= 8) {
      const n = this.string(name, { ...ctx, path: ctx.path.replace(/\.value$/, ".name"), inner: "name" });
      if (n !== name) q["name"] = n;
    }
  }

  /** A value under a name (parameter, form field, JSON key with a string value). */
  private named(name: string, value: string, ctx: Ctx): string {
    if (isSecretField(name)) {
      const personal = isPersonalField(name);
      return this.secret(value, `field "${name}"`, ctx, personal);
    }
    if (isSswsTokenShape(value)) return this.secret(value, "SSWS API token shape", ctx);
    return this.string(value, ctx);
  }

  private header(h: unknown, ctx: Ctx): void {
    if (!isObj(h) || typeof h["name"] !== "string" || typeof h["value"] !== "string") return;
    const name = h["name"].toLowerCase();
    const value = h["value"];
    let out: string;
    if (name === "authorization" || name === "proxy-authorization") out = this.authorization(value, { ...ctx, inner: h["name"] });
    else if (name === "cookie") out = this.cookieHeader(value, ctx);
    else if (name === "set-cookie") out = value.split("\n").map((line) => this.setCookie(line, ctx)).join("\n");
    else if (name === ":path" || URL_HEADERS.has(normName(name))) out = this.url(value, ctx);
    else if (name === "dpop" || TOKEN_HEADERS.has(normName(name))) out = this.secret(value, `header ${h["name"]}`, { ...ctx, inner: h["name"] });
    else out = this.string(value, ctx);
    if (out !== value) h["value"] = out;
  }

  /** Authorization-like value: keep the scheme words and spacing, replace the credential. */
  authorization(value: string, ctx: Ctx): string {
    const parts = value.split(/(\s+)/);
    let scheme = "";
    for (let i = 0; i < parts.length; i++) {
      const w = parts[i]!;
      if (w === "" || /^\s+$/.test(w)) continue;
      const bare = w.replace(/:$/, "").toLowerCase();
      if (SCHEMES.has(bare) || bare === "authorization" || bare === "proxy-authorization") {
        if (bare !== "authorization" && bare !== "proxy-authorization") scheme = bare;
        continue;
      }
      const q = /^(["']?)([\s\S]*?)(["']?)$/.exec(w)!;
      const token = q[2]!;
      if (token === "" || containsMarker(token)) continue;
      let rep: string;
      if (scheme === "basic") {
        const done = isRedactedBasic(token);
        if (done === true) continue;
        if (this.mode === "check") {
          rep = this.secret(token, "Basic credentials", ctx);
          if (this.collected.get(token) === 0) this.collected.set(token, 2);
        }
        else {
          const b = this.markers.basic(token);
          if (b === null) rep = this.secret(token, "Basic credentials", ctx);
          else {
            rep = b;
            this.found++;
            this.changed ||= b !== token;
          }
        }
      } else {
        const jwt = decodeJwt(token);
        if (jwt && isRedactedJwt(token)) continue;
        const reason = jwt ? "JWT in Authorization" : isSswsTokenShape(token) ? "SSWS API token in Authorization" : "credential in Authorization";
        rep = this.secret(token, reason, ctx);
      }
      parts[i] = q[1]! + rep + q[3]!;
    }
    return parts.join("");
  }

  private cookieHeader(value: string, ctx: Ctx): string {
    return value
      .split(";")
      .map((part) => {
        const eq = part.indexOf("=");
        if (eq < 0) {
          const t = part.trim();
          return t === "" ? part : part.replace(t, this.secret(t, "cookie value", { ...ctx, inner: "cookie" }));
        }
        const name = part.slice(0, eq).trim();
        const v = part.slice(eq + 1);
        const t = v.trim();
        if (t === "") return part;
        return part.slice(0, eq + 1) + v.replace(t, this.secret(t, "cookie value", { ...ctx, inner: `cookie ${name}` }));
      })
      .join(";");
  }

  private setCookie(line: string, ctx: Ctx): string {
    const semi = line.indexOf(";");
    const first = semi < 0 ? line : line.slice(0, semi);
    const eq = first.indexOf("=");
    if (eq < 0) return line;
    const v = first.slice(eq + 1).trim();
    if (v === "" || v === '""') return line;
    const name = first.slice(0, eq).trim();
    const unq = v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1) : v;
    const rep = first.slice(0, eq + 1) + first.slice(eq + 1).replace(unq, this.secret(unq, "Set-Cookie value", { ...ctx, inner: `cookie ${name}` }));
    return semi < 0 ? rep : rep + line.slice(semi);
  }

  private cookies(v: unknown, ctx: Ctx): void {
    // Producers write an array of {name, value}; a few an object of name → value.
    if (Array.isArray(v)) {
      v.forEach((c, i) => {
        if (isObj(c) && typeof c["value"] === "string") {
          const name = typeof c["name"] === "string" ? c["name"] : "";
          c["value"] = this.secret(c["value"], "cookie value", { entry: ctx.entry, path: `${ctx.path}[${i}].value`, inner: `cookie ${name}` });
        }
      });
    } else if (isObj(v) && typeof v["name"] === "string" && "value" in v) {
      // One cookie written as an object instead of an array of them (IE11 via Fiddler): its name stays, its value goes.
      if (typeof v["value"] === "string") v["value"] = this.secret(v["value"], "cookie value", { entry: ctx.entry, path: `${ctx.path}.value`, inner: `cookie ${v["name"]}` });
    } else if (isObj(v)) {
      for (const [name, val] of Object.entries(v)) {
        if (typeof val === "string") v[name] = this.secret(val, "cookie value", { entry: ctx.entry, path: keyPath(ctx.path, name), inner: `cookie ${name}` });
        else if (isObj(val) && typeof val["value"] === "string") val["value"] = this.secret(val["value"], "cookie value", { entry: ctx.entry, path: `${keyPath(ctx.path, name)}.value`, inner: `cookie ${name}` });
      }
    }
  }

  /** `a=1&b=2` (query, fragment, form body): replace only the values that are secret; the rest stays byte-identical. */
  params(s: string, ctx: Ctx, prefix: string): string {
    let changed = false;
    const out = s.split("&").map((pair) => {
      const eq = pair.indexOf("=");
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      // A token as a field's name (`<token>` or `<token>=`): the name is checked like a value.
      const bare = safeDecode(rawName);
      if (bare.length >= 8) {
        const n = this.string(bare, { ...ctx, inner: `${prefix}(name)` });
        if (n !== bare) {
          changed = true;
          return eq < 0 ? encodeURIComponent(n) : `${encodeURIComponent(n)}${pair.slice(eq)}`;
        }
      }
      if (eq < 0) return pair;
      const rawValue = pair.slice(eq + 1);
      if (rawValue === "") return pair;
      // `&amp;` in a URL copied out of HTML: the name after it is the parameter's.
      const name = bare.replace(/^(?:amp;|#38;|#x26;)/i, "");
      const value = safeDecode(rawValue);
      const c: Ctx = { ...ctx, inner: `${prefix}${name}` };
      let rep: string;
      if (isSecretField(name)) rep = this.secret(value, `parameter "${name}"`, c, isPersonalField(name));
      else if (isSswsTokenShape(value)) rep = this.secret(value, "SSWS API token shape", c);
      else rep = this.string(value, c);
      if (rep === value) return pair;
      changed = true;
      return `${rawName}=${encodeURIComponent(rep)}`;
    });
    return changed ? out.join("&") : s;
  }

  /** A URL: secret query and fragment parameters (also of URLs nested in parameters), JWTs anywhere. */
  url(u: string, ctx: Ctx): string {
    const hash = u.indexOf("#");
    const q = u.indexOf("?");
    let head = hash < 0 ? u : u.slice(0, hash);
    let frag = hash < 0 ? undefined : u.slice(hash + 1);
    let query: string | undefined;
    if (q >= 0 && (hash < 0 || q < hash)) {
      query = head.slice(q + 1);
      head = head.slice(0, q);
    }
    head = this.shapes(this.pathTokens(this.userinfo(head, ctx), ctx), ctx);
    if (query !== undefined) query = this.params(query, ctx, "?");
    if (frag !== undefined) frag = frag.includes("=") ? this.params(frag, ctx, "#") : this.jwts(frag, ctx);
    return head + (query !== undefined ? `?${query}` : "") + (frag !== undefined ? `#${frag}` : "");
  }

  /** JWT-shaped substrings of any text. */
  private jwts(s: string, ctx: Ctx): string {
    if (!s.includes("eyJ")) return s;
    return s.replace(JWT_RE, (m) => (decodeJwt(m) && !isRedactedJwt(m) ? this.secret(m, "JWT", ctx) : m));
  }

  /** Any string that is not under a secret name: learned secrets, SSWS shape, URLs, JWTs. */
  string(s: string, ctx: Ctx): string {
    if (s.length < 8) return s;
    if (this.isKnown(s)) return this.secret(s, "value seen as a secret elsewhere in the file", ctx);
    const c0 = s.charCodeAt(0);
    // JSON inside a JSON string (a secrets manager's `SecretString`, a `_` field holding a document).
    if ((c0 === 123 || c0 === 91) && s.length <= MAX_JSON_BODY && /[}\]]\s*$/.test(s)) return this.text(s, "application/json", ctx);
    if (URLISH.test(s)) return this.url(s, ctx);
    return s.length >= 16 ? this.freeText(s, ctx) : this.jwts(s, ctx);
  }

  /** Secrets recognised by their shape in any text: JWTs, SSWS API tokens, PEM private keys. */
  private shapes(s: string, ctx: Ctx): string {
    let out = this.jwts(s, ctx);
    if (out.length >= 42 && out.includes("00")) {
      out = out.replace(SSWS_ANY, (m) => (containsMarker(m) ? m : this.secret(m, "SSWS API token shape", ctx)));
    }
    if (out.includes("-----BEGIN")) {
      out = out.replace(PEM_RE, (all, begin: string, _type: string, body: string, end: string) => {
        const t = body.trim();
        if (t === "" || containsMarker(t)) return all;
        return begin + body.replace(t, this.secret(t, "PEM private key", ctx)) + end;
      });
    }
    return out;
  }

  /** A password in a URL's userinfo (`https://user:password@host`). */
  private userinfo(head: string, ctx: Ctx): string {
    if (!head.includes("@")) return head;
    return head.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@:?#\s]*):([^/@?#\s]+)@/i, (all, scheme: string, user: string, pw: string) => {
      if (containsMarker(pw)) return all;
      return `${scheme}${user}:${this.secret(safeDecode(pw), "password in the URL", { ...ctx, inner: "userinfo" }, true)}@`;
    });
  }

  /** Okta's one-time tokens in URL paths: `/welcome/<activationToken>`, `/signin/reset-password/<token>`, `/authn/recovery/token/<token>`. */
  private pathTokens(s: string, ctx: Ctx): string {
    if (!s.includes("/")) return s;
    return s.replace(TOKEN_PATH_RE, (all, pre: string, tok: string) => {
      if (containsMarker(tok)) return all;
      return pre + this.secret(safeDecode(tok), "token in the URL path", { ...ctx, inner: pre });
    });
  }

  /** An `<input>` tag of a form whose field name is secret (a `form_post` response's `code`, `state`, `id_token`). */
  private htmlInput(tag: string, ctx: Ctx): string {
    let name: string | undefined;
    for (const m of tag.matchAll(HTML_ATTR)) if (m[1]!.toLowerCase() === "name") name = decodeEntities(m[2] ?? m[3] ?? "");
    if (name === undefined || !isSecretField(name)) return tag;
    return tag.replace(HTML_ATTR, (all, attr: string, dq: string | undefined, sq: string | undefined) => {
      if (attr.toLowerCase() !== "value") return all;
      const raw = dq ?? sq ?? "";
      if (raw === "" || containsMarker(raw)) return all;
      const v = decodeEntities(raw);
      const rep = this.secret(v, `form field "${name}"`, { ...ctx, inner: name }, isPersonalField(name!));
      if (rep === v) return all;
      const q = dq !== undefined ? '"' : "'";
      return `${attr}=${q}${rep}${q}`;
    });
  }

  /** Byte-wise masking of text that is not valid JSON (an entry that cannot be parsed). */
  bytewise(text: string, ctx: Ctx): string {
    let out = this.sweeper ? this.sweeper.replace(text) : text;
    // `{"name": …, "value": …}` pairs (headers, cookies, parameters): every value goes unless the name is known to be harmless.
    out = out.replace(NAME_VALUE_RE, (all, rawName: string, mid: string, rawValue: string) => {
      const name = unescapeJson(rawName);
      const value = unescapeJson(rawValue);
      if (value === "" || containsMarker(value)) return all;
      const h = { name, value };
      if (HARMLESS_HEADERS.has(name.toLowerCase())) this.header(h, { ...ctx, inner: name });
      else if (/^(?:authorization|proxy-authorization|cookie|set-cookie)$/i.test(name)) this.header(h, ctx);
      else h.value = this.secret(value, `field "${name}"`, { ...ctx, inner: name }, isPersonalField(name));
      return h.value === value ? all : `"${rawName}"${mid}${JSON.stringify(h.value).slice(1, -1)}"`;
    });
    out = out.replace(KEY_VALUE_RE, (all, key: string, sep: string, rawValue: string) => {
      const value = unescapeJson(rawValue);
      if (value === "" || containsMarker(value) || !isSecretField(key)) return all;
      const rep = this.secret(value, `field "${key}"`, { ...ctx, inner: key }, isPersonalField(key));
      return rep === value ? all : `"${key}"${sep}"${JSON.stringify(rep).slice(1, -1)}"`;
    });
    // String literals holding JSON (a body) or text: read like any string.
    out = out.replace(STRING_LITERAL, (lit) => {
      const s = unescapeJson(lit.slice(1, -1));
      if (s.length < 8) return lit;
      const rep = this.string(s, ctx);
      return rep === s ? lit : JSON.stringify(rep);
    });
    return this.freeText(out, ctx);
  }

  /** Every leaf under a secret name. Numbers are replaced only for personal fields (a passcode); booleans and null stay. */
  private leaves(v: unknown, ctx: Ctx, name: string, personal: boolean): unknown {
    if (typeof v === "string") return this.secret(v, `field "${name}"`, ctx, personal);
    if (typeof v === "number" && personal) return this.secret(String(v), `field "${name}"`, ctx, true);
    if (Array.isArray(v)) return v.map((x, i) => this.leaves(x, { ...ctx, inner: `${ctx.inner}[${i}]` }, name, personal));
    if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) v[k] = this.leaves(x, { ...ctx, inner: keyPath(ctx.inner ?? "$", k) }, name, personal);
    }
    return v;
  }

  /** Any JSON value (a parsed body, a HAR `_` field). `inner` is the path inside it. */
  json(v: unknown, ctx: Ctx, inner: string): unknown {
    if (typeof v === "string") return this.string(v, { ...ctx, inner });
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = this.json(v[i], ctx, `${inner}[${i}]`);
      return v;
    }
    if (!isObj(v)) return v;
    // {name: "password", value: "..."}: a form field described as data.
    const pairName = typeof v["name"] === "string" ? v["name"] : undefined;
    const jwk = typeof v["kty"] === "string";
    for (const [k, x] of Object.entries(v)) {
      const p = keyPath(inner, k);
      if (jwk && JWK_PRIVATE.has(k)) v[k] = this.leaves(x, { ...ctx, inner: p }, `JWK ${k}`, false);
      else if (isSecretField(k)) v[k] = this.leaves(x, { ...ctx, inner: p }, k, isPersonalField(k));
      else if (k === "value" && pairName !== undefined && isSecretField(pairName)) v[k] = this.leaves(x, { ...ctx, inner: p }, pairName, isPersonalField(pairName));
      else if (typeof x === "string" && isSswsTokenShape(x)) v[k] = this.secret(x, "SSWS API token shape", { ...ctx, inner: p });
      else v[k] = this.json(x, ctx, p);
    }
    return v;
  }

  /** postData / content: text (JSON, form, multipart, other text; base64 text too) and params. */
  private body(b: Record<string, unknown>, path: string, index: number): void {
    const mime = typeof b["mimeType"] === "string" ? b["mimeType"] : "";
    if (Array.isArray(b["params"])) b["params"].forEach((q, i) => this.pair(q, { entry: index, path: `${path}.params[${i}].value` }));
    for (const [k, v] of Object.entries(b)) {
      if (k === "text" || k === "params" || k === "mimeType" || k === "size" || k === "compression" || k === "encoding") continue;
      b[k] = this.json(v, { entry: index, path: `${path}.${k}` }, "$");
    }
    const text = b["text"];
    if (typeof text !== "string" || text === "") return;
    const ctx: Ctx = { entry: index, path: `${path}.text` };
    if (b["encoding"] === "base64") {
      if (text.length > MAX_JSON_BODY) return;
      if (!TEXTUAL_MIME.test(mime) && !looksText(text)) return;
      const decoded = Buffer.from(text, "base64").toString("utf8");
      if (decoded.includes("\uFFFD")) return;
      const out = this.text(decoded, mime, ctx);
      if (out !== decoded) b["text"] = Buffer.from(out, "utf8").toString("base64");
      return;
    }
    const out = this.text(text, mime, ctx);
    if (out !== text) b["text"] = out;
  }

  /** A body's text by its type. */
  text(text: string, mime: string, ctx: Ctx): string {
    const m = mime.toLowerCase();
    const t = text.trimStart();
    if ((m.includes("json") || t.startsWith("{") || t.startsWith("[")) && text.length <= MAX_JSON_BODY) {
      let parsed: unknown;
      let ok = false;
      try {
        parsed = JSON.parse(text);
        ok = true;
      } catch {
        // Not JSON after all: scanned as text below.
      }
      if (ok && parsed !== null && typeof parsed === "object") {
        const before = this.changed;
        this.changed = false;
        const out = this.json(parsed, ctx, "$");
        const changed = this.changed;
        this.changed ||= before;
        if (!changed) return text;
        const indent = /^[{[]\r?\n(\s+)/.exec(t)?.[1];
        return JSON.stringify(out, null, indent && /^(?: +|\t+)$/.test(indent) ? indent : undefined);
      }
    }
    if (m.includes("x-www-form-urlencoded") || (m === "" && /^[\w.%*-]+=[^&\s]*(?:&[\w.%*-]+=[^&\s]*)*$/.test(text))) return this.params(text, ctx, "");
    if (m.includes("multipart/")) return this.multipart(text, mime, ctx);
    return this.freeText(m.includes("html") ? this.authorizationPage(text, ctx) : text, ctx);
  }

  /** An /authorize answer's page (okta_post_message, form_post): its authorization code. */
  private authorizationPage(text: string, ctx: Ctx): string {
    let out = text;
    if (/postMessage/.test(out)) {
      out = out.replace(POST_MESSAGE_CODE, (all, q1: string, name: string, sep: string, q: string, value: string) => {
        if (containsMarker(value)) return all;
        return `${q1}${name}${q1}${sep}${q}${this.secret(value, `${name} (okta_post_message)`, { ...ctx, inner: name })}${q}`;
      });
    }
    if (/<form\b/i.test(out)) {
      out = out.replace(
        FORM_POST_CODE,
        (all, pre1: string | undefined, n1: string | undefined, q1: string | undefined, v1: string | undefined, pre2: string | undefined, q2: string | undefined, v2: string | undefined, post2: string | undefined, n2: string | undefined) => {
          const value = v1 ?? v2 ?? "";
          if (value === "" || containsMarker(value)) return all;
          const name = n1 ?? n2 ?? "code";
          const rep = this.secret(value, `${name} (form_post)`, { ...ctx, inner: name });
          return pre1 !== undefined ? `${pre1}${q1}${rep}${q1}` : `${pre2}${q2}${rep}${q2}${post2}`;
        },
      );
    }
    return out;
  }

  /** Text that is neither JSON nor a form: `name: "value"` / `name = 'value'` pairs under secret names, JWTs, URLs. */
  private freeText(text: string, ctx: Ctx): string {
    let out = text;
    if (hasTextName(out)) {
      out = out.replace(TEXT_KV, (all, q1: string, name: string, sep: string, q: string, value: string) => {
        if (value === "" || containsMarker(value)) return all;
        const rep = this.secret(value, `field "${name}"`, { ...ctx, inner: name }, isPersonalField(name));
        return `${q1}${name}${q1}${sep}${q}${rep}${q}`;
      });
    }
    if ((out.includes("<input") || out.includes("<INPUT")) && /<input\b/i.test(out)) out = out.replace(HTML_INPUT, (tag) => this.htmlInput(tag, ctx));
    if (out.includes("document.cookie")) {
      out = out.replace(SCRIPT_COOKIE, (all, pre: string, q: string, name: string, value: string) => {
        const v = value.trim();
        if (v === "" || containsMarker(v)) return all;
        return `${pre}${q}${name}=${value.replace(v, this.secret(v, "cookie set by a script", { ...ctx, inner: `cookie ${name}` }))}`;
      });
    }
    if (out.includes("kty")) {
      out = out.replace(JWK_TEXT, (all, q1: string, name: string, sep: string, q: string, value: string) =>
        containsMarker(value) ? all : `${q1}${name}${q1}${sep}${q}${this.secret(value, `JWK private member "${name}"`, { ...ctx, inner: name })}${q}`,
      );
    }
    out = this.pathTokens(this.shapes(out, ctx), ctx);
    if (out.includes("?") && /[?&#;](?:code|state|token|access_token|id_token|refresh_token|sessionToken|stateToken|client_secret|nonce|SAMLResponse|SAMLRequest|code_verifier|interaction_code)=/.test(out)) {
      out = out.replace(/\b(?:https?:\/\/|\/)[^\s"'<>`\\]*[?#][^\s"'<>`\\]*/g, (u) => this.url(u, ctx));
    }
    if (out.includes("://") && out.includes("@")) {
      out = out.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^/@:?#\s"'<>]*:[^/@?#\s"'<>]+@/gi, (u) => this.userinfo(u, ctx));
    }
    return out;
  }

  private multipart(text: string, mime: string, ctx: Ctx): string {
    const bm = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(mime);
    const boundary = bm?.[1] ?? bm?.[2] ?? /^--([^\r\n]+)\r?\n/.exec(text)?.[1];
    if (!boundary) return this.freeText(text, ctx);
    const sep = `--${boundary}`;
    const parts = text.split(sep);
    let changed = false;
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i]!;
      const hEnd = part.search(/\r?\n\r?\n/);
      if (hEnd < 0) continue;
      const nl = /\r?\n\r?\n/.exec(part.slice(hEnd))![0];
      const head = part.slice(0, hEnd);
      let body = part.slice(hEnd + nl.length);
      const trail = /\r?\n$/.exec(body)?.[0] ?? "";
      body = body.slice(0, body.length - trail.length);
      const name = /\bname="([^"]*)"/i.exec(head)?.[1] ?? "";
      const ptype = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? "";
      const c: Ctx = { ...ctx, inner: name };
      let rep: string;
      if (name && isSecretField(name)) rep = this.secret(body, `form field "${name}"`, c, isPersonalField(name));
      else if (/filename=/i.test(head) && !TEXTUAL_MIME.test(ptype)) rep = body;
      else rep = this.text(body, ptype, c);
      if (rep !== body) {
        parts[i] = head + nl + rep + trail;
        changed = true;
      }
    }
    return changed ? parts.join(sep) : text;
  }
}

/** `{"name": "…", "value": "…"}` in JSON text. */
const NAME_VALUE_RE = /"name"\s*:\s*"((?:[^"\\]|\\.)*)"(\s*,?\s*"value"\s*:\s*")((?:[^"\\]|\\.)*)"/g;
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;
/** `"key": "value"` in JSON text. */
const KEY_VALUE_RE = /"([A-Za-z_$][\w$.-]{0,63})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
/** Header names whose values say nothing secret (their values are still scanned for shapes). */
const HARMLESS_HEADERS = new Set([
  "accept", "accept-encoding", "accept-language", "content-type", "content-length", "content-encoding", "user-agent", "host", "origin",
  "date", "server", "cache-control", "pragma", "expires", "vary", "connection", "sec-fetch-mode", "sec-fetch-site", "sec-fetch-dest",
  "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "x-okta-request-id", "x-rate-limit-limit", "x-rate-limit-remaining",
  "x-rate-limit-reset", "access-control-allow-origin", "access-control-allow-credentials", "access-control-allow-methods",
  "access-control-allow-headers", "access-control-request-method", "access-control-request-headers", "location", "referer",
  "www-authenticate", "strict-transport-security", "x-content-type-options", "x-frame-options", "content-security-policy",
]);

function unescapeJson(raw: string): string {
  if (!raw.includes("\\")) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (all, dec: string, hex: string, name: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[name.toLowerCase() as "amp"] ?? all;
  });
}

/** Does a base64 body of an unknown or binary type decode to text (its first bytes)? */
function looksText(b64: string): boolean {
  const head = Buffer.from(b64.slice(0, 1024), "base64");
  if (head.length === 0) return false;
  for (const c of head) if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) return false;
  return !head.toString("utf8").slice(0, -4).includes("\uFFFD");
}
