"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { PasswordInput } from "@/components/ui/password-input.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { authErrorMessage } from "@/lib/error-message.ts";
import { formText } from "@/lib/form-text.ts";
import { SsoSignInForm } from "./sso-sign-in-form.tsx";

export function SignInForm({ ssoRefusal }: { ssoRefusal: string | null }) {
  const [error, setError] = useState<string | null>(null);
  // Single sign-on: chosen, sent back refused (`?sso_error=`), or required by the person's organisation.
  const [sso, setSso] = useState<{ notice: string | null } | null>(ssoRefusal ? { notice: ssoRefusal } : null);
  const [pending, setPending] = useState(false);
  // After a right password, when two-factor sign-in is on: a code from the app, or a recovery code.
  const [secondStep, setSecondStep] = useState<"totp" | "recovery" | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { data, error: failure } = await authClient.signIn.email({
      email: formText(form, "email"),
      password: formText(form, "password"),
    });
    if (data && "twoFactorRedirect" in data && data.twoFactorRedirect) {
      setPending(false);
      setSecondStep("totp");
      return;
    }
    if (failure?.code === "SSO_REQUIRED") {
      setPending(false);
      setSso({ notice: failure.message ?? "Your organisation signs in with single sign-on." });
      return;
    }
    if (failure) {
      setPending(false);
      setError(
        failure.status === 401
          ? "That email and password do not match an account."
          : authErrorMessage(failure, "Sign-in failed."),
      );
      return;
    }
    window.location.assign("/dashboard");
  }

  async function verify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = formText(new FormData(event.currentTarget), "code").replaceAll(" ", "");
    setPending(true);
    setError(null);
    const { error: failure } =
      secondStep === "recovery"
        ? await authClient.twoFactor.verifyBackupCode({ code })
        : await authClient.twoFactor.verifyTotp({ code });
    if (failure?.code === "SSO_REQUIRED") {
      setPending(false);
      setSso({ notice: failure.message ?? "Your organisation signs in with single sign-on." });
      return;
    }
    if (failure) {
      setPending(false);
      setError(
        failure.status === 401 && /cookie|expired/i.test(failure.message ?? "")
          ? "This sign-in took too long. Enter your password again."
          : /already used/.test(failure.message ?? "")
            ? (failure.message ?? "")
            : secondStep === "recovery"
              ? "That recovery code does not work (each works once)."
              : "That code does not match. Try the newest one from your app.",
      );
      return;
    }
    window.location.assign("/dashboard");
  }

  if (secondStep) {
    return (
      <form onSubmit={(event) => void verify(event)} className="space-y-4" noValidate key={secondStep}>
        <h1 className="text-xl font-semibold">Two-factor sign-in</h1>
        {error && <Alert tone="error">{error}</Alert>}
        <Field id="code" label={secondStep === "recovery" ? "Recovery code" : "Code from your authenticator app"}>
          <Input
            id="code"
            name="code"
            autoComplete="one-time-code"
            inputMode={secondStep === "recovery" ? "text" : "numeric"}
            required
          />
        </Field>
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Checking…" : "Verify"}
        </Button>
        <p className="text-center text-sm">
          <button
            type="button"
            className="text-indigo-600 hover:underline"
            onClick={() => {
              setError(null);
              setSecondStep(secondStep === "recovery" ? "totp" : "recovery");
            }}
          >
            {secondStep === "recovery" ? "Use the app's code instead" : "Lost the app? Use a recovery code"}
          </button>
        </p>
      </form>
    );
  }

  if (sso) return <SsoSignInForm notice={sso.notice} onPassword={() => setSso(null)} />;

  return (
    <form onSubmit={(event) => void submit(event)} className="space-y-4" noValidate>
      <h1 className="text-xl font-semibold">Sign in</h1>
      {error && <Alert tone="error">{error}</Alert>}
      <Field id="email" label="Email">
        <Input id="email" name="email" type="email" autoComplete="email" required />
      </Field>
      <Field id="password" label="Password">
        <PasswordInput id="password" name="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <Button type="button" variant="secondary" className="w-full" onClick={() => setSso({ notice: null })}>
        Use single sign-on
      </Button>
      <p className="text-center text-sm">
        <Link href="/forgot-password" className="text-indigo-600 hover:underline">
          Forgot your password?
        </Link>
      </p>
      <p className="text-center text-sm text-zinc-600">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-indigo-600 hover:underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}
