/** The slice of a next-intl translator this needs, so client and server translators both fit. */
interface Translator {
  (key: string): string;
  has(key: string): boolean;
}

/**
 * A field error in the user's language, from the validation namespace: the field's own wording for
 * the issue code if there is one (`fields.password.too_small`), else the code's, else `fallback`.
 * Codes are zod issue codes, or an AppError code for errors the server finds (`conflict`).
 */
export function fieldErrorMessage(t: Translator, path: string, code: string | undefined, fallback: string): string {
  const field = path.split(".").pop() ?? path;
  for (const key of [`fields.${field}.${code}`, String(code)]) if (code && t.has(key)) return t(key);
  return fallback;
}
