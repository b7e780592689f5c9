// POST /api/v1/jobs/period { asOf } — runs the period work for every business day up to asOf not yet run.
import { withMerchant, readJson, methodsNotAllowed } from "@/lib/api/handler";
import { validationError } from "@/lib/errors";
import { periodJobInput } from "@/lib/schemas/events";
import { assertMerchantAsOfAllowed, runPeriodJob } from "@/lib/engine/period";

export const POST = withMerchant("jobs.run", async ({ request, db, merchantId }) => {
  const parsed = periodJobInput.safeParse(await readJson(request));
  if (!parsed.success) throw validationError(parsed.error);
  await assertMerchantAsOfAllowed(db, merchantId, parsed.data.asOf);
  const r = await runPeriodJob(db, merchantId, parsed.data.asOf);
  return { asOf: r.asOf, daysRun: r.daysRun.length, firstDay: r.daysRun[0] ?? null, lastDay: r.daysRun.at(-1) ?? null };
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
