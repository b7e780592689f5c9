"use client";
import { useLocale } from "next-intl";
import { useMemo } from "react";

/** Formatters for the charts: money arrives in fen and shows as ¥ with two decimals; rates as percentages. */
export function useFormat() {
  const locale = useLocale();
  return useMemo(() => {
    const money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
    const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    const pct = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const pctAxis = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
    const dec = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const sign = (s: string, v: number) => (v < 0 ? `-${s.replace("-", "")}` : s);
    return {
      locale,
      /** ¥1,234.56 from 123456 fen. */
      money: (fen: number | null | undefined) => (fen === null || fen === undefined ? "—" : sign(`¥${money.format(Math.abs(fen) / 100)}`, fen)),
      /** ¥12.3K / ¥1.2万 for axes. */
      moneyAxis: (fen: number) => sign(`¥${compact.format(Math.abs(fen) / 100)}`, fen),
      count: (n: number | null | undefined) => (n === null || n === undefined ? "—" : int.format(n)),
      countAxis: (n: number) => compact.format(n),
      percent: (r: number | null | undefined) => (r === null || r === undefined ? "—" : pct.format(r)),
      percentAxis: (r: number) => pctAxis.format(r),
      /** A ratio like ROI: 3.25×. */
      times: (r: number | null | undefined) => (r === null || r === undefined ? "—" : `${dec.format(r)}×`),
      /** Period label on the x axis: 2026-05 for months, 05-12 for days and weeks. */
      period: (p: string, granularity: string) => (granularity === "month" ? p.slice(0, 7) : p.slice(5)),
    };
  }, [locale]);
}

export type Format = ReturnType<typeof useFormat>;
