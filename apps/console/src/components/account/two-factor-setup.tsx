"use client";
import QRCode from "qrcode";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { PasswordInput } from "@/components/ui/password-input.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { authErrorMessage } from "@/lib/error-message.ts";
import { formText } from "@/lib/form-text.ts";

interface Enrolment {
  qr: string;
  secret: string;
  recoveryCodes: string[];
}

/**
 * Two-factor sign-in on the account page (and /two-factor when it is
 * required): set it up with an authenticator app, confirmed by its first
 * code, with recovery codes shown once; or turn it off with the password.
 * `then`: where to go once it is on.
 */
export function TwoFactorSetup({ enabled, then }: { enabled: boolean; then?: string }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const { data, error } = await authClient.twoFactor.enable({
      password: formText(new FormData(event.currentTarget), "password"),
    });
    setPending(false);
    if (error || !data || !("totpURI" in data) || !data.totpURI) {
      return setMessage({ tone: "error", text: authErrorMessage(error ?? {}, "Could not start two-factor set-up.") });
    }
    setMessage(null);
    setEnrolment({
      qr: await QRCode.toDataURL(data.totpURI),
      secret: new URL(data.totpURI).searchParams.get("secret") ?? "",
      recoveryCodes: data.backupCodes ?? [],
    });
  }

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const { error } = await authClient.twoFactor.verifyTotp({
      code: formText(new FormData(event.currentTarget), "code"),
    });
    setPending(false);
    if (error)
      return setMessage({ tone: "error", text: "That code does not match. Check the app and try the newest one." });
    window.location.assign(then ?? "/account");
  }

  async function turnOff(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const { error } = await authClient.twoFactor.disable({
      password: formText(new FormData(event.currentTarget), "password"),
    });
    setPending(false);
    if (error)
      return setMessage({ tone: "error", text: authErrorMessage(error, "Could not turn two-factor sign-in off.") });
    window.location.assign("/account");
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Two-factor sign-in</CardTitle>
      </CardHeader>
      <CardBody className="space-y-4">
        {message && <Alert tone={message.tone}>{message.text}</Alert>}
        {enabled ? (
          <form onSubmit={(event) => void turnOff(event)} className="max-w-sm space-y-4" noValidate>
            <p className="text-sm text-zinc-700">On: signing in asks for a code from your authenticator app.</p>
            <Field id="mfa-off-password" label="Password">
              <PasswordInput id="mfa-off-password" name="password" autoComplete="current-password" required />
            </Field>
            <Button type="submit" variant="secondary" disabled={pending}>
              Turn off two-factor sign-in
            </Button>
          </form>
        ) : enrolment ? (
          <form onSubmit={(event) => void confirm(event)} className="space-y-4" noValidate>
            <p className="text-sm text-zinc-700">
              Scan this with your authenticator app, or enter the key by hand, then type the code it shows.
            </p>
            {/* A data: URL the page made itself. */}
            <img src={enrolment.qr} alt="QR code for your authenticator app" width={180} height={180} />
            <p className="font-mono text-sm break-all" aria-label="Key for your authenticator app">
              {enrolment.secret}
            </p>
            <div>
              <p className="text-sm font-medium">
                Recovery codes: each signs you in once if you lose the app. Keep them safe now; they are not shown
                again.
              </p>
              <ul aria-label="Recovery codes" className="mt-2 grid grid-cols-2 gap-1 font-mono text-sm">
                {enrolment.recoveryCodes.map((code) => (
                  <li key={code}>{code}</li>
                ))}
              </ul>
            </div>
            <Field id="mfa-code" label="Code from the app">
              <Input id="mfa-code" name="code" inputMode="numeric" autoComplete="one-time-code" required />
            </Field>
            <Button type="submit" disabled={pending}>
              Turn on two-factor sign-in
            </Button>
          </form>
        ) : (
          <form onSubmit={(event) => void start(event)} className="max-w-sm space-y-4" noValidate>
            <p className="text-sm text-zinc-700">
              Off. With it on, a stolen password is not enough: signing in also asks for a code from an authenticator
              app.
            </p>
            <Field id="mfa-password" label="Password">
              <PasswordInput id="mfa-password" name="password" autoComplete="current-password" required />
            </Field>
            <Button type="submit" disabled={pending}>
              Set up two-factor sign-in
            </Button>
          </form>
        )}
      </CardBody>
    </Card>
  );
}
