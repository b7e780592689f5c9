import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { merchants } from "@/db/schema";
import { newId } from "@/lib/util/ids";
import { AppError, validationError } from "@/lib/errors";
import { saveProgram } from "@/lib/program/store";
import { demoProgram } from "@/lib/program/demo-program";
import { saveItem } from "@/lib/mall/items";
import { demoMallItems } from "@/lib/mall/demo-items";

export const merchantInput = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, "2–40 lowercase letters, digits or -"),
  name: z.string().trim().min(1).max(80),
});

export async function findMerchantBySlug(db: Db, slug: string) {
  const [m] = await db.select().from(merchants).where(eq(merchants.slug, slug));
  return m ?? null;
}

export async function findMerchantBySlugOrThrow(db: Db, slug: string) {
  const m = await findMerchantBySlug(db, slug);
  if (!m) throw new AppError("not_found", `no merchant with slug "${slug}"`);
  return m;
}

export async function getMerchant(db: Db, merchantId: string) {
  const [m] = await db.select().from(merchants).where(eq(merchants.id, merchantId));
  if (!m) throw new AppError("not_found", "merchant not found");
  return m;
}

/** Creates a merchant; with `demoProgram` it also stores the demo program as version 1 and the demo points-mall items. */
export async function createMerchant(db: Db, input: { slug: string; name: string; demoProgram?: boolean }) {
  const parsed = merchantInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  if (await findMerchantBySlug(db, parsed.data.slug)) throw new AppError("conflict", `a merchant with slug "${parsed.data.slug}" exists`);
  const id = newId();
  await db.insert(merchants).values({ id, ...parsed.data });
  if (input.demoProgram) {
    await saveProgram(db, id, demoProgram, { note: "demo program" });
    for (const item of demoMallItems) await saveItem(db, id, item, null, "create");
  }
  return { id, ...parsed.data };
}
