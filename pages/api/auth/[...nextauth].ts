// GET/POST /api/auth/* — next-auth's sign-in, session, csrf and sign-out endpoints.
// A Pages API route, not an App Router one, for the socket's address: sign-in throttling needs the
// client's address, and only a configured proxy may name it (lib/auth/client-address.ts).
import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth from "next-auth";
import { authOptionsFor } from "@/lib/auth/options";
import { clientAddress, trustedProxies } from "@/lib/auth/client-address";

const trusted = trustedProxies();

export default function auth(req: NextApiRequest, res: NextApiResponse) {
  return NextAuth(req, res, authOptionsFor(clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted)));
}
