// GET /api/v1/outbox?after=<cursor>&limit=<1–500> — automation messages in the order committed; reading removes nothing.
import { withMerchant } from "@/lib/api/handler";
import { validationError } from "@/lib/errors";
import { outboxPage, outboxQuery } from "@/lib/schemas/outbox";
import { readOutbox } from "@/lib/outbox/read-outbox";

export const GET = withMerchant("outbox.read", async ({ request, db, merchantId }) => {
  const parsed = outboxQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return outboxPage.parse(await readOutbox(db, merchantId, parsed.data));
});
