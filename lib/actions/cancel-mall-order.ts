"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { cancelOrder } from "@/lib/mall/orders";
import { cancelMallOrderInput } from "@/lib/schemas/mall";

/** The orders page: an operator cancels an order (points, stock back; unused rights voided; audited). */
export const cancelMallOrderAction = merchantAction("mall.write", cancelMallOrderInput, async (input, { db, merchantId, actor }) => {
  const saved = await cancelOrder(db, merchantId, input.orderId, { actor });
  revalidatePath("/mall/orders");
  return saved;
});
