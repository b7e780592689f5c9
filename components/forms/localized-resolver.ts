import { toNestErrors, validateFieldsNatively } from "@hookform/resolvers";
import type { FieldError, FieldValues, Resolver } from "react-hook-form";
import type { z } from "zod";
import type { AppLocale } from "@/i18n/config";
import { issueText } from "@/i18n/issues";

/** A field error whose message is already in the user's language (from `issueText`). */
export const LOCALIZED = "localized";

/**
 * zodResolver with each field's message in the user's language: the error's `type` is LOCALIZED
 * and its message says why the value is refused ("须大于下一级「银卡」的同类门槛 1,000", "须为数字"),
 * where zod's own issue messages are English and a schema's custom ones override any error map.
 */
export function localizedResolver<S extends z.ZodType<unknown, FieldValues>>(schema: S, locale: AppLocale): Resolver<z.input<S> & FieldValues, unknown, z.output<S>> {
  return async (values, _context, options) => {
    const r = await schema.safeParseAsync(values);
    if (r.success) {
      if (options.shouldUseNativeValidation) validateFieldsNatively({}, options);
      return { values: r.data, errors: {} };
    }
    const flat: Record<string, FieldError> = {};
    for (const issue of r.error.issues) flat[issue.path.join(".")] ??= { type: LOCALIZED, message: issueText(issue, locale) };
    return { values: {}, errors: toNestErrors(flat, options) };
  };
}
