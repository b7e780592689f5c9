// POST /api/v1/mall/import — `{ items: [...] }`: all validated first, then each created or replaced (audited).
import { withMerchant, readJson, methodsNotAllowed } from "@/lib/api/handler";
import { importItems } from "@/lib/mall/items";

export const POST = withMerchant("mall.write", async ({ request, db, merchantId, actor }) => importItems(db, merchantId, await readJson(request), actor));

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
