"use client";
import { formatMoney } from "@/lib/format/money";
import clsx from "clsx";
import type { ReactNode } from "react";
import { Controller } from "react-hook-form";
import { inputClasses } from "@/components/ui/field";
import { ErrorText, useFieldInvalid, useProgramForm } from "./program-form";

const errId = (name: string) => `err-${name.replace(/\./g, "-")}`;

/** A small labelled control bound to one program path, with its error under it. */
export function LabeledControl({ label, name, htmlFor, children, className }: { label: ReactNode; name: string; htmlFor: string; children: ReactNode; className?: string }) {
  return (
    <div className={clsx("min-w-0", className)}>
      <label htmlFor={htmlFor} className="mb-1 block text-xs font-medium text-gray-600">
        {label}
      </label>
      {children}
      <ErrorText name={name} id={errId(name)} />
    </div>
  );
}

/** Text bound to a program path. */
export function TextInput({ name, id, className, ...rest }: { name: string; id: string; className?: string; placeholder?: string; "aria-label"?: string }) {
  const { register } = useProgramForm();
  const invalid = useFieldInvalid(name);
  return (
    <input
      id={id}
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? errId(name) : undefined}
      className={clsx(inputClasses(invalid), className)}
      {...rest}
      {...register(name as never)}
    />
  );
}

/** An integer bound to a program path; empty means null when `nullable`. */
export function NumberInput({ name, id, nullable, className, min, max, step, ...rest }: { name: string; id: string; nullable?: boolean; className?: string; min?: number; max?: number; step?: number; "aria-label"?: string }) {
  const { register } = useProgramForm();
  const invalid = useFieldInvalid(name);
  return (
    <input
      id={id}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      step={step}
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? errId(name) : undefined}
      className={clsx(inputClasses(invalid), "tabular-nums", className)}
      {...rest}
      {...register(name as never, { setValueAs: (v: unknown) => (v === "" || v === null ? (nullable ? null : undefined) : Number(v)) })}
    />
  );
}

/** Money kept in fen, typed in yuan. */
export function YuanInput({ name, id, nullable, className, ...rest }: { name: string; id: string; nullable?: boolean; className?: string; "aria-label"?: string }) {
  const { control } = useProgramForm();
  return (
    <Controller
      control={control}
      name={name as never}
      render={({ field, fieldState }) => {
        const fen = field.value as unknown as number | null | undefined;
        return (
          <div className="relative">
            <span className="pointer-events-none absolute inset-y-0 left-2.5 flex items-center text-sm text-gray-400">¥</span>
            <input
              id={id}
              type="number"
              inputMode="decimal"
              min={0}
              step="0.01"
              aria-invalid={fieldState.invalid || undefined}
              className={clsx(inputClasses(fieldState.invalid), "pl-6 tabular-nums", className)}
              value={fen === null || fen === undefined ? "" : fen / 100}
              onChange={(e) => field.onChange((e.target.value === "" ? (nullable ? null : 0) : Math.round(Number(e.target.value) * 100)) as never)}
              onBlur={field.onBlur}
              ref={field.ref}
              {...rest}
            />
          </div>
        );
      }}
    />
  );
}

export function SelectInput({ name, id, children, className, ...rest }: { name: string; id: string; children: ReactNode; className?: string; "aria-label"?: string }) {
  const { register } = useProgramForm();
  const invalid = useFieldInvalid(name);
  return (
    <select id={id} aria-invalid={invalid || undefined} className={clsx(inputClasses(invalid), "pr-8", className)} {...rest} {...register(name as never)}>
      {children}
    </select>
  );
}

/** Money as everywhere: ¥53,412.00 (lib/format/money). */
export const yuan = (fen: number, locale: string) => formatMoney(fen, locale);
