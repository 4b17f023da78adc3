"use client";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { PasswordInput } from "@/components/ui/password-input.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { authErrorMessage } from "@/lib/error-message.ts";
import { formText } from "@/lib/form-text.ts";

/** How the person proves who they are again: their password, or a new sign-in at their identity provider. */
export type Reauthentication = "password" | "sso";

/** The error shape (tRPC's, as the control plane formats it) that may ask for it. */
export interface MaybeReauthenticate {
  data?: { reauthenticate?: Reauthentication | false } | null;
}

/** How a control-plane error asks the person to prove who they are (ASVS 3.7.1) before trying again; null: it does not. */
export const reauthenticationOf = (error: MaybeReauthenticate | null): Reauthentication | null =>
  error?.data?.reauthenticate || null;

/** The button's words, idle and while it works. */
const buttonLabels: Record<Reauthentication, readonly [string, string]> = {
  password: ["Confirm and continue", "Confirming…"],
  sso: ["Sign in again at your identity provider", "Going to your identity provider…"],
};

/**
 * Has the signed-in person prove who they are again, then calls
 * `onConfirmed` to retry what needed it: their password
 * (`POST /api/auth/reauthenticate`), or, for single sign-on, a fresh sign-in
 * at their IdP (`POST /api/auth/sso/reauthenticate`), which brings them back
 * to this page to try again. Its own form: put it beside, never inside, the
 * form it unblocks.
 */
export function ConfirmIdentity({
  via,
  reason,
  onConfirmed,
}: {
  via: Reauthentication;
  reason: string;
  onConfirmed: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    if (via === "sso") {
      const { data, error: failure } = await authClient.$fetch<{ url: string }>("/sso/reauthenticate", {
        method: "POST",
        body: { returnTo: `${window.location.pathname}${window.location.search}` },
      });
      if (data) return window.location.assign(data.url);
      setPending(false);
      return setError(authErrorMessage(failure ?? {}, "Could not reach your identity provider."));
    }
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
      {via === "password" && (
        <Field id="confirm-password" label="Your password">
          <PasswordInput id="confirm-password" name="password" autoComplete="current-password" required />
        </Field>
      )}
      <Button type="submit" size="sm" disabled={pending}>
        {buttonLabels[via][pending ? 1 : 0]}
      </Button>
    </form>
  );
}
