import { z } from "zod";

/** A NUL byte or a UTF-16 surrogate without its pair: PostgreSQL refuses both in text and jsonb. */
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const UNSAFE_TEXT_MESSAGE = "must not contain a NUL character or an unpaired UTF-16 surrogate";

/** True when the database would refuse to store `s` (in text or inside jsonb). */
export const isUnsafeText = (s: string) => UNSAFE.test(s);

/** A string the database can store: refuses NUL and lone surrogates with a field-level message. */
export const safeText = () => z.string().refine((s) => !isUnsafeText(s), UNSAFE_TEXT_MESSAGE);
