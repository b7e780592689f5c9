import { withMerchant } from "@/lib/api/handler";
import { AppError, validationError } from "@/lib/errors";
import { isMetricName, metrics } from "@/lib/metrics";
import { metricQuery } from "@/lib/schemas/metrics";

/** GET /api/v1/metrics/{name}?from&to&granularity&tier → { name, from, to, series, total }. */
export const GET = withMerchant<{ name: string }>("metrics.read", async ({ request, merchantId, db, params }) => {
  if (!isMetricName(params.name)) throw new AppError("not_found", `no metric "${params.name}"`);
  const parsed = metricQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  const { name, from, to, series, total } = await metrics[params.name](db, { merchantId, ...parsed.data });
  return { name, from, to, series, total };
});
