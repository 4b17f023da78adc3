"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { formText } from "@/lib/form-text.ts";

export function ForgotPasswordForm() {
  const [state, setState] = useState<"idle" | "pending" | "sent">("idle");
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setState("pending");
    const { error: failure } = await authClient.requestPasswordReset({
      email: formText(new FormData(event.currentTarget), "email"),
      redirectTo: "/reset-password",
    });
    setError(
      failure
        ? failure.status === 400
          ? "Enter the email address of your account."
          : (failure.message ?? "Could not send the link.")
        : null,
    );
    setState(failure ? "idle" : "sent");
  }

  return (
    <form onSubmit={(event) => void submit(event)} className="space-y-4" noValidate>
      <h1 className="text-xl font-semibold">Reset your password</h1>
      {error && <Alert tone="error">{error}</Alert>}
      {state === "sent" ? (
        <Alert tone="success">
          If an account uses that address, a link to set a new password is on its way. It is valid for one hour.
        </Alert>
      ) : (
        <>
          <Field id="email" label="Email">
            <Input id="email" name="email" type="email" autoComplete="email" required />
          </Field>
          <Button type="submit" className="w-full" disabled={state === "pending"}>
            {state === "pending" ? "Sending…" : "Send reset link"}
          </Button>
        </>
      )}
      <p className="text-center text-sm">
        <Link href="/sign-in" className="font-medium text-indigo-600 hover:underline">
          Back to sign in
        </Link>
      </p>
    </form>
  );
}
