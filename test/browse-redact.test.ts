/**
 * The --har file of a live session (browse above all) masks the authorization
 * code of an /authorize answer that is an HTML page: okta_post_message (what
 * okta-auth-js's silent renew and embedded sign-in read in a hidden iframe) and
 * form_post. The narrow case only: `code` elsewhere in a page is not a secret.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HarWriter } from "../src/live/har-writer.js";
import { checkFile } from "../src/redact/index.js";

const CODE = "Gd6ZuhDq0S9mJ1ZQMq6R8xYkL2pTn4Wv";
const STATE = "3nHgMgHgyJkJ4qyQ8Bz4M";

function page(html: string, url = "http://127.0.0.1:9000/oauth2/default/v1/authorize?client_id=0oa1&response_mode=okta_post_message&prompt=none") {
  return {
    startedDateTime: "2026-12-07T12:00:00.000Z",
    time: 10,
    request: { method: "GET", url, httpVersion: "HTTP/1.1", cookies: [], headers: [], queryString: [], headersSize: -1, bodySize: 0 },
    response: { status: 200, statusText: "OK", httpVersion: "HTTP/1.1", cookies: [], headers: [{ name: "Content-Type", value: "text/html;charset=utf-8" }], content: { size: html.length, mimeType: "text/html", text: html }, redirectURL: "", headersSize: -1, bodySize: html.length },
    cache: {},
    timings: { send: 0, wait: 10, receive: 0 },
    _oktalint: { source: "browse", sender: "browser" },
  };
}

function written(entries: object[], raw = false): string {
  const path = join(mkdtempSync(join(tmpdir(), "oktalint-har-")), "s.har");
  const w = new HarWriter({ path, raw, creator: { name: "oktalint browse", version: "0" } });
  for (const e of entries) w.write(e);
  w.close();
  return path;
}

describe("--har masks the authorization code of an /authorize page", () => {
  const postMessage = `<!DOCTYPE html><html><head><script type="text/javascript">
      var data = {
        code: '${CODE}',
        state: '${STATE}'
      };
      window.parent.postMessage(data, 'http:\\x2F\\x2Flocalhost\\x3A5173');
    </script></head><body></body></html>`;
  const quoted = `<script>var data = {"code": "${CODE}", "state": "${STATE}"}; window.parent.postMessage(data, "http://localhost:5173");</script>`;
  const formPost = `<html><body onload="document.forms[0].submit()"><form method="post" action="http://localhost:5173/callback"><input type="hidden" name="code" value="${CODE}"/><input type="hidden" name="state" value="${STATE}"/></form></body></html>`;
  const formPostValueFirst = `<form method="post" action="http://localhost:5173/callback"><input value="${CODE}" type="hidden" name="code"><input type="hidden" name="state" value="${STATE}"></form>`;

  it("okta_post_message and form_post pages, however written: the code and the state are masked (as in URLs), the page kept", async () => {
    const path = written([page(postMessage), page(quoted), page(formPost, "http://127.0.0.1:9000/oauth2/v1/authorize?response_mode=form_post"), page(formPostValueFirst)]);
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain(CODE);
    expect(text).not.toContain(STATE);
    const bodies = (JSON.parse(text) as { log: { entries: { response: { content: { text: string } } }[] } }).log.entries.map((e) => e.response.content.text);
    expect(bodies[0]).toMatch(/code: '[^']*oktalint-redacted[^']*',\n\s+state: '[^']*oktalint-redacted[^']*'\n/);
    expect(bodies[1]).toMatch(/"code": "[^"]*oktalint-redacted[^"]*", "state"/);
    expect(bodies[2]).toMatch(/<input type="hidden" name="code" value="[^"]*oktalint-redacted[^"]*"\/><input type="hidden" name="state" value="[^"]*oktalint-redacted[^"]*"\/>/);
    expect(bodies[3]).toMatch(/<input value="[^"]*oktalint-redacted[^"]*" type="hidden" name="code">/);
    expect((await checkFile(path)).findings).toEqual([]);
  });

  it("the word code elsewhere in a page is left alone, and --raw keeps the code", () => {
    const other = `<p>Enter the code: <input name="otpcode" value="123"></p><script>var opts = { code: 'plain-value' };</script>`;
    const text = readFileSync(written([page(other)]), "utf8");
    expect(text).toContain("plain-value");
    expect(text).toContain('value=\\"123\\"');
    expect(readFileSync(written([page(postMessage)], true), "utf8")).toContain(CODE);
  });
});
