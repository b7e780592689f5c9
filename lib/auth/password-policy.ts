import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";
import { AppError } from "@/lib/errors";

// Server-only: the common-password dictionary is ~1 MB, so client forms check only the length
// (lib/schemas/users.ts) and the server checks the rest here.
let checker: ZxcvbnFactory | undefined;
const zxcvbn = () => (checker ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs }));

/** zxcvbn's "safely unguessable" (about 10^8 guesses and more); 0–2 are common or near-common passwords. */
export const MIN_SCORE = 3;

/**
 * The password policy for every new or changed password (length and whitespace are in the zod
 * schema `passwordInput`): not a common password, nor one guessed from the user's own email or name.
 */
export function assertStrongPasswordOrThrow(password: string, userInputs: { email: string; name?: string }) {
  const local = userInputs.email.split("@")[0];
  const inputs = [userInputs.email, local, ...(userInputs.name ? [userInputs.name] : [])];
  const lower = password.toLowerCase();
  const personal = inputs.some((s) => s.length >= 3 && lower.includes(s.toLowerCase()));
  if (personal || zxcvbn().check(password, inputs).score < MIN_SCORE)
    throw new AppError("validation_failed", "password: too easy to guess; use a longer phrase that is not a common password", [
      { path: "password", message: "too easy to guess" },
    ]);
}
