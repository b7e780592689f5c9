"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { merchantAction } from "@/lib/api/action";
import { saveItem } from "@/lib/mall/items";
import { mallItemInput } from "@/lib/schemas/mall";

/** The mall page: an operator creates or edits an item (audited, stock before and after). */
export const saveMallItemAction = merchantAction("mall.write", z.object({ mode: z.enum(["create", "update"]), item: mallItemInput }), async (input, { db, merchantId, actor }) => {
  const saved = await saveItem(db, merchantId, input.item, actor, input.mode);
  revalidatePath("/mall");
  return saved;
});
