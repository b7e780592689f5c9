import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireDataDirLock, dataDirFiles } from "@/db/lock";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lock-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("dataDirFiles", () => {
  it("keeps the lock and the secret beside the app's own .data/pglite", () => {
    const app = path.join(tmp, "app");
    fs.mkdirSync(path.join(app, ".data", "pglite"), { recursive: true });
    const files = dataDirFiles(path.join(app, ".data", "pglite"), app);
    expect(files.lockFile).toBe(path.join(fs.realpathSync(app), ".data", "pglite.lock"));
    expect(files.secretFile).toBe(path.join(fs.realpathSync(app), ".data", "nextauth-secret"));
  });

  it("keeps them inside any other directory, never in its (shared) parent", () => {
    const dir = path.join(tmp, "shared", "db");
    fs.mkdirSync(dir, { recursive: true });
    const files = dataDirFiles(dir, path.join(tmp, "app"));
    const real = fs.realpathSync(dir);
    expect(files.lockFile).toBe(path.join(real, "pglite.lock"));
    expect(files.secretFile).toBe(path.join(real, "nextauth-secret"));
  });

  it("resolves symlinks: a link and its target share one lock", () => {
    const dir = path.join(tmp, "real-db");
    fs.mkdirSync(dir, { recursive: true });
    const link = path.join(tmp, "link-db");
    fs.symlinkSync(dir, link);
    expect(dataDirFiles(link, path.join(tmp, "app"))).toEqual(dataDirFiles(dir, path.join(tmp, "app")));
    const release = acquireDataDirLock(link);
    expect(fs.readFileSync(path.join(fs.realpathSync(dir), "pglite.lock"), "utf8")).toBe(String(process.pid));
    expect(fs.existsSync(path.join(tmp, "link-db.lock"))).toBe(false);
    release();
    expect(fs.existsSync(path.join(dir, "pglite.lock"))).toBe(false);
  });
});
