"use server";
import { revalidatePath } from "next/cache";
import { merchantAction } from "@/lib/api/action";
import { createUser, userInput } from "@/lib/tenancy/users";

/** Settings → Users: an owner adds a user to their merchant. */
export const createUserAction = merchantAction("users.manage", userInput, async (input, { db, merchantId, actor }) => {
  const user = await createUser(db, merchantId, input, actor);
  revalidatePath("/settings/users");
  return user;
});
