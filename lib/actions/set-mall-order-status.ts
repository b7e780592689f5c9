"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { setOrderStatus } from "@/lib/mall/orders";
import { mallOrderStatusInput } from "@/lib/schemas/mall";

/** The orders page: a goods order marked shipped or picked up, with a note (audited). */
export const setMallOrderStatusAction = merchantAction("mall.write", mallOrderStatusInput, async (input, { db, merchantId, actor }) => {
  const saved = await setOrderStatus(db, merchantId, input, actor);
  revalidatePath("/mall/orders");
  return saved;
});
