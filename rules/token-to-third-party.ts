import type { ForeignCall } from "../src/engine/capture.js";
import type { CarriedToken } from "../src/engine/tokens.js";
import type { Rule } from "../src/engine/types.js";
import { maskSecret } from "../src/okta/mask.js";
import { groupFirst } from "./util.js";
import { issuedTokens } from "./util-tokens.js";
import { foreignLine, foreignRelated, foreignRepeat, positionLabel, tokenLabel } from "./util-foreign.js";

const POWER: Record<CarriedToken["kind"], string> = {
  access: "call your APIs as the signed-in user until it expires",
  id: "read who the user is from its claims, and use it wherever an API wrongly accepts ID tokens, until it expires",
  refresh: "mint new access tokens for the user until the refresh token is revoked",
  jwt: "replay it wherever it is accepted until it expires",
};

const rule: Rule = {
  id: "token-to-third-party",
  severity: "error",
  tags: ["tokens", "browser", "security"],
  title: "Okta token sent to a third party",
  explanation:
    "Okta's tokens are meant for Okta and for your own APIs. A token that reaches an analytics, advertising, tag-manager or CDN host (an analytics script that copies the page URL with its `#id_token=`, a beacon that posts `localStorage`, a header added to every fetch) is in someone else's logs: an access token there calls your APIs as the user, an ID token hands over who the user is, a refresh token mints new tokens. " +
    "oktalint calls a host the app's own when the capture shows it: the page origin of the browser's calls (Origin, Referer), the hosts of redirect_uri and post_logout_redirect_uri, the same registrable domain as those, or a host that answered the token in its Authorization header as an API does (`WWW-Authenticate: Bearer`, 2xx JSON, or a 2xx allowing the app's page by CORS). Any other host is a third party; how sure the finding is depends on how much of the app the capture shows.",
  fix:
    "Keep tokens away from third-party code: do not put them in URLs (use the authorization code flow with PKCE, so no token sits in the page URL that analytics scripts report), attach `Authorization` only to your own API's origin (an allow-list in your fetch interceptor or okta-angular's `allowedOrigins`), and never pass token storage to analytics. " +
    "Revoke the tokens that leaked (`/oauth2/{server}/v1/revoke`), and if the host is in fact yours, call it from the app's own domain or name it in a redirect URI so it is recognised.",
  docs: [
    "https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/",
    "https://developer.okta.com/docs/guides/revoke-tokens/main/",
    "https://developer.okta.com/docs/concepts/token-best-practices/",
  ],
  // A token in a third party's URL is that leak, seen from the URL side.
  explains: ["token-in-url"],
  messages: {
    thirdParty:
      "{{host}} received {{what}} in {{where}} ({{line}}), and it is neither Okta nor one of the app's hosts ({{why}}). Whoever runs it can {{power}}.{{issued}}{{repeat}}",
  },
  check(ctx) {
    const hits = ctx.foreign.filter((fc) => fc.role === "third-party");
    if (hits.length === 0) return;
    const issued = issuedTokens(ctx.capture);
    const keyOf = (fc: ForeignCall) => `${fc.authority}\0${fc.tokens.map((t) => t.value).sort().join(",")}`;
    for (const { first: fc, rest } of groupFirst(hits, keyOf)) {
      // The most powerful token first: refresh, access, ID.
      const rank = { refresh: 0, access: 1, id: 2, jwt: 3 } as const;
      const tokens = [...fc.tokens].sort((a, b) => rank[a.kind] - rank[b.kind]);
      const main = tokens[0]!;
      const kinds = [...new Set(tokens.map((t) => tokenLabel(t.kind)))];
      const from = main.issuedAt ?? issued.get(main.value)?.entry;
      const tracker = fc.roleEvidence === "a known analytics or tag host";
      const confidence = tracker ? "certain" : fc.appKnown ? "likely" : "possible";
      ctx.report({
        foreign: fc,
        messageId: "thirdParty",
        data: {
          host: fc.authority,
          what: kinds.length === 1 ? kinds[0]! : `${kinds.slice(0, -1).join(", ")} and ${kinds.at(-1)!}`,
          where: [...new Set(tokens.map(positionLabel))].join(", "),
          line: foreignLine(fc),
          why: fc.roleEvidence,
          power: POWER[main.kind],
          issued: from !== undefined ? ` Okta issued it at entry ${from}.` : "",
          repeat: foreignRepeat("token", rest),
        },
        evidence: [...tokens.map((t) => `${positionLabel(t)}: ${maskSecret(t.value)}`), `${fc.authority}: ${fc.roleEvidence}`],
        related: foreignRelated(rest, [from]),
        confidence,
        ...(confidence === "possible" ? { severity: "warning" as const } : {}),
      });
    }
  },
};

export default rule;
