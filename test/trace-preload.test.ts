/**
 * The `oktalint trace` recording half: real Node scripts run with the
 * compiled preload (npm test builds first) against loopback servers, their
 * records read back through openTraceChannel(), and the same scripts run
 * without tracing to show that the app sees exactly the same thing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { FrameDecoder, PIPE_BUF, encodeFrames, openTraceChannel, preloadPath, traceEnv } from "../src/trace/channel.js";
import type { LiveRecord, ProcessRecord, TraceRecord } from "../src/live/record.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const UNDICI = JSON.stringify(pathToFileURL(join(ROOT, "node_modules/undici/index.js")).href);
const GZIPPED = gzipSync(JSON.stringify({ hello: "wörld" }));
const BIG = Buffer.alloc(5000, "abcdefghij");

let dir = "";
let server: http.Server | undefined;
let base: string;
let tls: { server: https.Server; base: string; ca: string } | undefined;
/** Resolves the /stream response that is waiting for the test. */
let releaseStream: () => void = () => undefined;

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const parts: Buffer[] = [];
  req.on("data", (chunk: Buffer) => parts.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(parts).toString("utf8");
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/gzip") {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": GZIPPED.length });
      res.end(GZIPPED);
    } else if (path === "/echo") {
      res.writeHead(201, "Made", { "content-type": "application/json", "x-echo": "1" });
      res.end(JSON.stringify({ method: req.method, body, type: req.headers["content-type"] ?? null }));
    } else if (path === "/stream") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first-chunk\n");
      releaseStream = () => res.end("second-chunk\n");
    } else if (path === "/big") {
      res.end(BIG);
    } else {
      res.end(`plain ${req.method} ${path}`);
    }
  });
}

async function listen<T extends http.Server>(srv: T): Promise<string> {
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

/** A self-signed certificate for 127.0.0.1, when openssl is at hand. */
function selfSigned(): { key: string; cert: string } | undefined {
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
    return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  if (!existsSync(preloadPath())) throw new Error(`run npm run build first: ${preloadPath()} is missing`);
  dir = mkdtempSync(join(tmpdir(), "oktalint-trace-test-"));
  server = http.createServer(handle);
  base = `http://${await listen(server)}`;
  const pair = selfSigned();
  if (pair) {
    const tlsServer = https.createServer(pair, handle);
    tls = { server: tlsServer, base: `https://${await listen(tlsServer)}`, ca: join(dir, "cert.pem") };
  }
});

afterAll(async () => {
  releaseStream();
  for (const srv of [server, tls?.server]) {
    if (!srv) continue;
    srv.closeAllConnections();
    await new Promise((resolve) => srv.close(resolve));
  }
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  pid: number;
  stdout: string;
  stderr: string;
  records: LiveRecord[];
}

let scripts = 0;
function script(source: string, name = `app-${++scripts}.mjs`): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

/** Runs `node file ...args`, traced unless `plain`; `onStdout` sees the output as it comes. */
async function run(file: string, args: string[], options: { plain?: boolean; env?: NodeJS.ProcessEnv; bodyLimit?: number; onStdout?: (text: string) => void } = {}): Promise<Run> {
  const channel = await openTraceChannel();
  const records: LiveRecord[] = [];
  const reading = (async () => {
    for await (const record of channel.records) records.push(record);
  })();
  const env = { ...process.env, ...options.env };
  const limit = options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit };
  const child = spawn(process.execPath, [file, ...args], { cwd: dir, env: options.plain ? env : traceEnv(env, channel.path, limit) });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
    options.onStdout?.(stdout);
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  await channel.close();
  await reading;
  return { code, pid: child.pid ?? -1, stdout, stderr, records };
}

function exchanges(r: Run): TraceRecord[] {
  return r.records.filter((record): record is TraceRecord => record.kind === "exchange");
}
function processes(r: Run): ProcessRecord[] {
  return r.records.filter((record): record is ProcessRecord => record.kind === "process");
}
function header(headers: [string, string][], name: string): string | undefined {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1];
}
function bytes(body: { base64: string } | undefined): Buffer {
  return Buffer.from(body?.base64 ?? "", "base64");
}
function expectTimings(record: TraceRecord): void {
  expect(Number.isNaN(Date.parse(record.startedDateTime))).toBe(false);
  expect(record.time).toBeGreaterThanOrEqual(0);
  for (const value of Object.values(record.timings)) expect(value).toBeGreaterThanOrEqual(0);
}

