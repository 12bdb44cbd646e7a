/**
 * Hostile captures, one per leak class of issue 12, each with the secrets it
 * holds listed. `writeCases(dir)` writes them as `<name>.har` (and
 * `<name>.secrets.json`); `node dist/test/hostile-secrets/cases.js <dir>` does
 * the same from the command line.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fakeApiToken, fakeJwt, fakeRandom } from "../../scripts/samples/builder.js";

export interface HostileCase {
  name: string;
  /** What leaked before (the class). */
  leak: string;
  /** The HAR (an object, or raw text for a file that does not parse). */
  har: object | string;
  /** Every secret value in it. */
  secrets: string[];
}

const h = (name: string, value: string) => ({ name, value });
const T = "2026-12-07T10:00:00.000Z";

function entry(req: Record<string, unknown>, res: Record<string, unknown>): object {
  return {
    startedDateTime: T,
    time: 10,
    request: { method: "GET", url: "https://app.example.com/", httpVersion: "HTTP/1.1", headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0, ...req },
    response: {
      status: 200,
      statusText: "OK",
      httpVersion: "HTTP/1.1",
      headers: [],
      cookies: [],
      content: { size: 0, mimeType: "text/plain", text: "" },
      redirectURL: "",
      headersSize: -1,
      bodySize: 0,
      ...res,
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 0 },
  };
}

function har(entries: object[], extra: Record<string, unknown> = {}): object {
  return { log: { version: "1.2", creator: { name: "hostile", version: "1" }, pages: [], ...extra, entries } };
}

const content = (mimeType: string, text: string, encoding?: string) => ({ size: text.length, mimeType, text, ...(encoding ? { encoding } : {}) });

