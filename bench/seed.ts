// npm run bench -- seed [members]: the first-start demo seed (5,000 members over 18 months) on a
// fresh in-memory embedded database, through the engine's batch path and the period job.
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { seedMerchantHistory } from "@/lib/seed/generate";

export async function benchSeed(args: string[]) {
  const n = Number(args[0] ?? 5000);
  const d = await openDatabase(process.env.BENCH_DATABASE_URL ? { url: process.env.BENCH_DATABASE_URL } : { dataDir: "memory://" });
  try {
    const m = await createMerchant(d.db, { slug: `seed-${Date.now()}`, name: "Seed bench", demoProgram: true });
    const r = await seedMerchantHistory(d.db, m.id, { members: n, months: 18, seed: 2026, endDate: "2026-11-22", progress: true });
    const [c] = await queryRows<Record<string, number>>(
      d.db,
      sql`select (select count(*)::int from orders where merchant_id = ${m.id}) as orders,
        (select count(*)::int from points_ledger where merchant_id = ${m.id}) as ledger_rows,
        (select count(*)::int from right_instances where merchant_id = ${m.id}) as rights`,
    );
    console.log(`\nseed: ${r.members} members, ${r.events} events (${r.rejected} rejected by the engine's rules, e.g. a second check-in a day; ${c.orders} orders, ${c.ledger_rows} ledger rows, ${c.rights} rights), ${r.days} period-job days`);
    console.log(`seed: ${(r.ms / 1000).toFixed(1)} s on ${d.kind} — ${Math.round(r.events / (r.ms / 1000))} events/s including the period job`);
  } finally {
    await d.close();
  }
}