describe("trace preload: fetch and undici", () => {
  it("records a global fetch GET with the gzip bytes as they went over the wire", async () => {
    const app = script(`const r = await fetch(process.argv[2] + "/gzip?x=1");\nconsole.log(r.status, r.headers.get("content-encoding"), await r.text());\n`);
    const r = await run(app, [base]);
    expect(r.stdout).toBe('200 gzip {"hello":"wörld"}\n');
    const [record, ...rest] = exchanges(r);
    expect(rest).toHaveLength(0);
    expect(record).toMatchObject({ v: 1, kind: "exchange", client: "fetch", pid: r.pid, serverIPAddress: "127.0.0.1" });
    expect(record!.request).toMatchObject({ method: "GET", url: `${base}/gzip?x=1`, httpVersion: "HTTP/1.1" });
    expect(record!.request.headers.slice(0, 2)).toEqual([["host", base.slice(7)], ["connection", "keep-alive"]]);
    expect(header(record!.request.headers, "accept-encoding")).toBe("gzip, deflate");
    expect(record!.request.body).toBeUndefined();
    expect(record!.response).toMatchObject({ status: 200, statusText: "OK", httpVersion: "HTTP/1.1" });
    expect(header(record!.response!.headers, "content-encoding")).toBe("gzip");
    expect(record!.response!.body).toEqual({ size: GZIPPED.length, base64: GZIPPED.toString("base64") });
    expect(JSON.parse(gunzipSync(bytes(record!.response!.body)).toString("utf8"))).toEqual({ hello: "wörld" });
    expect(record!.error).toBeUndefined();
    expectTimings(record!);
    expect(processes(r)).toEqual([
      { v: 1, kind: "process", pid: r.pid, ppid: process.pid, event: "start", argv: [process.execPath, app, base] },
      { v: 1, kind: "process", pid: r.pid, ppid: process.pid, event: "exit", code: 0 },
    ]);
  });

  it("records a fetch POST with its JSON body and the content-length undici wrote", async () => {
    const app = script(`const r = await fetch(process.argv[2] + "/echo", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: "ann", n: 1 }) });\nconsole.log(r.status, r.statusText, await r.text());\n`);
    const r = await run(app, [base]);
    const sent = JSON.stringify({ user: "ann", n: 1 });
    expect(r.stdout).toBe(`201 Made ${JSON.stringify({ method: "POST", body: sent, type: "application/json" })}\n`);
    const [record] = exchanges(r);
    expect(record!.client).toBe("fetch");
    expect(record!.request.method).toBe("POST");
    expect(header(record!.request.headers, "content-type")).toBe("application/json");
    expect(record!.request.headers.at(-1)).toEqual(["content-length", String(sent.length)]);
    expect(record!.request.body).toEqual({ size: sent.length, base64: Buffer.from(sent).toString("base64") });
    expect(record!.response).toMatchObject({ status: 201, statusText: "Made" });
    expect(header(record!.response!.headers, "x-echo")).toBe("1");
    expect(bytes(record!.response!.body).toString("utf8")).toBe(JSON.stringify({ method: "POST", body: sent, type: "application/json" }));
  });

  it("records undici.request used directly as client undici", async () => {
    const app = script(`import { request } from ${UNDICI};\nconst r = await request(process.argv[2] + "/echo", { method: "PUT", body: "plain text", headers: { "x-one": "1" } });\nconsole.log(r.statusCode, await r.body.text());\n`);
    const r = await run(app, [base]);
    expect(r.stdout).toBe(`201 ${JSON.stringify({ method: "PUT", body: "plain text", type: null })}\n`);
    const [record] = exchanges(r);
    expect(record!.client).toBe("undici");
    expect(record!.request.headers).toEqual([["host", base.slice(7)], ["connection", "keep-alive"], ["x-one", "1"], ["content-length", "10"]]);
    expect(bytes(record!.request.body).toString()).toBe("plain text");
    expect(record!.response!.status).toBe(201);
    expectTimings(record!);
  });

  it("keeps an app's own global dispatcher working and still records through it", async () => {
    const app = script(
      [
        `import { Agent, setGlobalDispatcher, request } from ${UNDICI};`,
        `const url = process.argv[2];`,
        `console.log("before", await (await fetch(url + "/a")).text());`,
        `let seen = 0;`,
        `setGlobalDispatcher(new Agent().compose((dispatch) => (opts, handler) => { seen++; return dispatch(opts, handler); }));`,
        `console.log("after", await (await fetch(url + "/b")).text());`,
        `console.log("undici", await (await request(url + "/c")).body.text());`,
        `console.log("seen", seen);`,
      ].join("\n"),
    );
    const plain = await run(app, [base], { plain: true });
    const traced = await run(app, [base]);
    expect(plain.stdout).toBe("before plain GET /a\nafter plain GET /b\nundici plain GET /c\nseen 2\n");
    expect(traced.stdout).toBe(plain.stdout);
    expect(exchanges(traced).map((e) => [e.client, e.request.url, bytes(e.response?.body).toString()])).toEqual([
      ["fetch", `${base}/a`, "plain GET /a"],
      ["fetch", `${base}/b`, "plain GET /b"],
      ["undici", `${base}/c`, "plain GET /c"],
    ]);
  });

  it("records a connection refused with the error and no response, and the app sees the same errors", async () => {
    const closed = http.createServer();
    const port = (await listen(closed)).split(":")[1];
    await new Promise((resolve) => closed.close(resolve));
    const app = script(
      [
        `import http from "node:http";`,
        `import { request } from ${UNDICI};`,
        `const url = process.argv[2];`,
        `try { await fetch(url + "/f"); } catch (e) { console.log("fetch", e.name, e.message, e.cause?.code, e.cause?.message); }`,
        `try { await request(url + "/u"); } catch (e) { console.log("undici", e.name, e.code, e.message); }`,
        `http.get(url + "/h", () => console.log("no")).on("error", (e) => console.log("http", e.name, e.code, e.message));`,
      ].join("\n"),
    );
    const url = `http://127.0.0.1:${port}`;
    const plain = await run(app, [url], { plain: true });
    const traced = await run(app, [url]);
    const refused = `connect ECONNREFUSED 127.0.0.1:${port}`;
    expect(plain.stdout).toBe(`fetch TypeError fetch failed ECONNREFUSED ${refused}\nundici Error ECONNREFUSED ${refused}\nhttp Error ECONNREFUSED ${refused}\n`);
    expect(traced.stdout).toBe(plain.stdout);
    expect(traced.code).toBe(plain.code);
    const records = exchanges(traced);
    expect(records.map((e) => [e.client, e.request.method, e.request.url, e.error, e.response])).toEqual([
      ["fetch", "GET", `${url}/f`, refused, undefined],
      ["undici", "GET", `${url}/u`, refused, undefined],
      ["http", "GET", `${url}/h`, refused, undefined],
    ]);
    for (const record of records) expect(record.timings.wait).toBe(-1);
    expect(header(records[2]!.request.headers, "host")).toBe(`127.0.0.1:${port}`);
  });
});

