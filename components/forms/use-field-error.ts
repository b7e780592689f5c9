"use client";
import { useTranslations } from "next-intl";
import type { FieldError, FieldValues, Path, UseFormSetError } from "react-hook-form";
import type { ActionError } from "@/lib/api/action";
import { fieldErrorMessage } from "@/i18n/field-error";

/**
 * Field errors in the user's language. Client-side ones come from the zod resolver with the zod
 * issue code as `type`; server-side ones arrive already translated (type "server").
 */
export function useFieldError() {
  const t = useTranslations("validation");
  return (name: string, error: FieldError | undefined) =>
    error ? (error.type === "server" ? (error.message ?? "") : fieldErrorMessage(t, name, String(error.type), error.message ?? "")) : undefined;
}

/** Puts an action's field errors next to their fields; returns whether any matched a field. */
export function applyActionError<T extends FieldValues>(error: ActionError, fields: readonly Path<T>[], setError: UseFormSetError<T>): boolean {
  let matched = false;
  for (const [path, message] of Object.entries(error.fieldErrors)) {
    if ((fields as readonly string[]).includes(path)) {
      setError(path as Path<T>, { type: "server", message }, { shouldFocus: !matched });
      matched = true;
    }
  }
  return matched;
}
