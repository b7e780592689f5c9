import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { can } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/guard";
import { listUsers } from "@/lib/tenancy/users";
import { ForbiddenPanel } from "@/components/shell/forbidden-panel";
import { Card, CardHeader } from "@/components/ui/card";
import { UsersTable } from "@/components/settings/users-table";
import { CreateUserForm } from "@/components/settings/create-user-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("users"))("heading") };
}

/** Settings → Users: owners only; everyone else gets the no-permission panel and no form. */
export default async function SettingsUsersPage() {
  const { actor, db } = await currentActor();
  if (!actor || actor.kind !== "user") redirect("/sign-in");
  if (!can(actor, "users.manage")) return <ForbiddenPanel actor={actor} />;
  const [users, t] = await Promise.all([listUsers(db, actor.merchantId), getTranslations("users")]);

  return (
    <div className="grid items-start gap-6 xl:grid-cols-3">
      <Card className="xl:col-span-2" aria-labelledby="users-heading">
        <CardHeader id="users-heading" title={t("heading")} description={t("description")} actions={<span className="text-sm text-gray-500">{t("count", { count: users.length })}</span>} />
        <UsersTable users={users} currentUserId={actor.userId} />
      </Card>
      <Card aria-labelledby="create-user-heading">
        <CardHeader id="create-user-heading" title={t("create.heading")} description={t("create.description")} />
        <CreateUserForm />
      </Card>
    </div>
  );
}
