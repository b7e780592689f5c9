import type { MallItemInput } from "@/lib/schemas/mall";

/**
 * The demo merchant's points mall (demo-program.md, last section). A right item's unit cost is its right's
 * (the mall KPI shows it; rights cost counts such a coupon when it is redeemed).
 */
export const demoMallItems: MallItemInput[] = [
  { itemId: "free_shipping", name: "免邮券", nameEn: "Free-shipping coupon", kind: "right", right: "free_shipping", points: 500, cash: 0, unitCost: 800, stock: null, sortOrder: 10 },
  { itemId: "winback_20", name: "¥20回归礼券", nameEn: "¥20 welcome-back coupon", kind: "right", right: "winback_20", points: 1500, cash: 0, unitCost: 2000, stock: null, sortOrder: 20 },
  {
    itemId: "tote_bag",
    name: "帆布袋",
    nameEn: "Tote bag",
    kind: "goods",
    points: 800,
    cash: 990,
    unitCost: 1500,
    stock: 200,
    perMemberLimit: { count: 1, period: "month" },
    description: "门店自提或随单寄出",
    sortOrder: 30,
  },
  // The SVIP card for 10,000 points (the seeds' "10000积分兑换价值500元年度会员"); its cost is its rights', counted when they are used.
  { itemId: "svip_card", name: "年卡 SVIP", nameEn: "SVIP annual card", kind: "membership", plan: "svip", points: 10000, cash: 0, unitCost: 0, stock: null, sortOrder: 40 },
];
