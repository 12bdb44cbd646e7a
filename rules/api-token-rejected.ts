import type { Rule } from "../src/engine/types.js";
import type { OktaCall } from "../src/engine/capture.js";
import { maskSecret } from "../src/okta/mask.js";
import { authOf, errorOf, headerPath } from "./util.js";
import { tokenIndex } from "./util-browser.js";

const rule: Rule = {
  id: "api-token-rejected",
  severity: "error",
  tags: ["tokens", "management"],
  title: "Okta rejected the SSWS API token (401 E0000011)",
  explanation:
    "Okta answers 401 E0000011 \"Invalid token provided\" when the value after `SSWS` is not a live API token of this org. " +
    "API tokens stop working when they are revoked, when they have not been used for 30 days, when the admin who created them " +
    "is deactivated or loses the admin role, or when they belong to another org (a preview org token on production, say). " +
    "The `-admin` host of an org (acme-admin.okta.com) is the Admin Console, not the API: call the org's own host. " +
    "A one-time token (sessionToken, cookieToken, stateToken) has the same 42-character shape as an API token and is rejected the same way.",
  fix:
    "Send a live API token of this org from your server (`Authorization: SSWS <token>`), or better an OAuth access token from the org " +
    "authorization server with the okta.* scopes the call needs. Check the token under Security › API › Tokens (last used, created by), " +
    "and call https://{yourOrg}.okta.com, not the -admin host.",
  docs: [
    "https://developer.okta.com/docs/reference/error-codes/#E0000011",
    "https://developer.okta.com/docs/guides/create-an-api-token/main/",
  ],
  needs: ["authorization"],
  messages: {
    rejected: "Okta rejected the API token {{token}} on {{method}} {{path}} (401 E0000011). {{why}}",
  },
  check(ctx) {
    const sswsCalls = ctx.calls.filter((c) => authOf(c)?.schemeKey === "ssws");
    // Successful calls per token value, built once: captures can hold thousands of SSWS calls.
    const worked = new Map<string, { calls: OktaCall[]; firstByHost: Map<string, OktaCall> }>();
    for (const c of sswsCalls) {
      const s = c.exchange.response.status;
      if (s < 200 || s >= 400) continue;
      const token = authOf(c)!.token;
      let rec = worked.get(token);
      if (!rec) worked.set(token, (rec = { calls: [], firstByHost: new Map() }));
      rec.calls.push(c);
      if (!rec.firstByHost.has(c.host.host)) rec.firstByHost.set(c.host.host, c);
    }
    for (const call of sswsCalls) {
      const ex = call.exchange;
      if (ex.response.status !== 401 || errorOf(call)?.code !== "E0000011") continue;
      const auth = authOf(call)!;
      // A one-time token the capture saw Okta issue is session-token-misuse's to explain: same root cause.
      if (tokenIndex(ctx.capture).byValue.get(auth.token)?.issued) continue;
      const why: string[] = [];
      if (call.host.admin) why.push(`It went to the -admin host ${call.host.host}, which does not serve the API: use ${call.host.host.replace("-admin.", ".")}.`);
      const same = worked.get(auth.token);
      const elsewhere = same ? [...same.firstByHost.values()].find((o) => o.host.host !== call.host.host) : undefined;
      const earlierHere = same ? lastBefore(same.calls, ex.index, call.host.host) : undefined;
      if (elsewhere) why.push(`The same token worked on ${elsewhere.host.host} (entry ${elsewhere.exchange.index}): it belongs to that org, not to ${call.host.host}.`);
      if (earlierHere) why.push(`The same token worked here at entry ${earlierHere.exchange.index}: it was revoked or its creator lost admin rights in between.`);
      if (auth.tokenKind === "jwt") why.push("The value is a JWT, not an API token: send it as `Bearer`.");
      else if (auth.tokenKind !== "ssws-token") why.push("The value does not have an API token's shape (`00` followed by 40 characters).");
      // A malformed header is a cause the capture shows (authorization-scheme names it): not "cannot tell".
      const shape = auth.problems.filter((p) => p.level === "error" && p.code !== "jwt-with-ssws").map((p) => p.code);
      if (shape.length > 0) why.push(`The header does not carry the bare token (${shape.join(", ")}): Okta compared something else with its API tokens.`);
      if (why.length === 0) why.push("The capture cannot tell which cause it is: the token may be revoked, unused for 30 days, its creator deactivated, or from another org.");
      ctx.report({
        call,
        messageId: "rejected",
        data: { token: maskSecret(auth.token), method: ex.request.method, path: ex.request.url?.pathname ?? ex.request.rawUrl, why: why.join(" ") },
        evidence: [`Authorization: SSWS ${maskSecret(auth.token)}`, `HTTP ${ex.response.status} E0000011`],
        ...(headerPath(ex, "request", "authorization") ? { path: headerPath(ex, "request", "authorization")! } : {}),
        related: [...new Set([elsewhere, earlierHere].filter((o) => o !== undefined).map((o) => o.exchange.index))],
        confidence: elsewhere || earlierHere || call.host.admin || auth.tokenKind !== "ssws-token" ? "certain" : "likely",
      });
    }
  },
};

/** The last call of `calls` (in capture order) before entry `index` on `host`: binary search, then a short walk back. */
function lastBefore(calls: readonly OktaCall[], index: number, host: string): OktaCall | undefined {
  let lo = 0;
  let hi = calls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (calls[mid]!.exchange.index < index) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) if (calls[i]!.host.host === host) return calls[i];
  return undefined;
}

export default rule;
