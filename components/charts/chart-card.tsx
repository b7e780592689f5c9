"use client";
import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Card, CardHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { downloadCsv, toCsv } from "./csv";

export interface CsvSpec {
  filename: string;
  columns: { key: string; label: string }[];
  rows: object[];
}

/**
 * A chart in a card: title, a CSV export of exactly the data drawn, and the loading, error and
 * empty states in place of the chart.
 */
export function ChartCard({
  id,
  title,
  description,
  state,
  csv,
  children,
  className,
  height = 280,
}: {
  id: string;
  title: ReactNode;
  description?: ReactNode;
  state: "loading" | "error" | "empty" | "ready";
  csv?: CsvSpec;
  children: ReactNode;
  className?: string;
  height?: number;
}) {
  const t = useTranslations("dashboards.chart");
  return (
    <Card className={className} aria-labelledby={`${id}-title`} data-testid={`chart-${id}`}>
      <CardHeader
        id={`${id}-title`}
        title={title}
        description={description}
        actions={
          <Button
            variant="secondary"
            size="sm"
            disabled={state !== "ready" || !csv}
            onClick={() => csv && downloadCsv(csv.filename, toCsv(csv.columns, csv.rows))}
            aria-label={t("exportLabel", { chart: typeof title === "string" ? title : id })}
          >
            {t("export")}
          </Button>
        }
      />
      <div className="px-3 py-4 sm:px-5" style={{ minHeight: height }}>
        {state === "ready" ? (
          children
        ) : (
          <div
            className="flex items-center justify-center rounded-lg bg-gray-50 text-sm text-gray-500"
            style={{ height }}
            role={state === "loading" ? "status" : undefined}
            data-state={state}
          >
            {state === "loading" ? (
              <span className="flex items-center gap-2">
                <span className="size-4 animate-spin rounded-full border-2 border-gray-300 border-t-accent-600" aria-hidden="true" />
                {t("loading")}
              </span>
            ) : state === "error" ? (
              <span className="text-red-600">{t("error")}</span>
            ) : (
              t("empty")
            )}
          </div>
        )}
      </div>
    </Card>
  );
}

/** The card state from a react-query result and whether its data has anything to draw. */
export function stateOf(q: { isPending: boolean; isError: boolean }, hasData: boolean): "loading" | "error" | "empty" | "ready" {
  if (q.isPending) return "loading";
  if (q.isError) return "error";
  return hasData ? "ready" : "empty";
}
