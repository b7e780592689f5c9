"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { grantRight } from "@/lib/members/operator-actions";
import { grantRightInput } from "@/lib/schemas/members";

/** Member page: an operator grants one right by hand, with a reason (one audit row). */
export const grantMemberRightAction = merchantAction("members.write", grantRightInput, async (input, { db, merchantId, actor }) => {
  const result = await grantRight(db, merchantId, input, actor);
  revalidatePath(`/members/${encodeURIComponent(input.memberId)}`);
  return result;
});
