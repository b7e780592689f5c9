"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { merchantAction } from "@/lib/api/action";
import { resendDelivery } from "@/lib/webhooks/deliveries";
import { backgroundRunner } from "@/lib/jobs/background";

/** Settings → webhooks: sends a logged delivery again (same webhook-id), with a fresh round of retries. */
export const resendDeliveryAction = merchantAction("webhooks.manage", z.object({ id: z.string().min(1) }), async ({ id }, { db, merchantId }) => {
  const r = await resendDelivery(db, merchantId, id);
  backgroundRunner()?.wake();
  revalidatePath("/settings/webhooks");
  return r;
});
