"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { createContext, useCallback, useContext, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { FormProvider, get, useForm, useFormContext, useFormState, type FieldErrors } from "react-hook-form";
import { programInput, type Program, type ProgramInput } from "@/lib/schemas/program";
import type { QuickChange } from "@/lib/schemas/workbench";
import { quickChangeAction, saveProgramAction } from "@/lib/workbench/actions";
import { inverseQuickChange, makeQuickChange, quickChangeKey } from "@/lib/workbench/quick-change";
import { programHeadKey, type ProgramHead } from "./program-head";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { useHydrated } from "@/components/forms/use-hydrated";
import { fieldErrorMessage } from "@/i18n/field-error";
import { defaultLocale, isLocale, type AppLocale } from "@/i18n/config";
import { programFieldLabel } from "@/i18n/program-labels";
import { LOCALIZED, localizedResolver } from "@/components/forms/localized-resolver";

interface EditorContext {
  readOnly: boolean;
  tierMoves: { from: string; to: string }[];
  setTierMoves: (moves: { from: string; to: string }[]) => void;
  /**
   * Saves one small change at once, showing it before the server answers (and putting it back,
   * with an error, if the server refuses). False when it cannot be saved on its own — its target
   * is not saved yet (a new automation, a cell of an unsaved tier) — so the caller keeps it as an
   * unsaved edit for the Save button instead.
   */
  quickSave: (change: QuickChange) => boolean;
}
const Ctx = createContext<EditorContext>({ readOnly: true, tierMoves: [], setTierMoves: () => {}, quickSave: () => false });
export const useEditor = () => useContext(Ctx);
export const useProgramForm = () => useFormContext<ProgramInput, unknown, Program>();

/** A quick save the server refused: the field it names (if any), and whether the page is stale. */
class QuickSaveError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly stale: boolean,
  ) {
    super(message);
  }
}

/** Every leaf error of a react-hook-form error tree, as [path, message, type]. */
function flatten(errors: FieldErrors, prefix = ""): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const [k, v] of Object.entries(errors)) {
    if (!v || k === "ref") continue;
    const path = prefix ? `${prefix}.${k}` : k;
    const e = v as { message?: unknown; type?: unknown };
    if (typeof e.message === "string") out.push([path, e.message, String(e.type ?? "")]);
    else if (typeof v === "object") out.push(...flatten(v as FieldErrors, path));
  }
  return out;
}

/** An error message in the user's language: the workbench's own wording for the field, else the shared one. */
export function useErrorText() {
  const t = useTranslations("validation");
  const w = useTranslations("workbench.errors");
  return (path: string, type: string, message: string) => {
    if (type === "server" || type === LOCALIZED) return message;
    const field = path.split(".").pop() ?? path;
    for (const key of [`${field}.${type}`, type]) if (w.has(key)) return w(key);
    return fieldErrorMessage(Object.assign((k: string) => t(k), { has: (k: string) => t.has(k) }), path, type, message);
  };
}

/** The user's locale as the app knows it. */
export function useAppLocale(): AppLocale {
  const l = useLocale();
  return isLocale(l) ? l : defaultLocale;
}

/** The error of one field, next to it. */
export function ErrorText({ name, id }: { name: string; id?: string }) {
  const { errors } = useFormState();
  const text = useErrorText();
  const e = get(errors, name) as { message?: string; type?: string } | undefined;
  if (!e?.message) return null;
  return (
    <p id={id} className="mt-1 text-xs text-red-600" data-error-for={name}>
      {text(name, String(e.type ?? ""), e.message)}
    </p>
  );
}

export function useFieldInvalid(name: string) {
  const { errors } = useFormState();
  return !!get(errors, name);
}

/**
 * The whole program as one form: each editor page renders its slice of it; saving validates all of
 * it with the program schema the API uses and writes a new version. Nothing typed is lost on an
 * error: the values stay and each error shows next to its field.
 */
