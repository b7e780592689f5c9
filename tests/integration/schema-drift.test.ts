import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

describe("migrations", () => {
  it("are in step with the schema: drizzle-kit generate finds nothing to add", () => {
    // Generate into a copy of drizzle/ (drizzle-kit wants the path relative), so a drift shows as a new file and the real folder is untouched.
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
    fs.cpSync("drizzle", out, { recursive: true });
    const config = path.join(out, "drizzle.config.json");
    fs.writeFileSync(config, JSON.stringify({ dialect: "postgresql", schema: "./db/schema/index.ts", out: path.relative(process.cwd(), out) }));
    const before = fs.readdirSync(out).length;
    const r = spawnSync(path.join("node_modules", ".bin", "drizzle-kit"), ["generate", "--config", config], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/No schema changes/i);
    expect(fs.readdirSync(out).length).toBe(before);
  });
});
