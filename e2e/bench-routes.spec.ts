import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

// The benchmark's calibration routes (bench/routes/) live only in the bench's own build
// (bench/build-server.ts); the product's build, which this suite runs against, has none of them.
test("the production build has no /api/v1/bench route", async ({ request }) => {
  const server = path.join(process.cwd(), ".next", "server");
  const routes = [
    ...Object.keys(JSON.parse(fs.readFileSync(path.join(server, "app-paths-manifest.json"), "utf8"))),
    ...Object.keys(JSON.parse(fs.readFileSync(path.join(server, "pages-manifest.json"), "utf8"))),
  ];
  expect(routes).toContain("/api/v1/events");
  expect(routes.filter((r) => r.includes("/bench"))).toEqual([]);
  expect(fs.existsSync(path.join(server, "app", "api", "v1", "bench"))).toBe(false);
  expect(fs.existsSync(path.join(server, "pages", "api", "v1", "bench"))).toBe(false);
  for (const [method, url] of [["GET", "/api/v1/bench/ping"], ["GET", "/api/v1/bench/ping-pages"], ["POST", "/api/v1/bench/insert"], ["POST", "/api/v1/bench/echo"]] as const)
    expect((await request.fetch(url, { method, data: method === "POST" ? {} : undefined })).status(), url).toBe(404);
});
