import type { OktaCall } from "../src/engine/capture.js";
import type { Report, Rule } from "../src/engine/types.js";
import { maskSecret } from "../src/okta/mask.js";
import { groupBy, pathOf } from "./util.js";
import { displayPath, entryList, orgEngine, orgKeyOf, type OrgEngineInfo } from "./util-org.js";

const COOKIE_TOKEN_FIELD = /"(cookieToken|cookieTokenUrl)"\s*:\s*"([^"]*)"/g;

interface CookieTokenUse {
  /** `additionalFields=cookieToken,cookieTokenUrl` in the request. */
  requested?: string;
  /** Fields present in the response (masked values). */
  returned: string[];
  path: string;
}

/** Whether a call asked for or received a cookieToken / cookieTokenUrl. */
function cookieTokenUse(call: OktaCall): CookieTokenUse | undefined {
  const ex = call.exchange;
  let requested: string | undefined;
  let queryIndex = -1;
  ex.request.query.forEach((q, i) => {
    if (q.name === "additionalFields" && /cookieToken/i.test(q.value)) {
      requested = q.value;
      if (queryIndex < 0) queryIndex = i;
    }
  });
  const returned: string[] = [];
  const text = ex.response.body?.text;
  if (text && text.includes('"cookieToken') && text.length < 256 * 1024) {
    for (const m of text.matchAll(COOKIE_TOKEN_FIELD)) {
      const value = m[2]!;
      if (value === "") continue;
      returned.push(m[1] === "cookieToken" ? `cookieToken: ${maskSecret(value)}` : `cookieTokenUrl: ${maskUrlToken(value)}`);
    }
  }
  if (requested === undefined && returned.length === 0) return undefined;
  const use: CookieTokenUse = { returned, path: requested !== undefined ? `request.queryString[${queryIndex}]` : "response.content" };
  if (requested !== undefined) use.requested = requested;
  return use;
}

/** The cookieTokenUrl carries the token in its query: keep the path, mask the query values. */
function maskUrlToken(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url.length > 100 ? `${url.slice(0, 99)}…` : url;
  const params = new URLSearchParams(url.slice(q + 1));
  const parts: string[] = [];
  for (const [k, v] of params) parts.push(`${k}=${maskSecret(v)}`);
  return `${url.slice(0, q)}?${parts.join("&")}`;
}

function isCreateSession(call: OktaCall): boolean {
  return call.exchange.request.method.toUpperCase() === "POST" && (call.classification.operationId === "createSession" || pathOf(call) === "/api/v1/sessions");
}

function isAuthn(call: OktaCall): boolean {
  const p = pathOf(call);
  return p === "/api/v1/authn" || p.startsWith("/api/v1/authn/");
}

interface Hit {
  messageId: string;
  group: string;
  report: Omit<Report, "call" | "messageId">;
}

