import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { passwordInput, userInput, userUpdate, type UserInput } from "@/lib/schemas/users";
import { newId } from "@/lib/util/ids";
import { AppError, validationError } from "@/lib/errors";
import { hashPassword } from "@/lib/auth/passwords";
import { assertStrongPasswordOrThrow } from "@/lib/auth/password-policy";
import { endAllSessions } from "@/lib/auth/sessions";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";

// The schemas live in lib/schemas so client forms can import them without this module's server code.
export { userInput, userUpdate, type UserInput } from "@/lib/schemas/users";

export async function createUser(db: Db, merchantId: string, input: UserInput, actor: Actor | null = null) {
  const parsed = userInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { email, name, role, password } = parsed.data;
  assertStrongPasswordOrThrow(password, { email, name });
  const [existing] = await db.select({ merchantId: users.merchantId }).from(users).where(eq(users.email, email));
  // Emails are unique across the deployment (sign-in is by email alone), but whose user an email is
  // is none of another merchant's business: only the caller's own users are named as such.
  if (existing?.merchantId === merchantId) throw new AppError("conflict", `${email} is already a user of this merchant`, [{ path: "email", message: "already in use" }]);
  if (existing) throw new AppError("conflict", `${email} cannot be used; choose another address`, [{ path: "email", message: "cannot be used" }]);
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(users).values({ id, merchantId, email, name, role, passwordHash: await hashPassword(password) });
    await writeAudit(tx, actor, { merchantId, action: "user.create", entity: "user", entityId: id, after: { email, name, role } });
  });
  return { id, email, name, role };
}

export async function listUsers(db: Db, merchantId: string) {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, disabledAt: users.disabledAt, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.merchantId, merchantId))
    .orderBy(users.createdAt);
}

export async function updateUser(db: Db, merchantId: string, userId: string, input: z.input<typeof userUpdate>, actor: Actor) {
  const parsed = userUpdate.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(and(eq(users.merchantId, merchantId), eq(users.id, userId)));
    if (!before) throw new AppError("not_found", "user not found");
    if (actor.kind === "user" && actor.userId === userId)
      throw new AppError("validation_failed", "you cannot change your own role or disable yourself", [{ path: "role", message: "not for yourself" }]);
    const patch: Partial<typeof users.$inferInsert> = {};
    if (parsed.data.role) patch.role = parsed.data.role;
    if (parsed.data.disabled !== undefined) patch.disabledAt = parsed.data.disabled ? new Date() : null;
    await tx.update(users).set(patch).where(and(eq(users.merchantId, merchantId), eq(users.id, userId)));
    await writeAudit(tx, actor, {
      merchantId,
      action: "user.update",
      entity: "user",
      entityId: userId,
      before: { role: before.role, disabled: !!before.disabledAt },
      after: { role: patch.role ?? before.role, disabled: parsed.data.disabled ?? !!before.disabledAt },
    });
  });
}

/** Sets a user's password (the policy applies) and ends every session the user has. */
export async function changePassword(db: Db, merchantId: string, userId: string, password: string, actor: Actor | null) {
  const parsed = passwordInput.safeParse(password);
  if (!parsed.success) throw validationError(parsed.error, ["password"]);
  const [user] = await db.select().from(users).where(and(eq(users.merchantId, merchantId), eq(users.id, userId)));
  if (!user) throw new AppError("not_found", "user not found");
  assertStrongPasswordOrThrow(parsed.data, { email: user.email, name: user.name });
  const passwordHash = await hashPassword(parsed.data);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(and(eq(users.merchantId, merchantId), eq(users.id, userId)));
    await endAllSessions(tx, userId);
    await writeAudit(tx, actor, { merchantId, action: "user.password", entity: "user", entityId: userId });
  });
}