describe("trace preload: node:http and node:https", () => {
  it("records a ClientRequest whose body is written in two chunks, one a latin1 string", async () => {
    const app = script(
      [
        `import http from "node:http";`,
        `const req = http.request(process.argv[2] + "/echo?q=2", { method: "POST", headers: { "Content-Type": "text/plain; charset=latin1" } }, (res) => {`,
        `  let text = ""; res.setEncoding("utf8"); res.on("data", (c) => (text += c)); res.on("end", () => console.log(res.statusCode, text));`,
        `});`,
        `req.write(Buffer.from("part-one;"));`,
        `req.end("caf\\u00e9", "latin1");`,
      ].join("\n"),
    );
    const r = await run(app, [base]);
    const sent = Buffer.concat([Buffer.from("part-one;"), Buffer.from("caf\u00e9", "latin1")]);
    expect(r.stdout).toBe(`201 ${JSON.stringify({ method: "POST", body: sent.toString("utf8"), type: "text/plain; charset=latin1" })}\n`);
    const [record] = exchanges(r);
    expect(record!.client).toBe("http");
    expect(record!.request).toMatchObject({ method: "POST", url: `${base}/echo?q=2`, httpVersion: "HTTP/1.1" });
    expect(record!.request.headers).toEqual([["Content-Type", "text/plain; charset=latin1"], ["Host", base.slice(7)], ["Connection", "keep-alive"], ["Transfer-Encoding", "chunked"]]);
    expect(record!.request.body).toEqual({ size: 13, base64: sent.toString("base64") });
    expect(record!.response).toMatchObject({ status: 201, statusText: "Made", httpVersion: "HTTP/1.1" });
    expect(header(record!.response!.headers, "x-echo")).toBe("1");
    expect(bytes(record!.response!.body).toString("utf8")).toBe(JSON.stringify({ method: "POST", body: sent.toString("utf8"), type: "text/plain; charset=latin1" }));
    expect(record!.serverIPAddress).toBe("127.0.0.1");
    expectTimings(record!);
  });

  it("records responses the app never reads without changing what Node does with them", async () => {
    const app = script(
      [
        `import http from "node:http";`,
        `const url = process.argv[2];`,
        `const r = await fetch(url + "/unread-fetch");`,
        `console.log("fetch", r.status);`,
        `const req = http.get(url + "/unread-http");`,
        `req.on("close", () => console.log("closed", req.res?.statusCode, req.res?.readableFlowing));`,
      ].join("\n"),
    );
    const plain = await run(app, [base], { plain: true });
    const traced = await run(app, [base]);
    expect(plain.stdout).toBe("fetch 200\nclosed 200 true\n");
    expect(traced.stdout).toBe(plain.stdout);
    const [fetched, dumped] = exchanges(traced).sort((a, b) => a.request.url.localeCompare(b.request.url));
    expect(fetched).toMatchObject({ client: "fetch", request: { url: `${base}/unread-fetch` }, response: { status: 200 } });
    expect(bytes(fetched!.response!.body).toString()).toBe("plain GET /unread-fetch");
    // Node dumps a response nobody listens for without pushing its body: there is no body to record.
    expect(dumped).toMatchObject({ client: "http", request: { url: `${base}/unread-http` }, response: { status: 200 } });
    expect(dumped!.response!.body).toBeUndefined();
    expect(dumped!.error).toBeUndefined();
  });

  it("passes streaming bodies through without buffering them (fetch and http)", async () => {
    const app = script(
      [
        `import http from "node:http";`,
        `const url = process.argv[2];`,
        `const reader = (await fetch(url + "/stream")).body.getReader();`,
        `const decoder = new TextDecoder();`,
        `let first = await reader.read();`,
        `console.log("fetch got", JSON.stringify(decoder.decode(first.value)));`,
        `let rest = "";`,
        `for (let c = await reader.read(); !c.done; c = await reader.read()) rest += decoder.decode(c.value);`,
        `console.log("fetch rest", JSON.stringify(rest));`,
        `http.get(url + "/stream", (res) => {`,
        `  let n = 0;`,
        `  res.on("data", (c) => console.log("http got", n++, JSON.stringify(String(c))));`,
        `  res.on("end", () => console.log("http end"));`,
        `});`,
      ].join("\n"),
    );
    let released = 0;
    const r = await run(app, [base], {
      onStdout: (text) => {
        // Let the server finish only once the app has shown it already got the first chunk.
        const firsts = (text.match(/fetch got|http got 0/g) ?? []).length;
        while (released < firsts) {
          released++;
          releaseStream();
        }
      },
    });
    expect(r.stdout).toBe('fetch got "first-chunk\\n"\nfetch rest "second-chunk\\n"\nhttp got 0 "first-chunk\\n"\nhttp got 1 "second-chunk\\n"\nhttp end\n');
    expect(released).toBe(2);
    const records = exchanges(r);
    expect(records.map((e) => [e.client, e.response?.status, bytes(e.response?.body).toString(), e.error])).toEqual([
      ["fetch", 200, "first-chunk\nsecond-chunk\n", undefined],
      ["http", 200, "first-chunk\nsecond-chunk\n", undefined],
    ]);
    expect(header(records[1]!.response!.headers, "transfer-encoding")).toBe("chunked");
  });

  it("records https exchanges (node:https and fetch) with https URLs", async (context) => {
    if (!tls) context.skip();
    const app = script(
      [
        `import https from "node:https";`,
        `const url = process.argv[2];`,
        `console.log("fetch", await (await fetch(url + "/tls-fetch")).text());`,
        `https.get(url + "/tls-http", (res) => { let t = ""; res.on("data", (c) => (t += c)); res.on("end", () => console.log("https", t)); });`,
      ].join("\n"),
    );
    const r = await run(app, [tls!.base], { env: { NODE_EXTRA_CA_CERTS: tls!.ca } });
    expect(r.stdout).toBe("fetch plain GET /tls-fetch\nhttps plain GET /tls-http\n");
    expect(exchanges(r).map((e) => [e.client, e.request.url, header(e.request.headers, "host"), bytes(e.response?.body).toString()])).toEqual([
      ["fetch", `${tls!.base}/tls-fetch`, tls!.base.slice(8), "plain GET /tls-fetch"],
      ["http", `${tls!.base}/tls-http`, tls!.base.slice(8), "plain GET /tls-http"],
    ]);
  });
});

