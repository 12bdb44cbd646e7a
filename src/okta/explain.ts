/**
 * `oktalint explain <code>`: what an Okta error code (E0000011) or an OAuth
 * error (invalid_client, or one of Okta's internal codes such as
 * invalid_dpop_proof_invalid_htu) means, its usual causes, what to look at in
 * a capture, and where Okta documents it.
 *
 * Okta's own texts (title, errorSummary, error_description) come verbatim from
 * the generated table in ./data/errors.ts. `meaning`, `causes` and `check` are
 * ours: written by hand for the codes people hit most, and otherwise derived
 * from the title, Okta's text and the HTTP status (`curated: false`).
 */
import { ERROR_DATA_SOURCES, OAUTH_ERROR_ROWS, OKTA_ERROR_ROWS } from "./data/errors.js";
import type { OAuthErrorRow, OktaErrorRow } from "./data/errors.js";
import { curatedCause } from "./causes.js";

export interface OAuthVariant {
  /** Okta's internal error code (`invalid_dpop_proof_invalid_htu`). */
  code: string;
  httpStatus: number;
  title: string;
  /** Okta's `error_description` for it, verbatim (`{0}` marks a value Okta fills in). */
  description: string;
}

export interface Explanation {
  /** Canonical code: `E0000011`, `invalid_client`, or an internal code. */
  code: string;
  kind: "okta" | "oauth";
  httpStatus: number;
  /** Okta's title for the code, verbatim. */
  title: string;
  /**
   * Okta's literal text: the `errorSummary` Okta returns for E codes, the
   * `error_description` for OAuth errors. Label it as Okta's when printing;
   * `{0}` marks a value Okta fills in per request.
   */
  oktaSummary: string;
  /** Where `title`/`oktaSummary` come from (Okta's docs data and release). */
  oktaSource: string;
  /** Okta's longer description of the code, verbatim, when it has one. */
  oktaDescription?: string;
  /** What the error means, in our words. */
  meaning: string;
  /** Usual causes, in our words. */
  causes: string[];
  /** What to look at in the capture or the setup. */
  check: string[];
  /** Documentation URLs, most specific first. */
  docs: string[];
  /** True when meaning/causes/check were written for this code; false when derived from its data. */
  curated: boolean;
  /** For an Okta internal OAuth code: the `error` value it is returned under. */
  oauthError?: string;
  /** For an OAuth `error`: Okta's internal codes returned under it. */
  variants?: OAuthVariant[];
}

interface Curated {
  meaning: string;
  causes: string[];
  check: string[];
  docs?: string[];
}

const OKTA_ERROR_PAGE = "https://developer.okta.com/docs/reference/error-codes/";
const OAUTH_ERROR_PAGE = `${OKTA_ERROR_PAGE}#example-errors-for-openid-connect-and-social-login`;
const D = {
  coreApi: "https://developer.okta.com/docs/reference/core-okta-api/",
  apiToken: "https://developer.okta.com/docs/guides/create-an-api-token/main/",
  oauthForOkta: "https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/",
  serviceApp: "https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/",
  cors: "https://developer.okta.com/docs/guides/enable-cors/main/",
  sessionCookie: "https://developer.okta.com/docs/guides/session-cookie/main/",
  authn: "https://developer.okta.com/docs/reference/api/authn/",
  stateToken: "https://developer.okta.com/docs/reference/api/authn/#state-token",
  rateLimits: "https://developer.okta.com/docs/reference/rl2-monitor/",
  dpop: "https://developer.okta.com/docs/guides/dpop/main/",
  authServers: "https://developer.okta.com/docs/concepts/auth-servers/",
  sswsInvalid: "https://support.okta.com/help/s/article/HTTP-401-Okta-E0000011-Invalid-Token-provided-error",
  pkceBrowser: "https://support.okta.com/help/s/article/Browser-requests-to-the-token-endpoint-must-use-Proof-Key-for-Code-Exchange",
  rfc6749Token: "https://www.rfc-editor.org/rfc/rfc6749#section-5.2",
  rfc6749Authz: "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1",
  rfc6750: "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
  oidcAuthError: "https://openid.net/specs/openid-connect-core-1_0.html#AuthError",
  rfc9449Resource: "https://www.rfc-editor.org/rfc/rfc9449#section-7.1",
  rfc9449Nonce: "https://www.rfc-editor.org/rfc/rfc9449#section-8",
  rfc8628: "https://www.rfc-editor.org/rfc/rfc8628#section-3.5",
  rfc8693: "https://www.rfc-editor.org/rfc/rfc8693#section-2.2.2",
  rfc7591: "https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2",
  rfc9470: "https://www.rfc-editor.org/rfc/rfc9470#section-3",
};

