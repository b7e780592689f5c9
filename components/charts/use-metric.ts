"use client";
import { useQuery } from "@tanstack/react-query";
import type { Granularity } from "@/lib/metrics/periods";

export interface MetricResponse<S = Record<string, unknown>, T = S> {
  name: string;
  from: string;
  to: string;
  series: ({ period: string } & S)[];
  total: T;
}

export interface MetricQueryArgs {
  from: string;
  to: string;
  granularity: Granularity;
  tier: string | null;
}

/** GET /api/v1/metrics/{name} for the signed-in merchant (session cookie), cached per query by react-query. */
export function useMetric<S = Record<string, unknown>, T = S>(name: string, q: MetricQueryArgs) {
  return useQuery({
    queryKey: ["metric", name, q.from, q.to, q.granularity, q.tier ?? ""],
    queryFn: async ({ signal }) => {
      const params = new URLSearchParams({ from: q.from, to: q.to, granularity: q.granularity });
      if (q.tier) params.set("tier", q.tier);
      const res = await fetch(`/api/v1/metrics/${name}?${params}`, { signal, headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
      return (await res.json()) as MetricResponse<S, T>;
    },
  });
}
