import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mallItems } from "@/db/schema";
import type { Issue } from "@/lib/errors";
import type { Program } from "@/lib/schemas/program";

/**
 * What a new program would take away from active points-mall items: a right (rights catalogue) or
 * a paid-membership plan an active item issues. One field-level issue per item, naming it; empty
 * when nothing in use is removed. (Deactivate or change the item first.)
 */
export async function mallItemsLosing(db: Db, merchantId: string, next: Pick<Program, "rights" | "plans">): Promise<Issue[]> {
  const items = await db
    .select({ itemId: mallItems.itemId, name: mallItems.name, rightCode: mallItems.rightCode, planCode: mallItems.planCode })
    .from(mallItems)
    .where(and(eq(mallItems.merchantId, merchantId), eq(mallItems.active, true)))
    .orderBy(mallItems.itemId);
  const rights = new Set(next.rights.map((r) => r.code));
  const plans = new Set(next.plans.map((p) => p.code));
  const issues: Issue[] = [];
  for (const i of items) {
    if (i.rightCode && !rights.has(i.rightCode))
      issues.push({ path: "rights", message: `the right "${i.rightCode}" is used by the active mall item ${i.itemId} (${i.name}): deactivate or change that item first` });
    if (i.planCode && !plans.has(i.planCode))
      issues.push({ path: "plans", message: `the plan "${i.planCode}" is used by the active mall item ${i.itemId} (${i.name}): deactivate or change that item first` });
  }
  return issues;
}