// ---------------------------------------------------------------------------
// Hand-written explanations: Okta E codes
// ---------------------------------------------------------------------------

const OKTA_CURATED: Record<string, Curated> = {
  E0000001: {
    meaning: "Okta parsed the request but a field failed the endpoint's validation rules (or the object is not in a state that allows the operation).",
    causes: [
      "A profile attribute is missing, has the wrong type, or breaks a schema rule (for example a login that already exists).",
      "A password that does not satisfy the password policy when creating or updating a user.",
      "The operation's precondition is not met, e.g. suspending a user who is not active.",
    ],
    check: [
      "Read errorCauses in the response body: each entry names the field and the rule it broke.",
      "Compare the request body with the endpoint's reference (required fields, formats, allowed values).",
    ],
  },
  E0000003: {
    meaning: "The request body is not valid JSON, so Okta could not read it at all.",
    causes: [
      "Malformed JSON: trailing commas, single quotes, unescaped characters, a truncated body.",
      "A form-encoded or empty body sent to an endpoint that expects JSON.",
    ],
    check: [
      "Look at the request body in the capture and run it through a JSON parser.",
      "Check the Content-Type request header is `application/json` and that the body matches it.",
    ],
    docs: [D.coreApi],
  },
  E0000004: {
    meaning: "Primary authentication failed: Okta did not accept the username and password (or other primary credential).",
    causes: [
      "Wrong username or password at /api/v1/authn.",
      "The user is locked out and the org hides lockout failures, so a lockout also reads as E0000004.",
      "The username is not the user's Okta login (e.g. an email alias instead of the login attribute).",
    ],
    check: [
      "Look at the /api/v1/authn request: is `username` the Okta login, and is a password present (its value is masked)?",
      "Check the user's status and lockout state in the Admin Console or the System Log.",
    ],
    docs: [D.authn],
  },
  E0000005: {
    meaning: "The request reached Okta with no credential Okta would use: no valid Authorization header and no valid Okta session cookie.",
    causes: [
      "The client meant to send `Authorization: SSWS …` but the header was never built or got dropped.",
      "A browser call to a session endpoint (/api/v1/users/me, /api/v1/sessions/me) without an Okta session cookie: not signed in, cookie not sent (`credentials: \"include\"` missing), or blocked as a third-party cookie.",
    ],
    check: [
      "Is there an Authorization header on this request? If the capture is a sanitized Chrome export, headers were removed and their absence proves nothing.",
      "For browser calls: does the request carry a `sid` (Classic) or `idx` (Identity Engine) cookie for the Okta domain, and was one set earlier in the capture?",
    ],
    docs: [D.cors, D.sessionCookie],
  },
  E0000006: {
    meaning: "Okta knows who is calling, but that caller is not allowed to do this.",
    causes: [
      "An SSWS token whose admin lacks the role needed for this resource (tokens carry their creator's current privileges).",
      "An OAuth access token with the right scope, but the user or service app behind it has no admin role covering this resource: scopes say which APIs, admin roles say on which objects.",
      "An admin credential sent to an end-user endpoint where a plain call would have worked (e.g. /api/v1/authn/factors/{id}/verify with a read-only admin token).",
    ],
    check: [
      "Which credential does the request send (SSWS token or Bearer token)? For a JWT, look at its `scp` and `sub`/`cid`.",
      "Check the admin roles of the token's creator, or of the user or service app the access token was issued to.",
      "If a WWW-Authenticate header names a missing scope, see insufficient_scope instead.",
    ],
    docs: [D.serviceApp, D.oauthForOkta],
  },
  E0000007: {
    meaning: "The object the URL points to does not exist, or this caller cannot see it.",
    causes: [
      "A wrong or stale id in the path (deleted user, id from another org, a login used where an id is expected without URL-encoding).",
      "GET or DELETE /api/v1/sessions/me without a valid Okta session cookie: Okta answers 404 “Resource not found: me (Session)”, which usually means no session or a blocked third-party cookie.",
    ],
    check: [
      "Check the id in the URL against earlier responses in the capture.",
      "For /api/v1/sessions/me: does the request carry a `sid`/`idx` cookie, and is the page on a domain where the browser sends Okta's cookies?",
    ],
    docs: [D.sessionCookie],
  },
  E0000008: {
    meaning: "Nothing is routed at this path on this Okta org.",
    causes: [
      "A typo or missing segment in the URL (e.g. `/api/v1/user` instead of `/api/v1/users`).",
      "An authorization server path that does not exist (`/oauth2/{id}` with a wrong id).",
      "An endpoint that does not exist in this org's engine or edition.",
    ],
    check: ["Compare the request URL with the endpoint reference; check the host is the Okta org URL."],
  },
  E0000009: {
    meaning: "Okta hit an internal error while handling the request.",
    causes: ["A transient problem on Okta's side.", "A request that triggers an Okta defect (often reproducible with the same body)."],
    check: [
      "Retry with backoff; if it persists, give Okta Support the errorId from the body and the X-Okta-Request-Id response header.",
    ],
  },
  E0000011: {
    meaning: "Okta rejected the token in the Authorization header (or the stateToken in the body) as not valid for this org.",
    causes: [
      "The SSWS API token was revoked, expired (unused for 30 days), belongs to another org, or its creating admin was deactivated.",
      "An OAuth access token (a JWT) sent with the `SSWS` scheme instead of `Bearer`; some SDKs do this when given an access token as their API token.",
      "The right token against the wrong host, e.g. the `-admin` domain or another org.",
      "At /api/v1/authn/*: the stateToken has expired.",
    ],
    check: [
      "Look at the Authorization header: which scheme, and is the value a 42-character `00…` API token or a JWT (`eyJ…`)?",
      "Check the host the request went to is the org that issued the token.",
      "In the Admin Console (Security > API > Tokens), check the token still exists and when it was last used.",
    ],
    docs: [D.apiToken, D.sswsInvalid, D.stateToken],
  },
  E0000014: {
    meaning: "Okta refused to change the user's credentials.",
    causes: [
      "The old password sent with a change-password request is wrong.",
      "The new password breaks the password policy (history, minimum age, complexity).",
    ],
    check: ["Read errorCauses in the response body: it says which rule failed.", "Check the password policy that applies to this user."],
  },
  E0000015: {
    meaning: "The feature behind this endpoint is not enabled for this org.",
    causes: [
      "The API exists in another environment (preview, another org) but is not enabled here.",
      "A feature that needs a SKU or an org setting that is off.",
    ],
    check: ["Compare the org's enabled features with the environment where the call works."],
  },
  E0000017: {
    meaning: "Okta could not reset the user's password.",
    causes: [
      "The user's status does not allow a reset (e.g. not active, or already in password reset).",
      "The user's password is managed elsewhere (federated or delegated authentication).",
    ],
    check: ["Check the user's status and credential provider before calling the reset operation."],
  },
  E0000018: {
    meaning: "Okta could not bind the request, typically because Accept or Content-Type is missing.",
    causes: ["A JSON body sent without `Content-Type: application/json`.", "No `Accept: application/json` header."],
    check: ["Look at the request's Accept and Content-Type headers."],
    docs: [D.coreApi],
  },
  E0000021: {
    meaning: "The Accept or Content-Type header names a media type this endpoint does not support.",
    causes: ["Content-Type `text/plain` or form encoding on a JSON endpoint.", "An Accept header that excludes `application/json`."],
    check: ["Look at the request's Accept and Content-Type headers; Okta's APIs expect `application/json`."],
    docs: [D.coreApi],
  },
  E0000022: {
    meaning: "The endpoint exists but not for this HTTP method.",
    causes: [
      "The wrong verb, e.g. POST where the operation needs PUT, or GET on an action that must be POSTed.",
      "Okta notes this code can also come back when the credential or feature needed for the operation is missing.",
    ],
    check: ["Compare the method with the endpoint reference.", "If the method is right, check the credential and that the feature is enabled."],
  },
  E0000038: {
    meaning: "The user's current status does not allow this operation.",
    causes: [
      "Lifecycle operations that do not fit the status (e.g. unlocking a user who is not locked, acting on a deprovisioned user).",
      "MyAccount: the email or phone operation is not enabled for this role or method.",
    ],
    check: ["Check the user's `status` (from an earlier GET in the capture) against the operation's allowed states."],
  },
  E0000047: {
    meaning: "The caller exceeded an Okta rate limit; Okta answers 429 until the window resets.",
    causes: [
      "Too many calls to one endpoint bucket in the current minute (API tokens get a share of each bucket, 50% by default).",
      "Too many concurrent requests (the limit and remaining headers read 0 and the reset is an estimate).",
      "Tight loops: polling, retries without backoff, fetching users one by one instead of paging.",
    ],
    check: [
      "Read X-Rate-Limit-Limit, X-Rate-Limit-Remaining and X-Rate-Limit-Reset (UTC epoch seconds) on this and earlier responses.",
      "Count calls to the same endpoint in the capture just before the 429; back off until Reset.",
    ],
    docs: [D.rateLimits],
  },
  E0000064: {
    meaning: "The user's password has expired and must be changed before this operation can succeed.",
    causes: ["The password policy's maximum age has passed.", "An admin expired the password."],
    check: ["Look for a password-expired state earlier in the flow (e.g. `status: \"PASSWORD_EXPIRED\"` at /api/v1/authn)."],
  },
  E0000068: {
    meaning: "The passcode or answer sent to verify a factor is wrong.",
    causes: ["A mistyped or expired one-time code.", "A TOTP code from a device whose clock has drifted.", "A code for a different factor or enrollment."],
    check: ["Check the factor id in the URL matches the factor the code came from."],
  },
  E0000069: {
    meaning: "The user is locked out, so factor verification is refused.",
    causes: ["Too many failed verification attempts.", "An admin locked the user."],
    check: ["Check the user's status and the System Log for the lockout event."],
  },
  E0000079: {
    meaning: "The /api/v1/authn transaction is not in a state where this step is allowed.",
    causes: [
      "Steps called out of order (e.g. verifying a factor before it was challenged, or after the transaction finished).",
      "Reusing a stateToken from an older response instead of the latest one.",
    ],
    check: [
      "Follow the `status` and `_links.next` of each /api/v1/authn response in the capture; the failing call must match the last status.",
      "Check the stateToken sent is the one from the most recent response.",
    ],
    docs: [D.stateToken],
  },
  E0000080: {
    meaning: "The new password does not meet the password policy.",
    causes: ["Too short, missing character classes, contains parts of the username, or recently used."],
    check: ["Read errorCauses for the failed requirement and compare with the policy that applies to the user."],
  },
  E0000105: {
    meaning: "The account recovery token was already used or has expired.",
    causes: ["The recovery link was opened twice or after its lifetime (set by org policy).", "A newer recovery request replaced it."],
    check: ["Look for an earlier request in the capture that already consumed the same recovery token."],
  },
  E0000207: {
    meaning: "Okta did not accept the username and password.",
    causes: ["Wrong username or password.", "The user is locked out or not active and the org does not reveal it."],
    check: ["Check the username is the Okta login and the user's status in the Admin Console."],
  },
  E0000212: {
    meaning: "Okta validated the request's Origin header and did not accept it.",
    causes: [
      "A browser request from a site whose origin is not registered as a Trusted Origin (CORS) in the org.",
      "An origin that differs from the registered one by scheme, port or a trailing slash.",
    ],
    check: [
      "Look at the request's Origin header and compare it, character for character, with Security > API > Trusted Origins.",
    ],
    docs: [D.cors],
  },
};

