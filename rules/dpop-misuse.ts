import type { OktaCall } from "../src/engine/capture.js";
import { REDACTION_MARKER } from "../src/engine/capture.js";
import type { Rule } from "../src/engine/types.js";
import { decodeJwt, isDpopBound } from "../src/okta/credentials.js";
import { maskJwt, maskSecret } from "../src/okta/mask.js";
import { authOf, headerPath, requestLineOf } from "./util.js";
import { callError, answerSentence, isTokenCall } from "./util-oauth.js";

/** A DPoP-bound access token Okta issued (token_type DPoP in a token response), by value. */
function dpopTokensIssued(calls: readonly OktaCall[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const call of calls) {
    if (!isTokenCall(call) || call.exchange.response.status !== 200) continue;
    const body = call.exchange.response.body;
    const text = body?.text;
    if (!text || text.length > 64 * 1024 || !/"token_type"\s*:\s*"dpop"/i.test(text)) continue;
    try {
      const v = JSON.parse(text) as Record<string, unknown>;
      if (typeof v.access_token === "string" && typeof v.token_type === "string" && v.token_type.toLowerCase() === "dpop") {
        out.set(v.access_token, call.exchange.index);
      }
    } catch {
      // not JSON: nothing issued
    }
  }
  return out;
}

/** Scheme, host and path of a URL, for comparing with a proof's `htu` (which excludes query and fragment). */
function htuOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return undefined;
  }
}

/**
 * Does DPoP matter to this call? Okta checks a proof only where DPoP is in play: the DPoP scheme,
 * an answer about DPoP (invalid_dpop_proof, use_dpop_nonce, a DPoP challenge or nonce), or a token
 * issued as DPoP. Elsewhere a proof is ignored (okta-sdk-nodejs sends one on every token request,
 * DPoP or not), and a call that failed for another reason must not be blamed on it.
 */
function dpopInPlay(call: OktaCall, issuedAt: ReadonlySet<number>, scheme: string | undefined): boolean {
  if (scheme === "dpop" || issuedAt.has(call.exchange.index)) return true;
  const err = callError(call);
  if (err && (/dpop/i.test(err.code) || /dpop/i.test(err.summary ?? ""))) return true;
  const res = call.exchange.response.headers;
  return res.get("dpop-nonce") !== undefined || /^\s*dpop\b/i.test(res.get("www-authenticate") ?? "");
}

/** `; htu names another host …` when only the origin differs: the client called another base URL (a reverse proxy). */
function originNote(claimed: string | undefined, actual: string): string {
  if (!claimed) return "";
  try {
    const c = new URL(claimed);
    const a = new URL(actual);
    return c.origin !== a.origin && c.pathname === a.pathname ? ` (the client called ${c.origin}, not the host Okta serves: a reverse proxy or gateway in between?)` : "";
  } catch {
    return "";
  }
}

function answerOf(call: OktaCall): string {
  const e = callError(call)?.oauth;
  return e ? answerSentence(e.error, e.description) : "";
}

