import { describe, expect, it } from "vitest";
import { issueText } from "@/i18n/issues";
import { programFieldLabel } from "@/i18n/program-labels";
import { programInput, type ProgramInput } from "@/lib/schemas/program";
import { demoProgram } from "@/lib/program/demo-program";

/** The demo program with the gold tier's threshold below silver's (cross-field checks run only on a program whose fields parse). */
function lowGold(): ProgramInput {
  const p = structuredClone(demoProgram);
  p.tiers[2].thresholds = [{ measure: "growth", window: "lifetime", value: 800 }]; // silver's is 1,000
  return p;
}

/** The demo program with a word typed into a number field. */
function wordInNumber(): ProgramInput {
  const p = structuredClone(demoProgram);
  (p.points as { perYuan: unknown }).perYuan = Number("五十"); // what a number input gives for 五十
  return p;
}

function issuesOf(p: unknown) {
  const r = programInput.safeParse(p);
  if (r.success) throw new Error("expected the program to be refused");
  return r.error.issues;
}

describe("validation issues in the reader's language", () => {
  it("names the tier below by its Chinese name and says why a threshold is refused", () => {
    const p = lowGold();
    const th = issuesOf(p).find((i) => i.path.join(".") === "tiers.2.thresholds.0.value")!;
    expect(programFieldLabel(th.path, p, "zh-CN")).toBe("金卡会员 · 门槛");
    expect(issueText(th, "zh-CN")).toBe("须大于下一级「银卡会员」的同类门槛 1,000");
    expect(programFieldLabel(th.path, p, "en")).toBe("Gold · threshold");
    expect(issueText(th, "en")).toBe("must be greater than 1,000, the same threshold of the tier below (Silver)");
  });

  it("says a number field holding text must be a number, not that it is required", () => {
    const p = wordInNumber();
    const n = issuesOf(p).find((i) => i.path.join(".") === "points.perYuan")!;
    expect(programFieldLabel(n.path, p, "zh-CN")).toBe("积分 · 每元获得");
    expect(issueText(n, "zh-CN")).toBe("须为数字（如 50），不能是文字");
    expect(issueText({ code: "invalid_type", expected: "number", path: [], message: "Invalid input: expected number, received undefined" }, "zh-CN")).toBe("请填写数字");
  });

  it("gives bounds with their numbers, and a matrix cell by its tier and right", () => {
    const p = structuredClone(demoProgram);
    const cell = p.matrix.findIndex((c) => c.tierCode === "gold" && c.rightCode === "coupon_90");
    p.matrix[cell].quantity = 101;
    p.rights[2].unitCost = -5;
    p.tiers[1].code = "Silver Card";
    const issues = issuesOf(p);
    const q = issues.find((i) => i.path.join(".") === `matrix.${cell}.quantity`)!;
    expect(programFieldLabel(q.path, p, "zh-CN")).toBe("金卡会员 · 9折券 · 数量");
    expect(issueText(q, "zh-CN")).toBe("不能大于 100");
    const cost = issues.find((i) => i.path.join(".") === "rights.2.unitCost")!;
    expect(programFieldLabel(cost.path, p, "zh-CN")).toBe("9折券 · 单位成本");
    expect(issueText(cost, "zh-CN")).toBe("不能小于 0");
    const code = issues.find((i) => i.path.join(".") === "tiers.1.code")!;
    expect(issueText(code, "zh-CN")).toBe("只能用小写字母、数字、_ 或 -，以字母开头，最多 40 个字符");
  });

  it("falls back to the list position when an item has no name yet", () => {
    expect(programFieldLabel("campaigns.3.effect.pct", { campaigns: [] }, "zh-CN")).toBe("第 4 个活动 · 效果 · 比例");
    expect(programFieldLabel("lifecycle.lostDays", {}, "en")).toBe("Lifecycle · lost days");
  });

  it("names an unknown template variable and the ones there are; a custom issue without a known reason keeps its own words", () => {
    const p = structuredClone(demoProgram) as ProgramInput & { messaging: { templates: { text: { zh: string } }[] } };
    p.messaging.templates[0].text.zh = "{memberName} 您好，{tierName} 已开通";
    const v = issuesOf(p).find((i) => i.path.join(".") === "messaging.templates.0.text.zh")!;
    expect(issueText(v, "zh-CN")).toBe("没有变量 {tierName}；可用的变量：{memberName} {tier} {points} {expiringPoints} {expiresOn} {couponName} {couponCode}");
    expect(issueText({ code: "custom", message: "a plan needs a price, points, or both", path: [] } as never, "zh-CN")).toBe("a plan needs a price, points, or both");
  });
});
