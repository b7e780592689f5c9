"use client";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormAlert, Input } from "@/components/ui/field";
import { useHydrated } from "@/components/forms/use-hydrated";

type ErrorKey = "invalid_credentials" | "rate_limited" | "missing" | "unknown";

/** next-auth's error (from authorize's thrown message, or its generic one) to a message key. */
export function signInErrorKey(error: string | null | undefined): ErrorKey | null {
  if (!error) return null;
  if (error === "rate_limited") return "rate_limited";
  if (error === "invalid_credentials" || error === "CredentialsSignin") return "invalid_credentials";
  return "unknown";
}

export interface DemoLogin {
  email: string;
  role: "owner" | "operator" | "analyst";
}

export function SignInForm({ initialError, demo }: { initialError?: string; demo?: { logins: DemoLogin[]; password: string } }) {
  const t = useTranslations("signIn");
  const tRoles = useTranslations("roles");
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ErrorKey | null>(signInErrorKey(initialError));
  const [pending, setPending] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const hydrated = useHydrated();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!email.trim() || !password) return setError("missing");
    setPending(true);
    setError(null);
    const result = await signIn("credentials", { email: email.trim(), password, redirect: false }).catch(() => undefined);
    if (result?.ok && !result.error) {
      router.replace("/");
      router.refresh();
      return;
    }
    setPending(false);
    setError(signInErrorKey(result?.error) ?? "unknown");
  }

  function fill(login: DemoLogin) {
    setEmail(login.email);
    setPassword(demo?.password ?? "");
    setError(null);
    passwordRef.current?.focus();
  }

  return (
    <div className="space-y-6">
      <form method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-describedby={error ? "sign-in-error" : undefined}>
        {error ? (
          <div id="sign-in-error" data-testid="sign-in-error">
            <FormAlert>{t(`errors.${error}`)}</FormAlert>
          </div>
        ) : null}
        <Field id="email" label={t("email")}>
          <Input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            inputMode="email"
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            invalid={error === "missing" && !email.trim()}
                      />
        </Field>
        <Field id="password" label={t("password")}>
          <Input
            ref={passwordRef}
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            invalid={error === "missing" && !password}
          />
        </Field>
        <Button type="submit" className="w-full" disabled={pending || !hydrated}>
          {pending ? t("submitting") : t("submit")}
        </Button>
      </form>

      {demo ? (
        <aside aria-labelledby="demo-logins-title" data-testid="demo-logins" className="rounded-lg border border-accent-100 bg-accent-50/60 p-4">
          <h2 id="demo-logins-title" className="text-sm font-semibold text-accent-700">
            {t("demo.title")}
          </h2>
          <p className="mt-1 text-xs text-gray-600">
            {t.rich("demo.body", {
              password: demo.password,
              code: (chunks) => <code className="rounded bg-white px-1 py-0.5 font-mono text-gray-800">{chunks}</code>,
            })}
          </p>
          <ul className="mt-3 space-y-1.5">
            {demo.logins.map((login) => (
              <li key={login.email} className="grid grid-cols-[4.5rem_minmax(0,1fr)_auto] items-center gap-2 text-sm">
                <span className="text-gray-500">{tRoles(login.role)}</span>
                <span className="truncate font-mono text-gray-800">{login.email}</span>
                <Button variant="secondary" size="sm" onClick={() => fill(login)} aria-label={t("demo.use", { role: tRoles(login.role) })}>
                  {t("demo.fill")}
                </Button>
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </div>
  );
}
