import { describe, expect, it } from "vitest";
import { HeaderList } from "../src/model/headers.js";
import { isOktaCdnHost, looksLikeOktaResponse, normalizeHost, oktaHostInfo } from "../src/okta/hosts.js";

describe("normalizeHost", () => {
  it.each([
    ["ACME.Okta.COM", "acme.okta.com"],
    ["acme.okta.com:443", "acme.okta.com"],
    ["acme.okta.com.", "acme.okta.com"],
    ["acme.okta.com.:8443", "acme.okta.com"],
    ["https://user:pw@Acme.okta.com:8443/api/v1/users?x=1", "acme.okta.com"],
    ["[::1]:8080", "::1"],
    ["  login.example.com  ", "login.example.com"],
    ["", ""],
  ])("%s → %s", (input, out) => {
    expect(normalizeHost(input)).toBe(out);
  });
});

describe("oktaHostInfo", () => {
  it.each([
    ["acme.okta.com", { host: "acme.okta.com", org: "acme", admin: false, suffix: "okta.com", custom: false }],
    ["acme-admin.okta.com", { host: "acme-admin.okta.com", org: "acme", admin: true, suffix: "okta.com", custom: false }],
    ["dev-12345678.okta.com", { host: "dev-12345678.okta.com", org: "dev-12345678", admin: false, suffix: "okta.com", custom: false }],
    ["dev-12345678-admin.okta.com", { host: "dev-12345678-admin.okta.com", org: "dev-12345678", admin: true, suffix: "okta.com", custom: false }],
    ["trial-123.oktapreview.com", { host: "trial-123.oktapreview.com", org: "trial-123", admin: false, suffix: "oktapreview.com", custom: false }],
    ["acme-admin.oktapreview.com", { host: "acme-admin.oktapreview.com", org: "acme", admin: true, suffix: "oktapreview.com", custom: false }],
    ["acme.okta-emea.com", { host: "acme.okta-emea.com", org: "acme", admin: false, suffix: "okta-emea.com", custom: false }],
    ["agency.okta-gov.com", { host: "agency.okta-gov.com", org: "agency", admin: false, suffix: "okta-gov.com", custom: false }],
    ["army-admin.okta.mil", { host: "army-admin.okta.mil", org: "army", admin: true, suffix: "okta.mil", custom: false }],
  ])("%s", (host, expected) => {
    expect(oktaHostInfo(host)).toEqual(expected);
  });

  it("ignores case, a port and a trailing dot", () => {
    const expected = { host: "acme.okta.com", org: "acme", admin: false, suffix: "okta.com", custom: false };
    expect(oktaHostInfo("ACME.OKTA.COM")).toEqual(expected);
    expect(oktaHostInfo("acme.okta.com:443")).toEqual(expected);
    expect(oktaHostInfo("Acme.Okta.Com.")).toEqual(expected);
    expect(oktaHostInfo("acme.okta.com.:8443")).toEqual(expected);
    expect(oktaHostInfo("https://acme.okta.com/oauth2/v1/token")).toEqual(expected);
  });

  it.each([
    // bare suffixes
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
    "okta.mil",
    // Okta's own sites, not orgs
    "www.okta.com",
    "developer.okta.com",
    "support.okta.com",
    "help.okta.com",
    "login.okta.com",
    "status.okta.com",
    "devforum.okta.com",
    "www-admin.okta.com",
    // deeper names and invalid labels
    "a.b.okta.com",
    "acme.kerberos.okta.com",
    "-admin.okta.com",
    "-acme.okta.com",
    "acme-.okta.com",
    "ac_me.okta.com",
    // look-alikes
    "okta.com.evil.io",
    "acme.okta.com.evil.io",
    "notokta.com",
    "acme.notokta.com",
    "acmeokta.com",
    "acme.okta.co",
    "acme.oktapreview.co",
    "acme.okta.com-evil.io",
    // CDN and unrelated hosts
    "ok12static.oktacdn.com",
    "global.oktacdn.com",
    "example.com",
    "",
    "127.0.0.1",
  ])("%s is not an org host", (host) => {
    expect(oktaHostInfo(host)).toBeNull();
  });

  describe("custom domains", () => {
    const custom = ["login.acme.com", "*.id.example.org", "ID.Contoso.com.:443"];
    it("matches an exact custom domain, case-insensitively", () => {
      expect(oktaHostInfo("LOGIN.acme.com:443", custom)).toEqual({
        host: "login.acme.com",
        org: "",
        admin: false,
        suffix: "custom",
        custom: true,
      });
      expect(oktaHostInfo("id.contoso.com", custom)?.custom).toBe(true);
    });
    it("matches a wildcard on any subdomain but not the base domain", () => {
      expect(oktaHostInfo("eu.id.example.org", custom)?.host).toBe("eu.id.example.org");
      expect(oktaHostInfo("a.b.id.example.org", custom)?.suffix).toBe("custom");
      expect(oktaHostInfo("id.example.org", custom)).toBeNull();
      expect(oktaHostInfo("evilid.example.org", custom)).toBeNull();
    });
    it("does not match other hosts or look-alikes", () => {
      expect(oktaHostInfo("acme.com", custom)).toBeNull();
      expect(oktaHostInfo("login.acme.com.evil.io", custom)).toBeNull();
      expect(oktaHostInfo("xlogin.acme.com", custom)).toBeNull();
      expect(oktaHostInfo("login.acme.com", [])).toBeNull();
    });
    it("still reports Okta hosts as Okta hosts when custom domains are configured", () => {
      expect(oktaHostInfo("acme.okta.com", custom)).toEqual({
        host: "acme.okta.com",
        org: "acme",
        admin: false,
        suffix: "okta.com",
        custom: false,
      });
    });
  });
});

