import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { currentActor } from "@/lib/auth/guard";
import { DEMO_PASSWORD, demoLoginsExist, demoUsers } from "@/lib/bootstrap";
import { SignInForm } from "@/components/auth/sign-in-form";
import { seedingPercent, seedingStatus } from "@/lib/seed/seeding-status";
import { LocaleSwitch } from "@/components/shell/locale-switch";
import { icons } from "@/components/ui/icons";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("signIn"))("pageTitle") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  const { actor, db } = await currentActor();
  if (actor) redirect("/");
  const t = await getTranslations();
  const { error } = await searchParams;
  const seeding = seedingStatus();
  // Advertised only where the demo users exist (a first start on PostgreSQL makes none).
  const demo =
    process.env.SHOW_DEMO_LOGINS !== "0" && (await demoLoginsExist(db)) ? { logins: demoUsers.map(({ email, role }) => ({ email, role })), password: DEMO_PASSWORD } : undefined;

  return (
    <div className="flex min-h-screen">
      <div className="relative hidden w-[42%] max-w-xl flex-col justify-between overflow-hidden bg-gradient-to-br from-accent-700 via-accent-600 to-indigo-500 p-10 text-white lg:flex">
        <div className="flex items-center gap-2.5">
          <span className="flex size-9 items-center justify-center rounded-lg bg-white/15 ring-1 ring-white/25">
            <icons.logo className="size-5" />
          </span>
          <span className="text-base font-semibold">{t("common.brand")}</span>
        </div>
        <div className="relative z-10 max-w-sm">
          <p className="text-2xl leading-relaxed font-semibold">{t("signIn.tagline")}</p>
          <ul className="mt-6 space-y-2.5 text-sm text-white/85">
            {(["tiers", "rights", "kpis"] as const).map((key) => (
              <li key={key} className="flex items-start gap-2.5">
                <icons.check className="mt-0.5 size-4 shrink-0 text-white" />
                {t(`signIn.features.${key}`)}
              </li>
            ))}
          </ul>
        </div>
        <div aria-hidden="true" className="absolute -right-24 -bottom-24 size-80 rounded-full bg-white/10" />
        <div aria-hidden="true" className="absolute -right-8 bottom-32 size-40 rounded-full bg-white/5" />
      </div>

      <div className="flex flex-1 flex-col">
        <div className="flex justify-end p-4">
          <LocaleSwitch />
        </div>
        <main className="flex flex-1 items-center justify-center px-4 pb-16">
          <div className="w-full max-w-sm">
            <div className="mb-8">
              <span className="mb-6 flex size-10 items-center justify-center rounded-lg bg-accent-600 text-white lg:hidden">
                <icons.logo className="size-6" />
              </span>
              <h1 className="text-2xl font-semibold tracking-tight text-gray-900">{t("signIn.title")}</h1>
              <p className="mt-1.5 text-sm text-gray-500">{t("signIn.subtitle")}</p>
            </div>
            {seeding?.state === "running" ? (
              <p role="status" data-testid="seeding-sign-in" className="mb-6 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
                {t("seeding.signIn", { percent: seedingPercent(seeding) })}
              </p>
            ) : null}
            <SignInForm initialError={Array.isArray(error) ? error[0] : error} demo={demo} />
          </div>
        </main>
      </div>
    </div>
  );
}
