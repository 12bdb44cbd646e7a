import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect as connectTcp, createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { gunzipSync, gzipSync } from "node:zlib";
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { Agent, request } from "undici";
import okta from "@okta/okta-sdk-nodejs";
import { checkTarget, rewriteSetCookie, startProxy, swapLinkOrigins, swapOrigin, type RunningProxy } from "../src/proxy/server.js";
import type { TraceRecord } from "../src/live/record.js";
import { startOktaEmulator, type OktaEmulator } from "./emulator/okta-emulator.js";

/** What a loopback upstream saw of one request. */
interface Seen {
  method: string;
  url: string;
  rawHeaders: string[];
  chunks: Buffer[];
}
type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

interface Upstream {
  url: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

/** A node:http upstream on 127.0.0.1 that records each request (body included) and then runs `handler`. */
async function startUpstream(handler: Handler, port = 0): Promise<Upstream> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const s: Seen = { method: req.method ?? "", url: req.url ?? "", rawHeaders: req.rawHeaders, chunks: [] };
    seen.push(s);
    handler(req, res, s);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  const p = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${p}`,
    port: p,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Collect the request body into `seen.chunks`, then call `then`. */
function readBody(req: IncomingMessage, seen: Seen, then: () => void): void {
  req.on("data", (c: Buffer) => seen.chunks.push(c));
  req.on("end", then);
}

const header = (raw: string[], name: string): string | undefined => {
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) return raw[i + 1];
  return undefined;
};
const decode = (base64: string | undefined): Buffer => Buffer.from(base64 ?? "", "base64");

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const agent = new Agent({ keepAliveTimeout: 1000 });
afterAll(async () => {
  await agent.close();
});

/** Everything a test starts, stopped after it. */
const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.close();
});

interface Harness {
  upstream: Upstream;
  proxy: RunningProxy;
  records: TraceRecord[];
  logs: string[];
}

async function harness(handler: Handler, bodyLimit?: number): Promise<Harness> {
  const upstream = await startUpstream(handler);
  running.push(upstream);
  const records: TraceRecord[] = [];
  const logs: string[] = [];
  const proxy = await startProxy({
    target: upstream.url,
    port: 0,
    ...(bodyLimit === undefined ? {} : { bodyLimit }),
    onRecord: (r) => records.push(r),
    onLog: (l) => logs.push(l),
  });
  running.push(proxy);
  return { upstream, proxy, records, logs };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
};

describe("oktalint proxy: forwarding", () => {
  it("listens on 127.0.0.1 by default and refuses a target with a path", async () => {
    const { proxy } = await harness((_req, res) => json(res, 200, {}));
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
    await expect(startProxy({ target: "https://dev-1.okta.com/oauth2/default", port: 0, onRecord: () => {} })).rejects.toThrow(
      "proxy target must be an origin without path or credentials, e.g. https://dev-1.okta.com",
    );
    await expect(startProxy({ target: "ftp://dev-1.okta.com", port: 0, onRecord: () => {} })).rejects.toThrow("must be an http or https URL");
  });

  it("forwards method, path, query, headers and a body streamed in chunks; Host becomes the target's", async () => {
    // The client sends its second chunk only once the upstream has received the first one:
    // a proxy that buffered the request body would deadlock here.
    let firstChunkArrived!: () => void;
    const firstChunk = new Promise<void>((resolve) => (firstChunkArrived = resolve));
    const { upstream, proxy, records } = await harness((req, res, seen) => {
      req.on("data", (c: Buffer) => {
        seen.chunks.push(c);
        firstChunkArrived();
      });
      req.on("end", () => json(res, 200, { status: "SUCCESS" }, { "x-okta-request-id": "req1" }));
    });
    const parts = ['{"username":"ada.lovelace@example.com",', '"password":"Correct-Horse-7"}'];
    async function* body() {
      yield Buffer.from(parts[0]!);
      await firstChunk;
      yield Buffer.from(parts[1]!);
    }
    const res = await request(`${proxy.url}/api/v1/authn?a=1&b=%20two`, {
      dispatcher: agent,
      method: "POST",
      headers: { "content-type": "application/json", "x-custom": "kept", "user-agent": "okta-auth-js/8.0.1", "proxy-authorization": "Basic dropme" },
      body: Readable.from(body()),
    });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ status: "SUCCESS" });

    const seen = upstream.seen[0]!;
    expect(seen.method).toBe("POST");
    expect(seen.url).toBe("/api/v1/authn?a=1&b=%20two");
    expect(header(seen.rawHeaders, "host")).toBe(`127.0.0.1:${upstream.port}`);
    expect(header(seen.rawHeaders, "x-custom")).toBe("kept");
    expect(header(seen.rawHeaders, "user-agent")).toBe("okta-auth-js/8.0.1");
    expect(header(seen.rawHeaders, "content-type")).toBe("application/json");
    expect(header(seen.rawHeaders, "transfer-encoding")).toBe("chunked");
    expect(header(seen.rawHeaders, "proxy-authorization")).toBeUndefined();
    expect(header(seen.rawHeaders, "x-forwarded-for")).toBeUndefined();
    expect(Buffer.concat(seen.chunks).toString()).toBe(parts.join(""));

    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r).toMatchObject({ v: 1, kind: "exchange", client: "proxy", pid: process.pid });
    expect(r.request.method).toBe("POST");
    expect(r.request.url).toBe(`${upstream.url}/api/v1/authn?a=1&b=%20two`);
    expect(r.request.httpVersion).toBe("HTTP/1.1");
    expect(r.request.headers[0]).toEqual(["host", `127.0.0.1:${upstream.port}`]);
    expect(r.request.headers).toContainEqual(["x-custom", "kept"]);
    expect(r.request.headers).toContainEqual(["transfer-encoding", "chunked"]);
    expect(r.request.headers.map(([n]) => n.toLowerCase())).not.toContain("proxy-authorization");
    expect(r.request.body).toEqual({ size: parts.join("").length, base64: Buffer.from(parts.join("")).toString("base64") });
    expect(r.response?.status).toBe(200);
    expect(r.response?.statusText).toBe("OK");
    expect(r.response?.headers).toContainEqual(["x-okta-request-id", "req1"]);
    expect(decode(r.response?.body?.base64).toString()).toBe('{"status":"SUCCESS"}');
    expect(r.error).toBeUndefined();
    expect(Date.parse(r.startedDateTime)).toBeGreaterThan(Date.now() - 60_000);
    expect(r.time).toBeGreaterThanOrEqual(0);
    expect(r.timings.send).toBeGreaterThanOrEqual(0);
    expect(r.timings.wait).toBeGreaterThanOrEqual(0);
    expect(r.timings.receive).toBeGreaterThanOrEqual(0);
  });

  it("sends a content-length body as it is and records only the first bodyLimit bytes", async () => {
    const { upstream, proxy, records } = await harness((req, res, seen) => readBody(req, seen, () => json(res, 201, { ok: true })), 10);
    const payload = "x".repeat(100);
    const res = await request(`${proxy.url}/api/v1/users`, { dispatcher: agent, method: "POST", body: payload, headers: { "content-type": "text/plain" } });
    await res.body.dump();
    expect(res.statusCode).toBe(201);
    expect(header(upstream.seen[0]!.rawHeaders, "content-length")).toBe("100");
    expect(Buffer.concat(upstream.seen[0]!.chunks).toString()).toBe(payload);
    expect(records[0]!.request.body).toEqual({ size: 100, base64: Buffer.from("x".repeat(10)).toString("base64"), truncated: true });
    expect(records[0]!.response?.body).toEqual({ size: 11, base64: Buffer.from('{"ok":true}'.slice(0, 10)).toString("base64"), truncated: true });
  });

  it("rewrites an Origin and Referer naming the proxy to the target and keeps a foreign Origin", async () => {
    const { upstream, proxy } = await harness((_req, res) => json(res, 200, {}));
    const own = await request(`${proxy.url}/api/v1/sessions/me`, {
      dispatcher: agent,
      headers: { origin: proxy.url, referer: `${proxy.url}/app/page?x=1` },
    });
    await own.body.dump();
    const foreign = await request(`${proxy.url}/api/v1/sessions/me`, {
      dispatcher: agent,
      headers: { origin: "http://localhost:3000", referer: "http://localhost:3000/login" },
    });
    await foreign.body.dump();
    expect(header(upstream.seen[0]!.rawHeaders, "origin")).toBe(upstream.url);
    expect(header(upstream.seen[0]!.rawHeaders, "referer")).toBe(`${upstream.url}/app/page?x=1`);
    expect(header(upstream.seen[1]!.rawHeaders, "origin")).toBe("http://localhost:3000");
    expect(header(upstream.seen[1]!.rawHeaders, "referer")).toBe("http://localhost:3000/login");
  });

  it("rewrites Location, Link, Set-Cookie Domain and Access-Control-Allow-Origin naming the target; records them as sent", async () => {
    let target = "";
    const { upstream, proxy, records } = await harness((req, res) => {
      const cors = req.headers["x-cors"] === "foreign" ? "http://localhost:3000" : target;
      res.writeHead(302, {
        location: `${target}/login/sessionCookieRedirect?checkAccountSetupComplete=true&redirectUrl=${target}/app`,
        link: `<${target}/api/v1/users?after=00u2&limit=2>; rel="next", <${target}/api/v1/users?limit=2>; rel="self"`,
        "set-cookie": [
          "sid=102abc; Domain=127.0.0.1; Path=/; Secure; HttpOnly; SameSite=None",
          "JSESSIONID=F00; Path=/; Secure; HttpOnly",
          "other=1; Domain=example.com; Path=/",
        ],
        "access-control-allow-origin": cors,
        "access-control-allow-credentials": "true",
        "content-length": "0",
      });
      res.end();
    });
    target = upstream.url;
    const res = await request(`${proxy.url}/login/sessionCookieRedirect`, { dispatcher: agent });
    await res.body.dump();
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(
      `${proxy.url}/login/sessionCookieRedirect?checkAccountSetupComplete=true&redirectUrl=${target}/app`,
    );
    expect(res.headers.link).toBe(`<${proxy.url}/api/v1/users?after=00u2&limit=2>; rel="next", <${proxy.url}/api/v1/users?limit=2>; rel="self"`);
    expect(res.headers["set-cookie"]).toEqual([
      "sid=102abc; Path=/; Secure; HttpOnly; SameSite=None",
      "JSESSIONID=F00; Path=/; Secure; HttpOnly",
      "other=1; Domain=example.com; Path=/",
    ]);
    expect(res.headers["access-control-allow-origin"]).toBe(proxy.url);
    expect(res.headers["access-control-allow-credentials"]).toBe("true");

    const foreign = await request(`${proxy.url}/api/v1/users/me`, { dispatcher: agent, headers: { "x-cors": "foreign" } });
    await foreign.body.dump();
    expect(foreign.headers["access-control-allow-origin"]).toBe("http://localhost:3000");

    // The record is what Okta sent, before any rewriting.
    const sent = records[0]!.response!.headers;
    expect(sent).toContainEqual(["set-cookie", "sid=102abc; Domain=127.0.0.1; Path=/; Secure; HttpOnly; SameSite=None"]);
    expect(sent).toContainEqual(["access-control-allow-origin", target]);
    expect(sent.find(([n]) => n === "location")![1]).toMatch(new RegExp(`^${target}/login/`));
  });

  it("rewrites the Location the client reached it by (localhost or 127.0.0.1)", async () => {
    let target = "";
    const { upstream, proxy } = await harness((_req, res) => {
      res.writeHead(301, { location: `${target}/home`, "content-length": "0" });
      res.end();
    });
    target = upstream.url;
    const res = await request(`${proxy.url}/`, { dispatcher: agent, headers: { host: `localhost:${proxy.port}` } });
    await res.body.dump();
    expect(res.headers.location).toBe(`http://localhost:${proxy.port}/home`);
  });

  it("streams the response: the first chunk reaches the client before the upstream sends the rest", async () => {
    let clientGotFirst!: () => void;
    const gotFirst = new Promise<void>((resolve) => (clientGotFirst = resolve));
    const { proxy, records } = await harness((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }); // chunked
      res.write('{"part":1,');
      void gotFirst.then(() => res.end('"rest":2}'));
    });
    const res = await request(`${proxy.url}/api/v1/logs`, { dispatcher: agent });
    const chunks: string[] = [];
    for await (const c of res.body) {
      chunks.push((c as Buffer).toString());
      if (chunks.length === 1) clientGotFirst();
    }
    expect(chunks.join("")).toBe('{"part":1,"rest":2}');
    expect(chunks[0]).toBe('{"part":1,');
    expect(decode(records[0]!.response!.body!.base64).toString()).toBe('{"part":1,"rest":2}');
    expect(records[0]!.response!.headers).toContainEqual(["Transfer-Encoding", "chunked"]);
  });

  it("passes gzip through untouched and records the gzip bytes", async () => {
    const text = JSON.stringify({ id: "00u1", profile: { login: "ada@example.com" } });
    const gz = gzipSync(text);
    const { proxy, records } = await harness((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": gz.length });
      res.end(gz);
    });
    const res = await request(`${proxy.url}/api/v1/users/me`, { dispatcher: agent, headers: { "accept-encoding": "gzip" } });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(bytes.equals(gz)).toBe(true);
    const body = records[0]!.response!.body!;
    expect(body.size).toBe(gz.length);
    const recorded = decode(body.base64);
    expect([recorded[0], recorded[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(recorded).toString()).toBe(text);
  });

  it("handles HEAD, 204 and 304 without bodies", async () => {
    const { proxy, records } = await harness((req, res) => {
      if (req.method === "HEAD") {
        res.writeHead(200, { "content-type": "application/json", "content-length": "42" });
        res.end();
      } else if (req.url === "/204") {
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(304, { etag: '"v1"' });
        res.end();
      }
    });
    const head = await request(`${proxy.url}/api/v1/users/me`, { dispatcher: agent, method: "HEAD" });
    expect(head.statusCode).toBe(200);
    expect(head.headers["content-length"]).toBe("42");
    expect(await head.body.text()).toBe("");
    const noContent = await request(`${proxy.url}/204`, { dispatcher: agent, method: "DELETE" });
    expect(noContent.statusCode).toBe(204);
    expect(await noContent.body.text()).toBe("");
    const notModified = await request(`${proxy.url}/304`, { dispatcher: agent, headers: { "if-none-match": '"v1"' } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.headers.etag).toBe('"v1"');
    expect(await notModified.body.text()).toBe("");
    expect(records.map((r) => [r.request.method, r.response?.status, r.response?.body, r.error])).toEqual([
      ["HEAD", 200, undefined, undefined],
      ["DELETE", 204, undefined, undefined],
      ["GET", 304, undefined, undefined],
    ]);
  });
});

describe("oktalint proxy: big bodies", () => {
  it("streams 8 MiB each way through a slow reader without losing a byte, recording the first MiB", async () => {
    const big = randomBytes(8 * 1024 * 1024);
    const { upstream, proxy, records } = await harness((req, res, seen) =>
      readBody(req, seen, () => {
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": big.length });
        res.end(big);
      }),
    );
    const res = await request(`${proxy.url}/upload`, { dispatcher: agent, method: "PUT", body: Readable.from([big.subarray(0, 3_000_000), big.subarray(3_000_000)]), headers: { "content-length": String(big.length) } });
    const hash = createHash("sha256");
    let n = 0;
    for await (const c of res.body) {
      hash.update(c as Buffer);
      // A slow client: the proxy has to pause the upstream rather than buffer 8 MiB.
      if (n++ % 16 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    const want = createHash("sha256").update(big).digest("hex");
    expect(hash.digest("hex")).toBe(want);
    expect(createHash("sha256").update(Buffer.concat(upstream.seen[0]!.chunks)).digest("hex")).toBe(want);
    const r = records[0]!;
    expect(r.request.body?.size).toBe(big.length);
    expect(r.request.body?.truncated).toBe(true);
    expect(decode(r.request.body?.base64).equals(big.subarray(0, 1024 * 1024))).toBe(true);
    expect(r.response?.body?.size).toBe(big.length);
    expect(decode(r.response?.body?.base64).equals(big.subarray(0, 1024 * 1024))).toBe(true);
  });
});

describe("oktalint proxy: close", () => {
  it("close() waits briefly for an exchange in flight, then cuts it and records it as aborted", async () => {
    const upstream = await startUpstream(() => {}); // never answers
    running.push(upstream);
    const records: TraceRecord[] = [];
    const proxy = await startProxy({ target: upstream.url, port: 0, onRecord: (r) => records.push(r) });
    const pending = request(`${proxy.url}/api/v1/users/me`, { dispatcher: agent }).catch((e: Error) => e);
    await waitFor(() => upstream.seen.length === 1);
    const t0 = Date.now();
    await proxy.close();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await pending).toBeInstanceOf(Error);
    expect(records.map((r) => r.error)).toEqual(["aborted: the proxy was closing"]);
    await expect(request(`${proxy.url}/`, { dispatcher: agent })).rejects.toThrow();
  });
});

describe("oktalint proxy: failures", () => {
  it("answers 502 with a JSON body when the target refuses, logs one line, records the error, and keeps serving", async () => {
    const port = await freePort();
    const target = `http://127.0.0.1:${port}`;
    const records: TraceRecord[] = [];
    const logs: string[] = [];
    const proxy = await startProxy({ target, port: 0, onRecord: (r) => records.push(r), onLog: (l) => logs.push(l) });
    running.push(proxy);

    const res = await request(`${proxy.url}/api/v1/users/me?sessionToken=20111secret`, {
      dispatcher: agent,
      headers: { authorization: "SSWS 00secretsecretsecretsecretsecretsecretsec", origin: "http://localhost:3000" },
    });
    expect(res.statusCode).toBe(502);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    expect(await res.body.text()).toBe(
      JSON.stringify({ errorCode: "oktalint_upstream", errorSummary: `oktalint proxy could not reach ${target}: connect ECONNREFUSED 127.0.0.1:${port}` }),
    );
    expect(logs).toEqual([`GET /api/v1/users/me → 502: could not reach ${target}: connect ECONNREFUSED 127.0.0.1:${port}`]);
    expect(records).toHaveLength(1);
    expect(records[0]!.response).toBeUndefined();
    expect(records[0]!.error).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(records[0]!.request.url).toBe(`${target}/api/v1/users/me?sessionToken=20111secret`);
    expect(records[0]!.timings).toEqual({ send: -1, wait: -1, receive: -1 });

    // The target comes back on the same port: the proxy serves again.
    const upstream = await startUpstream((_req, r) => json(r, 200, { back: true }), port);
    running.push(upstream);
    const again = await request(`${proxy.url}/api/v1/users/me`, { dispatcher: agent });
    expect(again.statusCode).toBe(200);
    expect(await again.body.json()).toEqual({ back: true });
    expect(records).toHaveLength(2);
    expect(records[1]!.response?.status).toBe(200);
    expect(logs).toHaveLength(1);
  });

  it("cuts the client's response when the target breaks mid-body, records it, and keeps serving", async () => {
    const { proxy, records, logs } = await harness((req, res) => {
      if (req.url === "/ok") return json(res, 200, { ok: 1 });
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const res = await request(`${proxy.url}/api/v1/users`, { dispatcher: agent });
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toThrow();
    await waitFor(() => records.length === 1);
    expect(records[0]!.response?.status).toBe(200);
    expect(decode(records[0]!.response?.body?.base64).toString()).toBe('{"partial":');
    expect(records[0]!.error).toBeTruthy();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^GET \/api\/v1\/users: the connection to http:\/\/127\.0\.0\.1:\d+ broke mid-response: /);
    const ok = await request(`${proxy.url}/ok`, { dispatcher: agent });
    expect(await ok.body.json()).toEqual({ ok: 1 });
  });

  it("survives a client that goes away mid-request and records it as aborted", async () => {
    let upstreamSawClose!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (upstreamSawClose = resolve));
    const { proxy, records, logs } = await harness((req, res) => {
      if (req.url === "/ok") return json(res, 200, { ok: 1 });
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      res.on("close", () => upstreamSawClose());
    });
    const controller = new AbortController();
    const res = await request(`${proxy.url}/slow`, { dispatcher: agent, signal: controller.signal });
    expect(res.statusCode).toBe(200);
    controller.abort();
    await expect(res.body.text()).rejects.toThrow();
    await upstreamClosed; // the proxy dropped its upstream request too
    await waitFor(() => records.length === 1);
    expect(records[0]!.error).toBe("aborted");
    expect(records[0]!.response?.status).toBe(200);
    expect(logs).toEqual([]);
    const ok = await request(`${proxy.url}/ok`, { dispatcher: agent });
    expect(await ok.body.json()).toEqual({ ok: 1 });
  });
});

describe("oktalint proxy: raw clients", () => {
  /** Write `text` on a fresh connection to the proxy; resolves with the socket and what came back so far. */
  async function raw(port: number, text: string): Promise<{ socket: Socket; received: () => string }> {
    const socket = connectTcp(port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    let got = "";
    socket.on("data", (d: Buffer) => (got += d.toString("latin1")));
    socket.on("error", () => {});
    socket.write(text);
    return { socket, received: () => got };
  }

  it("records a client that dies mid-upload as aborted, without a log line, and keeps serving", async () => {
    const { upstream, proxy, records, logs } = await harness((req, res, seen) => {
      req.on("error", () => {});
      readBody(req, seen, () => json(res, 200, { ok: 1 }));
    });
    const { socket } = await raw(proxy.port, "POST /api/v1/authn HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n0123456789");
    await waitFor(() => upstream.seen.length === 1 && upstream.seen[0]!.chunks.length > 0);
    socket.destroy();
    await waitFor(() => records.length === 1);
    expect(records[0]!.error).toBe("aborted");
    expect(records[0]!.response).toBeUndefined();
    expect(records[0]!.request.body).toEqual({ size: 10, base64: Buffer.from("0123456789").toString("base64") });
    expect(logs).toEqual([]);
    const ok = await request(`${proxy.url}/ok`, { dispatcher: agent });
    expect(await ok.body.json()).toEqual({ ok: 1 });
  });

  it("answers Expect: 100-continue itself and forwards the body without the Expect header", async () => {
    const { upstream, proxy } = await harness((req, res, seen) => readBody(req, seen, () => json(res, 200, { ok: 1 })));
    const { socket, received } = await raw(proxy.port, "POST /api/v1/authn HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    await waitFor(() => received().includes("100 Continue"));
    socket.write("hello");
    await waitFor(() => received().includes('{"ok":1}'));
    socket.destroy();
    expect(received()).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    expect(Buffer.concat(upstream.seen[0]!.chunks).toString()).toBe("hello");
    expect(header(upstream.seen[0]!.rawHeaders, "expect")).toBeUndefined();
  });
});

describe("oktalint proxy: in front of the Okta emulator", () => {
  let emu: OktaEmulator;
  beforeAll(async () => {
    emu = await startOktaEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  it("serves okta-sdk-nodejs: every page of a paged list goes through the proxy", async () => {
    emu.requests.length = 0;
    const records: TraceRecord[] = [];
    const proxy = await startProxy({ target: emu.url, port: 0, onRecord: (r) => records.push(r) });
    running.push(proxy);
    const client = new okta.Client({ orgUrl: proxy.url, token: emu.apiToken });
    const user = await client.userApi.getUser({ userId: emu.users[0]!.id });
    expect(user.profile?.login).toBe(emu.users[0]!.login);
    const logins: string[] = [];
    await (await client.userApi.listUsers({ limit: 2 })).each((u) => {
      logins.push(u.profile!.login!);
    });
    expect(logins).toEqual(emu.users.map((u) => u.login));
    // 1 getUser + 3 pages of 2, all seen by the emulator with its own Host, all recorded.
    expect(emu.requests.map((r) => r.url)).toEqual([
      `/api/v1/users/${emu.users[0]!.id}`,
      "/api/v1/users?limit=2",
      `/api/v1/users?limit=2&after=${emu.users[1]!.id}`,
      `/api/v1/users?limit=2&after=${emu.users[3]!.id}`,
    ]);
    expect(emu.requests.every((r) => r.headers.host === `127.0.0.1:${emu.port}`)).toBe(true);
    expect(records.map((r) => [r.request.url, r.response?.status])).toEqual(emu.requests.map((r) => [emu.url + r.url, 200]));
    // Okta's own Link header is recorded as Okta sent it.
    const link = records[1]!.response!.headers.find(([n]) => n.toLowerCase() === "link")![1];
    expect(link).toContain(`<${emu.url}/api/v1/users?limit=2&after=`);
  });

  it("records Okta's 401 E0000011 for a revoked token", async () => {
    emu.setMode({ tokenRevoked: true });
    const records: TraceRecord[] = [];
    const proxy = await startProxy({ target: emu.url, port: 0, onRecord: (r) => records.push(r) });
    running.push(proxy);
    try {
      const res = await request(`${proxy.url}/api/v1/users/me`, { dispatcher: agent, headers: { authorization: `SSWS ${emu.apiToken}`, accept: "application/json" } });
      expect(res.statusCode).toBe(401);
      const body = (await res.body.json()) as { errorCode: string };
      expect(body.errorCode).toBe("E0000011");
      expect(records[0]!.response?.status).toBe(401);
      expect(records[0]!.request.headers).toContainEqual(["authorization", `SSWS ${emu.apiToken}`]);
      expect(JSON.parse(decode(records[0]!.response!.body!.base64).toString())).toMatchObject({ errorCode: "E0000011", errorSummary: "Invalid token provided" });
      expect(records[0]!.response!.headers.some(([n]) => n === "x-okta-request-id")).toBe(true);
    } finally {
      emu.setMode({ tokenRevoked: false });
    }
  });
});

describe("header rewriting helpers", () => {
  it("drops a cookie Domain naming the target or a parent of it, and nothing else", () => {
    expect(rewriteSetCookie("DT=abc; Domain=.okta.com; Path=/; Secure; HttpOnly; SameSite=None", "dev-1.okta.com")).toBe(
      "DT=abc; Path=/; Secure; HttpOnly; SameSite=None",
    );
    expect(rewriteSetCookie("sid=1; path=/; domain=DEV-1.okta.com", "dev-1.okta.com")).toBe("sid=1; path=/");
    expect(rewriteSetCookie("a=1; Domain=example.com; Path=/", "dev-1.okta.com")).toBe("a=1; Domain=example.com; Path=/");
    expect(rewriteSetCookie("a=1; Domain=v-1.okta.com", "dev-1.okta.com")).toBe("a=1; Domain=v-1.okta.com");
    expect(rewriteSetCookie("a=1; Path=/", "dev-1.okta.com")).toBe("a=1; Path=/");
  });

  it("swaps only a whole leading origin, and every <origin> in a Link header", () => {
    const okta = "https://dev-1.okta.com";
    const p = "http://127.0.0.1:8787";
    expect(swapOrigin(`${okta}/x?fromURI=${okta}/app`, okta, p)).toBe(`${p}/x?fromURI=${okta}/app`);
    expect(swapOrigin(okta, okta, p)).toBe(p);
    expect(swapOrigin(`${okta}?a=1`, okta, p)).toBe(`${p}?a=1`);
    expect(swapOrigin(`${okta}.evil.example/x`, okta, p)).toBe(`${okta}.evil.example/x`);
    expect(swapOrigin(`${okta}:8443/x`, okta, p)).toBe(`${okta}:8443/x`);
    expect(swapOrigin(`/relative`, okta, p)).toBe("/relative");
    expect(swapLinkOrigins(`<${okta}/a>; rel="next", <${okta}.evil.example/b>; rel="x", <${okta}/c?u=${okta}/d>; rel="self"`, okta, p)).toBe(
      `<${p}/a>; rel="next", <${okta}.evil.example/b>; rel="x", <${p}/c?u=${okta}/d>; rel="self"`,
    );
  });
});

describe("checkTarget", () => {
  it("returns null for a reachable target and a one-line reason otherwise", async () => {
    const upstream = await startUpstream((_req, res) => json(res, 200, {}));
    running.push(upstream);
    expect(await checkTarget(upstream.url)).toBeNull();
    expect(await checkTarget(`http://127.0.0.1:${await freePort()}`)).toBe("connection refused");
    // TLS to a plain HTTP server: the handshake fails.
    expect(await checkTarget(`https://127.0.0.1:${upstream.port}`)).toMatch(/^TLS handshake failed: /);
    expect(await checkTarget("ftp://x.example")).toBe("not an http or https URL (ftp:)");
  });

  it("gives up after the timeout when the handshake never completes", async () => {
    const silent = createNetServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    const port = (silent.address() as AddressInfo).port;
    try {
      expect(await checkTarget(`https://127.0.0.1:${port}`, 200)).toBe("no answer within 200 ms");
    } finally {
      silent.close();
    }
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}
