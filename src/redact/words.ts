/**
 * Which names mark a secret value: header names, and the names of query,
 * form, multipart and JSON fields (at any depth).
 *
 * The field list is a superset of the default word lists of the two
 * well-known HAR sanitizers (Google's har-sanitizer and Cloudflare's
 * har-sanitizer) plus Okta's own credential and one-time-token names.
 * One deliberate exception: `client_id` is on those lists but is kept here.
 * It is a public identifier (it is in every authorize URL a browser loads),
 * it is not a credential, and rules need it to tell apps apart; JWT `cid`
 * claims carry the same value and are kept too.
 *
 * Names are compared case-insensitively with `-`, `_` and `.` removed, so
 * `client_secret`, `clientSecret` and `Client-Secret` are one name.
 */

/** Normalise a field or header name for lookup. */
export function normName(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, "");
}

function set(words: readonly string[]): ReadonlySet<string> {
  return new Set(words.map(normName));
}

/** Fields whose value is a credential or one-time token (high-entropy: first/last characters are kept). */
export const TOKEN_FIELDS = set([
  // Google and Cloudflare HAR sanitizers (their default word lists, except client_id; see above).
  "state", "shdf", "usg", "code", "code_verifier", "code_challenge", "client_secret", "token", "access_token", "authenticity_token",
  "id_token", "refresh_token", "appID", "challenge", "facetID", "assertion", "fcParams", "serverData", "Authorization", "auth",
  "x-client-data", "SAMLRequest", "SAMLResponse", "vses2",
  // OAuth / OIDC.
  "client_assertion", "nonce", "device_code", "user_code", "subject_token", "actor_token", "id_token_hint", "login_hint_token",
  "jwt", "ath", "at_hash", "c_hash", "dpop", "dpop_nonce", "logout_token",
  // Okta sign-in flows.
  "sessionToken", "stateToken", "cookieToken", "stateHandle", "interaction_handle", "interaction_code", "activationToken",
  "recoveryToken", "session_token", "sessionId", "session_id", "fromURI_token", "onetimetoken", "one_time_token",
  // Generic credentials.
  "api_key", "apikey", "x-api-key", "api_token", "apiToken", "ssws", "ssws_token", "okta_api_token", "access_key", "secret_key", "secretAccessKey",
  "private_key_jwt", "secret", "client_secret_jwt", "private_key", "privateKey", "sharedSecret", "shared_secret",
  "csrf", "_csrf", "csrf_token", "xsrf", "xsrf_token", "x-csrf-token", "x-xsrf-token", "x-okta-xsrftoken", "x-auth-token",
  "x-amz-security-token", "bearer", "credential", "credentials_token", "signature", "sig", "SAMLart", "wresult",
]);

/** Fields whose value a person chose or is personal (no character of it is kept). */
export const PERSONAL_FIELDS = set([
  "password", "passwd", "pwd", "passCode", "pass_code", "otp", "totp", "pin", "answer", "newPassword", "oldPassword",
  "new_password", "old_password", "currentPassword", "confirmPassword", "email", "security_answer",
]);

/** Request headers whose whole value is a credential (Authorization-like headers are parsed separately). */
export const TOKEN_HEADERS = set([
  "x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token", "x-csrf-token", "x-xsrf-token", "x-okta-xsrftoken",
  "x-client-data", "x-amz-security-token", "x-goog-authenticated-user-email", "x-session-token", "x-device-token",
  "dpop-nonce", "x-okta-session-token",
]);

/** Headers that hold a URL (query and fragment are redacted). */
export const URL_HEADERS = set(["location", "referer", "referrer", "content-location", "refresh", "link", "x-redirect-url"]);

export function isTokenField(name: string): boolean {
  return TOKEN_FIELDS.has(normName(name));
}

export function isPersonalField(name: string): boolean {
  return PERSONAL_FIELDS.has(normName(name));
}

/** Is this field name one whose value must never be shared? */
export function isSecretField(name: string): boolean {
  const n = normName(name);
  return TOKEN_FIELDS.has(n) || PERSONAL_FIELDS.has(n);
}
