import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { currentActor } from "@/lib/auth/guard";
import { getMerchant } from "@/lib/tenancy/merchants";
import { listUsers } from "@/lib/tenancy/users";
import { currentProgram } from "@/lib/program/store";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { ReactNode } from "react";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("settings"))("title") };
}

function Row({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 py-3 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm text-gray-500">{label}</dt>
      <dd className="text-sm text-gray-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

/** Settings → General: the merchant's basics and the signed-in account, for every role. */
export default async function SettingsGeneralPage() {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  const [merchant, program, users] = await Promise.all([
    getMerchant(db, actor.merchantId),
    currentProgram(db, actor.merchantId).catch(() => null),
    listUsers(db, actor.merchantId),
  ]);
  const t = await getTranslations();
  const format = await getFormatter();

  return (
    <div className="grid gap-6 lg:grid-cols-5">
      <Card className="lg:col-span-3" aria-labelledby="merchant-heading">
        <CardHeader id="merchant-heading" title={t("settings.general.merchantHeading")} description={t("settings.general.merchantDescription")} />
        <CardBody className="py-1">
          <dl className="divide-y divide-gray-100">
            <Row label={t("settings.general.name")}>
              <span data-testid="settings-merchant-name" className="font-medium">
                {merchant.name}
              </span>
            </Row>
            <Row label={t("settings.general.slug")}>
              <code className="font-mono text-gray-700">{merchant.slug}</code>
            </Row>
            {program ? (
              <>
                <Row label={t("settings.general.timeZone")}>{program.timeZone}</Row>
                <Row label={t("settings.general.programVersion")}>{t("settings.general.programVersionValue", { version: program.version })}</Row>
              </>
            ) : null}
            <Row label={t("settings.general.userCount")}>
              {t("settings.general.userCountValue", { count: users.filter((u) => !u.disabledAt).length })}
            </Row>
            <Row label={t("settings.general.createdAt")}>
              {format.dateTime(merchant.createdAt, { dateStyle: "long", timeZone: program?.timeZone })}
            </Row>
          </dl>
        </CardBody>
      </Card>

      <Card className="self-start lg:col-span-2" aria-labelledby="account-heading">
        <CardHeader id="account-heading" title={t("settings.general.accountHeading")} description={t("settings.general.accountDescription")} />
        <CardBody className="py-1">
          <dl className="divide-y divide-gray-100">
            <Row label={t("settings.general.userName")}>{actor.name}</Row>
            <Row label={t("settings.general.email")}>
              <span className="break-all">{actor.email}</span>
            </Row>
            <Row label={t("settings.general.role")}>
              <Badge tone="accent">{t(`roles.${actor.role}`)}</Badge>
            </Row>
          </dl>
          {actor.role !== "owner" ? <p className="border-t border-gray-100 py-3 text-xs text-gray-500">{t("settings.general.permissionsNote")}</p> : null}
        </CardBody>
      </Card>
    </div>
  );
}