describe("trace preload: processes, exits and limits", () => {
  it("traces child processes, each with its own pid and start/exit records", async () => {
    const child = script(`const r = await fetch(process.argv[2] + "/from-child");\nconsole.log("child", await r.text());\n`, "child.mjs");
    const app = script(
      [
        `import { spawnSync } from "node:child_process";`,
        `const out = spawnSync(process.execPath, [${JSON.stringify(child)}, process.argv[2]], { encoding: "utf8" });`,
        `process.stdout.write(out.stdout);`,
        `console.log("parent", await (await fetch(process.argv[2] + "/from-parent")).text());`,
      ].join("\n"),
    );
    const r = await run(app, [base]);
    expect(r.stdout).toBe("child plain GET /from-child\nparent plain GET /from-parent\n");
    const childStart = processes(r).find((p) => p.event === "start" && p.pid !== r.pid);
    expect(childStart).toMatchObject({ ppid: r.pid, argv: [process.execPath, child, base] });
    const childPid = childStart!.pid;
    expect(exchanges(r).map((e) => [e.pid, e.request.url])).toEqual([
      [childPid, `${base}/from-child`],
      [r.pid, `${base}/from-parent`],
    ]);
    expect(processes(r).map((p) => [p.pid, p.event, p.code])).toEqual([
      [r.pid, "start", undefined],
      [childPid, "start", undefined],
      [childPid, "exit", 0],
      [r.pid, "exit", 0],
    ]);
  });

  it("loses nothing when the app calls process.exit() right after a request", async () => {
    const viaFetch = script(`const r = await fetch(process.argv[2] + "/exit-fetch");\nawait r.text();\nprocess.exit(3);\n`);
    const viaHttp = script(`import http from "node:http";\nhttp.get(process.argv[2] + "/exit-http", (res) => { res.resume(); res.on("end", () => process.exit(4)); });\n`);
    const a = await run(viaFetch, [base]);
    const b = await run(viaHttp, [base]);
    expect([a.code, b.code]).toEqual([3, 4]);
    expect(exchanges(a).map((e) => [e.request.url, bytes(e.response?.body).toString(), e.error])).toEqual([[`${base}/exit-fetch`, "plain GET /exit-fetch", undefined]]);
    expect(exchanges(b).map((e) => [e.request.url, bytes(e.response?.body).toString(), e.error])).toEqual([[`${base}/exit-http`, "plain GET /exit-http", undefined]]);
    expect(processes(a).at(-1)).toMatchObject({ event: "exit", code: 3 });
    expect(processes(b).at(-1)).toMatchObject({ event: "exit", code: 4 });
  });

  it("flushes an exchange still in flight at exit with what is known", async () => {
    const app = script(`const r = await fetch(process.argv[2] + "/stream");\nconst first = await r.body.getReader().read();\nconsole.log(first.value.length);\nprocess.exit(0);\n`);
    const r = await run(app, [base]);
    releaseStream();
    expect(r.stdout).toBe("12\n");
    const [record] = exchanges(r);
    expect(record).toMatchObject({ client: "fetch", error: "process exited before the exchange completed", response: { status: 200 } });
    expect(bytes(record!.response!.body).toString()).toBe("first-chunk\n");
 
    const upload = script(`import http from "node:http";\nconst req = http.request(process.argv[2] + "/upload", { method: "POST" });\nreq.write("partial ");\nreq.on("finish", () => console.log("never"));\nsetTimeout(() => process.exit(5), 200);\n`);
    const u = await run(upload, [base]);
    expect(u.code).toBe(5);
    expect(exchanges(u)).toMatchObject([
      {
        client: "http",
        request: { method: "POST", url: `${base}/upload`, headers: [["Host", base.slice(7)], ["Connection", "keep-alive"], ["Transfer-Encoding", "chunked"]], body: { size: 8, base64: Buffer.from("partial ").toString("base64") } },
        error: "process exited before the exchange completed",
        timings: { send: -1, wait: -1, receive: -1 },
      },
    ]);
    expect(exchanges(u)[0]!.response).toBeUndefined();
  });

  it("keeps the first OKTALINT_TRACE_BODY_LIMIT bytes and counts the rest", async () => {
    const app = script(`const r = await fetch(process.argv[2] + "/big");\nconsole.log((await r.arrayBuffer()).byteLength);\n`);
    const r = await run(app, [base], { bodyLimit: 1000 });
    expect(r.stdout).toBe("5000\n");
    const [record] = exchanges(r);
    expect(record!.response!.body).toEqual({ size: 5000, base64: BIG.subarray(0, 1000).toString("base64"), truncated: true });
  });

  it("leaves the app's stdout and exit code exactly as without tracing", async () => {
    const app = script(
      [
        `import http from "node:http";`,
        `import { request } from ${UNDICI};`,
        `const url = process.argv[2];`,
        `const g = await fetch(url + "/gzip");`,
        `console.log(g.status, [...g.headers.keys()].join(","), await g.text());`,
        `const p = await fetch(url + "/echo", { method: "POST", body: new URLSearchParams({ a: "1" }) });`,
        `console.log(p.status, p.statusText, await p.text());`,
        `const u = await request(url + "/echo", { method: "POST", body: Buffer.from("xyz") });`,
        `console.log(u.statusCode, Object.keys(u.headers).join(","), await u.body.text());`,
        `await new Promise((done) => {`,
        `  const req = http.request(url + "/echo", { method: "PATCH" }, (res) => {`,
        `    const parts = []; res.on("data", (c) => parts.push(c)); res.on("end", () => { console.log(res.statusCode, res.rawHeaders.filter((_, i) => i % 2 === 0).join(","), Buffer.concat(parts).toString()); done(); });`,
        `  });`,
        `  req.write("one "); req.end("two");`,
        `});`,
        `process.exitCode = 7;`,
      ].join("\n"),
    );
    const plain = await run(app, [base], { plain: true });
    const traced = await run(app, [base]);
    expect(plain.stderr).toBe("");
    expect(traced.stderr).toBe("");
    expect(traced.stdout).toBe(plain.stdout);
    expect(plain.stdout.split("\n")).toHaveLength(5);
    expect([plain.code, traced.code]).toEqual([7, 7]);
    expect(plain.records).toEqual([]);
    expect(exchanges(traced).map((e) => [e.client, e.request.method, e.response?.status])).toEqual([
      ["fetch", "GET", 200],
      ["fetch", "POST", 201],
      ["undici", "POST", 201],
      ["http", "PATCH", 201],
    ]);
    expect(processes(traced).at(-1)).toMatchObject({ event: "exit", code: 7 });
  });

  it("does nothing without OKTALINT_TRACE_FIFO, and never blocks when nobody reads the FIFO", async () => {
    const probe = script(`console.log(typeof globalThis[Symbol.for("undici.globalDispatcher.1")], await (await fetch(process.argv[2] + "/quiet")).text());\n`);
    const preload = ["--require", preloadPath()];
    const off = execFileSync(process.execPath, [...preload, "-e", `console.log(Object.getOwnPropertySymbols(globalThis).map(String).join())`], { encoding: "utf8", env: { ...process.env, OKTALINT_TRACE_FIFO: "" } });
    expect(off).not.toContain("oktalint");
    expect(off).not.toContain("undici.globalDispatcher");
    const orphan = join(dir, "orphan.fifo");
    execFileSync("mkfifo", [orphan]);
    const r = await run(probe, [base], { plain: true, env: { NODE_OPTIONS: `--require ${preloadPath()}`, OKTALINT_TRACE_FIFO: orphan } });
    expect(r.stdout).toBe("object plain GET /quiet\n");
    expect(r.code).toBe(0);
  });
});