// ---------------------------------------------------------------------------
// Hand-written explanations: OAuth errors
// ---------------------------------------------------------------------------

const OAUTH_CURATED: Record<string, Curated> = {
  invalid_client: {
    meaning: "The authorization server could not authenticate the client (the application), or the client may not use this authentication method here.",
    causes: [
      "Wrong client_id, wrong or rotated client secret, or the app is in another org or authorization server.",
      "The request uses a different client authentication method than the app is configured for (secret vs private_key_jwt vs none/PKCE).",
      "A browser call to /token without PKCE (a request with an Origin header must use PKCE).",
      "client_credentials against the org authorization server without private_key_jwt, or from an app that is not a service app.",
      "A client_assertion JWT with the wrong iss/sub/aud, expired, reused, or signed with a key the app does not have.",
    ],
    check: [
      "Look at how the /token request authenticates: Authorization: Basic (decoded user = client id), client_secret in the body, or client_assertion. Only one may be used.",
      "For a client_assertion, decode it: `aud` must be the exact token endpoint URL, `iss` and `sub` the client id.",
      "Compare the client id with the app and authorization server in the request URL.",
    ],
    docs: [D.serviceApp, D.pkceBrowser, D.rfc6749Token],
  },
  invalid_grant: {
    meaning: "The grant (authorization code, refresh token, password, assertion…) is invalid, expired, already used, or was issued to another client or redirect URI.",
    causes: [
      "An authorization code redeemed twice, too late, or at another authorization server.",
      "The redirect_uri at /token differs from the one sent to /authorize.",
      "The PKCE code_verifier does not match the code_challenge.",
      "A refresh token that expired, was revoked, or was rotated and an old copy reused.",
      "Wrong credentials or MFA required in the resource owner password grant.",
    ],
    check: [
      "Match the /token request with its /authorize request in the capture: same client_id, redirect_uri and authorization server, and only one redemption of the code.",
      "Read error_description: Okta usually names the failed check.",
    ],
    docs: [D.rfc6749Token],
  },
  invalid_scope: {
    meaning: "A requested scope is unknown, not allowed for this client or grant, or not allowed at this authorization server.",
    causes: [
      "okta.* scopes requested from a custom authorization server (only the org authorization server mints them), or custom scopes requested from the org authorization server.",
      "A scope the app has not been granted (Okta API Scopes tab) or that is not defined on the authorization server.",
      "openid requested with client_credentials, or offline_access from a browser at /token.",
    ],
    check: [
      "Compare the `scope` parameter with the authorization server in the URL: `/oauth2/v1/…` is the org server, `/oauth2/{id}/v1/…` a custom one.",
      "Check the app's granted scopes and the authorization server's scopes and access policies.",
    ],
    docs: [D.oauthForOkta, D.authServers, D.rfc6749Token],
  },
  insufficient_scope: {
    meaning: "The access token is valid but does not carry the scope this API needs.",
    causes: [
      "The token was requested without the okta.* scope for this endpoint (e.g. okta.users.read for GET /api/v1/users).",
      "The scope was requested but not granted to the app, so Okta issued the token without it.",
      "A token from a custom authorization server used on the management API; only org authorization server tokens carry okta.* scopes.",
    ],
    check: [
      "Read the WWW-Authenticate header: its `scope` parameter names the scope required and `resource` the path.",
      "Decode the access token and compare its `scp` with that scope; check `iss` is the org URL without /oauth2/….",
    ],
    docs: [D.oauthForOkta, D.rfc6750],
  },
  invalid_token: {
    meaning: "The access token presented to the resource is not valid here: malformed, expired, revoked, for another audience or issuer, or the wrong token type.",
    causes: [
      "An expired access token (org authorization server tokens last one hour).",
      "A token from a custom authorization server sent to Okta's APIs (its audience is not Okta).",
      "An ID token sent where an access token is expected.",
      "A DPoP scheme used with a token that is not DPoP-bound.",
    ],
    check: [
      "Decode the token: check `exp`, `iss`, `aud`, and that it is an access token (`scp`/`cid`), not an ID token.",
      "Check the Authorization scheme matches the token (Bearer, or DPoP for tokens with `cnf.jkt`).",
    ],
    docs: [D.rfc6750, D.authServers],
  },
  login_required: {
    meaning: "The client asked for no user interaction (prompt=none), but there is no usable Okta session.",
    causes: [
      "Silent renewal or SSO check in a hidden iframe when the browser does not send Okta's session cookie (third-party cookies blocked).",
      "The user is not signed in to Okta, or the session expired.",
      "The app's sign-on policy requires re-authentication or MFA, which prompt=none cannot show.",
    ],
    check: [
      "Does the /authorize request carry a `sid`/`idx` cookie? In a cross-site iframe, browsers that block third-party cookies drop it.",
      "Consider a refresh token or a custom URL domain so Okta's cookies are first-party.",
    ],
    docs: [D.oidcAuthError, D.rfc6749Authz],
  },
  consent_required: {
    meaning: "One or more requested scopes need the user's consent, and consent could not be asked for in this request.",
    causes: [
      "prompt=none with scopes the user has not consented to yet.",
      "A grant type with no user present (client credentials, token exchange, resource owner password) requesting consent-protected scopes.",
    ],
    check: ["Check which scopes require consent on the authorization server, and the app's consent setting."],
    docs: [D.oidcAuthError],
  },
  interaction_required: {
    meaning: "The request needs the user to interact (sign in, MFA, consent), but it was made in a way that cannot show a page.",
    causes: ["prompt=none when policy requires a step the user must complete.", "An app configured for the Interaction Code flow called in a non-interactive way."],
    check: ["Look at the prompt parameter of the /authorize request and the app's sign-on policy."],
    docs: [D.oidcAuthError],
  },
  access_denied: {
    meaning: "The user or the authorization server refused the request: a policy, an assignment, or the user said no.",
    causes: [
      "The user is not assigned to the application.",
      "No access policy rule of the authorization server matches this client, grant type, user or scopes.",
      "The user cancelled, or an IdP / social login step failed.",
    ],
    check: [
      "Read error_description: Okta's text usually names the failing check (assignment, policy, network zone).",
      "Check the app assignment and the authorization server's access policies for this client and grant type.",
    ],
    docs: [OAUTH_ERROR_PAGE, D.rfc6749Authz],
  },
  unauthorized_client: {
    meaning: "The client exists but is not allowed to use this grant type or this authorization server.",
    causes: [
      "The grant type (client_credentials, refresh_token, password, device code…) is not enabled on the app.",
      "A browser request to /token with a grant other than authorization_code.",
      "A client that may only use the org authorization server calling a custom one.",
    ],
    check: ["Compare the `grant_type` of the /token request with the grant types enabled on the app."],
    docs: [D.rfc6749Token],
  },
  invalid_request: {
    meaning: "The request is missing a parameter, repeats one, or combines them in a way the endpoint does not accept.",
    causes: [
      "Missing PKCE parameters, state, nonce, or grant_type; an unregistered redirect_uri.",
      "More than one client credential in the same /token request (Basic header plus client_secret or client_assertion).",
      "An access token in the query string or sent twice (header and body).",
      "A DPoP-bound token sent with the Bearer scheme.",
    ],
    check: [
      "Read error_description: it names the parameter.",
      "List the parameters of the request (query and form body) and compare them with what the endpoint expects.",
    ],
    docs: [D.rfc6749Token, D.rfc6750],
  },
  invalid_dpop_proof: {
    meaning: "The DPoP proof JWT in the `DPoP` header is missing, malformed, or does not match this request or token.",
    causes: [
      "`htm`/`htu` do not match the request's method and URL (htu without query and fragment).",
      "A proof that is too old, issued in the future, or reused (`jti` seen before).",
      "`ath` is not base64url(SHA-256) of the access token sent, or the proof is signed with another key than the token is bound to.",
      "`typ` is not `dpop+jwt`, or the signature algorithm is not accepted.",
    ],
    check: [
      "Decode the DPoP header: compare `htm`, `htu`, `iat` and `ath` with the request it is attached to.",
      "The error_description (or WWW-Authenticate) names the claim that failed.",
    ],
    docs: [D.dpop, D.rfc9449Resource],
  },
  use_dpop_nonce: {
    meaning: "The authorization server wants a server-provided nonce in the DPoP proof. This is a normal first step of the DPoP flow, not a failure by itself.",
    causes: ["The first /token request of a DPoP flow, sent without a nonce.", "A stale nonce (Okta renews it periodically)."],
    check: [
      "Read the `DPoP-Nonce` response header and retry with a new proof whose `nonce` claim carries it.",
      "If the retry is missing from the capture, the client does not handle the nonce challenge.",
    ],
    docs: [D.dpop, D.rfc9449Nonce],
  },
  unsupported_response_type: {
    meaning: "The authorization server or the app does not allow the requested response_type.",
    causes: [
      "response_type=token or id_token (implicit) for an app without the implicit grant enabled.",
      "A response type the authorization server does not support.",
    ],
    check: ["Compare response_type in the /authorize request with the app's allowed grant types."],
    docs: [D.rfc6749Authz],
  },
  unsupported_grant_type: {
    meaning: "The authorization server does not support the grant_type sent to /token.",
    causes: ["A misspelled grant_type, or a grant (token exchange, device code, CIBA) not available on this authorization server."],
    check: ["Check the grant_type value and the authorization server's `grant_types_supported` in its discovery document."],
    docs: [D.rfc6749Token],
  },
  invalid_redirect_uri: {
    meaning: "The redirect_uri is not one of the app's registered sign-in redirect URIs.",
    causes: ["A different scheme, host, port, path or trailing slash than registered.", "A development URL used against a production app."],
    check: ["Compare redirect_uri in the /authorize request, character for character, with the app's sign-in redirect URIs."],
    docs: [D.rfc7591],
  },
  server_error: {
    meaning: "The authorization server hit an unexpected condition.",
    causes: ["A transient failure on Okta's side, or an unexpected configuration state."],
    check: ["Retry; if it persists, give Okta Support the time and the X-Okta-Request-Id of the response."],
    docs: [D.rfc6749Authz],
  },
  temporarily_unavailable: {
    meaning: "The authorization server is overloaded or in maintenance and could not handle the request now.",
    causes: ["Temporary overload or maintenance."],
    check: ["Retry with backoff."],
    docs: [D.rfc6749Authz],
  },
  authorization_pending: {
    meaning: "Device authorization: the user has not finished approving yet; keep polling.",
    causes: ["Normal while the user completes sign-in on the other device."],
    check: ["Check the client polls no faster than the `interval` from the device authorization response."],
    docs: [D.rfc8628],
  },
  slow_down: {
    meaning: "Device authorization: the client polls too fast.",
    causes: ["Polling faster than the `interval` returned by the device authorization endpoint."],
    check: ["Measure the time between /token polls in the capture: after slow_down the client must wait 5 seconds longer between polls."],
    docs: [D.rfc8628],
  },
  expired_token: {
    meaning: "Device authorization: the device code expired before the user approved.",
    causes: ["The user did not finish in time."],
    check: ["Start a new device authorization."],
    docs: [D.rfc8628],
  },
};

