"use client";
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";

export interface SeedingView {
  state: "running" | "done" | "failed";
  percent: number;
  date: string | null;
}

/**
 * While the first start seeds the demo history in the background: its progress, polled every 3 s,
 * so a page with few numbers yet says why. When it ends the page refreshes once to show the data.
 */
export function SeedingBanner({ initial }: { initial: SeedingView | null }) {
  const t = useTranslations("seeding");
  const router = useRouter();
  const [s, setS] = useState(initial);
  const running = s?.state === "running";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(async () => {
      try {
        const next = (await (await fetch("/api/seeding", { cache: "no-store" })).json()) as SeedingView | { state: "none" };
        if (next.state === "none") return;
        setS(next);
        if (next.state !== "running") router.refresh();
      } catch {
        /* the server is busy or restarting: the next poll tries again */
      }
    }, 3000);
    return () => clearInterval(timer);
  }, [running, router]);
  if (!s || s.state === "done") return null;
  return (
    <div role="status" data-testid="seeding-banner" className={`border-b px-4 py-2 text-sm md:px-8 ${s.state === "failed" ? "border-red-200 bg-red-50 text-red-800" : "border-amber-200 bg-amber-50 text-amber-900"}`}>
      {s.state === "failed" ? (
        t("failed")
      ) : (
        <div className="flex items-center gap-3">
          <span className="shrink-0">{t("running", { percent: s.percent, date: s.date ?? "…" })}</span>
          <span className="h-1.5 w-40 shrink-0 overflow-hidden rounded-full bg-amber-200" aria-hidden="true">
            <span className="block h-full bg-amber-500 transition-all" style={{ width: `${s.percent}%` }} />
          </span>
        </div>
      )}
    </div>
  );
}