describe("traceEnv", () => {
  it("appends a quoted --require to existing NODE_OPTIONS and sets the FIFO", () => {
    const env = traceEnv({ PATH: "/bin", NODE_OPTIONS: "--max-old-space-size=100 " }, "/tmp/x/trace.fifo", { bodyLimit: 10 });
    expect(env).toEqual({
      PATH: "/bin",
      NODE_OPTIONS: `--max-old-space-size=100 --require "${preloadPath()}"`,
      OKTALINT_TRACE_FIFO: "/tmp/x/trace.fifo",
      OKTALINT_TRACE_BODY_LIMIT: "10",
    });
    expect(traceEnv({}, "/f").NODE_OPTIONS).toBe(`--require "${preloadPath()}"`);
    expect(preloadPath()).toBe(join(ROOT, "dist/src/trace/preload.cjs"));
  });
});

describe("FrameDecoder", () => {
  /** A record whose second frame starts inside a three-byte UTF-8 character. */
  function splitRecord(key: string, pid: number): { record: TraceRecord; frames: Buffer[] } {
    for (let pad = 0; pad < 3; pad++) {
      const record: TraceRecord = {
        v: 1,
        kind: "exchange",
        client: "http",
        pid,
        startedDateTime: "2024-01-01T00:00:00.000Z",
        time: 1,
        timings: { send: 0, wait: 1, receive: 0 },
        request: { method: "GET", url: `http://x/${"p".repeat(pad)}`, httpVersion: "HTTP/1.1", headers: [["x-text", "€".repeat(3000)]] },
      };
      const frames = encodeFrames(key, record);
      const second = frames[1]!;
      const payloadStart = second.indexOf(0x20, key.length + 1) + 1;
      if ((second[payloadStart]! & 0xc0) === 0x80) return { record, frames };
    }
    throw new Error("no padding splits a character");
  }

  it("reassembles interleaved frames from two writers, a character split across frames, and skips garbage", () => {
    const a = splitRecord("100.0", 100);
    const b = splitRecord("200.3", 200);
    expect(a.frames.length).toBeGreaterThanOrEqual(3);
    for (const frame of [...a.frames, ...b.frames]) expect(frame.length).toBeLessThanOrEqual(PIPE_BUF);
    const stream: Buffer[] = [Buffer.from("garbage without a key\n")];
    for (let i = 0; i < Math.max(a.frames.length, b.frames.length); i++) {
      if (a.frames[i]) stream.push(a.frames[i]!);
      if (b.frames[i]) stream.push(b.frames[i]!);
      if (i === 0) stream.push(Buffer.from("12.0 1\n300.0 2 x\n"), Buffer.from(`9.9 0 {"not":"a record"}\n`));
    }
    stream.push(Buffer.from("x".repeat(PIPE_BUF * 2)), Buffer.from("\n"));
    const process: ProcessRecord = { v: 1, kind: "process", pid: 5, ppid: 1, event: "exit", code: 0 };
    stream.push(...encodeFrames("5.0", process));
    const all = Buffer.concat(stream);

    const decoder = new FrameDecoder();
    const out: LiveRecord[] = [];
    // Odd-sized chunks, as a pipe may deliver them.
    for (let offset = 0; offset < all.length; offset += 977) out.push(...decoder.push(all.subarray(offset, offset + 977)));
    expect(out).toEqual([a.record, b.record, process]);
    expect(decoder.unfinished).toEqual([]);
  });
});
