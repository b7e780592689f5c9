// Node.js-only start-up work, loaded by instrumentation.ts (kept apart so no other runtime bundles it):
// open (lock, migrate) the database, seed the demo merchant on an empty one, print the demo logins.
import { getDatabase } from "./db/client";
import { seedDemoIfEmpty, demoLoginsText } from "./lib/bootstrap";
import { findMerchantBySlug } from "./lib/tenancy/merchants";

export async function startNode() {
  const database = await getDatabase();
  const { db, kind } = database;
  // On PostgreSQL, start the engine thread now (migrations are done): the first events request
  // does not wait for it to load, and a thread that cannot start says so at boot.
  if (kind === "postgres") (await import("./lib/engine/engine-thread")).engineThreadInUse();
  const seeded = await seedDemoIfEmpty(db, {
    onSeeded: async (merchantId) => {
      if (process.env.SEED_DEMO_MEMBERS === "0") return;
      const { seedDemoHistory } = await import("./lib/seed/demo-history");
      await seedDemoHistory(db, merchantId);
    },
  });
  if (seeded) console.log("Seeded the demo merchant.");
  // Background work (the daily period job, …) runs in this process; on the embedded database it is the only one.
  (await import("./lib/jobs/background")).startBackgroundWork(database);
  if (await findMerchantBySlug(db, "demo")) console.log(demoLoginsText());
}
