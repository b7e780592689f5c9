// npm run cli -- <command>: set up merchants, users and keys, and run jobs, without a browser.
// Opens the same database as the server (DATABASE_URL, else the embedded one in PGLITE_DIR or .data/).
import { Command } from "commander";
import { configuredOptions, openDatabase, type Database } from "@/db/client";
import { DataDirLockedError } from "@/db/lock";
import { AppError } from "@/lib/errors";
import { createMerchant, findMerchantBySlugOrThrow } from "@/lib/tenancy/merchants";
import { changePassword, createUser } from "@/lib/tenancy/users";
import { createApiKey } from "@/lib/tenancy/api-keys";
import { assertMerchantAsOfAllowed, runPeriodJob } from "@/lib/engine/period";
import { randomToken } from "@/lib/util/ids";
import { roles, users } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { periodJobInput } from "@/lib/schemas/events";
import { seedMerchantHistory } from "@/lib/seed/generate";
import { queueMetricsRefresh, refreshMerchantAggregates } from "@/lib/metrics/refresh-job";
import { webhookEventTypes } from "@/lib/schemas/webhooks";
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/endpoints";

async function withDb<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(configuredOptions());
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

const program = new Command().name("cli").description("会员运营台 command line");
const merchant = program.command("merchant").description("merchants (tenants)");
merchant
  .command("create")
  .requiredOption("--slug <slug>")
  .requiredOption("--name <name>")
  .option("--demo-program", "store the demo program as its program")
  .action(async (o: { slug: string; name: string; demoProgram?: boolean }) => {
    const m = await withDb(({ db }) => createMerchant(db, { slug: o.slug, name: o.name, demoProgram: !!o.demoProgram }));
    console.log(`created merchant ${m.slug} (${m.name})${o.demoProgram ? " with the demo program" : ""}`);
    if (!o.demoProgram) console.log("note: it has no program yet; PUT one to /api/v1/program or create it with --demo-program");
  });

const user = program.command("user").description("users");
user
  .command("create")
  .requiredOption("--merchant <slug>")
  .requiredOption("--email <email>")
  .requiredOption("--role <role>", roles.join(" | "))
  .option("--name <name>")
  .option("--password <password>", "at least 10 characters, not a common password; generated and printed when omitted")
  .action(async (o: { merchant: string; email: string; role: string; name?: string; password?: string }) => {
    const password = o.password ?? randomToken(12);
    const u = await withDb(async ({ db }) => {
      const m = await findMerchantBySlugOrThrow(db, o.merchant);
      return createUser(db, m.id, { email: o.email, role: o.role as (typeof roles)[number], name: o.name ?? o.email.split("@")[0], password });
    });
    console.log(`created ${u.role} ${u.email} in ${o.merchant}`);
    if (!o.password) console.log(`password: ${password}`);
  });

user
  .command("password")
  .description("set a user's password (and end all the user's sessions)")
  .requiredOption("--merchant <slug>")
  .requiredOption("--email <email>")
  .option("--password <password>", "at least 10 characters, not a common password; generated and printed when omitted")
  .action(async (o: { merchant: string; email: string; password?: string }) => {
    const password = o.password ?? randomToken(12);
    await withDb(async ({ db }) => {
      const m = await findMerchantBySlugOrThrow(db, o.merchant);
      const [u] = await db.select({ id: users.id }).from(users).where(and(eq(users.merchantId, m.id), eq(users.email, o.email.trim().toLowerCase())));
      if (!u) throw new AppError("not_found", `no user ${o.email} in ${o.merchant}`);
      await changePassword(db, m.id, u.id, password, null);
    });
    console.log(`set the password of ${o.email}; its sessions are ended`);
    if (!o.password) console.log(`password: ${password}`);
  });

program
  .command("apikey")
  .description("API keys")
  .command("create")
  .requiredOption("--merchant <slug>")
  .option("--name <name>", "a label for the key", "cli")
  .action(async (o: { merchant: string; name: string }) => {
    const k = await withDb(async ({ db }) => createApiKey(db, (await findMerchantBySlugOrThrow(db, o.merchant)).id, { name: o.name }));
    console.log(`created API key "${k.name}" for ${o.merchant}; it is shown only now:`);
    console.log(k.key);
  });

program
  .command("jobs")
  .description("scheduled work")
  .command("period")
  .requiredOption("--merchant <slug>")
  .requiredOption("--as-of <date>", "YYYY-MM-DD")
  .action(async (o: { merchant: string; asOf: string }) => {
    const parsed = periodJobInput.safeParse({ asOf: o.asOf });
    if (!parsed.success) throw new AppError("validation_failed", `--as-of: ${parsed.error.issues[0].message}`);
    const r = await withDb(async ({ db }) => {
      const merchantId = (await findMerchantBySlugOrThrow(db, o.merchant)).id;
      await assertMerchantAsOfAllowed(db, merchantId, parsed.data.asOf);
      return runPeriodJob(db, merchantId, parsed.data.asOf);
    });
    console.log(r.daysRun.length ? `ran ${r.daysRun.length} day(s): ${r.daysRun[0]} … ${r.daysRun.at(-1)}` : "nothing to run: every day up to that date has run");
  });

