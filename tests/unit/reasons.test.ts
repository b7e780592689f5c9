import { describe, expect, it } from "vitest";
import { parseLegacyReason, reasonView, renderReason, sourceText, type ReasonParams } from "@/lib/reasons";
import { coded } from "@/lib/reasons/row";
import { occasionText } from "@/lib/reasons/source";

const gold = { zh: "金卡", en: "Gold" };

describe("reason catalogue", () => {
  it.each([
    ["order", { orderId: "20260624-43053", amount: 28010, perYuan: 1, tierPct: 100, campaignPct: 100 }, "订单 20260624-43053 ¥280.10 × 每元 1 积分 × 等级 100% × 活动 100%", "order 20260624-43053 ¥280.10 × 1/yuan × tier 100% × campaign 100%"],
    ["order_growth", { orderId: "A1", amount: 125800, perYuan: 2 }, "订单 A1 ¥1,258.00 × 每元 2 成长值", "order A1 ¥1,258.00 × 2/yuan"],
    ["registered", {}, "注册", "registered"],
    ["registered_trial", { tier: gold, days: 7 }, "注册：试用金卡 7 天", "registered: trial of Gold for 7 days"],
    ["checkin", { streak: 3 }, "签到（连续 3 天）", "check-in (streak 3)"],
    ["automation_bonus", { name: { zh: "新人礼包", en: "New-member pack" } }, "自动化「新人礼包」：奖励积分", "automation New-member pack: bonus points"],
    [
      "upgraded",
      { mode: "any", conditions: [{ measure: "growth", window: "lifetime", actual: 20011, value: 20000 }] },
      "升级：累计成长值 20,011 ≥ 20,000",
      "upgraded: growth (lifetime) 20,011 ≥ 20,000",
    ],
    [
      "requalify_failed",
      { mode: "all", conditions: [{ measure: "spend", window: "rolling12m", actual: 150000, value: 300000 }, { measure: "orders", window: "calendarYear", actual: 2, value: 5 }] },
      "保级未达标：近12个月消费额 ¥1,500.00 ≥ ¥3,000.00 且 本年度订单数 2 ≥ 5",
      "re-qualification: spend (last 12 months) ¥1,500.00 ≥ ¥3,000.00 and orders (this calendar year) 2 ≥ 5 not met",
    ],
    ["expired", { source: "ev:seed-1-77:order" }, "积分过期：订单获得的积分", "expired: points from order"],
    ["refund", { orderId: "P", amount: 5000, orderAmount: 30000 }, "订单 P 退款 ¥50.00（订单 ¥300.00）", "refund of order P: ¥50.00 of ¥300.00"],
    ["manual", { text: "补偿", by: "API" }, "人工调整：补偿（接口）", "manual: 补偿 (API)"],
  ] as [string, ReasonParams, string, string][])("renders %s in zh and en", (code, params, zh, en) => {
    expect(renderReason(code, params, "zh")).toBe(zh);
    expect(renderReason(code, params, "en")).toBe(en);
  });

  it("adds the debt a row paid off or kept", () => {
    expect(renderReason("checkin", { streak: 1, debtPaid: 40 }, "zh")).toBe("签到（连续 1 天）（其中 40 积分抵还此前退款的欠分）");
    expect(renderReason("refund", { orderId: "P", amount: 100, orderAmount: 100, debtKept: 7 }, "en")).toBe(
      "refund of order P: ¥1.00 of ¥1.00 (7 already spent: kept as a debt that later earnings pay off)",
    );
  });

  it("keeps the engine's English text for support (coded gives it beside the code)", () => {
    expect(coded("refund_growth", { orderId: "X9" })).toEqual({ code: "refund_growth", params: { orderId: "X9" }, reason: "refund of order X9" });
  });

  it("answers null for a code it does not know", () => {
    expect(renderReason("nope", {}, "zh")).toBeNull();
  });
});

