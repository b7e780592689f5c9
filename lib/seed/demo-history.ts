import type { Db } from "@/db/client";
import { seedMerchantHistory } from "./generate";
import { seedingFinished, seedingProgress, seedingStarted } from "./seeding-status";

/**
 * The demo merchant's history on first start: DEMO_MEMBERS members (5,000) over 18 months. Reports
 * its progress to seeding-status (the server serves meanwhile) and on the console every 10 %.
 */
export async function seedDemoHistory(db: Db, merchantId: string): Promise<void> {
  const members = Number(process.env.DEMO_MEMBERS ?? 5000);
  if (!(members > 0)) return;
  console.log(`Seeding the demo history in the background: ${members} members over 18 months…`);
  seedingStarted();
  let logged = 0;
  try {
    const r = await seedMerchantHistory(db, merchantId, {
      members,
      months: 18,
      seed: 2026,
      aggregates: "daily",
      // A turn of the event loop between batches, so requests are answered while it seeds.
      pause: () => new Promise((resolve) => setImmediate(resolve)),
      onProgress: (done, days, date) => {
        seedingProgress(done, days, date);
        const tenth = Math.floor((done / days) * 10);
        if (tenth > logged) {
          logged = tenth;
          console.log(`  demo history: ${tenth * 10}% (${date})`);
        }
      },
    });
    seedingFinished(true);
    console.log(`Seeded ${r.events} events for ${r.members} members in ${(r.ms / 1000).toFixed(1)} s.`);
  } catch (e) {
    seedingFinished(false);
    throw e;
  }
}
