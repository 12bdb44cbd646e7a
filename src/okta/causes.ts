/**
 * Okta's own words: many OAuth error descriptions (and some errorSummary /
 * errorCauses texts) name the exact cause of a failure — "The authorization
 * server id is invalid.", "User is not assigned to the client application.".
 * This module recognizes them and gives the cause in our words, with a fix.
 *
 * Recognition is data: every internal OAuth code of Okta's catalog
 * (./data/errors.ts) becomes a pattern built from its description (`{0}` marks
 * a value Okta fills in), plus a few wordings Okta returns that its catalog
 * does not list. What a cause means and how to fix it is written here, by
 * hand, for the causes people hit; other catalog matches still name Okta's
 * code and title.
 */
import { OAUTH_ERROR_ROWS } from "./data/errors.js";
import { decodeHtml } from "./errors.js";

export type CauseSeverity = "error" | "warning" | "info";

export interface NamedCause {
  /** Okta's internal code (`invalid_authorization_server`), or ours for wordings outside the catalog. */
  id: string;
  /** The OAuth `error` Okta returns it under, when known. */
  error?: string;
  /** Okta's title for the code, or ours. */
  title: string;
  /** What Okta's words mean, in our words (one or two sentences). */
  meaning?: string;
  /** What to do. */
  fix?: string;
  /** How bad a request failing this way is (only for causes we explain). */
  severity?: CauseSeverity;
  /** The text that matched (Okta's words, unmasked: mask before printing). */
  quote: string;
}

interface Curated {
  meaning: string;
  fix: string;
  severity?: CauseSeverity;
}

const REDIRECT_URI: Curated = {
  meaning: "The redirect_uri is not one of the app's Sign-in redirect URIs (the match is exact: scheme, host, port, path and trailing slash), so Okta will not send the answer there.",
  fix: "Add the exact URI to the app's Sign-in redirect URIs (Applications › the app › General › Login), or make the app send the registered one.",
};
const POST_LOGOUT_URI: Curated = {
  meaning: "The post_logout_redirect_uri is not one of the app's Sign-out redirect URIs (exact match), so Okta ends the session but will not send the browser there.",
  fix: "Add the exact URI to the app's Sign-out redirect URIs (Applications › the app › General › Login), or send the registered one.",
};
const PKCE_VERIFIER: Curated = {
  meaning: "The /authorize request carried a code_challenge (or the app requires PKCE), but the /token request sent no code_verifier.",
  fix: "Send the code_verifier that belongs to the code_challenge with the code at /token (SDKs do this when the same instance or storage handles both steps).",
};
const SCOPE_UNKNOWN: Curated = {
  meaning:
    "A requested scope is not defined on this authorization server or not allowed for this client: okta.* scopes exist only at the org authorization server (/oauth2/v1), custom scopes only at the custom one that defines them.",
  fix: "Request only scopes this authorization server defines (Security › API › Authorization Servers › Scopes), and the app has been granted (for okta.* scopes: the app's Okta API Scopes tab).",
};

