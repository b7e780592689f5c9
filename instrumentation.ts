export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
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
  console.log(`${seeded ? "Seeded the demo merchant. " : ""}${demoLoginsText()}`);
}
