"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { adjustMember } from "@/lib/members/points-ops";
import { adjustMemberInput } from "@/lib/schemas/members";

/** Member page: an operator adjusts points or growth, with a reason (one audit row). */
export const adjustMemberAction = merchantAction("members.write", adjustMemberInput, async ({ memberId, ...input }, { db, merchantId, actor }) => {
  const after = await adjustMember(db, merchantId, memberId, input, actor);
  revalidatePath(`/members/${encodeURIComponent(memberId)}`);
  return after;
});
