// GET /api/v1/members/{memberId}/ledger?cursor= — points ledger entries, newest first, 50 a page.
import { z } from "zod";
import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { memberIdParamOrThrow } from "@/lib/schemas/members";
import { validationError } from "@/lib/errors";
import { memberLedger } from "@/lib/members/read-member";
import { requestLocale } from "@/i18n/request-locale";

const query = z.object({ cursor: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export const GET = withMerchant<{ memberId: string }>("members.read", async ({ request, db, merchantId, params }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return memberLedger(db, merchantId, memberIdParamOrThrow(params.memberId), parsed.data.cursor ?? null, parsed.data.limit, requestLocale(request));
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
