import { Option, type Command } from "commander";
import kleur from "kleur";
import { classify } from "../okta/catalog.js";
import { describeClassification } from "../report/describe.js";
import { oktaHostInfo } from "../okta/hosts.js";
import { isKnownTracker } from "../engine/tokens.js";
import { out } from "./io.js";

export function registerClassify(program: Command): void {
  program
    .command("classify")
    .description("say what an Okta call is: kind, API, operation, accepted credentials, scopes, browser use")
    .argument("<method>", "HTTP method, e.g. GET")
    .argument("<url>", "a path (/api/v1/users/00u1) or a full URL")
    .addOption(new Option("-f, --format <format>", "output format").choices(["stylish", "json"]).default("stylish"))
    .option("--okta-domain <domain...>", "custom domains of your Okta org (login.example.com)")
    .action(async (method: string, url: string, opts: { format: string; oktaDomain?: string[] }) => {
      const c = classify(method.toUpperCase(), url);
      const host = hostOf(url);
      const beyond = host !== undefined && !oktaHostInfo(host, opts.oktaDomain ?? []) ? notOkta(host, c.kind !== "unknown") : undefined;
      if (opts.format === "json") {
        await out(JSON.stringify({ method: method.toUpperCase(), url, ...c, ...(beyond ? { oktaHost: false, beyond } : {}) }, null, 2));
        return;
      }
      if (beyond) {
        await out([`not Okta · ${host} is not an Okta org host`, ...beyond.map((l) => kleur.dim(`  ${l}`))].join("\n"));
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

function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" || u.protocol === "ws:" || u.protocol === "wss:" ? u.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** What a URL on another host is not, and how a capture decides what it is. */
function notOkta(host: string, oktaShapedPath: boolean): string[] {
  const lines: string[] = [];
  if (oktaShapedPath) lines.push("its path has the shape of an Okta API: if this host is your Okta custom domain, pass --okta-domain " + host);
  lines.push("not an Okta endpoint: no Okta operation, credential or scope applies here");
  if (isKnownTracker(host)) lines.push("a known analytics or tag host: an Okta token sent here is reported as token-to-third-party (certain)");
  else {
    lines.push("in a capture, a call here that carries an Okta token is \"your API\" when the host is a page origin (Origin/Referer), a redirect_uri or post_logout_redirect_uri host, of the same registrable domain as one, or answered the token with WWW-Authenticate: Bearer or 2xx JSON;");
    lines.push("otherwise it is a \"third party\" (token-to-third-party)");
  }
  return lines;
}
