"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { FormProvider, get, useForm, useFormContext, useFormState, type FieldErrors } from "react-hook-form";
import { programInput, type Program, type ProgramInput } from "@/lib/schemas/program";
import { saveProgramAction } from "@/lib/workbench/actions";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/field";
import { useHydrated } from "@/components/forms/use-hydrated";
import { fieldErrorMessage } from "@/i18n/field-error";

interface EditorContext {
  readOnly: boolean;
  tierMoves: { from: string; to: string }[];
  setTierMoves: (moves: { from: string; to: string }[]) => void;
}
const Ctx = createContext<EditorContext>({ readOnly: true, tierMoves: [], setTierMoves: () => {} });
export const useEditor = () => useContext(Ctx);
export const useProgramForm = () => useFormContext<ProgramInput, unknown, Program>();

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
    if (type === "server") return message;
    const field = path.split(".").pop() ?? path;
    for (const key of [`${field}.${type}`, type]) if (w.has(key)) return w(key);
    return fieldErrorMessage(Object.assign((k: string) => t(k), { has: (k: string) => t.has(k) }), path, type, message);
  };
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
export function ProgramForm({ program, readOnly, children, sticky = true }: { program: Program; readOnly: boolean; children: ReactNode; sticky?: boolean }) {
  const t = useTranslations("workbench.form");
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [tierMoves, setTierMoves] = useState<{ from: string; to: string }[]>([]);
  const [saved, setSaved] = useState<number | null>(null);
  const [problems, setProblems] = useState<[string, string][]>([]);
  const form = useForm<ProgramInput, unknown, Program>({ resolver: zodResolver(programInput), defaultValues: program, mode: "onSubmit" });
  const { isDirty, isSubmitting, errors } = form.formState;
  const dirty = isDirty || tierMoves.length > 0;

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

  const onSubmit = form.handleSubmit(
    async (values) => {
      setSaved(null);
      setProblems([]);
      const result = await saveProgramAction({ program: values, tierMoves });
      if (!result.ok) {
        const unmatched: [string, string][] = [];
        for (const [path, message] of Object.entries(result.error.fieldErrors)) {
          const p = path.replace(/^program\./, "");
          form.setError(p as never, { type: "server", message });
          unmatched.push([p, message]);
        }
        setProblems(unmatched.length ? unmatched : [["", result.error.message]]);
        return;
      }
      form.reset(values);
      setTierMoves([]);
      setSaved(result.data.version);
      router.refresh();
    },
    (errs) => {
      setSaved(null);
      setProblems(flatten(errs).map(([path, message, type]) => [path, errorText(path, type, message)]));
    },
  );

  return (
    <Ctx.Provider value={{ readOnly, tierMoves, setTierMoves }}>
      <FormProvider {...form}>
        <form onSubmit={onSubmit} noValidate data-testid="program-form" className="space-y-6 pb-20">
          {readOnly ? (
            <div role="note" data-testid="read-only-note" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
              {t("readOnly")}
            </div>
          ) : null}
          {problems.length > 0 && Object.keys(errors).length + problems.length > 0 ? (
            <FormAlert>
              <p className="font-medium">{t("problems", { count: problems.length })}</p>
              <ul className="mt-1 list-disc space-y-0.5 pl-5" data-testid="form-problems">
                {problems.map(([path, message]) => (
                  <li key={path + message}>
                    {path ? <code className="mr-1 font-mono text-xs">{path}</code> : null}
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
                  {saved !== null ? (
                    <span className="text-emerald-700">{t("saved", { version: saved })}</span>
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
                    form.reset(program);
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
