import { beforeEach, describe, expect, it, vi } from "vitest";
import { createTranslator } from "use-intl/core";
import zh from "@/messages/zh-CN.json";
import type { Actor, Permission } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { userInput } from "@/lib/schemas/users";
import { quickChangeInput } from "@/lib/schemas/workbench";
import { programInput } from "@/lib/schemas/program";
import { demoProgram } from "@/lib/program/demo-program";
import { z } from "zod";

// The action client's collaborators: the guard (here a stand-in applying the real policy) and the
// request's translator (here zh-CN).
const session: { actor: Actor | null } = { actor: null };
vi.mock("@/lib/auth/guard", async () => {
  const guard = await vi.importActual<typeof import("@/lib/auth/guard")>("@/lib/auth/guard");
  const assertCan: typeof guard.assertCan = guard.assertCan;
  return {
    guardSession: vi.fn(async (permission: Permission) => {
      assertCan(session.actor, permission);
      return { actor: session.actor, db: {} };
    }),
  };
});
vi.mock("next-intl/server", () => ({
  getTranslations: async (namespace?: string) => createTranslator({ locale: "zh-CN", messages: zh, namespace: namespace as never }),
  getLocale: async () => "zh-CN",
}));

const { merchantAction } = await import("@/lib/api/action");

const user = (role: "owner" | "operator" | "analyst"): Actor => ({ kind: "user", userId: `u-${role}`, merchantId: "m1", role, email: `${role}@x.test`, name: role });
const valid = { email: "A@B.test", name: "新人", role: "operator" as const, password: "long-enough" };

describe("merchantAction", () => {
  const handler = vi.fn(async (input: { email: string }, ctx: { merchantId: string }) => ({ email: input.email, merchantId: ctx.merchantId }));
  const action = merchantAction("users.manage", userInput, handler);
  beforeEach(() => {
    handler.mockClear();
  });

  it("runs the handler with parsed input and the guard's merchant", async () => {
    session.actor = user("owner");
    expect(await action(valid)).toEqual({ ok: true, data: { email: "a@b.test", merchantId: "m1" } });
  });

  it.each(["analyst", "operator"] as const)("refuses a %s with forbidden, before looking at the input", async (role) => {
    session.actor = user(role);
    const result = await action({ ...valid, email: "nope" });
    expect(result).toEqual({ ok: false, error: { code: "forbidden", message: "你的角色无权执行此操作。", fieldErrors: {} } });
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses a signed-out caller with unauthorized", async () => {
    session.actor = null;
    const result = await action(valid);
    expect(result.ok === false && result.error.code).toBe("unauthorized");
  });

  it("turns zod issues into translated field errors keyed by path", async () => {
    session.actor = user("owner");
    const result = await action({ email: "x", name: "", role: "operator", password: "short" });
    expect(result).toEqual({
      ok: false,
      error: {
        code: "validation_failed",
        message: "请检查标出的字段。",
        fieldErrors: { email: "请输入有效的邮箱地址。", name: "请填写名称。", password: "密码至少 10 个字符。" },
      },
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it("turns an AppError from the domain into the error shape", async () => {
    session.actor = user("owner");
    const conflict = merchantAction("users.manage", userInput, async () => {
      throw new AppError("conflict", "a user with email a@b.test exists", [{ path: "email", message: "already in use" }]);
    });
    expect(await conflict(valid)).toEqual({ ok: false, error: { code: "conflict", message: "与现有数据冲突。", fieldErrors: { email: "该邮箱已被使用。" } } });
  });

  it("hides unexpected errors behind internal", async () => {
    session.actor = user("owner");
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = merchantAction("users.manage", userInput, async () => {
      throw new Error("db down");
    });
    expect(await broken(valid)).toEqual({ ok: false, error: { code: "internal", message: "出现了意外错误，请稍后重试。", fieldErrors: {} } });
    spy.mockRestore();
  });

  it("a quick workbench change (program.write) is the operator's and owner's, never the analyst's", async () => {
    const quick = vi.fn(async () => ({ version: 2 }));
    const toggle = merchantAction("program.write", quickChangeInput, quick);
    const input = { baseVersion: 1, change: { kind: "automationEnabled" as const, code: "winback", enabled: false } };
    session.actor = user("analyst");
    expect(await toggle(input)).toEqual({ ok: false, error: { code: "forbidden", message: "你的角色无权执行此操作。", fieldErrors: {} } });
    expect(quick).not.toHaveBeenCalled();
    for (const role of ["operator", "owner"] as const) {
      session.actor = user(role);
      expect(await toggle(input)).toEqual({ ok: true, data: { version: 2 } });
    }
  });

  it("says in Chinese why a program field is refused: a number, not text; above the tier below", async () => {
    session.actor = user("owner");
    const save = merchantAction("program.write", z.object({ program: programInput }), async () => ({ version: 2 }));
    const word = structuredClone(demoProgram);
    (word.points as { perYuan: unknown }).perYuan = Number("五十");
    const r1 = await save({ program: word });
    expect(r1.ok === false && r1.error.fieldErrors["program.points.perYuan"]).toBe("须为数字（如 50），不能是文字");
    const low = structuredClone(demoProgram);
    low.tiers[2].thresholds = [{ measure: "growth", window: "lifetime", value: 800 }];
    const r2 = await save({ program: low });
    expect(r2.ok === false && r2.error.fieldErrors["program.tiers.2.thresholds.0.value"]).toBe("须大于下一级「银卡会员」的同类门槛 1,000");
  });

  it("says in Chinese why the domain refused a program (the server's own parse)", async () => {
    session.actor = user("owner");
    const { validationError } = await import("@/lib/errors");
    const save = merchantAction("program.write", z.object({}), async () => {
      const r = programInput.safeParse({ ...structuredClone(demoProgram), lifecycle: { newDays: 30, dormantDays: 90, lostDays: 90 } });
      if (r.success) throw new Error("expected a refusal");
      throw validationError(r.error, ["program"]);
    });
    const r = await save({});
    expect(r.ok === false && r.error.fieldErrors["program.lifecycle.lostDays"]).toBe("须大于沉睡天数");
  });
});
