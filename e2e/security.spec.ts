import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { signIn, unique } from "./helpers";

/** A page on another origin (same site: 127.0.0.1, another port) that posts a form as soon as it loads. */
async function attackerSite(html: string) {
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(r)) };
}

const autoSubmit = (action: string, enctype: string, name: string, value: string) =>
  `<!doctype html><form method="post" action="${action}" enctype="${enctype}"><input type="hidden" name='${name}' value='${value}'></form>` +
  `<script>document.forms[0].submit()</script>`;

test("a form on another origin cannot post events through an operator's session", async ({ page, baseURL }) => {
  await signIn(page, "operator");
  const memberId = `csrf-${unique()}`;
  // text/plain encodes `name=value`: a JSON body with the `=` tucked inside a string.
  const body = `{"id":"${memberId}","type":"member.registered","occurredAt":"2026-03-01T10:00:00+08:00","memberId":"${memberId}","data":{},"x":"`;
  const site = await attackerSite(autoSubmit(`${baseURL}/api/v1/events`, "text/plain", body, '"}'));
  try {
    const answer = page.waitForResponse((r) => r.url() === `${baseURL}/api/v1/events`);
    await page.goto(site.url);
    const res = await answer;
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
  } finally {
    await site.close();
  }
  // Nothing was made: the operator's own session (same origin) finds no such member.
  await page.goto("/");
  const lookup = await page.evaluate(async (id) => (await fetch(`/api/v1/members/${id}`)).status, memberId);
  expect(lookup).toBe(404);
});

test("a multipart form from another origin cannot redeem a member's points", async ({ page, baseURL }) => {
  await signIn(page, "operator");
  const site = await attackerSite(autoSubmit(`${baseURL}/api/v1/members/M1/redemptions`, "multipart/form-data", "id", "csrf-redeem"));
  try {
    const answer = page.waitForResponse((r) => r.url().startsWith(`${baseURL}/api/v1/members/`));
    await page.goto(site.url);
    expect((await answer).status()).toBe(403);
  } finally {
    await site.close();
  }
});

test("the console's own pages may post JSON, and only JSON", async ({ page }) => {
  await signIn(page, "operator");
  const memberId = `own-${unique()}`;
  const post = (contentType: string) =>
    page.evaluate(
      async ([id, type]) => {
        const event = { id, type: "member.registered", occurredAt: "2026-03-01T10:00:00+08:00", memberId: id, data: {} };
        const res = await fetch("/api/v1/events", { method: "POST", headers: { "content-type": type }, body: JSON.stringify(event) });
        return [res.status, ((await res.json()) as { error?: { code: string } }).error?.code ?? null] as const;
      },
      [memberId, contentType] as const,
    );
  expect(await post("text/plain")).toEqual([415, "unsupported_media_type"]);
  expect(await post("application/json")).toEqual([200, null]);
});

test("signing out ends the session: a copy of its cookie no longer works", async ({ page, browser, baseURL }) => {
  await signIn(page, "analyst");
  const copied = await page.context().cookies();
  expect(copied.some((c) => c.name.endsWith("next-auth.session-token"))).toBe(true);
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  const thief = await browser.newContext({ baseURL });
  try {
    await thief.addCookies(copied);
    const tab = await thief.newPage();
    await tab.goto("/");
    await expect(tab).toHaveURL(/\/sign-in$/);
    const api = await thief.request.get("/api/v1/program");
    expect(api.status()).toBe(401);
  } finally {
    await thief.close();
  }
});

test("every answer carries the security headers; HSTS only behind https", async ({ request }) => {
  const res = await request.get("/sign-in");
  const h = res.headers();
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"]).toContain("default-src 'self'");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["strict-transport-security"]).toBeUndefined();
  const https = await request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
  expect(https.headers()["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  const api = await request.get("/api/v1/openapi.json");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
});

test("the pages load under the CSP", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await signIn(page, "owner");
  await page.goto("/settings");
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("every non-2xx under /api/v1 is JSON: unknown paths 404, wrong methods 405", async ({ request }) => {
  const cases = [
    ["GET", "/api/v1/nope", 404, "not_found"],
    ["POST", "/api/v1/nope/deeper", 404, "not_found"],
    ["GET", "/api/v1/events", 405, "method_not_allowed"],
    ["DELETE", "/api/v1/program", 405, "method_not_allowed"],
    ["GET", "/api/v1/jobs/period", 405, "method_not_allowed"],
  ] as const;
  for (const [method, path, status, code] of cases) {
    const res = await request.fetch(path, { method });
    expect([path, res.status(), res.headers()["content-type"]]).toEqual([path, status, "application/json"]);
    expect((await res.json()).error.code).toBe(code);
  }
  expect((await request.get("/api/v1/events")).headers()["allow"]).toBe("POST");
});
