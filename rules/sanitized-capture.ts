import type { OktaCall } from "../src/engine/capture.js";
import { REDACTION_MARKER } from "../src/engine/capture.js";
import type { Rule, RuleNeed } from "../src/engine/types.js";
import type { CredentialType } from "../src/okta/catalog.js";
import { isBrowserProducer } from "../src/model/sender.js";
import { recordedByOktalint, sanitizationOf } from "./util.js";
import { displayPath } from "./util-org.js";

/** Credentials that only travel in the headers a sanitized export removes. */
const HEADER_CREDENTIALS: ReadonlySet<CredentialType> = new Set(["ssws", "bearer-org-as", "bearer-custom-as", "session-cookie"]);

/**
 * A call that cannot have succeeded without a credential the capture does not
 * show: the endpoint takes only header credentials (API token, access token,
 * session cookie), none is in the capture, and Okta answered 2xx. It proves the
 * credentials were stripped from the file, not from the request.
 */
function provesStripped(call: OktaCall): boolean {
  const { accepts } = call.classification;
  if (accepts.length === 0) return false;
  for (const a of accepts) if (!HEADER_CREDENTIALS.has(a)) return false;
  const status = call.exchange.response.status;
  return status >= 200 && status < 300 && call.credential.authorization === undefined && call.credential.sessionCookies.length === 0;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

const NEED_LABEL: Readonly<Record<RuleNeed, string>> = {
  authorization: "Authorization",
  cookies: "Cookie",
  "set-cookie": "Set-Cookie",
  bodies: "bodies",
};

/** Which credential headers carry a redaction marker on the Okta calls. */
function redactedHeaders(calls: readonly OktaCall[]): { needs: Set<RuleNeed>; first?: OktaCall; count: number; oktalintOnly: boolean } {
  const needs = new Set<RuleNeed>();
  let first: OktaCall | undefined;
  let count = 0;
  let oktalintOnly = true;
  const check = (value: string | undefined, need: RuleNeed): boolean => {
    if (value === undefined || !REDACTION_MARKER.test(value)) return false;
    needs.add(need);
    if (!/oktalint-redacted/i.test(value)) oktalintOnly = false;
    return true;
  };
  for (const call of calls) {
    const req = call.exchange.request.headers;
    const res = call.exchange.response.headers;
    const a = check(req.get("authorization"), "authorization");
    const c = check(req.get("cookie"), "cookies");
    let s = false;
    for (const v of res.getAll("set-cookie")) if (check(v, "set-cookie")) s = true;
    if (a || c || s) {
      count++;
      first ??= call;
    }
  }
  return first ? { needs, first, count, oktalintOnly } : { needs, count, oktalintOnly };
}

const rule: Rule = {
  id: "sanitized-capture",
  severity: "info",
  tags: ["capture"],
  title: "Capture exported without credentials: some rules could not judge it",
  explanation:
    "Since Chrome 130, DevTools exports \"HAR (sanitized)\" by default: every Cookie, Set-Cookie and Authorization header is left out. " +
    "Other tools replace those values with markers such as [REDACTED]. Such a capture is safer to share, but it cannot show whether a " +
    "request carried the Okta session cookie, which token it sent, or which cookie Okta set, so the rules that judge exactly that stay " +
    "silent rather than guess. A missing cookie or Authorization header in a sanitized capture proves nothing.",
  fix:
    "Record the problem again and export it with sensitive data. Chrome and Edge: in DevTools open Settings › Preferences › Network and " +
    "turn on \"Allow to generate HAR with sensitive data\", then use \"Export HAR (with sensitive data)\" (the Network panel's download " +
    "button menu, or right-click a request › Save all as HAR (with sensitive data)). Firefox's \"Save All As HAR\" keeps cookies and " +
    "headers. The file then holds live credentials: run `oktalint redact` on it before sharing it, which masks the values but keeps " +
    "their shape so every rule still works.",
  docs: [
    "https://developer.chrome.com/docs/devtools/network/reference",
    "https://chromium.googlesource.com/devtools/devtools-frontend/+/acd96a60464188fbf7c4476ec883ec65bba3dfdf",
  ],
  liveDefer: true,
  messages: {
    sanitized:
      "This browser capture has no Cookie, Set-Cookie or Authorization header in any of its {{entries}} entries ({{oktaCalls}}): it was exported without sensitive data (Chrome's default \"HAR (sanitized)\"). These rules could not judge credentials and stayed silent: {{rules}}. Export the capture again \"with sensitive data\" and mask it with `oktalint redact` before sharing.",
    stripped:
      "This capture has no Cookie, Set-Cookie or Authorization header in any of its {{entries}} entries, yet {{proof}} succeeded (HTTP {{status}}) although that endpoint only accepts a header credential: the credentials were removed from the capture, not from the traffic. What these rules say about missing or wrong credentials cannot be trusted for this capture: {{rules}}. Record it again with headers kept and mask it with `oktalint redact` before sharing.",
    redacted:
      "Redaction markers replace the {{headers}} values of {{calls}} (first at entry {{first}}): the values, and with them the token kinds, schemes and cookie names, are gone, so these rules could not judge those calls: {{rules}}. Export the capture again with sensitive data and mask it with `oktalint redact`, which keeps each value's shape.",
    redactedByOktalint:
      "oktalint's redaction markers replace the {{headers}} values of {{calls}} (first at entry {{first}}): the markers keep each value's shape, so only checks that need a secret's actual value could not run: {{rules}}.",
  },
  check(ctx) {
    const { capture, calls } = ctx;
    if (calls.length === 0) return;
    // oktalint's own recordings keep every header: a credential missing there was not sent (the rules that
    // judge credentials say so where it matters), and there is nothing to export again.
    if (recordedByOktalint(capture)) return;
    const others = ctx.rules.filter((r) => r.id !== rule.id);
    const s = sanitizationOf(capture);
    const st = capture.stats;
    // sanitizationOf() only calls browser exports sanitized. A server-side capture with no credential
    // header at all is only known to be stripped when a call proves it (it succeeded without one).
    const noCredentialHeaders = st.withHeaders >= 2 && st.withAuthorization === 0 && st.withCookie === 0 && st.withSetCookie === 0;

    if (s.sanitized || noCredentialHeaders) {
      const missing: RuleNeed[] = ["authorization", "cookies", "set-cookie"];
      const affected = others.filter((r) => r.needs?.some((n) => missing.includes(n))).map((r) => r.id);
      const rules = affected.length > 0 ? affected.join(", ") : "none of the rules in this run";
      const proof = calls.find(provesStripped);
      const evidence = [
        `producer: ${capture.meta.producer.name || "unknown"}${capture.meta.producer.version ? ` ${capture.meta.producer.version}` : ""}`,
        `entries with headers: ${st.withHeaders}; with Authorization: 0; with Cookie: 0; with Set-Cookie: 0`,
      ];
      if (proof) {
        evidence.push(`entry ${proof.exchange.index}: ${proof.exchange.request.method} ${displayPath(proof)} → HTTP ${proof.exchange.response.status} with no credential in the capture`);
      }
      if (s.sanitized) {
        ctx.report({
          messageId: "sanitized",
          data: { entries: st.entries, oktaCalls: plural(calls.length, "Okta call"), rules },
          evidence,
          ...(proof ? { related: [proof.exchange.index] } : {}),
          confidence: proof || isBrowserProducer(capture.meta.producer) ? "certain" : "likely",
        });
      } else if (proof) {
        ctx.report({
          messageId: "stripped",
          data: {
            entries: st.entries,
            proof: `${proof.exchange.request.method} ${displayPath(proof)} at entry ${proof.exchange.index}`,
            status: proof.exchange.response.status,
            rules,
          },
          evidence,
          related: [proof.exchange.index],
          confidence: "certain",
        });
      }
      return;
    }

    if (s.redacted) {
      const r = redactedHeaders(calls);
      if (!r.first) return;
      const needs = [...r.needs];
      const headers = needs.map((n) => NEED_LABEL[n]).join(", ");
      // oktalint's own markers keep each value's shape and a stable identity: only rules that need the secret itself are affected.
      const affected = r.oktalintOnly
        ? others.filter((x) => x.needsSecretValues !== undefined).map((x) => x.id)
        : others.filter((x) => x.needsSecretValues !== undefined || x.needs?.some((n) => r.needs.has(n))).map((x) => x.id);
      if (affected.length === 0 && r.oktalintOnly) return;
      ctx.report({
        messageId: r.oktalintOnly ? "redactedByOktalint" : "redacted",
        data: {
          calls: plural(r.count, "Okta call"),
          headers,
          first: r.first.exchange.index,
          rules: affected.length > 0 ? affected.join(", ") : "none of the rules in this run",
        },
        evidence: [`${r.count} Okta calls with redaction markers in ${headers}`, `first at entry ${r.first.exchange.index}: ${r.first.exchange.request.method} ${displayPath(r.first)}`],
        related: [r.first.exchange.index],
        confidence: "certain",
      });
    }
  },
};

export default rule;