// ---------------------------------------------------------------------------
// Derived explanations
// ---------------------------------------------------------------------------

/** Generic guidance by HTTP status, for codes without a hand-written explanation. */
function byStatus(status: number): { sentence: string; causes: string[]; check: string[] } {
  const body = "Read the response body: errorSummary and errorCauses often name the field, value or rule involved.";
  if (status === 400 || status === 422)
    return {
      sentence: "Okta rejected the request as invalid.",
      causes: ["A parameter or body field has a value this operation does not accept.", "The request conflicts with the current configuration."],
      check: [body, "Compare the request with the endpoint's reference (required fields, types, allowed values)."],
    };
  if (status === 401)
    return {
      sentence: "Okta did not accept the caller's credentials for this request.",
      causes: ["A missing, invalid or wrong kind of credential for this endpoint."],
      check: ["Look at the Authorization header and cookies the request sent.", body],
    };
  if (status === 403)
    return {
      sentence: "Okta refused the operation for this caller, object or configuration.",
      causes: ["A policy, permission, or the object's current state does not allow it."],
      check: [body, "Check the caller's permissions and the state of the object involved."],
    };
  if (status === 404 || status === 410)
    return {
      sentence: status === 410 ? "The resource or endpoint is gone." : "Okta could not find what the request points to.",
      causes: ["A wrong or stale id or path, or an endpoint that does not exist (any more) for this org."],
      check: ["Check the URL and ids against earlier responses in the capture."],
    };
  if (status === 405) return { sentence: "The endpoint does not accept this HTTP method.", causes: ["The wrong HTTP method."], check: ["Compare the method with the endpoint reference."] };
  if (status === 406 || status === 415)
    return { sentence: "Okta cannot produce or read the media type requested.", causes: ["Accept or Content-Type headers do not match what the endpoint supports."], check: ["Look at the Accept and Content-Type request headers."] };
  if (status === 409) return { sentence: "The request conflicts with the current state of the resource.", causes: ["A duplicate, or a concurrent change."], check: [body, "Re-read the resource and retry if it was a concurrent change."] };
  if (status === 412) return { sentence: "A precondition of the request (such as an ETag) did not match.", causes: ["The resource changed since it was read."], check: ["Re-read the resource to get its current ETag and retry."] };
  if (status === 414) return { sentence: "A request or response header grew too large.", causes: ["Too much data in headers."], check: ["Look at header sizes in the request."] };
  if (status === 423) return { sentence: "The resource is locked or temporarily not usable.", causes: ["The object is in a locked or transitional state."], check: ["Retry later; check the object's status."] };
  if (status === 429) return { sentence: "A rate limit was exceeded.", causes: ["Too many requests of this kind in the current window."], check: ["Read the X-Rate-Limit-* response headers and back off until the reset time."] };
  if (status >= 500)
    return {
      sentence: status === 501 ? "The operation is not implemented here." : "Okta or a system it depends on failed while handling the request.",
      causes: ["A failure on Okta's side or in a connected system (inline hook, agent, telephony or SCIM provider)."],
      check: ["Retry with backoff; if it persists, give Okta Support the errorId and the X-Okta-Request-Id header."],
    };
  if (status >= 200 && status < 300)
    return { sentence: "The request was accepted but is not finished.", causes: ["An asynchronous step is still pending."], check: ["Poll as the endpoint describes."] };
  return { sentence: "Okta returned an error.", causes: [], check: [body] };
}

