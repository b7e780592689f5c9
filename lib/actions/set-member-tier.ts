"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { setTierManually } from "@/lib/members/operator-actions";
import { setTierInput } from "@/lib/schemas/members";

/** Member page: an operator sets the tier by hand until the next evaluation, with a reason (one audit row). */
export const setMemberTierAction = merchantAction("members.write", setTierInput, async (input, { db, merchantId, actor }) => {
  const result = await setTierManually(db, merchantId, input, actor);
  revalidatePath(`/members/${encodeURIComponent(input.memberId)}`);
  return result;
});
