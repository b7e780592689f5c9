// GET /api/seeding — the first start's demo history seeding: state and progress (no data, no auth:
// the sign-in page shows it too). 404-free: { state: "none" } when this process seeds nothing.
import { seedingPercent, seedingStatus } from "@/lib/seed/seeding-status";

export const dynamic = "force-dynamic";

export function GET() {
  const s = seedingStatus();
  const body = s ? { state: s.state, percent: seedingPercent(s), daysDone: s.daysDone, days: s.days, date: s.date, startedAt: s.startedAt, finishedAt: s.finishedAt } : { state: "none" };
  return Response.json(body, { headers: { "cache-control": "no-store" } });
}
