import type { Db } from "@/db/client";
import { messages } from "@/messages";
import { currentProgram } from "@/lib/program/store";
import { exportTable, type ExportColumn, type ExportFormat, type ExportLocale } from "@/lib/export/table";
import type { MemberListQuery } from "@/lib/schemas/members";
import { listMembers, type MemberListRow } from "./list-members";

/**
 * The filtered list as CSV or .xlsx in the reader's language: headers, tier and lifecycle names
 * (not codes), times in the merchant's zone, money in yuan. 1,000 rows a page by keyset, so a
 * million rows never sit in memory at once.
 */
export function exportMembers(
  db: Db,
  merchantId: string,
  filter: MemberListQuery,
  opts: { fullPhone: boolean; locale?: ExportLocale; format?: ExportFormat },
): ReadableStream<Uint8Array> {
  const locale = opts.locale ?? "zh-CN";
  let stream: ReadableStream<Uint8Array> | null = null;
  const open = async () => {
    const program = await currentProgram(db, merchantId);
    const tiers = new Map(program.tiers.map((t) => [t.code, locale === "en" ? t.name.en : t.name.zh]));
    const lifecycles = (messages[locale].members as { lifecycle: Record<string, string> }).lifecycle;
    const columns: ExportColumn<MemberListRow>[] = [
      { header: { "zh-CN": "会员编号", en: "Member ID" }, kind: "text", value: (r) => r.memberId, width: 14 },
      { header: { "zh-CN": "姓名", en: "Name" }, kind: "text", value: (r) => r.name },
      { header: { "zh-CN": "手机号", en: "Phone" }, kind: "phone", value: (r) => r.phone, width: 16 },
      { header: { "zh-CN": "等级", en: "Tier" }, kind: "text", value: (r) => tiers.get(r.tierCode) ?? r.tierCode },
      { header: { "zh-CN": "生命周期", en: "Lifecycle" }, kind: "text", value: (r) => lifecycles[r.lifecycle] ?? r.lifecycle },
      { header: { "zh-CN": "R（近度）", en: "R (recency)" }, kind: "int", value: (r) => r.rfm.r },
      { header: { "zh-CN": "F（频度）", en: "F (frequency)" }, kind: "int", value: (r) => r.rfm.f },
      { header: { "zh-CN": "M（额度）", en: "M (monetary)" }, kind: "int", value: (r) => r.rfm.m },
      { header: { "zh-CN": "累计消费（元）", en: "Lifetime spend (¥)" }, kind: "money", value: (r) => r.lifetimeSpend },
      { header: { "zh-CN": "积分余额", en: "Points balance" }, kind: "int", value: (r) => r.pointsBalance },
      { header: { "zh-CN": "成长值", en: "Growth" }, kind: "int", value: (r) => r.growth },
      { header: { "zh-CN": "订单数", en: "Orders" }, kind: "int", value: (r) => r.orderCount },
      { header: { "zh-CN": "注册时间", en: "Registered" }, kind: "datetime", value: (r) => r.registeredAt, width: 20 },
      { header: { "zh-CN": "最近下单时间", en: "Last order" }, kind: "datetime", value: (r) => r.lastOrderAt, width: 20 },
    ];
    async function* pages() {
      let cursor: string | undefined;
      do {
        const page = await listMembers(db, merchantId, { ...filter, cursor, limit: 1000 }, { timeZone: program.timeZone, fullPhone: opts.fullPhone });
        yield page.rows;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return exportTable(columns, pages, opts.format ?? "csv", { locale, timeZone: program.timeZone, sheetName: locale === "en" ? "Members" : "会员" });
  };
  // The program (tier names, time zone) is read when the download starts, not when it is asked for.
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      stream ??= await open();
      const reader = stream.getReader();
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } finally {
        reader.releaseLock();
      }
    },
  });
}