const webhooks = program.command("webhooks").description("webhook endpoints (signed deliveries of api.md's event types)");
webhooks
  .command("add")
  .requiredOption("--merchant <slug>")
  .requiredOption("--url <url>", "http(s); loopback and private addresses need WEBHOOK_ALLOW_PRIVATE=1")
  .option("--types <types>", `comma-separated: ${webhookEventTypes.join(", ")}`, "message.queued")
  .option("--description <text>")
  .action(async (o: { merchant: string; url: string; types: string; description?: string }) => {
    const ep = await withDb(async ({ db }) =>
      createWebhookEndpoint(db, (await findMerchantBySlugOrThrow(db, o.merchant)).id, { url: o.url, types: o.types.split(",").map((t) => t.trim()), description: o.description }, null),
    );
    console.log(`added webhook endpoint ${ep.id} → ${ep.url} (${ep.types.join(", ")}); its signing secret is shown only now:`);
    console.log(ep.secret);
  });
webhooks
  .command("list")
  .requiredOption("--merchant <slug>")
  .action(async (o: { merchant: string }) => {
    const eps = await withDb(async ({ db }) => listWebhookEndpoints(db, (await findMerchantBySlugOrThrow(db, o.merchant)).id));
    if (!eps.length) console.log("no webhook endpoints");
    for (const e of eps) console.log(`${e.id}  ${e.enabled ? "enabled " : "disabled"}  ${e.url}  ${e.types.join(",")}${e.description ? `  ${e.description}` : ""}`);
  });
webhooks
  .command("remove")
  .requiredOption("--merchant <slug>")
  .requiredOption("--id <id>")
  .action(async (o: { merchant: string; id: string }) => {
    await withDb(async ({ db }) => deleteWebhookEndpoint(db, (await findMerchantBySlugOrThrow(db, o.merchant)).id, o.id, null));
    console.log(`removed webhook endpoint ${o.id}`);
  });

program
  .command("metrics")
  .description("KPI rollups")
  .command("rollup")
  .requiredOption("--merchant <slug>")
  .option("--from <date>", "first business date to (re)build (default: where the rollups end)")
  .option("--to <date>", "last business date (default: yesterday in the merchant's time zone)")
  .option("--all", "rebuild everything from the merchant's earliest data (set-based; RFM on month ends and the last 62 days)")
  .option("--queue", "queue it for the running server's job runner (kind metrics.refresh) instead of running it here (PostgreSQL)")
  .action(async (o: { merchant: string; from?: string; to?: string; all?: boolean; queue?: boolean }) => {
    await withDb(async ({ db }) => {
      const m = await findMerchantBySlugOrThrow(db, o.merchant);
      const refresh = { from: o.from, to: o.to, rebuild: !!o.all };
      if (o.queue) {
        console.log(`queued metrics refresh ${await queueMetricsRefresh(db, m.id, refresh)}; the server's job runner builds it`);
        return;
      }
      const t0 = Date.now();
      const c = await refreshMerchantAggregates(db, m.id, refresh);
      console.log(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      console.log(`daily rollups cover ${c.daily.firstDate} … ${c.daily.throughDate}; range-distinct aggregates ${c.distinct.firstDate} … ${c.distinct.throughDate}`);
    });
  });

program
  .command("seed")
  .description("generate a deterministic member history and feed it through the engine")
  .requiredOption("--merchant <slug>")
  .option("--members <n>", "members", "5000")
  .option("--months <n>", "months of history ending today", "18")
  .option("--seed <n>", "random seed", "1")
  .action(async (o: { merchant: string; members: string; months: string; seed: string }) => {
    await withDb(async ({ db }) => {
      const m = await findMerchantBySlugOrThrow(db, o.merchant);
      const r = await seedMerchantHistory(db, m.id, { members: Number(o.members), months: Number(o.months), seed: Number(o.seed), progress: true, aggregates: "all" });
      console.log(`fed ${r.events} events (${r.members} members) and ran the period job for ${r.days} days in ${(r.ms / 1000).toFixed(1)} s`);
    });
  });

program.parseAsync().catch((e: unknown) => {
  if (e instanceof DataDirLockedError || e instanceof AppError) console.error(`error: ${e.message}`);
  else console.error(e);
  process.exit(1);
});
