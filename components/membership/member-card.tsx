import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, localName, type Named } from "@/components/members/format";
import type { Card as MembershipCard } from "@/lib/membership/cards";

const DAY_MS = 86_400_000;

/**
 * The member page's paid-membership card (付费会员卡): the card running now (or the next one bought
 * ahead), its time left, and the rights it issued that are still unused; else the last card's end.
 */
export async function MemberCardSection({
  cards,
  plans,
  rights,
  timeZone,
  locale,
  now = new Date(),
}: {
  cards: MembershipCard[];
  plans: { code: string; name: string; nameEn: string }[];
  rights: { grantId: string; source: string; name: Named; state: string }[];
  timeZone: string;
  locale: string;
  now?: Date;
}) {
  const t = await getTranslations("membership.member");
  const current = cards.find((c) => c.startsAt <= now && now < c.endsAt) ?? cards.find((c) => c.startsAt > now);
  const last = cards.filter((c) => c.endsAt <= now).at(-1);
  const planName = (code: string) => {
    const p = plans.find((x) => x.code === code);
    return p ? (locale === "en" ? p.nameEn : p.name) : code;
  };
  const mine = current ? rights.filter((r) => r.state === "held" && current.purchaseIds.some((id) => r.source.startsWith(`membership:${id}:`))) : [];
  const counts = new Map<string, { name: Named; n: number }>();
  for (const r of mine) {
    const key = localName(r.name, locale);
    counts.set(key, { name: r.name, n: (counts.get(key)?.n ?? 0) + 1 });
  }
  const daysLeft = current ? Math.max(0, Math.ceil((current.endsAt.getTime() - Math.max(now.getTime(), current.startsAt.getTime())) / DAY_MS)) : 0;
  return (
    <Card className="p-5" data-testid="membership-card" aria-labelledby="membership-card-heading">
      <h2 id="membership-card-heading" className="text-sm font-medium text-gray-500">
        {t("heading")}
      </h2>
      {current ? (
        <div className="mt-1">
          <p className="flex flex-wrap items-center gap-2 text-xl font-semibold text-gray-900">
            {planName(current.plan)}
            <Badge tone={current.startsAt <= now ? "green" : "amber"}>{current.startsAt <= now ? t("running") : t("upcoming")}</Badge>
          </p>
          <p className="mt-1 text-sm text-gray-700" data-testid="membership-time-left">
            {t("period", { from: formatDateTime(current.startsAt.toISOString(), timeZone, false), to: formatDateTime(current.endsAt.toISOString(), timeZone, false) })}
            {" · "}
            {t("daysLeft", { n: daysLeft })}
          </p>
          <ul className="mt-2 flex flex-wrap gap-2 text-xs text-gray-600" data-testid="membership-rights">
            {counts.size === 0 ? <li>{t("noRights")}</li> : null}
            {[...counts.entries()].map(([key, c]) => (
              <li key={key} className="rounded-md bg-gray-50 px-2 py-1 ring-1 ring-gray-200">
                {t("right", { name: key, n: c.n })}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="mt-1 text-sm text-gray-600">{last ? t("ended", { plan: planName(last.plan), date: formatDateTime(last.endsAt.toISOString(), timeZone, false) }) : t("none")}</p>
      )}
    </Card>
  );
}
