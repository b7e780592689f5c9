import type { Db } from "@/db/client";
import type { AppLocale } from "@/i18n/config";
import { currentProgram } from "@/lib/program/store";
import { businessDate } from "@/lib/util/dates";

/** What a dashboard page needs from the server: today's business date and the tier and right names in the UI language. */
export async function dashboardContext(db: Db, merchantId: string, locale: string) {
  const program = await currentProgram(db, merchantId);
  const lang: keyof (typeof program.tiers)[number]["name"] = (locale as AppLocale) === "en" ? "en" : "zh";
  return {
    today: businessDate(new Date(), program.timeZone),
    tiers: program.tiers.map((t) => ({ code: t.code, name: t.name[lang], color: t.color })),
    rights: program.rights.map((r) => ({ code: r.code, name: r.name[lang] })),
  };
}
