import bcrypt from "bcryptjs";
import { hash, verify } from "@node-rs/argon2";

// Argon2id (`Algorithm.Argon2id`: a const enum, which isolated modules cannot read) with the
// library's defaults (19 MiB, 2 passes, 1 lane): OWASP's first recommended setting.
const ARGON2ID = 2;

export const hashPassword = (plain: string) => hash(plain, { algorithm: ARGON2ID });

const isBcrypt = (stored: string) => /^\$2[aby]\$/.test(stored);

/**
 * Checks a password against a stored hash: argon2id, or bcrypt from before argon2id (still
 * accepted; `rehash` says the caller should store a fresh argon2id hash now that it knows the
 * password).
 */
export async function verifyPassword(plain: string, stored: string): Promise<{ ok: boolean; rehash: boolean }> {
  if (isBcrypt(stored)) {
    const ok = await bcrypt.compare(plain, stored);
    return { ok, rehash: ok };
  }
  try {
    return { ok: await verify(stored, plain), rehash: false };
  } catch {
    return { ok: false, rehash: false };
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends what verifying a real hash would, for an email that names no user: without it an unknown
 * email was answered in ~13 ms and a known one in ~170 ms, which told anyone which emails have accounts.
 */
export async function verifyAgainstDummy(plain: string): Promise<false> {
  dummy ??= hashPassword("not-a-password: the dummy hash of unknown emails");
  await verify(await dummy, plain).catch(() => false);
  return false;
}
