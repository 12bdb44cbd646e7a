/**
 * URL and form parameters (`a=1&b=2`), decoded leniently: captures hold
 * whatever clients sent, so a malformed percent escape is kept as written
 * rather than thrown on.
 */

export interface Param {
  name: string;
  value: string;
}

/** One name or value of a query, fragment or form body: `+` is a space, percent escapes are decoded when they are valid. */
export function decodeParamPart(s: string): string {
  const plus = s.includes("+") ? s.replace(/\+/g, " ") : s;
  if (!plus.includes("%")) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/** Decode `a=1&b=2` (no leading `?`/`#`); a pair without `=` has the value "". */
export function decodeParamString(s: string): Param[] {
  const out: Param[] = [];
  if (!s) return out;
  for (const pair of s.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    out.push({ name: decodeParamPart(eq < 0 ? pair : pair.slice(0, eq)), value: eq < 0 ? "" : decodeParamPart(pair.slice(eq + 1)) });
  }
  return out;
}

/** The query (`query`) or fragment (`fragment`) parameters of a URL string, decoded. */
export function urlParams(url: string, part: "query" | "fragment"): Param[] {
  const hash = url.indexOf("#");
  if (part === "fragment") return hash < 0 ? [] : decodeParamString(url.slice(hash + 1));
  const q = url.indexOf("?");
  if (q < 0 || (hash >= 0 && q > hash)) return [];
  return decodeParamString(url.slice(q + 1, hash < 0 ? undefined : hash));
}