function explainOktaRow(row: OktaErrorRow): Explanation {
  const [code, status, title, summary, description, observed, causeUrls] = row;
  const curated = OKTA_CURATED[code];
  const docs = unique([`${OKTA_ERROR_PAGE}#${code}`, ...(curated?.docs ?? []), ...causeUrls]);
  const base = {
    code,
    kind: "okta" as const,
    httpStatus: status,
    title,
    oktaSummary: summary,
    oktaSource: ERROR_DATA_SOURCES.okta,
    docs,
  };
  const extra: Partial<Explanation> = description ? { oktaDescription: description } : {};
  if (curated) return { ...base, ...extra, meaning: curated.meaning, causes: curated.causes, check: curated.check, curated: true };
  const g = byStatus(status);
  const causes = observed ? [observed, ...g.causes] : g.causes;
  return {
    ...base,
    ...extra,
    meaning: `${g.sentence} Okta calls this “${title}”.`,
    causes,
    check: g.check,
    curated: false,
  };
}

function variantOf(r: readonly [string, number, string, string]): OAuthVariant {
  return { code: r[0], httpStatus: r[1], title: r[2], description: r[3] };
}

function explainOAuthRow(row: OAuthErrorRow): Explanation {
  const [error, status, title, description, others] = row;
  const curated = OAUTH_CURATED[error];
  const variants = others.map(variantOf);
  const base = {
    code: error,
    kind: "oauth" as const,
    httpStatus: status,
    title,
    oktaSummary: description,
    oktaSource: ERROR_DATA_SOURCES.oauth,
    variants,
  };
  if (curated) {
    return { ...base, meaning: curated.meaning, causes: curated.causes, check: curated.check, docs: unique([...(curated.docs ?? []), OAUTH_ERROR_PAGE]), curated: true };
  }
  const g = byStatus(status);
  return {
    ...base,
    meaning: `The OAuth error \`${error}\` (“${title}”). ${g.sentence}`,
    causes: g.causes,
    check: ["Read error_description: Okta's text for this error names the condition.", ...g.check.filter((c) => !c.startsWith("Read the response body"))],
    docs: [OAUTH_ERROR_PAGE],
    curated: false,
  };
}

