/**
 * The enumeration behind test/causality.test.ts's list of pairs: every pair of
 * findings of two rules on the same or related entries, over the bundled
 * samples, every capture of the rule tables (test/rules/), the combined
 * captures of test/causality.test.ts and the third-party corpus. Runs only
 * with OKTALINT_PAIRS=1 (it prints a table; it asserts nothing):
 *
 *     OKTALINT_PAIRS=1 npx vitest run test/pairs.enumerate.test.ts
 */
import { describe, it } from "vitest";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { readCapture, readCaptureStream, RULES } from "../src/index.js";
import { buildHar, type CaptureSpec } from "../scripts/samples/builder.js";
import { SAMPLES, ruleSamples } from "../scripts/gen-samples.js";
import { coFiring, type CoFiring } from "./co-firing.js";
import { APART, ONE_PROBLEM } from "./pair-captures.js";

const ON = process.env.OKTALINT_PAIRS === "1";
const collected: { rule: string; name: string; capture: CaptureSpec }[] = [];
if (ON) {
  (globalThis as { __oktalintCollectCases?: unknown }).__oktalintCollectCases = collected;
  for (const f of readdirSync(new URL("./rules/", import.meta.url))) if (f.endsWith(".test.ts")) await import(/* @vite-ignore */ `./rules/${f}`);
}
const CORPUS = new URL("../../shared/har-corpus/", import.meta.url).pathname;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : /\.(z?har|mitm)$/.test(f) ? [join(dir, f)] : []));
}

describe.runIf(ON)("co-firing pairs", () => {
  it("lists them", async () => {
    const sources: { where: string; spec?: CaptureSpec; file?: string }[] = [
      ...Object.entries(SAMPLES).map(([k, spec]) => ({ where: `samples/${k}`, spec })),
      ...Object.entries(await ruleSamples()).map(([k, spec]) => ({ where: `samples/rules/${k}`, spec })),
      ...collected.map((c) => ({ where: `test/rules/${c.rule}: ${c.name}`, spec: c.capture })),
      ...Object.entries({ ...ONE_PROBLEM, ...APART }).map(([k, c]) => ({ where: `test/pair-captures: ${k}`, spec: c.spec })),
      ...walk(CORPUS).map((file) => ({ where: file.slice(CORPUS.length), file })),
    ];
    const apart = new Map<string, { where: string; c: CoFiring }[]>();
    const grouped = new Map<string, number>();
    for (const s of sources) {
      let capture;
      try {
        capture = s.spec ? await readCaptureStream(Readable.from([Buffer.from(JSON.stringify(buildHar(s.spec)))]), "spec.har") : await readCapture(s.file!);
      } catch {
        continue;
      }
      const r = coFiring(capture, RULES);
      for (const c of r.grouped) grouped.set(c.pair, (grouped.get(c.pair) ?? 0) + 1);
      for (const c of r.apart) {
        const list = apart.get(c.pair) ?? [];
        list.push({ where: s.where, c });
        apart.set(c.pair, list);
      }
    }
    const lines = [`${sources.length} captures`, "", "GROUPED:", ...[...grouped].sort().map(([p, n]) => `  ${p} (${n})`), "", "APART:"];
    for (const [p, list] of [...apart].sort()) {
      lines.push(`  ${p} (${list.length})`);
      for (const { where, c } of list.slice(0, 4)) lines.push(`    ${where} @${c.entries.join("/")}`, `      ${c.messages[0]}`, `      ${c.messages[1]}`);
    }
    writeFileSync(process.env.OKTALINT_PAIRS_OUT ?? "/tmp/pairs/pairs.txt", lines.join("\n") + "\n");
  }, 600_000);
});
