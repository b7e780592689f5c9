export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` loads this too while collecting pages: never open (and lock) the database then.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { getDatabase } = await import("./db/client");
  const { seedDemoIfEmpty, demoLoginsText } = await import("./lib/bootstrap");
  const { db } = await getDatabase(); // opens, locks and migrates
  const seeded = await seedDemoIfEmpty(db, {
    onSeeded: async (merchantId) => {
      if (process.env.SEED_DEMO_MEMBERS === "0") return;
      const { seedDemoHistory } = await import("./lib/seed/demo-history");
      await seedDemoHistory(db, merchantId);
    },
  });
  const { findMerchantBySlug } = await import("./lib/tenancy/merchants");
  if (seeded) console.log("Seeded the demo merchant.");
  if (await findMerchantBySlug(db, "demo")) console.log(demoLoginsText());
}
