import { fakeRandom, type CaptureSpec, type EntrySpec } from "../builder.js";

const ORG = "https://acme.okta.com";
const APP = "https://app.example.com";
const ISSUER = `${ORG}/oauth2/default`;
const CLIENT_ID = "0oa1ab2cd3EFGH4ij5d7";
const START = "2026-11-21T10:45:00.000Z";
const state = fakeRandom("ae-state", 64);
const nonce = fakeRandom("ae-nonce", 64);
const sid = "102" + fakeRandom("ae-sid", 22);

const errorPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex,nofollow"><title>acme - Error</title>
<link href="https://ok12static.oktacdn.com/assets/css/sections/errors.css" rel="stylesheet" type="text/css"></head>
<body class="error-page"><div class="content"><div class="error-code-icon"></div>
<h2 class="o-form-title">400 Bad Request</h2>
<p class="o-form-explain">The &#39;redirect_uri&#39; parameter must be a Login redirect URI in the client app settings: https://acme-admin.okta.com/admin/app/oidc_client/instance/${CLIENT_ID}#tab-general</p>
<a href="/" class="button">Go to Homepage</a></div></body></html>
`;

const authorize = (redirectUri: string, ok: boolean, comment: string): EntrySpec => ({
  method: "GET",
  url: `${ISSUER}/v1/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=openid%20profile&state=${state}&nonce=${nonce}&code_challenge=${fakeRandom("ae-challenge", 43)}&code_challenge_method=S256`,
  status: ok ? 302 : 400,
  from: { browser: APP, mode: "navigate" },
  at: 0,
  headers: { cookie: `sid=${sid}` },
  ...(ok
    ? { responseHeaders: { location: `${redirectUri}?code=${fakeRandom("ae-code", 43)}&state=${state}` } }
    : { response: { mimeType: "text/html", text: errorPage } }),
  comment,
});

export const samples: Record<string, CaptureSpec> = {
  "authorize-error.fires.har": {
    producer: "chrome",
    start: START,
    comment: "The app sends a redirect_uri with a trailing slash that is not registered for the client.",
    entries: [authorize(`${APP}/login/callback/`, false, "expect: authorize-error")],
  },
  "authorize-error.passes.har": {
    producer: "chrome",
    start: START,
    comment: "The same sign-in with the registered redirect_uri.",
    entries: [authorize(`${APP}/login/callback`, true, "expect: none")],
  },
};
