"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { webhookInput } from "@/lib/schemas/webhooks";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { backgroundRunner } from "@/lib/jobs/background";

/** Settings → webhooks: returns the signing secret, the only time it is ever shown. */
export const createWebhookAction = merchantAction("webhooks.manage", webhookInput, async (input, { db, merchantId, actor }) => {
  const ep = await createWebhookEndpoint(db, merchantId, input, actor);
  backgroundRunner()?.wake();
  revalidatePath("/settings/webhooks");
  return ep;
});
