import { Option, type Command } from "commander";
import kleur from "kleur";
import { explainCode } from "../okta/explain.js";
import { RULES, ruleById } from "../../rules/index.js";
import type { Rule } from "../engine/types.js";
import { wrap } from "../report/stylish.js";
import { EXIT_USAGE, out, printError, raiseExitCode } from "./io.js";

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description("explain a rule (session-token-misuse), an Okta error code (E0000011) or an OAuth error (invalid_client)")
    .argument("<code>", "a rule id, E0000xxx or an OAuth error value")
    .addOption(new Option("-f, --format <format>", "output format").choices(["stylish", "json"]).default("stylish"))
    .action(async (code: string, opts: { format: string }) => {
      const rule = ruleById(code);
      if (rule) {
        await out(opts.format === "json" ? JSON.stringify(ruleToJson(rule), null, 2) : formatRule(rule));
        return;
      }
      const e = explainCode(code);
      if (!e) {
        printError(`unknown code '${code}': expected a rule id (oktalint rules), an Okta error code such as E0000011 or an OAuth error such as invalid_client`);
        raiseExitCode(EXIT_USAGE);
        return;
      }
      if (opts.format === "json") {
        await out(JSON.stringify(e, null, 2));
        return;
      }
      const lines: string[] = [];
      lines.push(`${kleur.bold(e.code)} ${kleur.dim(`HTTP ${e.httpStatus}`)}  ${e.title}`);
      if (e.oktaSummary) lines.push(kleur.dim(`Okta says: "${e.oktaSummary}"`));
      lines.push("", e.meaning);
      if (e.causes.length) lines.push("", kleur.bold("Usual causes"), ...e.causes.map((c) => `  • ${c}`));
      if (e.check.length) lines.push("", kleur.bold("What to check"), ...e.check.map((c) => `  • ${c}`));
      if (e.docs.length) lines.push("", kleur.bold("Docs"), ...e.docs.map((d) => `  ${kleur.underline(d)}`));
      await out(lines.join("\n"));
    });
}

function ruleToJson(r: Rule) {
  return {
    id: r.id,
    severity: r.severity,
    tags: r.tags,
    title: r.title,
    explanation: r.explanation,
    fix: r.fix,
    docs: r.docs,
    needs: r.needs ?? [],
    needsSecretValues: r.needsSecretValues ?? null,
    explains: r.explains ?? [],
    explainedBy: explainedBy(r),
    messages: r.messages,
  };
}

/** The rules whose findings explain this rule's (it is shown as their symptom). */
function explainedBy(r: Rule): string[] {
  return RULES.filter((o) => o.explains?.includes(r.id)).map((o) => o.id);
}

function formatRule(r: Rule): string {
  const width = Math.max(60, Math.min(process.stdout.columns ?? 100, 110));
  const sev = { error: kleur.red, warning: kleur.yellow, info: kleur.blue }[r.severity];
  const lines = [`${kleur.bold(r.id)}  ${sev(r.severity)}  ${kleur.dim(r.tags.join(", "))}`, r.title, ""];
  lines.push(kleur.bold("Why it matters"), wrap(r.explanation, width, "  "), "");
  lines.push(kleur.bold("What to do"), wrap(r.fix, width, "  "), "");
  const by = explainedBy(r);
  if (r.explains?.length || by.length) {
    lines.push(kleur.bold("One problem, one finding"));
    if (r.explains?.length) lines.push(wrap(`Explains findings of ${r.explains.join(", ")} on the same or a related entry: they are shown beneath it as its symptoms.`, width, "  "));
    if (by.length) lines.push(wrap(`Shown as a symptom beneath a finding of ${by.join(", ")} on the same or a related entry.`, width, "  "));
    lines.push("");
  }
  if (r.needs?.length) lines.push(kleur.bold("Needs from the capture"), `  ${r.needs.join(", ")} (a sanitized export may lack them)`, "");
  if (r.needsSecretValues) lines.push(kleur.bold("After redaction"), wrap(r.needsSecretValues, width, "  "), "");
  lines.push(kleur.bold("Docs"), ...r.docs.map((d) => `  ${kleur.underline(d)}`));
  return lines.join("\n");
}
