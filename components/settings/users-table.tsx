"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useOptimistic, useState, useTransition } from "react";
import { roles, type Role } from "@/db/schema/tenancy";
import { updateUserAction } from "@/lib/actions/update-user";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/field";

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabledAt: Date | null;
  createdAt: Date;
}

export function UsersTable({ users, currentUserId }: { users: UserRow[]; currentUserId: string }) {
  const t = useTranslations("users");
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  return (
    <>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t("table.caption")}</caption>
          <thead className="border-b border-gray-100 bg-gray-50/60 text-xs font-medium tracking-wide text-gray-500 uppercase">
            <tr>
              <th scope="col" className="px-5 py-2.5 font-medium">{t("table.name")}</th>
              <th scope="col" className="px-3 py-2.5 font-medium">{t("table.role")}</th>
              <th scope="col" className="px-3 py-2.5 font-medium">{t("table.status")}</th>
              <th scope="col" className="hidden px-3 py-2.5 font-medium lg:table-cell">{t("table.createdAt")}</th>
              <th scope="col" className="px-5 py-2.5 text-right font-medium">{t("table.actions")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {users.map((user) => (
              <UserRowView key={user.id} user={user} self={user.id === currentUserId} onResult={setMessage} />
            ))}
          </tbody>
        </table>
      </div>
      <p role="status" className={message?.tone === "error" ? "px-5 py-3 text-sm text-red-600" : "px-5 py-3 text-sm text-emerald-700 empty:hidden"}>
        {message?.text}
      </p>
    </>
  );
}

function UserRowView({ user, self, onResult }: { user: UserRow; self: boolean; onResult: (m: { tone: "ok" | "error"; text: string }) => void }) {
  const t = useTranslations("users");
  const tRoles = useTranslations("roles");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const [pending, startTransition] = useTransition();
  const [role, setRole] = useOptimistic(user.role);
  const disabled = !!user.disabledAt;

  function update(patch: { role?: Role; disabled?: boolean }) {
    startTransition(async () => {
      if (patch.role) setRole(patch.role);
      const result = await updateUserAction({ userId: user.id, ...patch });
      onResult(result.ok ? { tone: "ok", text: t("updated", { name: user.name }) } : { tone: "error", text: Object.values(result.error.fieldErrors)[0] ?? result.error.message });
    });
  }

  return (
    <tr data-testid={`user-row-${user.email}`} className={disabled ? "bg-gray-50/60 text-gray-500" : undefined} aria-busy={pending || undefined}>
      <td className="px-5 py-3">
        <div className="flex items-center gap-2 font-medium text-gray-900">
          {user.name}
          {self ? <Badge tone="gray">{tCommon("you")}</Badge> : null}
        </div>
        <div className="text-xs break-all text-gray-500">{user.email}</div>
      </td>
      <td className="px-3 py-3">
        {self ? (
          <Badge tone="accent">{tRoles(user.role)}</Badge>
        ) : (
          <Select
            aria-label={t("roleFor", { name: user.name })}
            value={role}
            disabled={pending}
            onChange={(e) => update({ role: e.target.value as Role })}
            className="h-8 w-28 text-sm"
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {tRoles(role)}
              </option>
            ))}
          </Select>
        )}
      </td>
      <td className="px-3 py-3">
        <Badge tone={disabled ? "red" : "green"}>{disabled ? t("status.disabled") : t("status.active")}</Badge>
      </td>
      <td className="hidden px-3 py-3 whitespace-nowrap text-gray-500 lg:table-cell">{format.dateTime(user.createdAt, { dateStyle: "medium" })}</td>
      <td className="px-5 py-3 text-right">
        {self ? null : (
          <Button
            variant="secondary"
            size="sm"
            disabled={pending}
            onClick={() => update({ disabled: !disabled })}
            aria-label={disabled ? t("enableLabel", { name: user.name }) : t("disableLabel", { name: user.name })}
          >
            {disabled ? t("enable") : t("disable")}
          </Button>
        )}
      </td>
    </tr>
  );
}