describe("old rows (English text, no code)", () => {
  it.each([
    ["order 20260624-43053 ¥280.10 × 1/yuan × tier 100% × campaign 100%", null, "订单 20260624-43053 ¥280.10 × 每元 1 积分 × 等级 100% × 活动 100%"],
    ["automation New-member pack: bonus points", null, "自动化「New-member pack」：奖励积分"],
    ["check-in (streak 1)", null, "签到（连续 1 天）"],
    ["check-in", null, "签到"],
    ["registered", null, "注册"],
    ["upgraded: growth(lifetime) 20011 ≥ 20000", null, "升级：累计成长值 20,011 ≥ 20,000"],
    ["re-qualification: growth(rolling12m) 10 ≥ 500 and orders(lifetime) 1 ≥ 2 not met", null, "保级未达标：近12个月成长值 10 ≥ 500 且 累计订单数 1 ≥ 2"],
    ["no paid order for 6 months", null, "连续 6 个月没有付费订单"],
    ["expired: points from ev:seed-3:order (500 held by an open checkout are kept until it closes)", null, "积分过期：订单获得的积分（500 积分被未完成的结账占用，结账结束前保留）"],
    ["checkout: order T-1 (600 of them from lots that expired while held)", null, "结账抵扣：订单 T-1（其中 600 积分来自占用期间过期的批次）"],
    ["points mall: order MO-1 cancelled (800 points not returned: their lots expired since)", null, "积分商城订单 MO-1 已取消（800 积分因批次已过期未退回）"],
    ["refund of order P (¥300.00 of ¥300.00): 200 points spent at checkout given back to their lots; 100 not returned: their lots have expired", null, "订单 P 退款（¥300.00 / ¥300.00）：结账时使用的 200 积分退回原批次；100 积分因批次已过期未退回"],
    ["order A ¥10.00 × 1/yuan × tier 100% × campaign 100% (30 paid off an earlier refund's debt)", null, "订单 A ¥10.00 × 每元 1 积分 × 等级 100% × 活动 100%（其中 30 积分抵还此前退款的欠分）"],
    ["积分抵现", "redemption", "积分兑换：积分抵现"],
    ["补录 — ops@shop.cn", "manual", "人工调整：补录（ops@shop.cn）"],
  ])("%s → zh", (text, rule, zh) => {
    const v = reasonView({ reason: text, rule }, "zh-CN");
    expect([v.reason, v.original]).toEqual([zh, false]);
  });

  it("shows a text it cannot read as it is, marked original", () => {
    expect(reasonView({ reason: "something a later engine wrote", rule: null }, "zh-CN")).toEqual({ reasonCode: null, reasonParams: null, reason: "something a later engine wrote", original: true });
    expect(parseLegacyReason("upgraded: height(lifetime) 1 ≥ 2")).toBeNull();
  });

  it("prefers the stored code over the text", () => {
    const v = reasonView({ reason: "whatever", reasonCode: "review", reasonParams: {}, rule: "review" }, "en");
    expect([v.reasonCode, v.reason]).toEqual(["review", "review"]);
  });
});

describe("sources in words", () => {
  it.each([
    ["ev:seed-1-2-3:order", "订单", "order"],
    ["ev:abc:campaign:double", "活动奖励", "campaign bonus"],
    ["checkin:M1:2026-10-22", "签到 · 2026-10-22", "check-in · 2026-10-22"],
    ["auto:winback:M1:on:2026-10-22:0", "自动化 · 触发于 · 2026-10-22", "automation · on · 2026-10-22"],
    ["auto:welcome:M1:registered:0", "自动化 · 注册时", "automation · on registering"],
    ["period:2026-10-22:tier:M1", "每日任务 · 2026-10-22", "daily job · 2026-10-22"],
    ["redemption:r-1", "积分兑换", "redemption"],
    ["hold:h_1", "结账", "checkout"],
    ["zzz:1", "其他", "other"],
  ])("%s", (source, zh, en) => {
    expect(sourceText(source, "zh")).toBe(zh);
    expect(sourceText(source, "en")).toBe(en);
  });
});

describe("automation occasions in words", () => {
  it("names the occasion and keeps its codes and dates", () => {
    expect(occasionText("registered", "zh")).toBe("注册时");
    expect(occasionText("upgraded:gold:2026-10-22", "zh")).toBe("升级时 gold 2026-10-22");
    expect(occasionText("card-ends:2026-03-28", "en")).toBe("card ends 2026-03-28");
    expect(occasionText("something-new:1", "zh")).toBe("something-new:1");
  });
});
