import fs from "node:fs";
import path from "node:path";

export class DataDirLockedError extends Error {
  constructor(
    public readonly dataDir: string,
    public readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid} (probably the running server). ` +
        `PGlite serves one process only: stop that process first, or point DATABASE_URL at PostgreSQL, ` +
        `or do this through the running server's HTTP API.`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const realOrResolved = (p: string) => {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};

/**
 * Where the files kept with an embedded database go: its lock file and the generated session secret.
 * Beside the data directory when that is the app's own `.data/pglite` (`.data/pglite.lock`,
 * `.data/nextauth-secret`); inside it otherwise (`pglite.lock`, `nextauth-secret`: PGlite ignores them), so a `PGLITE_DIR=/tmp/x/db` never writes into a
 * shared parent such as `/tmp`. Symlinks are resolved first: two paths to one directory get one lock.
 * (scripts/start.mjs places the secret by the same rule.)
 */
export function dataDirFiles(dataDir: string, appRoot = process.cwd()) {
  const dir = realOrResolved(dataDir);
  const own = path.dirname(dir) === realOrResolved(path.join(appRoot, ".data"));
  const home = own ? path.dirname(dir) : dir;
  return { dir, lockFile: path.join(home, own ? `${path.basename(dir)}.lock` : "pglite.lock"), secretFile: path.join(home, "nextauth-secret") };
}

/**
 * PGlite has no lock of its own and a second process on the same directory corrupts it, so take
 * an exclusive lock file (O_EXCL) naming our pid; a lock left by a dead process is taken over.
 * The directory must exist (its real path is what is locked).
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const { dir, lockFile: file } = dataDirFiles(dataDir);
  dataDir = dir;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(file, "utf8") === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(fs.readFileSync(file, "utf8").trim());
      if (pid && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(dataDir, pid);
      fs.unlinkSync(file); // stale: its owner is gone
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
