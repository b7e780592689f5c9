"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { merchantAction } from "@/lib/api/action";
import { updateUser, userUpdate } from "@/lib/tenancy/users";

const updateUserInput = userUpdate.extend({ userId: z.string().min(1) });

/** Settings → Users: an owner changes another user's role, or disables / enables them. */
export const updateUserAction = merchantAction("users.manage", updateUserInput, async ({ userId, ...patch }, { db, merchantId, actor }) => {
  await updateUser(db, merchantId, userId, patch, actor);
  revalidatePath("/settings/users");
  return { userId };
});
