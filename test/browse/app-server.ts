/**
 * Serves the test app (index.html, app.js, the okta-auth-js browser bundle
 * and a generated config.js; /callback and /logout/callback are the app too)
 * on 127.0.0.1, ephemeral port, with the app's own API (`GET /api/messages`,
 * which takes an Okta access token as Bearer), and an analytics "tracker" on
 * another 127.0.0.1 port (another origin, not the app's). The page is opened
 * as http://localhost:PORT so that it is on another site than the emulated
 * Okta org at http://127.0.0.1:PORT (sites differ by host name).
 */
import { createServer, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const BUNDLE = fileURLToPath(new URL("../../node_modules/@okta/okta-auth-js/dist/okta-auth-js.min.js", import.meta.url));

export interface TestAppConfig {
  /** The Okta org URL. */
  issuer: string;
  username: string;
  password: string;
  /** The public SPA client (PKCE) and the org's API token (for the page that misuses it). */
  spaClientId?: string;
  apiToken?: string;
}

export interface TestApp {
  /** `http://localhost:PORT` (no trailing slash). */
  origin: string;
  /** `http://127.0.0.1:PORT2`: an analytics collector that is not the app's (the page gets it as `APP_CONFIG.trackerOrigin`). */
  trackerOrigin: string;
  /** What the tracker received: each request's path and query, as sent. */
  tracked: string[];
  /** `http://127.0.0.1:PORT`: the same app from an origin the org does not trust (and the same site as the org). */
  untrustedOrigin: string;
  /** What config.js tells the page (the org is started after the app: it needs the app's origin). */
  configure(config: TestAppConfig): void;
  close(): Promise<void>;
}

export async function startTestApp(): Promise<TestApp> {
  let config: TestAppConfig | undefined;
  const files: Record<string, { type: string; body: string | Buffer }> = {
    "/": { type: "text/html;charset=utf-8", body: readFileSync(`${HERE}index.html`) },
    "/app.js": { type: "text/javascript;charset=utf-8", body: readFileSync(`${HERE}app.js`) },
    "/okta-auth-js.min.js": { type: "text/javascript;charset=utf-8", body: readFileSync(BUNDLE) },
    "/popup.html": { type: "text/html;charset=utf-8", body: `<!doctype html><title>popup</title><link rel="icon" href="data:,"><p>popup</p>` },
  };
  let trackerOrigin = "";
  const tracked: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/api/messages") return messages(req.headers.authorization, config?.issuer, res);
    // The SPA's own routes (sign-in and sign-out callbacks) serve the app.
    const file = path === "/callback" || path === "/logout/callback" ? files["/"] : path === "/config.js" ? { type: "text/javascript;charset=utf-8", body: `window.APP_CONFIG = ${JSON.stringify(config ? { ...config, trackerOrigin } : null)};\n` } : files[path];
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, { "content-type": file.type, "cache-control": "no-store" });
    res.end(file.body);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // The tracker: answers every beacon 204, to any page (what analytics collectors do).
  const tracker = createServer((req, res) => {
    tracked.push(req.url ?? "/");
    res.writeHead(204, { "access-control-allow-origin": "*", "cache-control": "no-store" });
    res.end();
  });
  tracker.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    tracker.once("error", reject);
    tracker.listen(0, "127.0.0.1", () => resolve());
  });
  trackerOrigin = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}`;
  return {
    origin: `http://localhost:${port}`,
    trackerOrigin,
    tracked,
    untrustedOrigin: `http://127.0.0.1:${port}`,
    configure(c) {
      config = c;
    },
    close: async () => {
      await Promise.all(
        [server, tracker].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/**
 * The app's API: `GET /api/messages` answers 200 JSON to an Okta access token of the org
 * authorization server (issuer and audience the org, a client id in `cid`, not expired), checked
 * structurally as a resource server does before its signature check; any other token gets 401
 * with `WWW-Authenticate: Bearer error="invalid_token"` (an ID token's audience is the client id).
 */
function messages(authorization: string | undefined, issuer: string | undefined, res: ServerResponse): void {
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? "");
  let refused = m ? "" : "no Bearer JWT";
  if (m) {
    try {
      const claims = JSON.parse(Buffer.from(m[2]!, "base64url").toString("utf8")) as { iss?: string; aud?: string | string[]; cid?: string; exp?: number };
      if (claims.iss !== issuer) refused = "the issuer is not the expected one";
      else if (!(Array.isArray(claims.aud) ? claims.aud : [claims.aud]).includes(issuer)) refused = "the audience is not this API";
      else if (!claims.cid) refused = "not an access token";
      else if (!claims.exp || claims.exp * 1000 <= Date.now()) refused = "the token is expired";
    } catch {
      refused = "unreadable JWT";
    }
  }
  if (refused) {
    res.writeHead(401, { "www-authenticate": `Bearer realm="messages", error="invalid_token", error_description="${refused}"`, "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ error: "invalid_token" }));
    return;
  }
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ messages: [{ text: "hello from the app's API" }] }));
}
