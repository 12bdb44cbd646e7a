import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";

/** File endings picked up when a directory is given: HARs, zlib HARs, JSON HARs and mitmproxy flow files. */
const CAPTURE_FILE = /\.(?:har|zhar|json|mitm|flow)$/i;

/** What an input named on the command line expanded to. */
export interface ExpandedInput {
  /** Files in a stable order: inputs in the order given, directories and globs sorted. */
  files: string[];
  /** Size in bytes of each file (0 for stdin or a file that could not be read). */
  sizes: number[];
  /** Inputs that matched nothing, each with a one-line reason. */
  missing: { input: string; reason: string }[];
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && CAPTURE_FILE.test(e.name)) out.push(p);
  }
}

/**
 * Expand files, directories (recursively: .har, .zhar, .json) and globs.
 * `-` (stdin) passes through. A file named explicitly is kept whatever its
 * name; the reader sniffs its content. Duplicates are dropped.
 */
export async function expandInputs(inputs: readonly string[]): Promise<ExpandedInput> {
  const files: string[] = [];
  const missing: ExpandedInput["missing"] = [];
  const seen = new Set<string>();
  const known = new Map<string, number>();
  const add = (f: string) => {
    if (!seen.has(f)) {
      seen.add(f);
      files.push(f);
    }
  };
  for (const input of inputs) {
    if (input === "-") {
      add(input);
      continue;
    }
    let st;
    try {
      st = await stat(input);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) {
      const found: string[] = [];
      await walk(input, found);
      if (found.length === 0) missing.push({ input, reason: "no .har, .zhar, .json, .mitm or .flow files in this directory" });
      found.forEach(add);
    } else if (st) {
      known.set(input, st.size);
      add(input);
    } else if (isDynamicPattern(input)) {
      const found = (await glob(input, { onlyFiles: true, dot: false, expandDirectories: false })).sort();
      if (found.length === 0) missing.push({ input, reason: "no files match this pattern" });
      found.forEach(add);
    } else {
      // Let the reader say "no such file" in its own words.
      add(input);
    }
  }
  const sizes = await Promise.all(files.map(async (f) => known.get(f) ?? (f === "-" ? 0 : stat(f).then((s) => s.size, () => 0))));
  return { files, sizes, missing };
}
