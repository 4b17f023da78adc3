"use client";
import Link from "next/link";
import { useRef, useState, type FormEvent } from "react";
import { MIN_PASSWORD_LENGTH } from "@aiaas/core";
import { NewPasswordField } from "@/components/auth/new-password-field.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { authErrorMessage } from "@/lib/error-message.ts";
import { formText } from "@/lib/form-text.ts";

export function SignUpForm() {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const knownToAttackers = () => {
    const form = formRef.current ? new FormData(formRef.current) : null;
    return form ? [formText(form, "name"), formText(form, "email")] : [];
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = formText(form, "password");
    // The server judges how guessable it is (the meter shows the same verdict): never wait here for its dictionaries.
    if (password.length < MIN_PASSWORD_LENGTH)
      return setError(`Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signUp.email({
      name: formText(form, "name"),
      email: formText(form, "email"),
      password,
      // The mailed link confirms the address and comes back to name the organisation.
      callbackURL: "/onboarding",
    });
    if (failure) {
      setPending(false);
      return setError(authErrorMessage(failure, "Could not create the account."));
    }
    window.location.assign("/onboarding");
  }

  return (
    <form ref={formRef} onSubmit={(event) => void submit(event)} className="space-y-4" noValidate>
      <h1 className="text-xl font-semibold">Create your account</h1>
      {error && <Alert tone="error">{error}</Alert>}
      <Field id="name" label="Your name">
        <Input id="name" name="name" autoComplete="name" required />
      </Field>
      <Field id="email" label="Work email">
        <Input id="email" name="email" type="email" autoComplete="email" required />
      </Field>
      <NewPasswordField id="password" name="password" label="Password" knownToAttackers={knownToAttackers} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating…" : "Create account"}
      </Button>
      <p className="text-center text-sm text-zinc-600">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-indigo-600 hover:underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
