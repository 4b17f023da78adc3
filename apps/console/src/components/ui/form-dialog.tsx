"use client";
import { useState, type FormEvent, type ReactNode } from "react";
import { errorMessage } from "@/lib/error-message.ts";
import { Alert } from "./alert.tsx";
import { Button } from "./button.tsx";
import { Dialog, DialogContent, DialogTrigger } from "./dialog.tsx";
import { FormActions } from "./form-actions.tsx";

/**
 * A button opening a form in a dialog. `submit` receives the form's data and
 * resolves once saved (the dialog closes) or throws (its message is shown
 * above the fields, which keep what was typed).
 */
export function FormDialog({
  trigger,
  title,
  description,
  submitLabel,
  pendingLabel = "Saving…",
  submit,
  children,
}: {
  trigger: string;
  title: string;
  description?: ReactNode;
  submitLabel: string;
  pendingLabel?: string;
  submit: (form: FormData) => Promise<unknown>;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await submit(form);
      setOpen(false);
    } catch (cause) {
      setError(errorMessage(cause));
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(null);
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="secondary">
          {trigger}
        </Button>
      </DialogTrigger>
      <DialogContent title={title} description={description}>
        <form onSubmit={(event) => void onSubmit(event)} className="space-y-4" noValidate>
          {error && <Alert tone="error">{error}</Alert>}
          {children}
          <FormActions
            onCancel={() => setOpen(false)}
            label={submitLabel}
            pendingLabel={pendingLabel}
            pending={pending}
          />
        </form>
      </DialogContent>
    </Dialog>
  );
}
