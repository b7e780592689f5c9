"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { merchantAction } from "@/lib/api/action";
import { revokeApiKey } from "@/lib/tenancy/api-keys";

const revokeApiKeyInput = z.object({ keyId: z.string().min(1) });

/** Settings → API keys: requests with the key are refused from now on. */
export const revokeApiKeyAction = merchantAction("apikeys.manage", revokeApiKeyInput, async ({ keyId }, { db, merchantId, actor }) => {
  await revokeApiKey(db, merchantId, keyId, actor);
  revalidatePath("/settings/api-keys");
  return { keyId };
});
