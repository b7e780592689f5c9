import { unstable_rethrow } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { guardSession } from "@/lib/auth/guard";
import type { Actor, Permission } from "@/lib/auth/actor";
import { AppError, type ErrorCode } from "@/lib/errors";
import { fieldErrorMessage } from "@/i18n/field-error";
import { defaultLocale, isLocale } from "@/i18n/config";
import { issueText } from "@/i18n/issues";

export type ActionErrorCode = ErrorCode | "internal";

export interface ActionError {
  code: ActionErrorCode;
  /** A sentence in the user's language, for a form-level message. */
  message: string;
  /** Keyed by input path (`email`, `items.2.name`), each already in the user's language. */
  fieldErrors: Record<string, string>;
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

export interface ActionContext {
  actor: Actor;
  db: Db;
  /** The guard's merchant: an action never takes a merchant id from its input. */
  merchantId: string;
}

interface FieldIssue {
  path: string;
  /** A zod issue code, or the AppError's code for issues the domain found. */
  code: string;
  message: string;
  /** Already in the user's language (a zod issue through issueText); a field's own wording still wins. */
  text?: string;
}

async function currentLocale() {
  const l = await getLocale();
  return isLocale(l) ? l : defaultLocale;
}

async function failure(code: ActionErrorCode, issues: FieldIssue[] = []): Promise<{ ok: false; error: ActionError }> {
  const t = await getTranslations();
  const v = await getTranslations("validation");
  const translate = Object.assign((key: string) => v(key), { has: (key: string) => v.has(key) });
  const fieldErrors: Record<string, string> = {};
  for (const issue of issues) {
    const own = `fields.${issue.path.split(".").pop()}.${issue.code}`;
    fieldErrors[issue.path] ??= issue.text && !v.has(own) ? issue.text : fieldErrorMessage(translate, issue.path, issue.code, issue.message);
  }
  return { ok: false, error: { code, message: t(`errors.${code}`), fieldErrors } };
}

/**
 * The one way to write a server action on merchant data: the single guard first (who, which
 * merchant, which role), then the input parsed by the resource's zod schema, then the handler with
 * the narrowed merchant. Failures come back as values, never as thrown errors, so forms can show them.
 *
 *   export const createUserAction = merchantAction("users.manage", userInput, (input, { db, merchantId, actor }) =>
 *     createUser(db, merchantId, input, actor));
 */
export function merchantAction<S extends z.ZodType, T>(
  permission: Permission,
  schema: S,
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    try {
      const { actor, db } = await guardSession(permission);
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        const locale = await currentLocale();
        return failure(
          "validation_failed",
          parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), code: i.code, message: i.message, text: issueText(i, locale) })),
        );
      }
      return { ok: true, data: await handler(parsed.data, { actor, db, merchantId: actor.merchantId }) };
    } catch (err) {
      unstable_rethrow(err); // redirect() and notFound() inside a handler keep working
      if (err instanceof AppError) {
        // A domain function's validation (the program parsed again on the server): its zod issues in the user's language too.
        const locale = err.sourceIssues ? await currentLocale() : defaultLocale;
        return failure(err.code, err.issues.map((i, n) => ({ ...i, code: err.code, text: err.sourceIssues?.[n] ? issueText(err.sourceIssues[n], locale) : undefined })));
      }
      console.error(err);
      return failure("internal");
    }
  };
}
