/**
 * Serves the test app (index.html, app.js, the okta-auth-js browser bundle
 * and a generated config.js; /callback and /logout/callback are the app too)
 * on 127.0.0.1, ephemeral port. The page is opened
 * as http://localhost:PORT so that it is on another site than the emulated
 * Okta org at http://127.0.0.1:PORT (sites differ by host name).
 */
import { createServer } from "node:http";
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
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    // The SPA's own routes (sign-in and sign-out callbacks) serve the app.
    const file = path === "/callback" || path === "/logout/callback" ? files["/"] : path === "/config.js" ? { type: "text/javascript;charset=utf-8", body: `window.APP_CONFIG = ${JSON.stringify(config ?? null)};\n` } : files[path];
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
  return {
    origin: `http://localhost:${port}`,
    untrustedOrigin: `http://127.0.0.1:${port}`,
    configure(c) {
      config = c;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
