"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { voidRight } from "@/lib/checkout/coupons";
import { voidRightInput } from "@/lib/schemas/checkout";

/** Member page: an operator voids an unused coupon, with a reason (one audit row). */
export const voidRightAction = merchantAction("members.write", voidRightInput, async (input, { db, merchantId, actor }) => {
  const result = await voidRight(db, merchantId, input, actor);
  revalidatePath(`/members/${encodeURIComponent(input.memberId)}`);
  return result;
});
