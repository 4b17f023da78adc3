"use client";
import { useState, type FormEvent } from "react";
import { NewPasswordField } from "@/components/auth/new-password-field.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { PasswordInput } from "@/components/ui/password-input.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { authErrorMessage } from "@/lib/error-message.ts";
import { formText } from "@/lib/form-text.ts";

export function ChangePasswordForm() {
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setPending(true);
    const { error } = await authClient.changePassword({
      currentPassword: formText(data, "current"),
      newPassword: formText(data, "new"),
      revokeOtherSessions: true,
    });
    setPending(false);
    if (error) return setMessage({ tone: "error", text: authErrorMessage(error, "Could not change the password.") });
    form.reset();
    setMessage({ tone: "success", text: "Password changed. Your other sessions were signed out." });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Password</CardTitle>
      </CardHeader>
      <CardBody>
        <form onSubmit={(event) => void submit(event)} className="max-w-sm space-y-4" noValidate>
          {message && <Alert tone={message.tone}>{message.text}</Alert>}
          <Field id="current" label="Current password">
            <PasswordInput id="current" name="current" autoComplete="current-password" required />
          </Field>
          <NewPasswordField id="new" name="new" label="New password" />
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Change password"}
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
