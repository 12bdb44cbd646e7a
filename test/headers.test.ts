import { describe, expect, it } from "vitest";
import { HeaderList } from "../src/model/headers.js";
import { parseCookieHeader, parseSetCookie, splitSetCookieHeader } from "../src/model/cookies.js";

describe("HeaderList", () => {
  const h = HeaderList.from([
    { name: ":authority", value: "acme.okta.com" },
    { name: ":method", value: "GET" },
    { name: "Accept", value: "application/json" },
    { name: "authorization", value: "SSWS x" },
    { name: "Set-Cookie", value: "a=1" },
    { name: "set-cookie", value: "b=2" },
  ]);

  it("folds pseudo-headers out and looks names up case-insensitively", () => {
    expect(h.size).toBe(4);
    expect(h.pseudo).toEqual({ authority: "acme.okta.com", method: "GET" });
    expect(h.get("Authorization")).toBe("SSWS x");
    expect(h.getAll("SET-COOKIE")).toEqual(["a=1", "b=2"]);
    expect(h.has("origin")).toBe(false);
  });

  it("keeps each header's position in the source (pseudo-headers counted) for JSON paths", () => {
    expect(h.indexOf("authorization")).toBe(1);
    expect(h.sourceIndexOf("authorization")).toBe(3);
    expect(h.sourceIndexOf("origin")).toBe(-1);
    const plain = HeaderList.from([{ name: "A", value: "1" }]);
    expect(plain.positions).toBeUndefined();
    expect(plain.sourceIndexOf("a")).toBe(0);
  });
});

describe("cookies", () => {
  it("parses Cookie headers", () => {
    expect(parseCookieHeader("sid=abc; idx=def;  DT=x=y")).toEqual([
      { name: "sid", value: "abc" },
      { name: "idx", value: "def" },
      { name: "DT", value: "x=y" },
    ]);
  });

  it("parses Set-Cookie with attributes", () => {
    expect(parseSetCookie("sid=102abc;Version=1;Path=/;Secure;HttpOnly;SameSite=None;Domain=.acme.okta.com;Max-Age=0")).toEqual({
      name: "sid",
      value: "102abc",
      path: "/",
      secure: true,
      httpOnly: true,
      sameSite: "None",
      domain: "acme.okta.com",
      maxAge: 0,
      other: { version: "1" },
    });
  });

  it("splits folded Set-Cookie values without breaking Expires dates", () => {
    expect(splitSetCookieHeader("a=1; Expires=Sun, 20 Nov 2028 16:09:59 GMT; Path=/, b=2")).toEqual(["a=1; Expires=Sun, 20 Nov 2028 16:09:59 GMT; Path=/", "b=2"]);
    expect(splitSetCookieHeader("a=1\nb=2")).toEqual(["a=1", "b=2"]);
  });
});
