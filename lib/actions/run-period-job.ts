"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { periodRunInput } from "@/lib/schemas/period";
import { requestPeriodRun } from "@/lib/jobs/period-schedule";
import { backgroundRunner } from "@/lib/jobs/background";

/** Settings → program: queues the period job up to a past business day; refused for a day not ended. */
export const runPeriodJobAction = merchantAction("settings.write", periodRunInput, async ({ asOf }, { db, merchantId, actor }) => {
  const r = await requestPeriodRun(db, merchantId, asOf, new Date(), actor);
  backgroundRunner()?.wake();
  revalidatePath("/settings/program");
  return r;
});
