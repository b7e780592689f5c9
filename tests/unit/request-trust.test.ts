import { describe, expect, it } from "vitest";
import { clientAddress, trustedProxies } from "@/lib/auth/client-address";
import { sameOriginOrSafe } from "@/lib/auth/guard";
import { readJson } from "@/lib/api/handler";

describe("clientAddress", () => {
  const none = trustedProxies("");
  const proxies = trustedProxies("10.0.0.0/8, 192.168.1.1, fd00::/8");

  it("without configured proxies, is the peer: a client's X-Forwarded-For names nothing", () => {
    expect(clientAddress("198.51.100.7", "1.2.3.4", none)).toBe("198.51.100.7");
    expect(clientAddress("198.51.100.7", "5.6.7.8", none)).toBe("198.51.100.7");
  });

  it("without X-Forwarded-For, is each client's own address, not one shared bucket", () => {
    expect(clientAddress("198.51.100.7", undefined, none)).toBe("198.51.100.7");
    expect(clientAddress("::ffff:198.51.100.8", undefined, none)).toBe("198.51.100.8");
  });

  it("behind a configured proxy, is the last address the proxies did not add", () => {
    expect(clientAddress("10.1.2.3", "203.0.113.9", proxies)).toBe("203.0.113.9");
    // A client-sent first entry is ignored: the chain is read from the right, past the proxies.
    expect(clientAddress("10.1.2.3", "1.1.1.1, 203.0.113.9, 192.168.1.1", proxies)).toBe("203.0.113.9");
    expect(clientAddress("::ffff:10.1.2.3", ["203.0.113.9"], proxies)).toBe("203.0.113.9");
    expect(clientAddress("fd00::1", "2001:db8::5", proxies)).toBe("2001:db8::5");
    // Not from a proxy: the header is not believed.
    expect(clientAddress("203.0.113.50", "10.9.9.9", proxies)).toBe("203.0.113.50");
  });

  it("refuses a TRUSTED_PROXIES entry that is not an address", () => {
    expect(() => trustedProxies("proxy.local")).toThrow(/TRUSTED_PROXIES/);
  });
});

describe("sameOriginOrSafe (cookie-authenticated requests)", () => {
  it.each([
    ["GET", null, "shop.test", true],
    ["POST", "https://shop.test", "shop.test", true],
    ["POST", "http://127.0.0.1:3102", "127.0.0.1:3102", true],
    ["POST", "http://127.0.0.1:3999", "127.0.0.1:3102", false], // same site, another port
    ["POST", "https://evil.test", "shop.test", false],
    ["POST", "null", "shop.test", false],
    ["POST", null, "shop.test", true], // no Origin and no Sec-Fetch-Site: not a browser
    ["DELETE", "https://evil.test", "shop.test", false],
    ["PUT", "https://shop.test", "shop.test, proxy.internal", true],
  ] as const)("%s with Origin %s to %s: %s", (method, origin, host, ok) => {
    expect(sameOriginOrSafe({ method, origin, host })).toBe(ok);
  });

  it.each([
    ["same-origin", true],
    ["same-site", false],
    ["cross-site", false],
    ["none", false],
  ] as const)("without Origin, Sec-Fetch-Site %s: %s", (fetchSite, ok) => {
    expect(sameOriginOrSafe({ method: "POST", origin: null, fetchSite, host: "shop.test" })).toBe(ok);
  });
});

describe("readJson", () => {
  const post = (type: string | null) =>
    readJson(new Request("http://x/api", { method: "POST", body: '{"a":1}', headers: type ? { "content-type": type } : {} }));
  it.each(["application/json", "application/json; charset=utf-8", "application/merge-patch+json"])("reads %s", async (type) => {
    expect(await post(type)).toEqual({ a: 1 });
  });
  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null])("refuses %s with 415", async (type) => {
    await expect(post(type)).rejects.toMatchObject({ code: "unsupported_media_type", status: 415 });
  });
});
