"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { releaseHold } from "@/lib/checkout/holds";
import { releaseHoldInput } from "@/lib/schemas/checkout";

/** Member page: an operator releases an open checkout hold, with a reason (one audit row). */
export const releaseHoldAction = merchantAction("members.write", releaseHoldInput, async (input, { db, merchantId, actor }) => {
  const hold = await releaseHold(db, merchantId, input.holdId, { actor, reason: input.reason, memberId: input.memberId });
  revalidatePath(`/members/${encodeURIComponent(input.memberId)}`);
  return hold;
});