/** Our explanations, by Okta's internal code (or our id for wordings outside the catalog). */
const CURATED: Record<string, Curated> = {
  invalid_authorization_server: {
    meaning:
      "There is no authorization server with this id in the org: custom authorization servers (`default` included) need API Access Management, which this org may not have, or the id in the URL is wrong.",
    fix: "Use the id of an existing authorization server (Security › API › Authorization Servers), or, without API Access Management, the org authorization server: issuer https://{yourOrg}.okta.com and endpoints /oauth2/v1/….",
  },
  direct_auth_invalid_as_id: {
    meaning: "The authorization server id differs from the one the flow started with.",
    fix: "Keep the same authorization server (issuer) for every step of the flow.",
  },
  user_not_assigned: {
    meaning: "The signed-in user is not assigned to this app, directly or through a group.",
    fix: "Assign the user, or a group they belong to, to the app (Applications › the app › Assignments).",
  },
  no_matching_policy: {
    meaning: "No access policy rule of the authorization server matches this request: none covers this client, this grant type, this user or group, or these scopes.",
    fix: "Add or widen an access policy and rule on the authorization server (Security › API › Authorization Servers › Access Policies) for this client, grant type and scopes.",
  },
  no_scope_allowed: {
    meaning: "An access policy rule matched, but it allows none of the requested scopes.",
    fix: "Allow the requested scopes in the matching access policy rule, or request scopes that rule allows.",
  },
  scope_denied: {
    meaning: "The access policy rule that matched does not allow some of the requested scopes.",
    fix: "Allow the denied scopes in the matching access policy rule, or stop requesting them.",
    severity: "warning",
  },
  no_org_scopes_granted: {
    meaning: "The app has not been granted any of the okta.* scopes it asked for.",
    fix: "Grant the scopes on the app's Okta API Scopes tab.",
  },
  invalid_client_secret: {
    meaning: "The client secret sent is not the app's current secret: rotated, copied from another app or environment, or altered on the way (with client_secret_basic, special characters must be form-URL-encoded before base64).",
    fix: "Copy the current secret from the app's General tab (Client Credentials) into the configuration; with Basic authentication, encode client_id and secret as RFC 6749 §2.3.1 says.",
  },
  invalid_client_id: {
    meaning: "No app with this client_id exists in this org (a typo, or an app of another org or environment).",
    fix: "Use the Client ID shown on the app's General tab in this org.",
  },
  client_assertion_invalid_audience: {
    meaning: "The signed client_assertion names another audience than the token endpoint the request went to.",
    fix: "Set the assertion's `aud` to the exact token endpoint URL called (with its authorization server path).",
  },
  client_assertion_invalid_issuer: {
    meaning: "The client_assertion's `iss` is not this app's client_id.",
    fix: "Set `iss` and `sub` of the assertion to the app's client_id.",
  },
  client_assertion_invalid_subject: {
    meaning: "The client_assertion's `sub` is not this app's client_id.",
    fix: "Set `iss` and `sub` of the assertion to the app's client_id.",
  },
  client_assertion_invalid_no_secret: {
    meaning: "The client_assertion is signed with a client secret (HS256), but the app has no secret: it is set up for public keys.",
    fix: "Sign the assertion with the private key registered on the app, or switch the app to client_secret_jwt.",
  },
  illegal_redirect_uri: REDIRECT_URI,
  illegal_redirect_uri_enhanced: REDIRECT_URI,
  invalid_redirect_uri: REDIRECT_URI,
  illegal_post_logout_redirect_uri: POST_LOGOUT_URI,
  illegal_post_logout_redirect_uri_enhanced: POST_LOGOUT_URI,
  illegal_origin_browser_request: {
    meaning: "A browser page called the token endpoint from an origin that is not part of any of the app's Sign-in redirect URIs.",
    fix: "Add a Sign-in redirect URI on the page's origin (and the origin as a Trusted Origin for CORS), or call /token from that origin.",
  },
  pkce_missing_verifier: PKCE_VERIFIER,
  pkce_verifier_required_for_challenge: PKCE_VERIFIER,
  pkce_missing_challenge: {
    meaning: "The app requires PKCE, but the /authorize request carried no code_challenge.",
    fix: "Send code_challenge (S256 of a random code_verifier) and code_challenge_method=S256 to /authorize, and the code_verifier to /token.",
  },
  pkce_missing_challenge_verifier_present: {
    meaning: "The /token request sent a code_verifier, but the /authorize request that issued the code had no code_challenge.",
    fix: "Send the code_challenge at /authorize, or no code_verifier at /token; the two steps must agree.",
  },
  pkce_verification_failed: {
    meaning: "The code_verifier sent to /token does not hash to the code_challenge of the /authorize request: a verifier from another attempt, or one regenerated between the two steps.",
    fix: "Keep the code_verifier generated for this /authorize request (same storage, same tab) and send that one to /token.",
  },
  pkce_verification_failed_with_reason: {
    meaning: "The code_verifier sent to /token does not satisfy the PKCE check of the /authorize request.",
    fix: "Keep the code_verifier generated for this /authorize request and send it unchanged to /token (43–128 characters, unreserved URL characters only).",
  },
  pkce_invalid_challenge: {
    meaning: "The code_challenge has characters PKCE does not allow (it must be base64url without padding).",
    fix: "Encode the challenge as base64url(SHA-256(verifier)) without `=` padding.",
  },
  pkce_unsupported_code_challenge_method: {
    meaning: "The code_challenge_method is not one Okta supports.",
    fix: "Use code_challenge_method=S256.",
  },
  mismatched_redirect_uri: {
    meaning: "The redirect_uri sent to /token is not the one sent to /authorize for this code.",
    fix: "Send exactly the same redirect_uri at both steps.",
  },
  mismatched_client: {
    meaning: "The code or token was issued to another client than the one redeeming it.",
    fix: "Redeem it with the client_id that started the flow.",
  },
  invalid_scope: SCOPE_UNKNOWN,
  scope_invalid_unknown_malformed: SCOPE_UNKNOWN,
  scopes_not_configured: SCOPE_UNKNOWN,
  unsupported_grant_type_client_creds_org_as: {
    meaning: "The client_credentials grant is only available at a custom authorization server, except for okta.* scopes with private_key_jwt at the org authorization server.",
    fix: "Use a custom authorization server for your own APIs' scopes, or private_key_jwt with okta.* scopes at the org authorization server.",
  },
  unsupported_grant_type_browser_request: {
    meaning: "A browser called the token endpoint with a grant other than authorization_code, which Okta refuses from a browser.",
    fix: "Use the authorization code flow with PKCE in the browser; keep other grants in server code.",
  },
  org_authorization_server_only_client: {
    meaning: "This client may only use the org authorization server, not a custom one.",
    fix: "Call the org authorization server (/oauth2/v1/…), or use a client made for the custom authorization server.",
  },
  confidential_client_required: {
    meaning: "The operation needs a confidential client (one that authenticates with a secret or key), and this client is public.",
    fix: "Call it from a server-side app with client credentials.",
  },
  unauthorized_client: {
    meaning: "The grant type used is not enabled on the app.",
    fix: "Enable the grant type on the app (General › Grant type), or use a grant the app allows.",
  },
  unsupported_response_mode_query_with_tokens: {
    meaning: "response_mode=query cannot carry tokens (id_token or token response types).",
    fix: "Use response_type=code, or response_mode=fragment or form_post for tokens.",
  },
  unsupported_response_type: {
    meaning: "The app does not allow this response_type (for id_token or token, the implicit grant is not enabled).",
    fix: "Use response_type=code with PKCE, or enable the grant the response type needs on the app.",
  },
  access_token_invalid_audience: {
    meaning: "The access token was not issued for Okta's APIs (its audience is another resource, such as a custom authorization server's api://default).",
    fix: "Get the token for Okta's APIs from the org authorization server (/oauth2/v1/token) with the okta.* scopes needed.",
  },
  access_token_invalid_issuer: {
    meaning: "The access token comes from an issuer Okta's APIs do not accept (another org or a custom authorization server).",
    fix: "Use an access token from this org's authorization server (/oauth2/v1/token).",
  },
  feature_not_enabled: {
    meaning: "The feature this request needs is not enabled in this org.",
    fix: "Enable the feature in the org, or ask Okta Support which SKU it needs.",
  },
};

