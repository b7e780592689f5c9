// GET /api/v1/mall/export — every mall item as JSON, in the shape POST /api/v1/mall/import takes.
import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { exportItems } from "@/lib/mall/items";

export const GET = withMerchant("program.read", async ({ db, merchantId }) => exportItems(db, merchantId));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
