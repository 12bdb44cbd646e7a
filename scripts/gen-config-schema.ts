/**
 * Writes oktalint.schema.json at the package root: the JSON Schema (draft-07)
 * editors use to complete and check oktalint.config.json, generated from the
 * zod schema in src/engine/config.ts with every registered rule id.
 *
 *   npm run build && node dist/scripts/gen-config-schema.js           # write it
 *   npm run build && node dist/scripts/gen-config-schema.js --check   # exit 1 if it is out of date
 *
 * Regenerate after adding or renaming a rule; a test fails while it is stale.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { configJsonSchemaText } from "../src/engine/config.js";
import { RULES } from "../rules/index.js";

export const SCHEMA_FILE_NAME = "oktalint.schema.json";

/** The package root: the nearest directory above this file with oktalint's package.json (works from scripts/ and dist/scripts/). */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "oktalint") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no oktalint package.json above ${from}`);
    dir = parent;
  }
}

function main(argv: string[]): number {
  const target = join(packageRoot(), SCHEMA_FILE_NAME);
  const text = configJsonSchemaText(RULES);
  const current = existsSync(target) ? readFileSync(target, "utf8") : null;
  if (argv.includes("--check")) {
    if (current === text) return 0;
    process.stderr.write(`${target} is out of date: run npm run gen:schema\n`);
    return 1;
  }
  if (current !== text) writeFileSync(target, text);
  process.stdout.write(`${current === text ? "unchanged" : "wrote"} ${target}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
