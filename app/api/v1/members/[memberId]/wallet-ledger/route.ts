// GET /api/v1/members/{memberId}/wallet-ledger?cursor= — stored-value ledger entries, newest first.
import { z } from "zod";
import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { validationError } from "@/lib/errors";
import { getMemberRowOrThrow } from "@/lib/members/read-member";
import { walletLedgerPage } from "@/lib/checkout/wallet";

const query = z.object({ cursor: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export const GET = withMerchant<{ memberId: string }>("members.read", async ({ request, db, merchantId, params }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  const memberId = decodeURIComponent(params.memberId);
  await getMemberRowOrThrow(db, merchantId, memberId);
  return walletLedgerPage(db, merchantId, memberId, parsed.data.cursor ?? null, parsed.data.limit);
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
