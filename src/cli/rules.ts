import { Option, type Command } from "commander";
import kleur from "kleur";
import { RULES } from "../../rules/index.js";
import { renderTable } from "../report/table.js";
import type { Rule } from "../engine/types.js";
import { out } from "./io.js";

const SEV = { error: kleur.red, warning: kleur.yellow, info: kleur.blue } as const;

export function registerRules(program: Command): void {
  program
    .command("rules")
    .description("list the rules: id, default severity, tags, title")
    .addOption(new Option("-f, --format <format>", "output format").choices(["stylish", "json"]).default("stylish"))
    .action(async (opts: { format: string }) => {
      if (opts.format === "json") {
        await out(JSON.stringify(RULES.map((r) => ({ id: r.id, severity: r.severity, tags: r.tags, title: r.title, docs: r.docs })), null, 2));
        return;
      }
      await out(
        renderTable<Rule>(
          RULES,
          [
            { header: "rule", cell: (r) => r.id },
            { header: "severity", cell: (r) => r.severity, color: (t, r) => SEV[r.severity](t) },
            { header: "tags", cell: (r) => r.tags.join(",") },
            { header: "title", cell: (r) => r.title },
          ],
          "",
          kleur.dim,
        ) + kleur.dim(`\n\n${RULES.length} rules · oktalint explain <rule> for the why, the fix and the docs`),
      );
    });
}