export function ProgramForm({ program, version, readOnly, children, sticky = true }: { program: Program; version: number; readOnly: boolean; children: ReactNode; sticky?: boolean }) {
  const t = useTranslations("workbench.form");
  const router = useRouter();
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const locale = useAppLocale();
  const [tierMoves, setTierMoves] = useState<{ from: string; to: string }[]>([]);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const [problems, setProblems] = useState<[string, string][]>([]);
  const form = useForm<ProgramInput, unknown, Program>({ resolver: localizedResolver(programInput, locale), defaultValues: program, mode: "onSubmit" });
  const { isDirty, isSubmitting, errors } = form.formState;
  const dirty = isDirty || tierMoves.length > 0;

  // What the server holds as far as this page knows: the version its values are based on, and
  // those values (the form's baseline: "unsaved" means different from it).
  const baseVersion = useRef(version);
  const baseline = useRef<ProgramInput>(program);
  const [quickError, setQuickError] = useState<{ path: string; text: string; stale: boolean } | null>(null);
  const latest = useRef(new Map<string, number>());

  /** A saved change goes into the baseline and the values alike; other unsaved edits stay as they are. */
  const commit = useCallback(
    (change: QuickChange) => {
      const next = structuredClone(baseline.current);
      makeQuickChange(next, change);
      baseline.current = next;
      form.reset(next, { keepValues: true, keepErrors: true, keepTouched: true, keepIsSubmitted: true, keepSubmitCount: true, keepFieldsRef: true });
      const values = structuredClone(form.getValues());
      makeQuickChange(values, change);
      if (change.kind === "automationEnabled") form.setValue("automations", values.automations, { shouldDirty: true });
      else if (change.kind === "campaignEnabled") form.setValue("campaigns", values.campaigns, { shouldDirty: true });
      else form.setValue("matrix", values.matrix, { shouldDirty: true });
    },
    [form],
  );

  const saved = (head: ProgramHead) => {
    baseVersion.current = head.version;
    queryClient.setQueryData(programHeadKey, head);
    setSavedVersion(head.version);
  };

  // One save at a time, in the order they were asked for (scope): each is checked against the
  // version the one before it made.
  const quick = useMutation({
    mutationKey: ["workbench", "quick-save"],
    scope: { id: "workbench-program" },
    mutationFn: async (change: QuickChange) => {
      const r = await quickChangeAction({ baseVersion: baseVersion.current, change });
      if (!r.ok) {
        const [path, text] = Object.entries(r.error.fieldErrors).find(([p]) => p !== "baseVersion") ?? ["", r.error.message];
        throw new QuickSaveError(text, path, r.error.code === "conflict");
      }
      return r.data;
    },
    onMutate: async (change) => {
      await queryClient.cancelQueries({ queryKey: programHeadKey });
      const key = quickChangeKey(change);
      const seq = (latest.current.get(key) ?? 0) + 1;
      latest.current.set(key, seq);
      const undo = inverseQuickChange(baseline.current, change);
      setQuickError(null);
      commit(change); // shown at once
      return { key, seq, undo };
    },
    onSuccess: (data) => saved({ version: data.version, effectiveFrom: new Date().toISOString() }),
    onError: (err, _change, ctx) => {
      // Put back what the server still holds — unless a later change of the same thing is on its way.
      if (ctx && latest.current.get(ctx.key) === ctx.seq) commit(ctx.undo);
      if (err instanceof QuickSaveError) setQuickError({ path: err.path, text: err.stale ? t("stale") : err.message, stale: err.stale });
      else setQuickError({ path: "", text: err.message, stale: false });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: programHeadKey }),
  });

  const quickSave = useCallback(
    (change: QuickChange) => {
      const inBaseline =
        change.kind === "matrixCell"
          ? baseline.current.tiers.some((x) => x.code === change.tierCode) && baseline.current.rights.some((x) => x.code === change.rightCode)
          : (change.kind === "automationEnabled" ? baseline.current.automations : baseline.current.campaigns).some((x) => x.code === change.code);
      if (readOnly || !inBaseline) return false;
      quick.mutate(change);
      return true;
    },
    [quick, readOnly],
  );

  const saveAll = useMutation({
    mutationKey: ["workbench", "save"],
    scope: { id: "workbench-program" },
    mutationFn: (input: { program: Program; tierMoves: { from: string; to: string }[]; baseVersion: number }) => saveProgramAction(input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: programHeadKey }),
  });

  const leaveQuestion = t("leave");
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    // In-app links navigate without unloading the page: ask before following one.
    const click = (e: MouseEvent) => {
      const a = e.target instanceof Element ? e.target.closest("a[href]") : null;
      if (!(a instanceof HTMLAnchorElement) || a.target === "_blank" || a.hasAttribute("download") || e.defaultPrevented) return;
      if (a.origin !== window.location.origin || a.pathname === window.location.pathname) return;
      if (!window.confirm(leaveQuestion)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", warn);
    document.addEventListener("click", click, true);
    return () => {
      window.removeEventListener("beforeunload", warn);
      document.removeEventListener("click", click, true);
    };
  }, [dirty, leaveQuestion]);

  // handleSubmit is called on submit (not while rendering): its callbacks update the baseline ref.
  const onSubmit = (e: FormEvent<HTMLFormElement>) =>
    form.handleSubmit(
      async (values) => {
        setSavedVersion(null);
        setProblems([]);
        setQuickError(null);
        const result = await saveAll.mutateAsync({ program: values, tierMoves, baseVersion: baseVersion.current });
        if (!result.ok && result.error.code === "conflict" && "baseVersion" in result.error.fieldErrors) {
          setQuickError({ path: "", text: t("stale"), stale: true });
          return;
        }
        if (!result.ok) {
          const unmatched: [string, string][] = [];
          for (const [path, message] of Object.entries(result.error.fieldErrors)) {
            const p = path.replace(/^program\./, "");
            form.setError(p as never, { type: "server", message });
            unmatched.push([programFieldLabel(p, values, locale), message]);
          }
          setProblems(unmatched.length ? unmatched : [["", result.error.message]]);
          return;
        }
        baseline.current = values;
        form.reset(values);
        setTierMoves([]);
        saved({ version: result.data.version, effectiveFrom: new Date().toISOString() });
        router.refresh();
      },
      (errs) => {
        setSavedVersion(null);
        setProblems(flatten(errs).map(([path, message, type]) => [programFieldLabel(path, form.getValues(), locale), errorText(path, type, message)]));
      },
    )(e);

  return (
    <Ctx.Provider value={{ readOnly, tierMoves, setTierMoves, quickSave }}>
      <FormProvider {...form}>
        <form onSubmit={onSubmit} noValidate data-testid="program-form" className="space-y-6 pb-20">
          {readOnly ? (
            <div role="note" data-testid="read-only-note" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
              {t("readOnly")}
            </div>
          ) : null}
          {quickError ? (
            <FormAlert>
              <div role="alert" data-testid="quick-save-error" className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <span className="font-medium">{t("quickFailed")}</span>
                {quickError.path ? <span className="font-medium">{programFieldLabel(quickError.path, form.getValues(), locale)}</span> : null}
                <span>{quickError.text}</span>
                {quickError.stale ? (
                  <Button variant="secondary" size="sm" onClick={() => window.location.reload()} data-testid="reload-program">
                    {t("reload")}
                  </Button>
                ) : null}
              </div>
            </FormAlert>
          ) : null}
          {problems.length > 0 && Object.keys(errors).length + problems.length > 0 ? (
            <FormAlert>
              <p className="font-medium">{t("problems", { count: problems.length })}</p>
              <ul className="mt-1 list-disc space-y-0.5 pl-5" data-testid="form-problems">
                {problems.map(([path, message]) => (
                  <li key={path + message}>
                    {path ? <span className="mr-1 font-medium">{path}{t("labelSeparator")}</span> : null}
                    {message}
                  </li>
                ))}
              </ul>
            </FormAlert>
          ) : null}
          <fieldset disabled={readOnly} className="min-w-0 space-y-6">
            {children}
          </fieldset>
          {readOnly ? null : (
            <div
              className={
                sticky
                  ? "fixed inset-x-0 bottom-0 z-20 border-t border-gray-200 bg-white/95 px-6 py-3 shadow-[0_-2px_6px_rgba(0,0,0,0.04)] backdrop-blur left-16 lg:left-60"
                  : "flex"
              }
            >
              <div className="mx-auto flex max-w-6xl items-center justify-end gap-3">
                <p role="status" className="mr-auto text-sm" data-testid="save-status">
                  {quick.isPending || saveAll.isPending ? (
                    <span className="text-gray-500">{t("saving")}</span>
                  ) : savedVersion !== null && !dirty ? (
                    <span className="text-emerald-700">{t("saved", { version: savedVersion })}</span>
                  ) : dirty ? (
                    <span className="text-amber-700">{t("unsaved")}</span>
                  ) : (
                    <span className="text-gray-500">{t("upToDate")}</span>
                  )}
                </p>
                <Button
                  variant="secondary"
                  disabled={!dirty || isSubmitting}
                  onClick={() => {
                    form.reset(baseline.current);
                    setTierMoves([]);
                    setProblems([]);
                  }}
                >
                  {t("discard")}
                </Button>
                <Button type="submit" disabled={!hydrated || isSubmitting || !dirty} data-testid="save-program">
                  {isSubmitting ? t("saving") : t("save")}
                </Button>
              </div>
            </div>
          )}
        </form>
      </FormProvider>
    </Ctx.Provider>
  );
}