const rule: Rule = {
  id: "deprecated-api",
  severity: "warning",
  tags: ["sessions", "deprecated"],
  title: "Deprecated or Classic-only Okta API",
  explanation:
    "Some sign-in building blocks of Okta's Classic Engine are deprecated. The cookieToken and cookieTokenUrl that " +
    "`POST /api/v1/sessions?additionalFields=…` returns were one-time tokens for setting the session cookie through an embed link or an " +
    "image pixel, which browsers now block as a third-party cookie; Identity Engine does not return them at all. In an Identity Engine " +
    "org, the Classic Authentication API (/api/v1/authn) and session creation through POST /api/v1/sessions still answer for backward " +
    "compatibility, but they create the Classic `sid` session that Identity Engine no longer uses (its session cookie is `idx`), " +
    "bypass Identity Engine's authentication policies and authenticators (passkeys, Okta Verify), and set no cookie in the user's browser.",
  fix:
    "Sign users in with a redirect to the Okta-hosted sign-in page (or the Sign-In Widget / Identity Engine SDK and the Interaction Code " +
    "flow for an embedded sign-in). If you still get a sessionToken, let the browser redeem it at `/oauth2/v1/authorize?sessionToken=…` " +
    "or `/login/sessionCookieRedirect` instead of asking for a cookieToken. Read the current session with `/api/v1/sessions/me` from " +
    "the browser.",
  docs: [
    "https://developer.okta.com/docs/guides/oie-upgrade-api-changes/main/",
    "https://developer.okta.com/docs/guides/oie-upgrade-sessions-api/main/",
    "https://developer.okta.com/docs/guides/session-cookie/main/",
    "https://developer.okta.com/docs/concepts/interaction-code/",
  ],
  needs: ["bodies"],
  // A cookieToken (or a Classic session) made on the server is why the sessionToken never signs the browser in.
  explains: ["session-token-not-exchanged"],
  messages: {
    cookieToken:
      "{{method}} {{path}} {{how}}: cookieToken and cookieTokenUrl are deprecated (and not supported in Identity Engine). Let the browser redeem the sessionToken at /oauth2/v1/authorize or /login/sessionCookieRedirect instead.",
    cookieTokenIdentityEngine:
      "{{method}} {{path}} {{how}}, but this org runs Identity Engine ({{engine}}), which does not support cookieToken: the deprecated Classic way of setting the session cookie fails here. Let the browser redeem the sessionToken at /oauth2/v1/authorize instead.",
    sessionsApiIdentityEngine:
      "{{method}} {{path}} creates a Classic session from a sessionToken, but this org runs Identity Engine ({{engine}}): the sid session it creates is not Identity Engine's (idx) session and no browser receives a cookie. Redirect the browser to /oauth2/v1/authorize with the sessionToken, or use the Identity Engine sign-in flow.",
    authnIdentityEngine:
      "{{method}} {{path}} uses the Classic Authentication API, but this org runs Identity Engine ({{engine}}): /api/v1/authn only answers for backward compatibility and skips Identity Engine's policies and authenticators. Move the sign-in to the Okta-hosted page or the Identity Engine SDK (Interaction Code flow).",
  },
  check(ctx) {
    const hits = new Map<OktaCall, Hit>();
    const engineCache = new Map<string, OrgEngineInfo>();
    const engineOf = (call: OktaCall): OrgEngineInfo => {
      const key = orgKeyOf(call.host);
      let info = engineCache.get(key);
      if (!info) engineCache.set(key, (info = orgEngine(ctx.capture, call.host)));
      return info;
    };
    for (const call of ctx.calls) {
      const ex = call.exchange;
      const use = cookieTokenUse(call);
      const session = !use && isCreateSession(call);
      const authn = !use && !session && isAuthn(call);
      if (!use && !session && !authn) continue;
      const engine = engineOf(call);
      const ie = engine.engine === "identity-engine";
      const org = orgKeyOf(call.host);
      const base = { method: ex.request.method, path: displayPath(call) };
      const engineText = engine.evidence[0] ?? "";
      if (use) {
        const how =
          use.requested !== undefined && use.returned.length > 0
            ? `asked for a cookieToken (additionalFields=${use.requested}) and got one`
            : use.requested !== undefined
              ? `asked for a cookieToken (additionalFields=${use.requested})`
              : "returned a cookieToken";
        const evidence = [...(use.requested !== undefined ? [`additionalFields=${use.requested}`] : []), ...use.returned.map((r) => `response ${r}`), ...(ie ? engine.evidence : [])];
        hits.set(call, {
          messageId: ie ? "cookieTokenIdentityEngine" : "cookieToken",
          group: `cookieToken ${org}`,
          report: { data: { ...base, how, engine: engineText }, evidence, path: use.path, related: ie ? engine.entries : [], explains: ["session-token-not-exchanged"] },
        });
      } else if (ie) {
        hits.set(call, {
          messageId: session ? "sessionsApiIdentityEngine" : "authnIdentityEngine",
          group: `${session ? "sessions" : "authn"} ${org}`,
          report: { data: { ...base, engine: engineText }, evidence: [`${ex.request.method} ${displayPath(call)}`, ...engine.evidence], path: "request.url", related: engine.entries, confidence: "likely", explains: session ? ["session-token-not-exchanged"] : [] },
        });
      }
    }
    if (hits.size === 0) return;
    // One finding per deprecated use and org: the first call, with the others as related entries.
    const groups = groupBy([...hits.keys()], (c) => hits.get(c)!.group);
    for (const calls of groups.values()) {
      const first = calls[0]!;
      const hit = hits.get(first)!;
      const later = calls.slice(1).map((c) => c.exchange.index);
      const evidence = [...(hit.report.evidence ?? [])];
      if (later.length > 0) evidence.push(`also at ${entryList(later)}`);
      const related = [...new Set([...(hit.report.related ?? []), ...later])].filter((e) => e !== first.exchange.index).sort((a, b) => a - b);
      ctx.report({ call: first, messageId: hit.messageId, ...hit.report, evidence, related });
    }
  },
};

export default rule;
