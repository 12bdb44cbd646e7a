import type { ForeignCall } from "../src/engine/capture.js";
import type { CarriedToken } from "../src/engine/tokens.js";
import type { Rule } from "../src/engine/types.js";
import { groupFirst } from "./util.js";
import { authEvidence, isoSeconds, issuerLabel, jwtSummary } from "./util-tokens.js";
import { accepted, atForeign, bearerToken, challengeDescription, challengeError, foreignLine, foreignOutcome, foreignRelated, foreignRepeat } from "./util-foreign.js";

/** The `aud` of a JWT as one string (`api://orders`, or `a, b` for a list). */
function audOf(t: CarriedToken): string {
  const aud = t.jwt?.claims.aud;
  if (typeof aud === "string") return aud;
  if (Array.isArray(aud)) return aud.filter((a) => typeof a === "string").join(", ");
  return "";
}

function expired(fc: ForeignCall, t: CarriedToken): boolean {
  const exp = t.jwt?.claims.exp;
  const at = fc.exchange.startedAt;
  return typeof exp === "number" && at !== null && exp * 1000 < at;
}

const rule: Rule = {
  id: "wrong-audience",
  severity: "error",
  tags: ["tokens", "oauth", "api"],
  title: "Access token for one API sent to another",
  explanation:
    "An access token names the one API it is for in its `aud` claim: the Audience of the authorization server that minted it (`api://default` for Okta's default server, `api://orders` for a server you made for your orders API). " +
    "A resource server validates `aud` (with @okta/jwt-verifier, `verifyAccessToken(token, expectedAudience)`) and refuses a token minted for another API with 401 `invalid_token`, even though the token is genuine, fresh and carries the right user. " +
    "An app that calls two APIs protected by two authorization servers needs a token from each, or one authorization server whose audience both APIs accept.",
  fix:
    "Send each API the access token whose `aud` is that API's audience: request it from the authorization server whose Audience is this API's (Okta Admin Console › Security › API › Authorization Servers, the Audience column; the token endpoint is `{issuer}/v1/token`, and okta-auth-js takes the issuer in its config). " +
    "If both APIs should take one token, give them one authorization server and make each API expect that audience.",
  docs: [
    "https://developer.okta.com/docs/concepts/auth-servers/",
    "https://developer.okta.com/docs/guides/validate-access-tokens/nodejs/main/",
    "https://developer.okta.com/docs/guides/customize-authz-server/main/",
  ],
  needs: ["authorization"],
  // The API named the audience as its reason: renewing the expired token would not be enough.
  explains: ["expired-token"],
  messages: {
    wrongAudience:
      "Your API {{endpoint}} refused an access token minted for `{{aud}}` by {{issuer}} ({{outcome}}){{why}}. An access token is only good at the API its `aud` names.{{ask}}{{repeat}}",
  },
  check(ctx) {
    const apps = ctx.foreign.filter((fc) => fc.role === "app");
    if (apps.length === 0) return;
    // What each API (host and port) accepted: the audiences that work there, with the issuer and entry.
    const acceptedAt = new Map<string, { authority: string; aud: string; iss: string; entry: number }>();
    const acceptedToken = new Map<string, { authority: string; entry: number }>();
    for (const fc of apps) {
      const t = bearerToken(fc);
      if (!t?.jwt || t.kind !== "access" || !accepted(fc)) continue;
      const aud = audOf(t);
      if (aud && !acceptedAt.has(`${fc.authority}\0${aud}`)) acceptedAt.set(`${fc.authority}\0${aud}`, { authority: fc.authority, aud, iss: String(t.jwt.claims.iss ?? ""), entry: fc.exchange.index });
      if (!acceptedToken.has(t.value)) acceptedToken.set(t.value, { authority: fc.authority, entry: fc.exchange.index });
    }
    const hits: { fc: ForeignCall; t: CarriedToken; why: string; ask: string; related?: number }[] = [];
    for (const fc of apps) {
      const t = bearerToken(fc);
      if (!t?.jwt || t.kind !== "access") continue;
      const status = fc.exchange.response.status;
      if (status !== 401 && status !== 403) continue;
      const error = challengeError(fc);
      if (error === "insufficient_scope") continue;
      const aud = audOf(t);
      if (!aud) continue;
      const description = challengeDescription(fc);
      const named = description !== undefined && /\baud(?:ience)?\b/i.test(description);
      if (expired(fc, t) && !named) continue;
      const here = [...acceptedAt.values()].find((a) => a.authority === fc.authority && a.aud !== aud);
      const elsewhere = acceptedToken.get(t.value);
      let why = "";
      let ask = "";
      let related: number | undefined;
      if (named) why = `: it said "${description}"`;
      if (here) {
        ask = ` It accepted tokens for \`${here.aud}\` from ${here.iss} (entry ${here.entry}): request this API's token from that authorization server (${here.iss}/v1/token, or that issuer in your SDK's config).`;
        related = here.entry;
      } else {
        ask = " Request this API's token from the authorization server whose Audience is this API's (Admin Console › Security › API › Authorization Servers, the Audience column).";
      }
      if (elsewhere && elsewhere.authority !== fc.authority) {
        ask += ` ${elsewhere.authority} took the same token (entry ${elsewhere.entry}): that is the API \`${aud}\` is for.`;
        related ??= elsewhere.entry;
      }
      // Without the API's own words or a token that worked elsewhere, a 401 proves no audience problem.
      if (!named && !here && !(elsewhere && elsewhere.authority !== fc.authority)) continue;
      hits.push({ fc, t, why, ask, ...(related !== undefined ? { related } : {}) });
    }
    for (const { first, rest } of groupFirst(hits, (h) => `${h.fc.authority}\0${h.t.value}`)) {
      const { fc, t, why, ask, related } = first;
      const restCalls = rest.map((h) => h.fc);
      const auth = fc.authorization!;
      const named = why !== "";
      ctx.report({
        ...atForeign(fc),
        messageId: "wrongAudience",
        data: { endpoint: foreignLine(fc), aud: audOf(t), issuer: issuerLabel(t.jwt!.claims), outcome: foreignOutcome(fc), why, ask, repeat: foreignRepeat("token", restCalls) },
        evidence: [authEvidence(auth.scheme, t.value), jwtSummary(t.jwt!), foreignOutcome(fc), ...(fc.exchange.startedAt !== null ? [`request at ${isoSeconds(fc.exchange.startedAt)}`] : [])],
        related: foreignRelated(restCalls, [related]),
        confidence: named ? "certain" : "likely",
      });
    }
  },
};

export default rule;
