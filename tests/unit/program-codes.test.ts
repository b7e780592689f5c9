import { describe, expect, it } from "vitest";
import { codeFromName } from "@/lib/program/codes";
import { programInput, type ProgramInput } from "@/lib/schemas/program";
import { demoProgram } from "@/lib/program/demo-program";

describe("codes made from a Chinese name", () => {
  it("joins the pinyin syllables, makes it start with a letter, and keeps it unique in its list", () => {
    const taken = new Set(["jin_ka_hui_yuan"]);
    expect(codeFromName({ zh: "金卡会员" }, taken, "tier")).toBe("jin_ka_hui_yuan_2");
    expect(codeFromName({ zh: "金卡会员" }, taken, "tier")).toBe("jin_ka_hui_yuan_3");
    expect(codeFromName({ zh: "9折券" }, taken, "right")).toBe("x9_zhe_quan");
    expect(codeFromName({ zh: "女神节双倍积分" }, taken, "campaign")).toBe("nv_shen_jie_shuang_bei_ji_fen");
    expect(codeFromName({ zh: "", en: "Black Card!" }, taken, "tier")).toBe("black_card");
    expect(codeFromName({ zh: "★" }, taken, "campaign")).toBe("campaign");
    const long = codeFromName({ zh: "一二三四五六七八九十一二三四五六七八九十" }, taken, "c");
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^[a-z][a-z0-9_-]{0,39}$/);
  });
});

describe("an item named only in Chinese", () => {
  it("gets a code from its name and its Chinese name as the English one", () => {
    const p: ProgramInput = structuredClone(demoProgram);
    p.campaigns = [
      { name: { zh: "女神节双倍积分" }, schedule: { kind: "range", from: "2027-03-08", to: "2027-03-08" }, targetTiers: [], effect: { kind: "pointsMultiplier", pct: 200 } },
      { code: "", name: { zh: "女神节双倍积分", en: "" }, schedule: { kind: "monthlyDay", day: 8 }, targetTiers: [], effect: { kind: "pointsMultiplier", pct: 200 } },
    ];
    p.automations = [{ name: { zh: "新客礼包" }, trigger: { kind: "registered" }, actions: [{ kind: "bonusPoints", points: 100 }] }];
    const out = programInput.parse(p);
    expect(out.campaigns.map((c) => [c.code, c.name.en])).toEqual([
      ["nv_shen_jie_shuang_bei_ji_fen", "女神节双倍积分"],
      ["nv_shen_jie_shuang_bei_ji_fen_2", "女神节双倍积分"],
    ]);
    expect(out.automations[0]).toMatchObject({ code: "xin_ke_li_bao", name: { zh: "新客礼包", en: "新客礼包" } });
    // Named items keep their own codes and English names.
    expect(out.tiers.map((t) => [t.code, t.name.en])).toEqual([["basic", "Basic"], ["silver", "Silver"], ["gold", "Gold"], ["diamond", "Diamond"]]);
  });

  it("still refuses a code typed wrong", () => {
    const p: ProgramInput = structuredClone(demoProgram);
    p.rights[1].code = "Birthday Coupon";
    const r = programInput.safeParse(p);
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["rights.1.code"]));
  });
});
