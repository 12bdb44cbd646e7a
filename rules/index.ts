/**
 * The explicit rule registry: every rule oktalint runs, in a stable order
 * (the order of the rules table in the README). Rule ids are a contract:
 * users' configs, baselines and SARIF fingerprints use them.
 */
import type { Rule } from "../src/engine/types.js";
import sswsInBrowser from "./ssws-in-browser.js";
import authorizationScheme from "./authorization-scheme.js";
import customAsTokenOnManagementApi from "./custom-as-token-on-management-api.js";
import missingScope from "./missing-scope.js";
import missingAdminRole from "./missing-admin-role.js";
import managementCallWithoutCredentials from "./management-call-without-credentials.js";
import apiTokenRejected from "./api-token-rejected.js";
import sessionTokenMisuse from "./session-token-misuse.js";
import sessionTokenNotExchanged from "./session-token-not-exchanged.js";
import cookieMissing from "./cookie-missing.js";
import thirdPartyCookiesBlocked from "./third-party-cookies-blocked.js";
import apiTokenOnCookieEndpoint from "./api-token-on-cookie-endpoint.js";
import untrustedOrigin from "./untrusted-origin.js";
import tokenRequestWithoutPkce from "./token-request-without-pkce.js";
import clientSecretInBrowser from "./client-secret-in-browser.js";
import orgAsClientSecret from "./org-as-client-secret.js";
import wrongBaseUrl from "./wrong-base-url.js";
import invalidScopeForServer from "./invalid-scope-for-server.js";
import dpopMisuse from "./dpop-misuse.js";
import clientAssertionAudience from "./client-assertion-audience.js";
import rateLimited from "./rate-limited.js";
import tokenInUrl from "./token-in-url.js";
import implicitFlow from "./implicit-flow.js";
import expiredToken from "./expired-token.js";
import idTokenAsAccessToken from "./id-token-as-access-token.js";
import wrongAudience from "./wrong-audience.js";
import tokenToThirdParty from "./token-to-third-party.js";
import insecureTransport from "./insecure-transport.js";
import oktaError from "./okta-error.js";
import authorizeError from "./authorize-error.js";
import sanitizedCapture from "./sanitized-capture.js";
import deprecatedApi from "./deprecated-api.js";

export const RULES: readonly Rule[] = [
  sswsInBrowser,
  authorizationScheme,
  customAsTokenOnManagementApi,
  missingScope,
  missingAdminRole,
  managementCallWithoutCredentials,
  apiTokenRejected,
  sessionTokenMisuse,
  sessionTokenNotExchanged,
  cookieMissing,
  thirdPartyCookiesBlocked,
  apiTokenOnCookieEndpoint,
  untrustedOrigin,
  tokenRequestWithoutPkce,
  clientSecretInBrowser,
  orgAsClientSecret,
  wrongBaseUrl,
  invalidScopeForServer,
  dpopMisuse,
  clientAssertionAudience,
  rateLimited,
  tokenInUrl,
  implicitFlow,
  expiredToken,
  idTokenAsAccessToken,
  wrongAudience,
  tokenToThirdParty,
  insecureTransport,
  oktaError,
  authorizeError,
  sanitizedCapture,
  deprecatedApi,
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
