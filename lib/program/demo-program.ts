import type { ProgramInput } from "@/lib/schemas/program";

/** Downgrade (demo-program.md): no paid order for 3 months → down one tier. */
const downOneAfter3Months = { kind: "inactivity", months: 3 } as const;

/** The demo program of shared/spec/demo-program.md; values marked * there were chosen to complete it. */
export const demoProgram: ProgramInput = {
  timeZone: "Asia/Shanghai",
  tiers: [
    { code: "basic", name: { zh: "普通会员", en: "Basic" }, color: "#94A3B8", thresholds: [], pointsMultiplierPct: 100 },
    { code: "silver", name: { zh: "银卡会员", en: "Silver" }, color: "#A8B4C4", thresholds: [{ measure: "growth", window: "lifetime", value: 1000 }], pointsMultiplierPct: 100, retention: downOneAfter3Months },
    { code: "gold", name: { zh: "金卡会员", en: "Gold" }, color: "#D4A017", thresholds: [{ measure: "growth", window: "lifetime", value: 5000 }], pointsMultiplierPct: 120, retention: downOneAfter3Months },
    { code: "diamond", name: { zh: "钻石会员", en: "Diamond" }, color: "#6D5BD0", thresholds: [{ measure: "growth", window: "lifetime", value: 20000 }], pointsMultiplierPct: 150, retention: downOneAfter3Months },
  ],
  trial: null,
  rights: [
    { code: "member_discount", name: { zh: "会员折扣", en: "Member discount" }, kind: "discount", cadence: "always", group: "base", unitCost: 0 },
    { code: "birthday_coupon", name: { zh: "生日券", en: "Birthday coupon" }, kind: "coupon", cadence: "birthday", group: "tier", unitCost: 0, validityDays: 30, coupon: { type: "amount", amount: null, minSpend: 0 } },
    { code: "coupon_90", name: { zh: "9折券", en: "10%-off coupon" }, kind: "coupon", cadence: "monthly", group: "tier", unitCost: 1500, validityDays: 30, coupon: { type: "percent", percent: 10, maxDiscount: 5000 } },
    { code: "coupon_85", name: { zh: "8.5折券", en: "15%-off coupon" }, kind: "coupon", cadence: "monthly", group: "exclusive", unitCost: 2200, validityDays: 30, coupon: { type: "percent", percent: 15, maxDiscount: 10000 } },
    { code: "free_shipping", name: { zh: "免邮券", en: "Free shipping" }, kind: "free_shipping", cadence: "monthly", group: "tier", unitCost: 800, validityDays: 30, coupon: { type: "shipping" } },
    { code: "tasting", name: { zh: "新品试吃", en: "New product tasting" }, kind: "early_access", cadence: "monthly", group: "tier", unitCost: 1000, validityDays: 30 },
    { code: "birthday_cake", name: { zh: "定制甜品/蛋糕", en: "Custom dessert/cake" }, kind: "gift", cadence: "birthday", group: "tier", unitCost: 3000, validityDays: 30 },
    { code: "reserved_seat", name: { zh: "专属座位/包间", en: "Reserved seat / private room" }, kind: "service", cadence: "always", group: "exclusive", unitCost: 0 },
    { code: "manager_reception", name: { zh: "店长接待", en: "Store manager reception" }, kind: "service", cadence: "always", group: "exclusive", unitCost: 0 },
    { code: "coupon_10", name: { zh: "¥10无门槛券", en: "¥10 no-threshold coupon" }, kind: "coupon", cadence: "once", group: "base", unitCost: 1000, faceValue: 1000, validityDays: 30, coupon: { type: "amount", amount: 1000, minSpend: 0 } },
    { code: "winback_20", name: { zh: "¥20回归礼券", en: "¥20 welcome-back coupon" }, kind: "coupon", cadence: "once", group: "base", unitCost: 2000, faceValue: 2000, validityDays: 30, coupon: { type: "amount", amount: 2000, minSpend: 10000 } },
  ],
  matrix: [
    ...["basic", "silver", "gold", "diamond"].map((tierCode) => ({ tierCode, rightCode: "member_discount", value: "9.5折", quantity: 1 })),
    { tierCode: "silver", rightCode: "birthday_coupon", value: "¥50", quantity: 1, unitCost: 5000 },
    { tierCode: "gold", rightCode: "birthday_coupon", value: "¥100", quantity: 1, unitCost: 10000 },
    { tierCode: "diamond", rightCode: "birthday_coupon", value: "¥200", quantity: 1, unitCost: 20000 },
    { tierCode: "silver", rightCode: "coupon_90", value: "9折", quantity: 1 },
    { tierCode: "gold", rightCode: "coupon_90", value: "9折", quantity: 2 },
    { tierCode: "diamond", rightCode: "coupon_85", value: "8.5折", quantity: 3 },
    { tierCode: "gold", rightCode: "free_shipping", value: null, quantity: 1 },
    { tierCode: "diamond", rightCode: "free_shipping", value: null, quantity: 2 },
    { tierCode: "silver", rightCode: "tasting", value: null, quantity: 1 },
    { tierCode: "gold", rightCode: "tasting", value: null, quantity: 1 },
    { tierCode: "diamond", rightCode: "tasting", value: null, quantity: 1 },
    { tierCode: "gold", rightCode: "birthday_cake", value: null, quantity: 1 },
    { tierCode: "diamond", rightCode: "birthday_cake", value: null, quantity: 1 },
    { tierCode: "gold", rightCode: "reserved_seat", value: "专属座位", quantity: 1 },
    { tierCode: "diamond", rightCode: "reserved_seat", value: "包间", quantity: 1 },
    { tierCode: "diamond", rightCode: "manager_reception", value: null, quantity: 1 },
  ],
  points: {
    perYuan: 1,
    checkIn: 10,
    streakDays: 7,
    streakRightCode: "coupon_10",
    review: 20,
    share: 5,
    shareDailyCap: 3,
    profileCompleted: 50,
    referral: 200,
    dailyCap: null,
    expiry: { kind: "rollingMonths", months: 12 },
    pointValueCentiFen: 100,
    allowPointsPlusCash: true,
    pointsAsCash: { enabled: true, maxShare: 0.5, minPoints: 100, step: 100 },
  },
  growth: { perYuan: 1, checkIn: 0, review: 0, share: 0, profileCompleted: 0, referral: 0 },
  campaigns: [
    { code: "member_day", name: { zh: "会员日", en: "Member day" }, schedule: { kind: "monthlyDay", day: 8 }, targetTiers: [], effect: { kind: "extraDiscount", pct: 12 } },
    { code: "double_points", name: { zh: "积分翻倍日", en: "Double points day" }, schedule: { kind: "monthlyDay", day: 18 }, targetTiers: [], effect: { kind: "pointsMultiplier", pct: 200 } },
    { code: "birthday_month", name: { zh: "生日月", en: "Birthday month" }, schedule: { kind: "birthdayMonth" }, targetTiers: [], effect: { kind: "pointsMultiplier", pct: 200 } },
  ],
  automations: [
    { code: "welcome_pack", name: { zh: "新人礼包", en: "New-member pack" }, trigger: { kind: "registered" }, actions: [{ kind: "grantRight", rightCode: "coupon_10" }, { kind: "bonusPoints", points: 100 }] },
    { code: "upgrade_welcome", name: { zh: "升级祝贺", en: "Upgrade welcome" }, trigger: { kind: "tierUpgraded" }, actions: [{ kind: "message", template: "tier_upgraded" }] },
    { code: "winback", name: { zh: "沉睡唤醒", en: "Win-back" }, trigger: { kind: "noOrderForDays", days: 30 }, actions: [{ kind: "grantRight", rightCode: "winback_20" }], cooldownDays: 90 },
    { code: "points_expiring", name: { zh: "积分到期提醒", en: "Points expiring reminder" }, trigger: { kind: "pointsExpiringInDays", days: 30 }, actions: [{ kind: "message", template: "points_expiring" }], cooldownDays: 30 },
  ],
  messaging: {
    defaultLocale: "zh",
    templates: [
      {
        code: "tier_upgraded",
        channel: "wechat_subscribe",
        text: {
          zh: "{memberName}，恭喜您升级为{tier}！当前积分 {points}，新等级的会员权益已为您开启。",
          en: "Congratulations, {memberName}: you are now {tier}! You have {points} points, and your new benefits are ready.",
        },
      },
      {
        code: "points_expiring",
        channel: "sms",
        text: {
          zh: "{memberName}您好，您有 {expiringPoints} 积分将于 {expiresOn} 起陆续到期（当前共 {points} 积分），记得到店或积分商城使用哦。",
          en: "Hello {memberName}, {expiringPoints} of your points expire from {expiresOn} ({points} points in all): use them in store or in the points mall.",
        },
      },
    ],
    // At most 3 messages a week per member (避免过度打扰); quiet hours are left for the merchant to set.
    frequencyCap: { max: 3, days: 7 },
    quietHours: null,
  },
  lifecycle: { newDays: 30, dormantDays: 60, lostDays: 90 },
  costs: { toolFen: 200000, labourFen: 1500000, otherFen: 0 },
  wallet: {
    enabled: true,
    topUpBonuses: [
      { minAmount: 50000, bonus: 5000 },
      { minAmount: 100000, bonus: 12000 },
    ],
  },
  // 年卡 SVIP (demo-program.md): 12 months, ¥199 or 10,000 points; 1 × 免邮券 on start, 2 × 9折券 monthly; points × 1.5.
  plans: [
    {
      code: "svip",
      name: "年卡 SVIP",
      nameEn: "SVIP annual card",
      months: 12,
      price: 19900,
      points: 10000,
      rights: [
        { right: "free_shipping", quantity: 1, cadence: "on_start" },
        { right: "coupon_90", quantity: 2, cadence: "monthly" },
      ],
      pointsMultiplier: 1.5,
    },
  ],
};
