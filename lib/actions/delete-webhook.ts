"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { merchantAction } from "@/lib/api/action";
import { deleteWebhookEndpoint } from "@/lib/webhooks/endpoints";

/** Settings → webhooks: nothing more is sent to the endpoint; its log is kept. */
export const deleteWebhookAction = merchantAction("webhooks.manage", z.object({ id: z.string().min(1) }), async ({ id }, { db, merchantId, actor }) => {
  const r = await deleteWebhookEndpoint(db, merchantId, id, actor);
  revalidatePath("/settings/webhooks");
  return r;
});
