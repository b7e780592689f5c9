"use client";
import { useLocale } from "next-intl";
import { useMemo } from "react";
import { formatMoneyAxis } from "@/lib/format/money";

/** Formatters for the charts: money arrives in fen and shows as ¥ with two decimals; rates as percentages. */
export function useFormat() {
  const locale = useLocale();
  return useMemo(() => {
    const money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
    const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    const pct = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
    // Two decimals at most: nice ticks 0.25% apart never both read "0.5%".
    const pctAxis = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 });
    const dec = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const sign = (s: string, v: number) => (v < 0 ? `-${s.replace("-", "")}` : s);
    return {
      locale,
      /** ¥1,234.56 from 123456 fen. */
      money: (fen: number | null | undefined) => (fen === null || fen === undefined ? "—" : sign(`¥${money.format(Math.abs(fen) / 100)}`, fen)),
      /** ¥13.5K / ¥1.35万 for axes, never a rounded figure that differs from the value. */
      moneyAxis: (fen: number) => formatMoneyAxis(fen, locale),
      count: (n: number | null | undefined) => (n === null || n === undefined ? "—" : int.format(n)),
      countAxis: (n: number) => compact.format(n),
      percent: (r: number | null | undefined) => (r === null || r === undefined ? "—" : pct.format(r)),
      percentAxis: (r: number) => pctAxis.format(r),
      /** One decimal: 2.5 (percentage points). */
      decimal1: (n: number) => new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n),
      /** A ratio like ROI: 3.25×. */
      times: (r: number | null | undefined) => (r === null || r === undefined ? "—" : `${dec.format(r)}×`),
      /** Period label on the x axis: 2026-05 for months, 05-12 for days and weeks. */
      period: (p: string, granularity: string) => (granularity === "month" ? p.slice(0, 7) : p.slice(5)),
    };
  }, [locale]);
}

export type Format = ReturnType<typeof useFormat>;
