// Node.js-only start-up work, loaded by instrumentation.ts (kept apart so no other runtime bundles it):
// open (lock, migrate) the database, seed the demo merchant on an empty one, print the demo logins,
// resume the imports a stopped server left unfinished.
import { getDatabase } from "./db/client";
import { seedDemoIfEmpty, demoLoginsText } from "./lib/bootstrap";
import { findMerchantBySlug } from "./lib/tenancy/merchants";

export async function startNode() {
  const { db, kind } = await getDatabase();
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
  if (await findMerchantBySlug(db, "demo")) console.log(demoLoginsText());
  // On SIGTERM/SIGINT Next closes the server and waits for `after` work (imports started by a request)
  // before it exits: stopping the imports at their next batch boundary keeps that to seconds and
  // leaves them resumable. Next's own handler still does the exit.
  const { resumeInterruptedImports, stopImports } = await import("./lib/members/import-csv");
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void stopImports());
  void resumeInterruptedImports(db).catch((e) => console.error("resuming imports failed:", e));
}
