/**
 * JSON text, written piece by piece: the same bytes as JSON.stringify(value,
 * null, 2), without ever holding the whole text (or a second copy of a big
 * array's objects) in memory. A 1.5 GiB capture can have tens of thousands of
 * Okta calls and findings; their report is written as it is produced.
 */

/** An array whose elements are produced on demand (mapped from the capture as they are written). */
export class LazyArray<T> {
  constructor(
    readonly length: number,
    readonly items: Iterable<T>,
  ) {}
}

export function lazyMap<T, U>(items: readonly T[], fn: (item: T) => U): LazyArray<U> {
  return new LazyArray(items.length, (function* () {
    for (const item of items) yield fn(item);
  })());
}

/** Re-indent a JSON.stringify(…, null, 2) text to sit `pad` deeper. */
function indentText(text: string, pad: string): string {
  return pad === "" || !text.includes("\n") ? text : text.replace(/\n/g, `\n${pad}`);
}

/** Does a LazyArray sit in this value, within a few levels? (Deeper levels are plain data.) */
function hasLazy(value: unknown, depth = 4): boolean {
  if (value instanceof LazyArray) return true;
  if (depth === 0 || value === null || typeof value !== "object") return false;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (hasLazy(v, depth - 1)) return true;
  return false;
}

function* chunks(value: unknown, pad: string): Generator<string> {
  if (Array.isArray(value) && hasLazy(value)) {
    yield* chunks(new LazyArray(value.length, value), pad);
    return;
  }
  if (value instanceof LazyArray) {
    if (value.length === 0) {
      yield "[]";
      return;
    }
    const inner = pad + "  ";
    yield "[";
    let first = true;
    for (const item of value.items as Iterable<unknown>) {
      yield `${first ? "" : ","}\n${inner}`;
      first = false;
      yield* chunks(item, inner);
    }
    yield `\n${pad}]`;
    return;
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && hasLazy(value)) {
    const inner = pad + "  ";
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function");
    if (entries.length === 0) {
      yield "{}";
      return;
    }
    yield "{";
    let first = true;
    for (const [k, v] of entries) {
      yield `${first ? "" : ","}\n${inner}${JSON.stringify(k)}: `;
      first = false;
      yield* chunks(v, inner);
    }
    yield `\n${pad}}`;
    return;
  }
  yield indentText(JSON.stringify(value, null, 2) ?? "null", pad);
}

/** The JSON text of `value` in pieces (identical to JSON.stringify(value, null, 2) with LazyArrays as arrays). */
export function jsonChunks(value: unknown): Iterable<string> {
  return chunks(value, "");
}
