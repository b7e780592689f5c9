import type { Db } from "@/db/client";
import { seedMerchantHistory } from "./generate";

/** The demo merchant's history on first start: DEMO_MEMBERS members (5,000) over 18 months. */
export async function seedDemoHistory(db: Db, merchantId: string): Promise<void> {
  const members = Number(process.env.DEMO_MEMBERS ?? 5000);
  if (!(members > 0)) return;
  console.log(`Seeding the demo history: ${members} members over 18 months…`);
  const r = await seedMerchantHistory(db, merchantId, { members, months: 18, seed: 2026, aggregates: "daily" });
  console.log(`Seeded ${r.events} events for ${r.members} members in ${(r.ms / 1000).toFixed(1)} s.`);
}
