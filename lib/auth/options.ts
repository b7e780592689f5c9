import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { signInWithPassword } from "./sign-in";
import { endSession } from "./sessions";

export const signInInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(200),
});

/** Thrown messages reach the sign-in page as `?error=`; these two codes are translated there. */
export const SIGN_IN_ERRORS = { invalid: "invalid_credentials", locked: "rate_limited" } as const;

type SessionUser = User & { sid: string };

/**
 * next-auth's options. Reading a session needs none of the request (`authOptions`); signing in needs
 * the client's address for throttling (`authOptionsFor`, built per request by pages/api/auth).
 */
export function authOptionsFor(address: string): NextAuthOptions {
  return {
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "credentials",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials): Promise<SessionUser> {
          const parsed = signInInput.safeParse(credentials);
          if (!parsed.success) throw new Error(SIGN_IN_ERRORS.invalid);
          const result = await signInWithPassword(await getDb(), { ...parsed.data, address });
          if (result.outcome === "rate_limited") throw new Error(SIGN_IN_ERRORS.locked);
          if (result.outcome === "invalid") throw new Error(SIGN_IN_ERRORS.invalid);
          return { ...result.user, sid: result.sessionId };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sid = (user as SessionUser).sid;
        }
        return token;
      },
      async session({ session, token }) {
        Object.assign(session, { uid: token.uid, sid: token.sid });
        return session;
      },
    },
    events: {
      // The cookie would still verify after sign-out; deleting its session row is what ends it.
      async signOut({ token }) {
        if (typeof token?.sid === "string") await endSession(await getDb(), token.sid);
      },
    },
  };
}

export const authOptions: NextAuthOptions = authOptionsFor("unknown");