describe("isOktaCdnHost", () => {
  it.each([
    ["ok12static.oktacdn.com", true],
    ["OK1STATIC.OKTACDN.COM:443", true],
    ["global.oktacdn.com.", true],
    ["oktacdn.com", true],
    ["oktacdn.com.evil.io", false],
    ["evil-oktacdn.com", false],
    ["acme.okta.com", false],
  ])("%s → %s", (host, expected) => {
    expect(isOktaCdnHost(host)).toBe(expected);
  });
});

describe("looksLikeOktaResponse", () => {
  const h = (pairs: [string, string][]) => HeaderList.from(pairs.map(([name, value]) => ({ name, value })));

  it("recognises X-Okta-Request-Id in any case", () => {
    expect(looksLikeOktaResponse(h([["X-Okta-Request-Id", "reqd-hLExFwQJ2ZEpocgBDeaA"]]))).toBe(true);
    expect(looksLikeOktaResponse(h([["x-okta-request-id", "Y3J0sjoXfBZ536qdqnkabwAAA58"]]))).toBe(true);
  });
  it("ignores an empty request id", () => {
    expect(looksLikeOktaResponse(h([["x-okta-request-id", " "]]))).toBe(false);
  });
  it("recognises Okta's P3P policy as a fallback", () => {
    expect(looksLikeOktaResponse(h([["P3P", 'CP="HONK"']]))).toBe(true);
    expect(looksLikeOktaResponse(h([["p3p", 'CP="IDC DSP COR"']]))).toBe(false);
  });
  it("does not trust generic headers alone", () => {
    expect(
      looksLikeOktaResponse(
        h([
          ["X-Rate-Limit-Limit", "600"],
          ["X-Rate-Limit-Remaining", "599"],
          ["X-Rate-Limit-Reset", "1700000000"],
          ["Set-Cookie", "JSESSIONID=ABC; Path=/"],
          ["Set-Cookie", "sid=; Path=/"],
          ["Content-Security-Policy", "script-src 'self' https://global.oktacdn.com"],
        ]),
      ),
    ).toBe(false);
    expect(looksLikeOktaResponse(new HeaderList())).toBe(false);
  });
});
