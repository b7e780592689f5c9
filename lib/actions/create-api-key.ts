"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { apiKeyInput, createApiKey } from "@/lib/tenancy/api-keys";

/** Settings → API keys: returns the full key, the only time it is ever available. */
export const createApiKeyAction = merchantAction("apikeys.manage", apiKeyInput, async (input, { db, merchantId, actor }) => {
  const key = await createApiKey(db, merchantId, input, actor);
  revalidatePath("/settings/api-keys");
  return key;
});
