/**
 * Validation notes: every deviation from HAR 1.2 found while reading.
 *
 * Codes are stable and derived from where the problem is:
 *   har.entry.<field path>.missing        a required field is absent        (error)
 *   har.entry.<field path>.type           a field has the wrong JSON type   (error)
 *   har.entry.<field path>.unknown-field  a non-`_` field HAR does not define (error)
 *   har.custom-field                      a producer `_` extension field    (info)
 * plus the semantic checks below (dates, timings, URLs, HTTP versions, ...).
 * `error` means a HAR 1.2 violation (`validate --strict` fails); `info` marks
 * what the spec allows or what is merely unusual.
 */
import type { ZodType } from "zod";
import type { ValidationNote } from "../../model/exchange.js";
import { entrySchema, logHeaderSchema } from "./schema.js";

/** Collects notes, keeping at most `max` per code (the last kept one counts the rest). */
export class NoteSink {
  readonly notes: ValidationNote[];
  private readonly max: number;
  private readonly perCode = new Map<string, { count: number; last: ValidationNote }>();
  private readonly byKey = new Map<string, ValidationNote>();

  constructor(notes: ValidationNote[] = [], maxPerCode = 20) {
    this.notes = notes;
    this.max = Math.max(1, maxPerCode);
  }

  /** Has a note with this dedupe key been added? */
  has(dedupeKey: string): boolean {
    return this.byKey.has(dedupeKey);
  }

  /**
   * Add a note. With `dedupeKey`, later notes with the same key only bump the
   * first one's `repeated` (used for `_` fields, which repeat on every entry).
   */
  add(code: string, level: ValidationNote["level"], path: string, message: string, dedupeKey?: string): void {
    if (dedupeKey !== undefined) {
      const seen = this.byKey.get(dedupeKey);
      if (seen) {
        seen.repeated = (seen.repeated ?? 0) + 1;
        return;
      }
    }
    const slot = this.perCode.get(code);
    if (slot && slot.count >= this.max) {
      slot.last.repeated = (slot.last.repeated ?? 0) + 1;
      if (dedupeKey !== undefined) this.byKey.set(dedupeKey, slot.last);
      return;
    }
    const note: ValidationNote = { code, level, path, message };
    this.notes.push(note);
    if (slot) {
      slot.count++;
      slot.last = note;
    } else this.perCode.set(code, { count: 1, last: note });
    if (dedupeKey !== undefined) this.byKey.set(dedupeKey, note);
  }
}

/** `log.entries[3].request.headers[0].name` from a base and a zod-style path. */
export function formatPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && /^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** The path without array indices, joined with dots: `request.headers.name`. */
function patternOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") continue;
    out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** A JSON type name for messages: `null`, `array`, `object`, `string "true"`, `number`... */
export function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return v.length <= 20 ? `the string ${JSON.stringify(v)}` : "a string";
  if (typeof v === "object") return "an object";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : "a number";
  return `a ${typeof v}`;
}

function describeExpected(expected: unknown): string {
  switch (expected) {
    case "array":
      return "an array";
    case "object":
      return "an object";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    default:
      return String(expected);
  }
}

/** A `_` key found by the fast check: reported only when the entry is otherwise clean. */
interface CustomHit {
  dedupeKey: string;
  path: PropertyKey[];
  key: string;
}

type FastCheck = (v: unknown, path: PropertyKey[], hits: CustomHit[], seen: (key: string) => boolean) => boolean;

interface SchemaDef {
  type: string;
  shape?: Record<string, ZodType>;
  innerType?: ZodType;
  element?: ZodType;
  checks?: unknown[];
}

/**
 * Compile a strict zod schema (objects, arrays, optional, nullable, string,
 * number, boolean — what schema.ts uses) into a plain predicate that is true
 * exactly when the schema would accept the value apart from `_` keys, which it
 * collects. It is an order of magnitude faster than safeParse; safeParse
 * still produces the notes whenever the predicate says no.
 */
