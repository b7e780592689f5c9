// GET /api/v1/mall/items/{itemId} — one item. PUT — replaces it (audited). DELETE — removes it, or deactivates it once ordered.
import { withMerchant, readJson, methodsNotAllowed } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { deleteItem, findItem, itemAnswer, saveItem } from "@/lib/mall/items";

export const GET = withMerchant<{ itemId: string }>("program.read", async ({ db, merchantId, params }) => {
  const item = await findItem(db, merchantId, decodeURIComponent(params.itemId));
  if (!item) throw new AppError("not_found", `item ${params.itemId} not found`);
  return itemAnswer(item);
});

export const PUT = withMerchant<{ itemId: string }>("mall.write", async ({ request, db, merchantId, actor, params }) => {
  const body = await readJson(request);
  // The path names the item; a body that names another is refused by field.
  const itemId = decodeURIComponent(params.itemId);
  if (body && typeof body === "object" && "itemId" in body && body.itemId !== itemId) throw new AppError("validation_failed", "itemId differs from the path", [{ path: "itemId", message: "must match the item in the path" }]);
  return saveItem(db, merchantId, { ...(body as object), itemId }, actor, "update");
});

export const DELETE = withMerchant<{ itemId: string }>("mall.write", async ({ db, merchantId, actor, params }) => deleteItem(db, merchantId, decodeURIComponent(params.itemId), actor));

export const { POST, PATCH } = methodsNotAllowed("GET", "PUT", "DELETE");