function explainInternal(parent: OAuthErrorRow, v: OAuthVariant): Explanation {
  const p = explainOAuthRow(parent);
  // Okta's description names the cause: where we explained that cause, lead with it.
  const own = curatedCause(v.code);
  const description = `Okta's description of this case: ${v.description}`;
  return {
    code: v.code,
    kind: "oauth",
    httpStatus: v.httpStatus,
    title: v.title,
    oktaSummary: v.description,
    oktaSource: ERROR_DATA_SOURCES.oauth,
    meaning: `Okta's internal code \`${v.code}\`, returned as \`error=${p.code}\`. ${own ? own.meaning : p.meaning}`,
    causes: own ? [description] : [description, ...p.causes],
    check: own ? [own.fix] : p.check,
    docs: p.docs,
    curated: own ? true : p.curated,
    oauthError: p.code,
  };
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

// Indexes, built lazily on first use.
let oktaIndex: Map<string, OktaErrorRow> | undefined;
let oauthIndex: Map<string, OAuthErrorRow> | undefined;
let internalIndex: Map<string, { parent: OAuthErrorRow; variant: OAuthVariant }> | undefined;

function indexes() {
  if (!oktaIndex || !oauthIndex || !internalIndex) {
    oktaIndex = new Map(OKTA_ERROR_ROWS.map((r) => [r[0], r]));
    oauthIndex = new Map(OAUTH_ERROR_ROWS.map((r) => [r[0], r]));
    internalIndex = new Map();
    for (const r of OAUTH_ERROR_ROWS) {
      for (const c of r[4]) {
        // An internal code that is also an `error` value is explained as the error.
        if (!oauthIndex.has(c[0]) && !internalIndex.has(c[0])) internalIndex.set(c[0], { parent: r, variant: variantOf(c) });
      }
    }
  }
  return { okta: oktaIndex, oauth: oauthIndex, internal: internalIndex };
}

/**
 * Explain an Okta error code or an OAuth error. Accepts `E0000011`,
 * `e0000011`, `0000011`, OAuth `error` values (`invalid_client`, any case)
 * and Okta's internal OAuth codes (`invalid_dpop_proof_invalid_htu`).
 * Returns null for a code Okta does not document.
 */
export function explainCode(code: string): Explanation | null {
  const c = code.trim();
  const { okta, oauth, internal } = indexes();
  const e = /^[Ee]?(\d{7})$/.exec(c);
  if (e) {
    const row = okta.get(`E${e[1]}`);
    return row ? explainOktaRow(row) : null;
  }
  const key = c.toLowerCase();
  const o = oauth.get(key);
  if (o) return explainOAuthRow(o);
  const i = internal.get(key);
  return i ? explainInternal(i.parent, i.variant) : null;
}

/** Every documented code (E codes, OAuth errors, internal OAuth codes), for listings and completion. */
export function knownCodes(): { okta: string[]; oauth: string[]; internal: string[] } {
  const { okta, oauth, internal } = indexes();
  return { okta: [...okta.keys()], oauth: [...oauth.keys()], internal: [...internal.keys()] };
}

/** Codes with a hand-written explanation. */
export const CURATED_CODES: readonly string[] = Object.freeze([...Object.keys(OKTA_CURATED), ...Object.keys(OAUTH_CURATED)]);