const rule: Rule = {
  id: "dpop-misuse",
  severity: "error",
  tags: ["oauth", "tokens"],
  title: "DPoP-bound token or DPoP proof used incorrectly",
  explanation:
    "A DPoP-bound access token (token response `token_type: DPoP`, claim `cnf.jkt`) only works together with a proof of possession: every request sends " +
    "`Authorization: DPoP <token>` and a `DPoP` header holding a fresh JWT signed with the client's key, whose `htm` and `htu` name this request's method and URL " +
    "(without query or fragment) and whose `ath` is the hash of the token. Sent as Bearer, or without a proof, or with a proof made for another URL, the token is refused. " +
    "Okta's token endpoint also asks for a server nonce: its first answer is `400 use_dpop_nonce` with a `DPoP-Nonce` header, and the client must repeat the request " +
    "with a new proof that carries that value in its `nonce` claim.",
  fix:
    "Build a new proof for every request: header `typ: dpop+jwt`, `alg`, `jwk` (public key); claims `htm` (the method), `htu` (scheme, host and path of the exact URL called), " +
    "`iat`, a unique `jti`, `ath` = base64url(SHA-256(access token)) for resource calls, and `nonce` once Okta has sent a DPoP-Nonce. Send the token as `Authorization: DPoP <token>`. " +
    "On `use_dpop_nonce`, read the `DPoP-Nonce` response header and retry once with it. The Okta SDKs handle this when DPoP is enabled (okta-auth-js `dpop: true`).",
  docs: ["https://developer.okta.com/docs/guides/dpop/main/"],
  needs: ["authorization", "bodies"],
  liveDefer: ["nonceNotRetried"],
  messages: {
    boundAsBearer:
      "{{endpoint}} sends a DPoP-bound access token{{issued}} with the Bearer scheme: Okta accepts it only as `Authorization: DPoP <token>` together with a DPoP proof.{{answer}}",
    noProof:
      "{{endpoint}} uses the DPoP scheme but sends no DPoP proof header: each request with a DPoP-bound token needs a fresh proof JWT signed with the key the token is bound to.{{answer}}",
    proofNotJwt: "{{endpoint}} sends a DPoP header that is not a JWT ({{shown}}): the proof must be a signed JWT with typ dpop+jwt.{{answer}}",
    proofMismatch: "The DPoP proof sent to {{endpoint}} does not match the request: {{diffs}}.{{answer}}",
    nonceNotRetried:
      "Okta answered {{endpoint}} with use_dpop_nonce and a DPoP-Nonce header ({{nonce}}), and the capture shows no retry: repeat the request with a new proof whose nonce claim is that value.",
    nonceIgnored:
      "Okta answered {{endpoint}} with use_dpop_nonce and a DPoP-Nonce header ({{nonce}}), but the later requests to it (entries {{entries}}) sent proofs without that nonce: put the DPoP-Nonce value in the proof's nonce claim.",
  },
  check(ctx) {
    const issued = dpopTokensIssued(ctx.calls);
    const issuedAt = new Set(issued.values());
    const nonceAnswers: OktaCall[] = [];

    for (const call of ctx.calls) {
      const ex = call.exchange;
      if (call.errorCode === "use_dpop_nonce") nonceAnswers.push(call);
      // Only OAuth endpoints and calls with an Authorization header can be DPoP calls: skip the rest without reading headers.
      if (!call.credential.authorization && call.classification.kind !== "oauth") continue;

      const endpoint = requestLineOf(call);
      const auth = authOf(call);
      const proofs = auth?.schemeKey === "dpop" || call.classification.kind === "oauth" ? ex.request.headers.getAll("dpop") : [];
      const authPath = headerPath(ex, "request", "authorization");

      // 1. A DPoP-bound token sent as Bearer.
      if (auth?.schemeKey === "bearer" && auth.token) {
        const bound = auth.jwt ? isDpopBound(auth.jwt.claims) : false;
        const at = issued.get(auth.token);
        if (bound || at !== undefined) {
          const jkt = auth.jwt && bound ? ((auth.jwt.claims.cnf as Record<string, unknown>).jkt as string) : undefined;
          ctx.report({
            call,
            messageId: "boundAsBearer",
            data: {
              endpoint,
              issued: at !== undefined ? ` (issued with token_type DPoP at entry ${at})` : " (its cnf.jkt claim binds it to a key)",
              answer: answerOf(call),
            },
            evidence: [`Authorization: Bearer ${maskSecret(auth.token)}`, ...(jkt ? [`cnf.jkt: ${jkt}`] : []), ...(at !== undefined ? [`entry ${at}: token_type DPoP`] : [])],
            ...(authPath ? { path: authPath } : {}),
            ...(at !== undefined ? { related: [at] } : {}),
            confidence: "certain",
          });
        }
      }

      // 2. The DPoP scheme without a proof.
      if (auth?.schemeKey === "dpop" && proofs.length === 0) {
        ctx.report({
          call,
          messageId: "noProof",
          data: { endpoint, answer: answerOf(call) },
          evidence: [`Authorization: DPoP ${maskSecret(auth.token)}`, "DPoP header: absent"],
          ...(authPath ? { path: authPath } : {}),
          confidence: "certain",
        });
      }

      // 3. A proof that does not match this request (only where Okta looks at it).
      const proof = proofs[0]?.trim();
      if (proof && !REDACTION_MARKER.test(proof) && dpopInPlay(call, issuedAt, auth?.schemeKey)) {
        const proofPath = headerPath(ex, "request", "dpop");
        const jwt = decodeJwt(proof);
        if (!jwt) {
          ctx.report({
            call,
            messageId: "proofNotJwt",
            data: { endpoint, shown: maskSecret(proof), answer: answerOf(call) },
            evidence: [`DPoP: ${maskSecret(proof)}`],
            ...(proofPath ? { path: proofPath } : {}),
            confidence: "certain",
          });
        } else {
          const diffs: string[] = [];
          const htm = jwt.claims.htm;
          if (typeof htm !== "string") diffs.push("the proof has no htm claim");
          else if (htm !== ex.request.method) diffs.push(`htm is ${JSON.stringify(htm)} but the request is ${ex.request.method}`);
          const htu = jwt.claims.htu;
          const actual = htuOf(ex.request.rawUrl);
          if (typeof htu !== "string") diffs.push("the proof has no htu claim");
          else if (actual !== undefined) {
            // Compared without query and fragment, as RFC 9449 defines htu.
            const claimed = htuOf(htu);
            if (claimed !== actual) diffs.push(`htu is ${claimed ?? JSON.stringify(htu.slice(0, 80))} but the request went to ${actual}${originNote(claimed, actual)}`);
          }
          if (diffs.length > 0) {
            ctx.report({
              call,
              messageId: "proofMismatch",
              data: { endpoint, diffs: diffs.join("; "), answer: answerOf(call) },
              evidence: [`DPoP: ${maskJwt(proof)}`],
              ...(proofPath ? { path: proofPath } : {}),
              confidence: "certain",
            });
          }
        }
      }
    }

    // 4. use_dpop_nonce answers never followed by a proof carrying the nonce.
    if (nonceAnswers.length === 0) return;
    /** Calls by method + scheme + host + path, for finding the retries of a use_dpop_nonce answer. */
    const byTarget = new Map<string, OktaCall[]>();
    /** Nonces Okta handed out, per host. */
    const noncesByHost = new Map<string, Set<string>>();
    const targetOf = (call: OktaCall) => `${call.exchange.request.method} ${htuOf(call.exchange.request.rawUrl) ?? call.exchange.request.rawUrl}`;
    const hosts = new Set(nonceAnswers.map((c) => c.host.host));
    for (const call of ctx.calls) {
      if (!hosts.has(call.host.host)) continue;
      const key = targetOf(call);
      let list = byTarget.get(key);
      if (!list) byTarget.set(key, (list = []));
      list.push(call);
      for (const n of call.exchange.response.headers.getAll("dpop-nonce")) {
        let set = noncesByHost.get(call.host.host);
        if (!set) noncesByHost.set(call.host.host, (set = new Set()));
        set.add(n.trim());
      }
    }
    const listed = new Set<OktaCall>();
    for (const call of nonceAnswers) {
      if (listed.has(call)) continue;
      const nonce = call.exchange.response.headers.get("dpop-nonce")?.trim();
      const known = noncesByHost.get(call.host.host) ?? new Set<string>();
      const later = (byTarget.get(targetOf(call)) ?? []).filter((c) => c.exchange.index > call.exchange.index);
      const withNonce = later.find((c) => {
        const p = c.exchange.request.headers.get("dpop");
        const n = p ? decodeJwt(p.trim())?.claims.nonce : undefined;
        return typeof n === "string" && (n === nonce || known.has(n));
      });
      if (withNonce) continue;
      const endpoint = requestLineOf(call);
      const shownNonce = nonce ? maskSecret(nonce) : "no value captured";
      const noncePath = headerPath(call.exchange, "response", "dpop-nonce");
      if (later.length === 0) {
        ctx.report({
          call,
          messageId: "nonceNotRetried",
          data: { endpoint, nonce: shownNonce },
          evidence: [`HTTP ${call.exchange.response.status} use_dpop_nonce`, `DPoP-Nonce: ${shownNonce}`],
          ...(noncePath ? { path: noncePath } : {}),
          // The capture may simply end here.
          confidence: "likely",
        });
      } else {
        for (const c of later) listed.add(c);
        ctx.report({
          call,
          messageId: "nonceIgnored",
          data: {
            endpoint,
            nonce: shownNonce,
            entries: later.length <= 6 ? later.map((c) => c.exchange.index).join(", ") : `${later.slice(0, 5).map((c) => c.exchange.index).join(", ")}, … ${later.length} in all`,
          },
          evidence: [`HTTP ${call.exchange.response.status} use_dpop_nonce`, `DPoP-Nonce: ${shownNonce}`, ...later.slice(0, 3).map((c) => `entry ${c.exchange.index}: proof without the nonce (HTTP ${c.exchange.response.status})`)],
          ...(noncePath ? { path: noncePath } : {}),
          related: later.slice(0, 20).map((c) => c.exchange.index),
          confidence: "certain",
        });
      }
    }
  },
};

export default rule;