/** The causes we explain (Okta's internal codes, and ours for wordings outside its catalog). */
export function curatedCauseIds(): { ids: string[]; extra: string[] } {
  return { ids: Object.keys(CURATED), extra: EXTRA.map((p) => p.id) };
}

/** Our explanation of one of Okta's internal codes (for `oktalint explain`), when we wrote one. */
export function curatedCause(id: string): { meaning: string; fix: string } | undefined {
  const c = CURATED[id];
  return c ? { meaning: c.meaning, fix: c.fix } : undefined;
}

interface Pattern {
  id: string;
  error?: string;
  title: string;
  re: RegExp;
}

/** Okta wordings seen in real answers that its catalog does not list verbatim. */
const EXTRA: readonly Pattern[] = [
  { id: "pkce_verifier_required_for_challenge", error: "invalid_request", title: "PKCE verifier required", re: /PKCE code verifier is required when the code challenge is (?:present|provided|specified)/i },
  { id: "scope_invalid_unknown_malformed", error: "invalid_scope", title: "Invalid scope", re: /^The requested scope is invalid, unknown, or malformed\.?$/i },
  { id: "scopes_not_configured", error: "invalid_scope", title: "Scopes not configured", re: /One or more scopes are not configured for the authorization server resource/i },
  { id: "illegal_redirect_uri", error: "invalid_request", title: "Illegal redirect URI", re: /redirect_uri'?\s*(?:parameter\s+)?must (?:be|match) a Login redirect URI/i },
];

/**
 * An error's default description names no more than the error itself ("Client
 * authentication failed…"), except for these, whose default already says what
 * is wrong with the request.
 */
const NAMING_DEFAULTS = new Set<string>(["invalid_scope", "invalid_redirect_uri", "unsupported_response_type", "unauthorized_client"]);

function patternOf(description: string): RegExp | null {
  const text = description.trim().replace(/\.$/, "");
  // A description that is only a placeholder (`{0}`) names nothing.
  if (text.replace(/\{\d+\}/g, "").replace(/[\W_]+/g, "").length < 12) return null;
  const parts = text.split(/\{\d+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"));
  return new RegExp(`^\\s*${parts.join("(.+?)")}\\.?\\s*$`, "i");
}

let patterns: Pattern[] | undefined;

function allPatterns(): Pattern[] {
  if (patterns) return patterns;
  const out: Pattern[] = [];
  for (const [error, , errorTitle, defaultDescription, variants] of OAUTH_ERROR_ROWS) {
    if (NAMING_DEFAULTS.has(error)) {
      const re = patternOf(defaultDescription);
      if (re) out.push({ id: error, error, title: errorTitle, re });
    }
    for (const [code, , title, description] of variants) {
      // The default description of a plain OAuth error is not a named cause.
      if ((code === error || description === defaultDescription) && !NAMING_DEFAULTS.has(code)) continue;
      const re = patternOf(description);
      if (re) out.push({ id: code, error, title, re });
    }
  }
  // More specific (longer) patterns first: "…: {0}" variants after their plain form.
  out.sort((a, b) => b.re.source.length - a.re.source.length);
  patterns = [...EXTRA, ...out];
  return patterns;
}

/** Okta's words as a sentence: they end with a full stop inside the quotes. */
function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function toCause(p: Pattern, quote: string): NamedCause {
  const c = CURATED[p.id];
  const out: NamedCause = { id: p.id, title: p.title, quote };
  if (p.error) out.error = p.error;
  if (c) {
    out.meaning = c.meaning;
    out.fix = c.fix;
    out.severity = c.severity ?? "error";
  }
  return out;
}

/**
 * The cause Okta's words name, or null. `texts` are Okta's own texts for one
 * answer (error_description, errorSummary, errorCauses, the WWW-Authenticate
 * error_description), most specific first; `error` is the OAuth error (or
 * Okta's errorCode) they came with, used to prefer the catalog's variants of
 * that error.
 */
export function namedCause(texts: readonly (string | undefined)[], error?: string): NamedCause | null {
  const list = allPatterns();
  for (const raw of texts) {
    if (!raw) continue;
    const text = decodeHtml(raw).replace(/\s+/g, " ").trim();
    if (text.length < 8 || text.length > 2000) continue;
    let hit: Pattern | undefined;
    if (error) hit = list.find((p) => p.error === error && p.re.test(text));
    hit ??= list.find((p) => p.re.test(text));
    if (hit) return toCause(hit, sentence(text));
  }
  return null;
}

/**
 * The cause named somewhere in an HTML error page (Okta's own 400 page for a
 * failed /authorize): the page's text is searched, sentence by sentence, for
 * one of Okta's descriptions.
 */
export function namedCauseInHtml(html: string): NamedCause | null {
  const text = decodeHtml(
    html
      .slice(0, 64 * 1024)
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ")
      .replace(/<[^>]+>/g, "\n"),
  );
  const chunks = text
    .split(/\n+/)
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter((s) => s.length >= 8 && s.length <= 400);
  // Whole lines first, then sentences within them ("400 Bad Request. The 'redirect_uri' …").
  const sentences = chunks.flatMap((c) => c.split(/(?<=\.)\s+(?=[A-Z'])/));
  return namedCause([...chunks, ...sentences]);
}