export function hostileCases(): HostileCase[] {
  const sid = fakeRandom("sid", 25);
  const sid2 = fakeRandom("sid2", 32);
  const jsCookie = fakeRandom("jscookie", 30);
  const formToken = fakeRandom("formtoken", 34);
  const ssws = fakeApiToken("hostile-js");
  const ssws2 = fakeApiToken("hostile-html");
  const code = fakeRandom("code", 43);
  const state = fakeRandom("state", 24);
  const nonce = fakeRandom("nonce", 22);
  const inner = fakeRandom("innerjson", 40);
  const innerPw = "S3cret!pass word";
  const locCookie = fakeRandom("loccookie", 28);
  const ieCookie = fakeRandom("iecookie", 26);
  const activation = fakeRandom("activation", 20);
  const recovery = fakeRandom("recovery", 20);
  const recovery2 = fakeRandom("recovery2", 24);
  const userPw = "hunter2-Passw0rd";
  const postCode = fakeRandom("formpost", 43);
  const postState = fakeRandom("formpoststate", 30);
  const jwkD = fakeRandom("jwkd", 86, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
  const jwkP = fakeRandom("jwkp", 43, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
  const pem = fakeRandom("pem", 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  const commentToken = fakeApiToken("hostile-comment");
  const titleToken = fakeJwt({ iss: "https://acme.okta.com", sub: "00u1", exp: 1_900_000_000 });
  const brokenSsws = fakeApiToken("hostile-broken");
  const brokenSid = fakeRandom("brokensid", 25);
  const brokenPw = "Br0ken-entry-pw";
  const b64Echo = fakeRandom("b64echo", 30);

  return [
    {
      name: "cookie-echo",
      leak: "a session cookie echoed in a JSON response body (before the entry that set it) and in a base64 body",
      har: har([
        entry({ url: "https://app.example.com/api/debug" }, { content: content("application/json", JSON.stringify({ debug: { cookieHeader: `sid=${sid}`, seen: sid } })) }),
        entry(
          { url: "https://acme.okta.com/login/sessionCookieRedirect" },
          { status: 302, headers: [h("Location", "https://app.example.com/home"), h("Set-Cookie", `sid=${sid}; Path=/; Secure; HttpOnly`)], cookies: [{ name: "sid", value: sid }], redirectURL: "https://app.example.com/home" },
        ),
        entry({ url: "https://app.example.com/api/echo" }, { content: content("application/octet-stream", Buffer.from(JSON.stringify({ echo: sid }), "utf8").toString("base64"), "base64") }),
      ]),
      secrets: [sid],
    },
    {
      name: "script-cookie",
      leak: "cookies set by JavaScript in a script body",
      har: har([entry({ url: "https://app.example.com/app.js" }, { content: content("application/javascript", `(function(){document.cookie = "appsess=${jsCookie}; path=/; secure";})();`) })]),
      secrets: [jsCookie],
    },
    {
      name: "form-field-name",
      leak: "a token in a form field's name (Fiddler splits a JSON body as a form)",
      har: har([
        entry(
          {
            method: "POST",
            url: "https://acme.okta.com/api/v1/authn/factors/abc/verify",
            postData: { mimeType: "application/x-www-form-urlencoded", text: JSON.stringify({ stateToken: formToken }), params: [{ name: JSON.stringify({ stateToken: formToken }), value: "" }] },
          },
          {},
        ),
      ]),
      secrets: [formToken],
    },
    {
      name: "ssws-in-page",
      leak: "an SSWS API token in a page's JavaScript bundle and in its HTML",
      har: har([
        entry({ url: "https://app.example.com/static/main.js" }, { content: content("application/javascript", `const client=new okta.Client({orgUrl:"https://acme.okta.com",token:\`${ssws}\`});export default client;`) }),
        entry({ url: "https://app.example.com/" }, { content: content("text/html", `<html><body><script>window.cfg={k:'${ssws2}'}</script></body></html>`) }),
      ]),
      secrets: [ssws, ssws2],
    },
    {
      name: "html-302",
      leak: "state, nonce and code in an HTML body with &amp;-escaped URLs (a 302 page)",
      har: har([
        entry(
          { url: "https://acme.okta.com/oauth2/default/v1/authorize?client_id=0oa1abcdefghijklmnop&response_type=code" },
          {
            status: 302,
            headers: [h("Location", `https://app.example.com/cb?code=${code}&state=${state}`)],
            redirectURL: `https://app.example.com/cb?code=${code}&state=${state}`,
            content: content("text/html", `<html><body><a href="https://app.example.com/cb?code=${code}&amp;state=${state}&amp;nonce=${nonce}">Found</a></body></html>`),
          },
        ),
      ]),
      secrets: [code, state, nonce],
    },
    {
      name: "json-in-json",
      leak: "a token and a password inside a JSON string inside JSON (a secrets manager's SecretString)",
      har: har([
        entry(
          { method: "POST", url: "https://secretsmanager.us-east-1.amazonaws.com/" },
          { content: content("application/x-amz-json-1.1", JSON.stringify({ Name: "okta", SecretString: JSON.stringify({ apiToken: inner, password: innerPw }) })) },
        ),
      ]),
      secrets: [inner, innerPw],
    },
    {
      name: "location-before-set-cookie",
      leak: "a Set-Cookie value in the Location header listed before Set-Cookie, the cookie not in response.cookies",
      har: har([
        entry(
          { url: "https://app.example.com/login" },
          {
            status: 302,
            headers: [h("Location", `https://app.example.com/home?session=${locCookie}`), h("Set-Cookie", `app_session=${locCookie}; Path=/; HttpOnly`)],
            redirectURL: `https://app.example.com/home?session=${locCookie}`,
          },
        ),
      ]),
      secrets: [locCookie],
    },
    {
      name: "cookies-object",
      leak: "a cookie written as an object (IE11 via Fiddler): the value, not the name, is the secret",
      har: har([entry({ url: "https://acme.okta.com/app/UserHome", cookies: { name: "JSESSIONID", value: ieCookie } as unknown as object[] }, {})]),
      secrets: [ieCookie],
    },
    {
      name: "url-path-tokens",
      leak: "Okta's one-time tokens in URL paths",
      har: har([
        entry({ url: `https://acme.okta.com/welcome/${activation}` }, {}),
        entry({ url: `https://acme.okta.com/signin/reset-password/${recovery}` }, {}),
        entry({ method: "POST", url: `https://acme.okta.com/api/v1/authn/recovery/token/${recovery2}` }, {}),
      ]),
      secrets: [activation, recovery, recovery2],
    },
    {
      name: "url-userinfo",
      leak: "a password in a URL's userinfo",
      har: har([entry({ url: `https://admin:${userPw}@proxy.example.com/api/v1/users` }, {})]),
      secrets: [userPw],
    },
    {
      name: "form-post",
      leak: "a response_mode=form_post authorization code and state in an HTML form",
      har: har([
        entry(
          { url: "https://acme.okta.com/oauth2/default/v1/authorize?client_id=0oa1abcdefghijklmnop&response_mode=form_post" },
          {
            content: content(
              "text/html",
              `<html><body onload="document.forms[0].submit()"><form method="post" action="https://app.example.com/cb"><input type="hidden" name="code" value="${postCode}"/><input type='hidden' value='${postState}' name='state'/></form></body></html>`,
            ),
          },
        ),
      ]),
      secrets: [postCode, postState],
    },
    {
      name: "jwk-private",
      leak: "the private members of a posted JWK and a PEM private key",
      har: har([
        entry(
          {
            method: "POST",
            url: "https://acme.okta.com/api/v1/apps/0oa1abcdefghijklmnop/credentials/jwks",
            postData: { mimeType: "application/json", text: JSON.stringify({ kty: "RSA", kid: "k1", e: "AQAB", n: "sXch", d: jwkD, p: jwkP }) },
          },
          { content: content("text/plain", `-----BEGIN PRIVATE KEY-----\n${pem}\n-----END PRIVATE KEY-----\n`) },
        ),
      ]),
      secrets: [jwkD, jwkP, pem],
    },
    {
      name: "log-comment",
      leak: "an SSWS token in log.comment and a JWT in a page title",
      har: har([entry({ url: "https://acme.okta.com/api/v1/users" }, {})], {
        comment: `captured while debugging with SSWS ${commentToken}`,
        pages: [{ startedDateTime: T, id: "page_1", title: `https://app.example.com/#id_token=${titleToken}`, pageTimings: {} }],
      }),
      secrets: [commentToken, titleToken],
    },
    {
      name: "unparsed-entry",
      leak: "an entry that cannot be parsed (a missing comma and a bare NaN)",
      har: [
        '{"log":{"version":"1.2","creator":{"name":"hostile","version":"1"},"pages":[],"entries":[',
        JSON.stringify(entry({ url: "https://app.example.com/ok" }, {})) + ",",
        `{"startedDateTime":"${T}","time":NaN,"request":{"method":"POST","url":"https://acme.okta.com/api/v1/users","httpVersion":"HTTP/1.1",` +
          `"headers":[{"name":"Authorization","value":"SSWS ${brokenSsws}"} {"name":"Cookie","value":"sid=${brokenSid}"}],"queryString":[],"cookies":[{"name":"sid","value":"${brokenSid}"}],` +
          `"headersSize":-1,"bodySize":0,"postData":{"mimeType":"application/json","text":"{\\"credentials\\":{\\"password\\":{\\"value\\":\\"${brokenPw}\\"}}}"}},` +
          `"response":{"status":200,"statusText":"","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{"size":0,"mimeType":"text/plain"},"redirectURL":"","headersSize":-1,"bodySize":0},"cache":{},"timings":{"send":0,"wait":1,"receive":0}}`,
        "]}}",
      ].join("\n"),
      secrets: [brokenSsws, brokenSid, brokenPw],
    },
    {
      name: "base64-body",
      leak: "a secret echoed in a base64 body of a binary type",
      har: har([
        entry({ url: "https://acme.okta.com/api/v1/authn", method: "POST", postData: { mimeType: "application/json", text: JSON.stringify({ sessionToken: b64Echo }) } }, {}),
        entry({ url: "https://app.example.com/blob" }, { content: content("application/octet-stream", Buffer.from(`token echo: ${b64Echo}\n`, "utf8").toString("base64"), "base64") }),
      ]),
      secrets: [b64Echo],
    },
  ];
}

/** Write every case into `dir`: `<name>.har` and `<name>.secrets.json`. */
export function writeCases(dir: string): { path: string; c: HostileCase }[] {
  mkdirSync(dir, { recursive: true });
  return hostileCases().map((c) => {
    const path = join(dir, `${c.name}.har`);
    writeFileSync(path, typeof c.har === "string" ? c.har : JSON.stringify(c.har, null, 2));
    writeFileSync(join(dir, `${c.name}.secrets.json`), JSON.stringify({ leak: c.leak, secrets: c.secrets }, null, 2));
    return { path, c };
  });
}

if (process.argv[1] && /hostile-secrets[\\/]cases\.[jt]s$/.test(process.argv[1]) && process.argv[2]) {
  for (const { path } of writeCases(process.argv[2])) console.log(path);
}
