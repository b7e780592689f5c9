"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { goLiveInput } from "@/lib/schemas/period";
import { setGoLiveDate } from "@/lib/jobs/period-days";
import { backgroundRunner } from "@/lib/jobs/background";

/** Settings → program: the period job runs by itself from this business day on. */
export const setGoLiveDateAction = merchantAction("settings.write", goLiveInput, async ({ goLiveDate }, { db, merchantId, actor }) => {
  await setGoLiveDate(db, merchantId, goLiveDate, { actor });
  backgroundRunner()?.wake();
  revalidatePath("/settings/program");
  return { goLiveDate };
});
