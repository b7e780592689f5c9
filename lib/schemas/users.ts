import { z } from "zod";
import { roles } from "@/db/schema/tenancy";

/**
 * A new or changed password, as far as a form can check it; the server also rejects common and
 * guessable ones (lib/auth/password-policy.ts).
 */
export const passwordInput = z
  .string()
  .min(10, "at least 10 characters")
  .max(200)
  .refine((p) => p.trim().length > 0, "not only spaces");

/** A new user: the settings form, the server action and createUser all parse with this. */
export const userInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("a valid email address")),
  name: z.string().trim().min(1).max(60),
  role: z.enum(roles),
  password: passwordInput,
});
export type UserInput = z.input<typeof userInput>;

export const userUpdate = z.object({ role: z.enum(roles).optional(), disabled: z.boolean().optional() });
export type UserUpdate = z.input<typeof userUpdate>;
