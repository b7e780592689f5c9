import type { Db } from "@/db/client";

/** Generated member history for the demo merchant (filled in by the engine issue). */
export async function seedDemoHistory(_db: Db, _merchantId: string): Promise<void> {}
