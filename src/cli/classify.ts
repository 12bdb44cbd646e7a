import { Option, type Command } from "commander";
import kleur from "kleur";
import { classify } from "../okta/catalog.js";
import { describeClassification } from "../report/describe.js";
import { out } from "./io.js";

export function registerClassify(program: Command): void {
  program
    .command("classify")
    .description("say what an Okta call is: kind, API, operation, accepted credentials, scopes, browser use")
    .argument("<method>", "HTTP method, e.g. GET")
    .argument("<url>", "a path (/api/v1/users/00u1) or a full URL")
    .addOption(new Option("-f, --format <format>", "output format").choices(["stylish", "json"]).default("stylish"))
    .action(async (method: string, url: string, opts: { format: string }) => {
      const c = classify(method.toUpperCase(), url);
      if (opts.format === "json") {
        await out(JSON.stringify({ method: method.toUpperCase(), url, ...c }, null, 2));
        return;
      }
      const lines = [describeClassification(c)];
      if (c.pathTemplate) lines.push(kleur.dim(`  ${method.toUpperCase()} ${c.pathTemplate}${c.summary ? ` — ${c.summary}` : ""}`));
      if (c.authorizationServer) {
        const as = c.authorizationServer;
        lines.push(kleur.dim(`  authorization server: ${as.type === "org" ? "org (okta.* scopes, Okta APIs)" : `custom ${as.id ?? ""} (your own APIs, not /api/v1)`}`));
      }
      if (c.deprecated) lines.push(kleur.yellow("  deprecated"));
      await out(lines.join("\n"));
    });
}
