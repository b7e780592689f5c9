// Node.js-only start-up work, loaded by instrumentation.ts (kept apart so no other runtime bundles it):
// open (lock, migrate) the database, seed the demo merchant on an empty one (embedded database, or DEMO=1) and print
// its logins, or say how to create the first owner; start the background work (which resumes the
// imports a stopped server left unfinished).
import { getDatabase } from "./db/client";
import { DataDirLockedError } from "./db/lock";
import { seedDemoIfEmpty, demoLoginsText, demoLoginsExist, firstOwnerText } from "./lib/bootstrap";
import { findMerchantBySlug } from "./lib/tenancy/merchants";

/**
 * Opens the database or ends the process: a server without its database (another process holds the
 * embedded one, PostgreSQL is unreachable, a migration fails) would only answer 500 to everything.
 */
async function databaseOrExit() {
  try {
    return await getDatabase();
  } catch (e) {
    console.error(`error: the server cannot open its database, so it stops. ${e instanceof DataDirLockedError ? e.message : String((e as Error)?.stack ?? e)}`);
    process.exit(1);
  }
}

export async function startNode() {
  const database = await databaseOrExit();
  const { db, kind } = database;
  // On PostgreSQL, start the engine thread now (migrations are done): the first events request
  // does not wait for it to load, and a thread that cannot start says so at boot.
  if (kind === "postgres") (await import("./lib/engine/engine-thread")).engineThreadInUse();
  const seeded = await seedDemoIfEmpty(db, { kind });
  if (seeded === "seeded") console.log("Seeded the demo merchant.");
  if (seeded === "no_demo") console.log(firstOwnerText());
  else if (await demoLoginsExist(db)) console.log(demoLoginsText());
  // The demo history (about two minutes at 5,000 members) is generated after this returns, so the
  // server serves at once: the sign-in page works and the console shows the progress meanwhile.
  // The background work (the daily period job, …) starts once it is done, never beside it.
  const startWork = async () => {
    // Background work (the daily period job, imports, webhook deliveries, …) runs in this process's job
    // runner; on the embedded database it is the only one. On SIGTERM/SIGINT the runner stops its jobs at
    // their next safe point (an import after its current chunk), closes the database and exits; what was
    // stopped is queued again and resumes at the next start.
    (await import("./lib/jobs/background")).startBackgroundWork(database);
  };
  if (seeded !== "seeded" || process.env.SEED_DEMO_MEMBERS === "0") return startWork();
  const merchant = await findMerchantBySlug(db, "demo");
  void (async () => {
    try {
      if (merchant) await (await import("./lib/seed/demo-history")).seedDemoHistory(db, merchant.id);
    } catch (e) {
      console.error("error: seeding the demo history failed:", e);
    }
    await startWork();
  })();
}
