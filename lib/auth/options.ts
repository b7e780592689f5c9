import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { verifyPassword } from "./passwords";
import { clearFailures, isLocked, recordFailure } from "./rate-limit";

export const signInInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(200),
});

/** Thrown messages reach the sign-in page as `?error=`; these two codes are translated there. */
export const SIGN_IN_ERRORS = { invalid: "invalid_credentials", locked: "rate_limited" } as const;

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "credentials",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, req) {
        const parsed = signInInput.safeParse(credentials);
        if (!parsed.success) throw new Error(SIGN_IN_ERRORS.invalid);
        const forwarded = (req?.headers?.["x-forwarded-for"] as string | undefined)?.split(",")[0]?.trim();
        const keys = [`email:${parsed.data.email}`, `ip:${forwarded ?? "local"}`];
        if (isLocked(keys)) throw new Error(SIGN_IN_ERRORS.locked);
        const db = await getDb();
        const [user] = await db.select().from(users).where(eq(users.email, parsed.data.email));
        const ok = user && !user.disabledAt && (await verifyPassword(parsed.data.password, user.passwordHash));
        if (!ok) {
          recordFailure(keys);
          throw new Error(SIGN_IN_ERRORS.invalid);
        }
        clearFailures([keys[0]]);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) token.uid = user.id;
      return token;
    },
    async session({ session, token }) {
      (session as { uid?: string }).uid = token.uid as string | undefined;
      return session;
    },
  },
};
