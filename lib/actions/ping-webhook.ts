"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { merchantAction } from "@/lib/api/action";
import { sendTestPing } from "@/lib/webhooks/endpoints";
import { backgroundRunner } from "@/lib/jobs/background";

/** Settings → webhooks: queues a signed `webhook.ping` to the endpoint; it shows in the delivery log. */
export const pingWebhookAction = merchantAction("webhooks.manage", z.object({ id: z.string().min(1) }), async ({ id }, { db, merchantId }) => {
  const r = await sendTestPing(db, merchantId, id);
  backgroundRunner()?.wake();
  revalidatePath("/settings/webhooks");
  return r;
});
