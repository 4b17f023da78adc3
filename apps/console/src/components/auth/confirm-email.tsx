"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { authErrorMessage } from "@/lib/error-message.ts";

/**
 * Asks a person to open the link mailed to their address, and sends a new
 * one on request; the link brings them back to `then`.
 */
export function ConfirmEmail({ email, then }: { email: string; then: string }) {
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function resend() {
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.sendVerificationEmail({ email, callbackURL: then });
    setPending(false);
    if (failure) return setError(authErrorMessage(failure, "Could not send the mail."));
    setSent(`A new link is on its way to ${email}.`);
  }

  return (
    <Alert tone="info" className="space-y-2">
      <p>
        Confirm your email address: open the link we sent to <strong>{email}</strong>. Until then you cannot create an
        organisation or API keys, or accept an invitation.
      </p>
      {sent && <p role="status">{sent}</p>}
      {error && <p role="alert">{error}</p>}
      <Button type="button" variant="secondary" onClick={() => void resend()} disabled={pending}>
        {pending ? "Sending…" : "Send the link again"}
      </Button>
    </Alert>
  );
}
