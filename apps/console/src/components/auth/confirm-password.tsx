"use client";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { PasswordInput } from "@/components/ui/password-input.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { authErrorMessage } from "@/lib/error-message.ts";
import { formText } from "@/lib/form-text.ts";

/** Whether a control-plane error asks the person to confirm their password (ASVS 3.7.1) before trying again. */
export const needsPassword = (error: { data?: { reauthenticate?: boolean } | null } | null) =>
  error?.data?.reauthenticate === true;

/**
 * Asks for the signed-in person's password (`POST /api/auth/reauthenticate`),
 * then calls `onConfirmed` to retry what needed it. Its own form: put it
 * beside, never inside, the form it unblocks.
 */
export function ConfirmPassword({ reason, onConfirmed }: { reason: string; onConfirmed: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const { error: failure } = await authClient.$fetch("/reauthenticate", {
      method: "POST",
      body: { password: formText(new FormData(event.currentTarget), "password") },
    });
    setPending(false);
    if (failure) return setError(authErrorMessage(failure, "Could not confirm the password."));
    onConfirmed();
  }

  return (
    <form
      onSubmit={(event) => void submit(event)}
      className="space-y-3 rounded-md border border-amber-200 bg-amber-50 p-3"
    >
      <p className="text-sm text-amber-900">{reason}</p>
      {error && <Alert tone="error">{error}</Alert>}
      <Field id="confirm-password" label="Your password">
        <PasswordInput id="confirm-password" name="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? "Confirming…" : "Confirm and continue"}
      </Button>
    </form>
  );
}
