"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { merchantAction } from "@/lib/api/action";
import { setWebhookEndpointEnabled } from "@/lib/webhooks/endpoints";
import { backgroundRunner } from "@/lib/jobs/background";

/** Settings → webhooks: pause or resume an endpoint. */
export const setWebhookEnabledAction = merchantAction("webhooks.manage", z.object({ id: z.string().min(1), enabled: z.boolean() }), async ({ id, enabled }, { db, merchantId, actor }) => {
  const r = await setWebhookEndpointEnabled(db, merchantId, id, enabled, actor);
  backgroundRunner()?.wake();
  revalidatePath("/settings/webhooks");
  return r;
});
