// Node.js-only start-up work, loaded by instrumentation.ts (kept apart so no other runtime bundles it):
// open (lock, migrate) the database, seed the demo merchant on an empty one (embedded database, or DEMO=1) and print
// its logins, or say how to create the first owner; start the background work; resume the imports a
// stopped server left unfinished.
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
    // Background work (the daily period job, …) runs in this process; on the embedded database it is the
    // only one. On SIGTERM/SIGINT it stops the runner and the imports at their next safe point, closes the
    // database and exits; the imports resume at the next start.
    const { resumeInterruptedImports, stopImports } = await import("./lib/members/import-csv");
    (await import("./lib/jobs/background")).startBackgroundWork(database, { alsoStop: [stopImports] });
    void resumeInterruptedImports(db).catch((e) => console.error("resuming imports failed:", e));
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