function compileFast(schema: ZodType, pattern: string, scope: string): FastCheck {
  const def = (schema as unknown as { def: SchemaDef }).def;
  if (def.checks && def.checks.length > 0) throw new Error(`compileFast: checks are not supported (${pattern})`);
  switch (def.type) {
    case "string":
      return (v) => typeof v === "string";
    case "number":
      return (v) => typeof v === "number" && Number.isFinite(v);
    case "boolean":
      return (v) => typeof v === "boolean";
    case "optional":
      // Optionality is handled by the enclosing object.
      return compileFast(def.innerType!, pattern, scope);
    case "nullable": {
      const inner = compileFast(def.innerType!, pattern, scope);
      return (v, path, hits, seen) => v === null || inner(v, path, hits, seen);
    }
    case "array": {
      const el = compileFast(def.element!, pattern, scope);
      return (v, path, hits, seen) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) {
          path.push(i);
          const ok = el(v[i], path, hits, seen);
          path.pop();
          if (!ok) return false;
        }
        return true;
      };
    }
    case "object": {
      const fields = Object.entries(def.shape!).map(([key, sub]) => ({
        key,
        optional: (sub as unknown as { def: SchemaDef }).def.type === "optional",
        check: compileFast(sub, pattern ? `${pattern}.${key}` : key, scope),
      }));
      const known = new Set(fields.map((f) => f.key));
      const prefix = `${scope}.${pattern}.`;
      return (v, path, hits, seen) => {
        if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
        const o = v as Record<string, unknown>;
        for (const f of fields) {
          const x = o[f.key];
          if (x === undefined) {
            if (f.optional) continue;
            return false;
          }
          path.push(f.key);
          const ok = f.check(x, path, hits, seen);
          path.pop();
          if (!ok) return false;
        }
        for (const k in o) {
          if (known.has(k)) continue;
          if (k.charCodeAt(0) !== 95 /* _ */) return false;
          const dedupeKey = prefix + k;
          hits.push({ dedupeKey, path: seen(dedupeKey) ? [] : [...path, k], key: k });
        }
        return true;
      };
    }
    default:
      throw new Error(`compileFast: unsupported schema type ${def.type} (${pattern})`);
  }
}

const fastEntryCheck = compileFast(entrySchema, "", "entry");

/** Run a strict schema and turn its issues into notes. `scope` is `entry` or `log`. */
export function schemaNotes(
  schema: ZodType,
  value: unknown,
  scope: "entry" | "log",
  base: string,
  sink: NoteSink,
): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  for (const issue of result.error.issues) {
    const path = issue.path;
    const pattern = patternOf(path);
    const prefix = pattern ? `har.${scope}.${pattern}` : `har.${scope}`;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const where = formatPath(base, [...path, key]);
        if (key.startsWith("_")) {
          sink.add("har.custom-field", "info", where, `producer extension field "${key}"`, `${scope}.${pattern}.${key}`);
        } else {
          sink.add(`${prefix}.unknown-field`, "error", where, `"${key}" is not a HAR 1.2 field (custom fields must start with "_")`);
        }
      }
      continue;
    }
    const where = formatPath(base, path);
    if (issue.code === "invalid_type") {
      const actual = valueAt(value, path);
      if (actual === undefined) {
        sink.add(`${prefix}.missing`, "error", where, `required field ${pattern || scope} is missing`);
      } else {
        sink.add(
          `${prefix}.type`,
          "error",
          where,
          `expected ${describeExpected(issue.expected)}, found ${jsonType(actual)}`,
        );
      }
      continue;
    }
    sink.add(`${prefix}.invalid`, "error", where, issue.message);
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const STANDARD_HTTP_VERSION = /^HTTP\/\d(\.\d)?$/;
const OPTIONAL_TIMINGS = ["blocked", "dns", "connect", "ssl"] as const;
const REQUIRED_TIMINGS = ["send", "wait", "receive"] as const;

/** What the entry checks need to know about the capture. */
export interface EntryContext {
  /** Page ids from `log.pages`, when they were read before the entry. */
  pageIds?: Set<string>;
}

/** Parse a HAR date: ISO 8601; a date-time without a zone is read as UTC. Null when unusable. */
export function parseHarDate(value: unknown): number | null {
  if (typeof value !== "string" || value === "") return null;
  let ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) ms = Date.parse(`${value}Z`);
  return Number.isNaN(ms) ? null : ms;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Validate one raw entry: the strict schema plus checks a schema cannot express. */
