"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { placeOrder } from "@/lib/mall/orders";
import { phoneOrderInput } from "@/lib/schemas/mall";
import { newId } from "@/lib/util/ids";

/** The member page: an operator places a mall order for the member (a phone order; audited). */
export const placeMallOrderAction = merchantAction("members.write", phoneOrderInput, async (input, { db, merchantId, actor }) => {
  const { order } = await placeOrder(db, merchantId, input.memberId, { id: `console:${newId()}`, itemId: input.itemId, quantity: input.quantity }, { actor });
  revalidatePath(`/members/${encodeURIComponent(input.memberId)}`);
  return order;
});
