"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { roles } from "@/db/schema/tenancy";
import { userInput } from "@/lib/schemas/users";
import { createUserAction } from "@/lib/actions/create-user";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, Input, Select, describedBy } from "@/components/ui/field";
import { applyActionError, useFieldError } from "@/components/forms/use-field-error";
import { useHydrated } from "@/components/forms/use-hydrated";

type Values = z.input<typeof userInput>;
const fields = ["email", "name", "role", "password"] as const;

export function CreateUserForm() {
  const t = useTranslations("users");
  const tRoles = useTranslations("roles");
  const errorText = useFieldError();
  const [done, setDone] = useState<string | null>(null);
  const hydrated = useHydrated();
  const {
    register,
    handleSubmit,
    reset,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values, unknown, z.output<typeof userInput>>({
    resolver: zodResolver(userInput),
    defaultValues: { email: "", name: "", role: "operator", password: "" },
  });

  const onSubmit = handleSubmit(async (values) => {
    setDone(null);
    const result = await createUserAction(values);
    if (!result.ok) {
      if (!applyActionError(result.error, fields, setError)) setError("root", { type: "server", message: result.error.message });
      return;
    }
    reset();
    setDone(t("create.created", { name: result.data.name, email: result.data.email }));
  });

  const err = (name: (typeof fields)[number]) => errorText(name, errors[name]);

  return (
    <form method="post" onSubmit={onSubmit} noValidate aria-labelledby="create-user-heading" data-testid="create-user-form" className="space-y-4 px-5 py-4">
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      <Field id="new-user-email" label={t("create.email")} error={err("email")}>
        <Input id="new-user-email" type="email" autoComplete="off" invalid={!!errors.email} aria-describedby={describedBy("new-user-email", err("email"))} {...register("email")} />
      </Field>
      <Field id="new-user-name" label={t("create.name")} error={err("name")}>
        <Input id="new-user-name" autoComplete="off" invalid={!!errors.name} aria-describedby={describedBy("new-user-name", err("name"))} {...register("name")} />
      </Field>
      <Field id="new-user-role" label={t("create.role")} error={err("role")} hint={<RoleHint />}>
        <Select id="new-user-role" invalid={!!errors.role} aria-describedby={describedBy("new-user-role", err("role"), true)} {...register("role")}>
          {roles.map((role) => (
            <option key={role} value={role}>
              {tRoles(role)}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="new-user-password" label={t("create.password")} error={err("password")} hint={t("create.passwordHint")}>
        <Input
          id="new-user-password"
          type="password"
          autoComplete="new-password"
          invalid={!!errors.password}
          aria-describedby={describedBy("new-user-password", err("password"), true)}
          {...register("password")}
        />
      </Field>
      <div className="flex items-center justify-between gap-3 pt-1">
        <p role="status" className="min-w-0 text-sm text-emerald-700">
          {done}
        </p>
        <Button type="submit" disabled={isSubmitting || !hydrated}>
          {isSubmitting ? t("create.submitting") : t("create.submit")}
        </Button>
      </div>
    </form>
  );
}

function RoleHint() {
  const t = useTranslations("users.roleHelp");
  const tRoles = useTranslations("roles");
  return (
    <span className="block space-y-0.5">
      {roles.map((role) => (
        <span key={role} className="block">
          <span className="font-medium text-gray-600">{tRoles(role)}</span> — {t(role)}
        </span>
      ))}
    </span>
  );
}
