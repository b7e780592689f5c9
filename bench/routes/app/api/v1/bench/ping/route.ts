// GET /api/v1/bench/ping — constant JSON: the framework's own ceiling for `npm run bench -- ingest`.
// Bench build only (bench/build-server.ts).
import { jsonResponse } from "@/lib/api/handler";

export const GET = () => jsonResponse({ ok: true });
