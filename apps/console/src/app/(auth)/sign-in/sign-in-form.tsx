"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { authErrorMessage } from "@/lib/error-message.ts";
import { formText } from "@/lib/form-text.ts";

export function SignInForm() {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signIn.email({
      email: formText(form, "email"),
      password: formText(form, "password"),
    });
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

  return (
    <form onSubmit={(event) => void submit(event)} className="space-y-4" noValidate>
      <h1 className="text-xl font-semibold">Sign in</h1>
      {error && <Alert tone="error">{error}</Alert>}
      <Field id="email" label="Email">
        <Input id="email" name="email" type="email" autoComplete="email" required />
      </Field>
      <Field id="password" label="Password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
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
