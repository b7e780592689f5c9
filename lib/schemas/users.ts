import { z } from "zod";
import { roles } from "@/db/schema/tenancy";

/** A new user: the settings form, the server action and createUser all parse with this. */
export const userInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("a valid email address")),
  name: z.string().trim().min(1).max(60),
  role: z.enum(roles),
  password: z.string().min(8, "at least 8 characters").max(200),
});
export type UserInput = z.input<typeof userInput>;

export const userUpdate = z.object({ role: z.enum(roles).optional(), disabled: z.boolean().optional() });
export type UserUpdate = z.input<typeof userUpdate>;
