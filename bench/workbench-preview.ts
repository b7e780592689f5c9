// npx tsx bench/workbench-preview.ts [members]  — times previewProgramChange over N members (default 100,000)
// on embedded PGlite, or on PostgreSQL when DATABASE_URL is set (in a throwaway database, dropped after).
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { createMerchant } from "@/lib/tenancy/merchants";
import { currentProgram, toExport } from "@/lib/program/store";
import { previewProgramChange } from "@/lib/workbench/preview";

async function main() {
  const n = Number(process.argv[2] ?? 100_000);
  const base = process.env.DATABASE_URL;
  const dbName = `bench_${Date.now().toString(36)}`;
  let url: string | undefined;
  if (base) {
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${dbName}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const database = await openDatabase(url ? { url } : { dataDir: "memory://" });
  const { db } = database;
  const slug = `bench-${Date.now().toString(36)}`;
  const merchantId = (await createMerchant(db, { slug, name: "Bench", demoProgram: true })).id;
  const t0 = Date.now();
  // Growth spread over 0..30,000; tier as the demo thresholds give it; a birthday for two in three.
  await db.execute(sql`
    insert into members (merchant_id, member_id, registered_at, tier_code, tier_since, growth, lifetime_spend, order_count, birthday)
    select ${merchantId}, 'M' || i, now() - interval '400 days', 
           case when g >= 20000 then 'diamond' when g >= 5000 then 'gold' when g >= 1000 then 'silver' else 'basic' end,
           now() - interval '100 days', g, g * 100, 1 + (i % 20),
           case when i % 3 = 0 then null else (date '1990-01-01' + (i % 365)) end
      from (select i, (i * 7919) % 30000 as g from generate_series(1, ${n}) i) s`);
  await db.execute(sql`
    insert into orders (merchant_id, order_id, member_id, event_id, paid_at, business_date, amount)
    select ${merchantId}, 'O' || i, 'M' || (1 + (i * 31) % ${n}), 'E' || i, now() - (i % 60) * interval '1 day',
           (now() - (i % 60) * interval '1 day')::date, 1000 + (i % 50000)
      from generate_series(1, ${n * 2}) i`);
  await db.execute(sql`analyze members`);
  await db.execute(sql`analyze orders`);
  console.log(`${database.kind}: seeded ${n} members and ${n * 2} orders in ${Date.now() - t0} ms`);

  const proposed = structuredClone(toExport(await currentProgram(db, merchantId)));
  proposed.tiers[1].thresholds = [{ measure: "growth", window: "lifetime", value: 2000 }];
  proposed.tiers[2].thresholds = [{ measure: "growth", window: "lifetime", value: 8000 }];
  const windowed = structuredClone(proposed);
  windowed.tiers[3].thresholds = [{ measure: "spend", window: "rolling12m", value: 500000 }];
  for (const [label, p] of [["lifetime thresholds", proposed], ["with a rolling-12-month threshold", windowed]] as const)
    for (let run = 1; run <= 3; run++) {
      const t = Date.now();
      const r = await previewProgramChange(db, merchantId, p);
      console.log(`${label}, run ${run}: ${Date.now() - t} ms (members ${r.members}, up ${r.movedUp}, down ${r.movedDown}, cost ${r.monthlyCostBefore} → ${r.monthlyCostAfter} fen)`);
    }
  await database.close();
  if (base) {
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
