"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { NewPasswordField } from "@/components/auth/new-password-field.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { authErrorMessage } from "@/lib/error-message.ts";
import { formText } from "@/lib/form-text.ts";

export function ResetPasswordForm({ token, linkError }: { token: string | null; linkError: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  if (!token || linkError) {
    return (
      <div className="space-y-4">
        <h1 className="text-xl font-semibold">This link does not work</h1>
        <Alert tone="error">The reset link is invalid or has expired.</Alert>
        <Link href="/forgot-password" className="text-sm font-medium text-indigo-600 hover:underline">
          Ask for a new link
        </Link>
      </div>
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const { error: failure } = await authClient.resetPassword({
      newPassword: formText(new FormData(event.currentTarget), "password"),
      token: token ?? "",
    });
    if (failure) {
      setPending(false);
      return setError(authErrorMessage(failure, "Could not set the password."));
    }
    window.location.assign("/sign-in");
  }

  return (
    <form onSubmit={(event) => void submit(event)} className="space-y-4" noValidate>
      <h1 className="text-xl font-semibold">Choose a new password</h1>
      {error && <Alert tone="error">{error}</Alert>}
      <NewPasswordField id="password" name="password" label="New password" />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Saving…" : "Set password"}
      </Button>
    </form>
  );
}
