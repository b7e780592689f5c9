// GET /api/v1/mall/items?memberId= — active items; with a member, whether each can be ordered and why not. POST — creates an item.
import { withMerchant, readJson, jsonResponse, methodsNotAllowed } from "@/lib/api/handler";
import { validationError } from "@/lib/errors";
import { mallItemsQuery } from "@/lib/schemas/mall";
import { listItemsFor, saveItem } from "@/lib/mall/items";

export const GET = withMerchant("program.read", async ({ request, db, merchantId }) => {
  const parsed = mallItemsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return listItemsFor(db, merchantId, parsed.data.memberId);
});

export const POST = withMerchant("mall.write", async ({ request, db, merchantId, actor }) => jsonResponse(await saveItem(db, merchantId, await readJson(request), actor, "create"), { status: 201 }));

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
