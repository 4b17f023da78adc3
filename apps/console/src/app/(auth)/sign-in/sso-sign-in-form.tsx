"use client";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { formText } from "@/lib/form-text.ts";

/**
 * Single sign-on: the work email decides the organisation, and so the
 * identity provider the browser is sent to (`POST /api/auth/sso/start`).
 */
export function SsoSignInForm({ notice, onPassword }: { notice: string | null; onPassword: () => void }) {
  const [error, setError] = useState<string | null>(notice);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const response = await fetch("/api/auth/sso/start", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: formText(new FormData(event.currentTarget), "email") }),
    }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { url?: string; message?: string } | null;
    if (response?.ok && body?.url) {
      window.location.assign(body.url);
      return;
    }
    setPending(false);
    setError(
      response?.status === 404
        ? "Your organisation does not sign in with single sign-on here: use your password."
        : (body?.message ?? "Single sign-on is not reachable right now. Try again in a moment."),
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)} className="space-y-4" noValidate>
      <h1 className="text-xl font-semibold">Sign in with SSO</h1>
      {error && <Alert tone="error">{error}</Alert>}
      <Field id="sso-email" label="Work email" hint="You will be sent to your company's sign-in page.">
        <Input
          id="sso-email"
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-describedby="sso-email-hint"
        />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Finding your company…" : "Continue"}
      </Button>
      <p className="text-center text-sm">
        <button type="button" className="text-indigo-600 hover:underline" onClick={onPassword}>
          Sign in with a password instead
        </button>
      </p>
    </form>
  );
}
