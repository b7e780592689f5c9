import { withMerchant, methodsNotAllowed } from "@/lib/api/handler";
import { AppError, validationError } from "@/lib/errors";
import { isMetricName } from "@/lib/metrics";
import { fastMetrics } from "@/lib/metrics/fast";
import { metricQuery } from "@/lib/schemas/metrics";

/** GET /api/v1/metrics/{name}?from&to&granularity&tier → { name, from, to, series, total } (from the daily rollups where it can). */
export const GET = withMerchant<{ name: string }>("metrics.read", async ({ request, merchantId, db, params }) => {
  if (!isMetricName(params.name)) throw new AppError("not_found", `no metric "${params.name}"`);
  const parsed = metricQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  const { name, from, to, series, total } = await fastMetrics[params.name](db, { merchantId, ...parsed.data });
  return { name, from, to, series, total };
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
