import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { userInput, userUpdate, type UserInput } from "@/lib/schemas/users";
import { newId } from "@/lib/util/ids";
import { AppError, validationError } from "@/lib/errors";
import { hashPassword } from "@/lib/auth/passwords";
import { writeAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";

// The schemas live in lib/schemas so client forms can import them without this module's server code.
export { userInput, userUpdate, type UserInput } from "@/lib/schemas/users";

export async function createUser(db: Db, merchantId: string, input: UserInput, actor: Actor | null = null) {
  const parsed = userInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { email, name, role, password } = parsed.data;
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw new AppError("conflict", `a user with email ${email} exists`, [{ path: "email", message: "already in use" }]);
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