export function validateEntry(raw: unknown, base: string, sink: NoteSink, ctx: EntryContext = {}): void {
  if (!isObj(raw)) {
    sink.add("har.entry.type", "error", base, `an entry must be an object, found ${jsonType(raw)}`);
    return;
  }
  const hits: CustomHit[] = [];
  if (fastEntryCheck(raw, [], hits, (key) => sink.has(key))) {
    for (const h of hits) {
      sink.add("har.custom-field", "info", formatPath(base, h.path), `producer extension field "${h.key}"`, h.dedupeKey);
    }
  } else {
    schemaNotes(entrySchema, raw, "entry", base, sink);
  }

  const started = raw["startedDateTime"];
  if (typeof started === "string") {
    if (parseHarDate(started) === null) {
      sink.add("har.entry.startedDateTime.invalid", "error", `${base}.startedDateTime`, `not a date: ${JSON.stringify(started.slice(0, 40))}`);
    } else if (!ISO_DATE.test(started)) {
      sink.add("har.entry.startedDateTime.format", "error", `${base}.startedDateTime`, `not an ISO 8601 date-time with a zone: ${JSON.stringify(started.slice(0, 40))}`);
    }
  }

  const timings = raw["timings"];
  if (isObj(timings)) {
    for (const k of OPTIONAL_TIMINGS) {
      const v = timings[k];
      if (typeof v === "number" && v < -1) {
        sink.add("har.entry.timings.negative", "error", `${base}.timings.${k}`, `${k} is ${v}; only -1 (not applicable) may be negative`);
      }
    }
    for (const k of REQUIRED_TIMINGS) {
      const v = timings[k];
      if (typeof v === "number" && v < 0) {
        sink.add("har.entry.timings.negative", "error", `${base}.timings.${k}`, `${k} is ${v}; it must not be negative`);
      }
    }
  }

  const request = raw["request"];
  if (isObj(request)) {
    const url = request["url"];
    if (typeof url === "string" && url !== "" && !URL.canParse(url)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
        sink.add("har.entry.request.url.invalid", "error", `${base}.request.url`, "the URL cannot be parsed");
      } else {
        sink.add("har.entry.request.url.relative", "error", `${base}.request.url`, "HAR requires an absolute URL; this one is relative");
      }
    }
    checkHttpVersion(request["httpVersion"], `${base}.request.httpVersion`, sink);
    checkPseudoHeaders(request["headers"], `${base}.request.headers`, sink);
    const postData = request["postData"];
    if (isObj(postData) && typeof postData["text"] === "string" && Array.isArray(postData["params"]) && postData["params"].length > 0) {
      sink.add(
        "har.entry.request.postData.text-and-params",
        "info",
        `${base}.request.postData`,
        "postData has both text and params (HAR 1.2 calls them mutually exclusive; most producers write both)",
      );
    }
  }
  const response = raw["response"];
  if (isObj(response)) {
    checkHttpVersion(response["httpVersion"], `${base}.response.httpVersion`, sink, response["status"] === 0);
    checkPseudoHeaders(response["headers"], `${base}.response.headers`, sink);
  }

  const ip = raw["serverIPAddress"];
  if (typeof ip === "string" && ip.startsWith("[")) {
    sink.add("har.entry.serverIPAddress.bracketed", "info", `${base}.serverIPAddress`, `IPv6 address written in brackets: ${ip}`);
  }

  const pageref = raw["pageref"];
  if (typeof pageref === "string" && ctx.pageIds && !ctx.pageIds.has(pageref)) {
    sink.add("har.entry.pageref.unknown", "error", `${base}.pageref`, `no page with id ${JSON.stringify(pageref)} in log.pages`);
  }
}

function checkHttpVersion(v: unknown, path: string, sink: NoteSink, noResponse = false): void {
  if (typeof v !== "string" || STANDARD_HTTP_VERSION.test(v)) return;
  if (v === "" && noResponse) return;
  sink.add(
    "har.entry.httpVersion.nonstandard",
    "info",
    path,
    v === "" ? "empty HTTP version" : `HTTP version written as ${JSON.stringify(v.slice(0, 20))}`,
  );
}

function checkPseudoHeaders(headers: unknown, path: string, sink: NoteSink): void {
  if (!Array.isArray(headers)) return;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i] as unknown;
    if (isObj(h) && typeof h["name"] === "string" && h["name"].startsWith(":")) {
      sink.add("har.entry.headers.pseudo", "info", `${path}[${i}]`, `HTTP/2 pseudo-header ${h["name"]} listed among the headers`);
      return;
    }
  }
}

/** What was read of `log` (apart from its entries). */
export interface LogHeader {
  version?: unknown;
  creator?: unknown;
  browser?: unknown;
  pages?: unknown;
  comment?: unknown;
  /** Which of the fields were present in the file. */
  present: Set<string>;
}

/** Validate the `log` fields (called once, when all of them are known). */
export function validateLogHeader(header: LogHeader, sink: NoteSink): void {
  const value: Obj = {};
  for (const key of header.present) value[key] = header[key as keyof Omit<LogHeader, "present">];
  schemaNotes(logHeaderSchema, value, "log", "log", sink);
  if (typeof header.version === "string" && header.version !== "1.2" && header.version !== "") {
    // Read all the same (1.1 is a subset in practice), but it is not a HAR 1.2 file: strict validation fails.
    sink.add("har.log.version.other", "error", "log.version", `HAR version ${header.version}, not 1.2 (read with HAR 1.2 rules)`);
  }
}

/** Note a `log` key HAR does not define. */
export function noteUnknownLogKey(key: string, sink: NoteSink): void {
  if (key.startsWith("_")) sink.add("har.custom-field", "info", formatPath("log", [key]), `producer extension field "${key}"`, `log.${key}`);
  else sink.add("har.log.unknown-field", "error", formatPath("log", [key]), `"${key}" is not a HAR 1.2 field (custom fields must start with "_")`);
}
