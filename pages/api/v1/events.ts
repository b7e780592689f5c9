// POST /api/v1/events — a Pages API route, not an App Router handler: the one hot path, and a Pages
// route costs Next about half as much per request (see withMerchantNode). Everything else is in app/.
import { withMerchantNode } from "@/lib/api/handler";
import { postEvents } from "@/lib/api/events";

// Next's body parser is off: readNodeJson keeps the API's own 1 MiB limit and error shape.
export const config = { api: { bodyParser: false } };

export default withMerchantNode("POST", "events.write", async ({ body, db, merchantId }) => postEvents(db, merchantId, await body()));
