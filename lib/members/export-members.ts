import type { Db } from "@/db/client";
import { currentProgram } from "@/lib/program/store";
import { csvLine } from "@/lib/csv/write";
import type { MemberListQuery } from "@/lib/schemas/members";
import { listMembers } from "./list-members";

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * The filtered list as a CSV stream (UTF-8 with a BOM so Excel opens it), 1,000 rows a page by
 * keyset, so a million rows never sit in memory at once.
 */
export function exportMembersCsv(db: Db, merchantId: string, filter: MemberListQuery, opts: { fullPhone: boolean }): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  let timeZone = "Asia/Shanghai";
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        timeZone = (await currentProgram(db, merchantId)).timeZone;
        controller.enqueue(enc.encode("\uFEFF" + csvLine(["member_id", "name", "phone", "tier", "lifecycle", "rfm_r", "rfm_f", "rfm_m", "lifetime_spend_yuan", "points_balance", "growth", "orders", "registered_at", "last_order_at"])));
      }
      const page = await listMembers(db, merchantId, { ...filter, cursor, limit: 1000 }, { timeZone, fullPhone: opts.fullPhone });
      controller.enqueue(
        enc.encode(page.rows.map((r) => csvLine([r.memberId, r.name, r.phone, r.tierCode, r.lifecycle, r.rfm.r, r.rfm.f, r.rfm.m, yuan(r.lifetimeSpend), r.pointsBalance, r.growth, r.orderCount, r.registeredAt, r.lastOrderAt])).join("")),
      );
      if (!page.nextCursor) controller.close();
      else cursor = page.nextCursor;
    },
  });
}
