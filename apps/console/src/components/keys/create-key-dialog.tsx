"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { apiKeyScopes, type ApiKeyScope } from "@aiaas/core";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Select } from "@/components/ui/select.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { LimitFields, readLimitFields } from "@/components/quotas/limit-fields.tsx";
import { SecretForm } from "./secret-form.tsx";
import { formText } from "@/lib/form-text.ts";

const expiryChoices = [
  { label: "Never", days: null },
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
] as const;

export function CreateKeyDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const models = useQuery(trpc.models.available.queryOptions());
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() }),
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const expiry = formText(form, "expiry");
    create.mutate({
      name: formText(form, "name"),
      environment: form.get("environment") === "test" ? "test" : "live",
      scopes: form.getAll("scopes").map(String) as ApiKeyScope[],
      expiresInDays: expiry === "never" ? null : Number(expiry),
      models: form.getAll("models").map(String),
      limits: readLimitFields(form),
    });
  }

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) create.reset(); // the secret is gone for good once the dialog closes
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm">Create key</Button>
      </DialogTrigger>
      <DialogContent title={create.data ? "Copy your new key" : "Create an API key"}>
        <SecretForm
          mutation={create}
          onSubmit={submit}
          onClose={() => onOpenChange(false)}
          label="Create key"
          pendingLabel="Creating…"
        >
          <Field id="key-name" label="Name" hint="What uses it, e.g. “backend” or “ci”.">
            <Input id="key-name" name="name" required maxLength={100} aria-describedby="key-name-hint" />
          </Field>
          <Field id="key-environment" label="Environment">
            <Select id="key-environment" name="environment">
              <option value="live">live</option>
              <option value="test">test</option>
            </Select>
          </Field>
          <fieldset className="space-y-1.5">
            <legend className="text-sm font-medium text-zinc-800">Endpoints</legend>
            <p className="text-xs text-zinc-500">Leave all unticked to allow every endpoint.</p>
            <div className="grid grid-cols-2 gap-1">
              {apiKeyScopes.map((scope) => (
                <label key={scope} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="scopes" value={scope} className="h-4 w-4 rounded border-zinc-300" />
                  {scope}
                </label>
              ))}
            </div>
          </fieldset>
          {models.data && models.data.length > 0 && (
            <fieldset className="space-y-1.5">
              <legend className="text-sm font-medium text-zinc-800">Models</legend>
              <p className="text-xs text-zinc-500">Leave all unticked to allow every model of the organisation.</p>
              <div className="grid grid-cols-2 gap-1">
                {models.data.map((model) => (
                  <label key={model.slug} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="models"
                      value={model.slug}
                      className="h-4 w-4 rounded border-zinc-300"
                    />
                    {model.slug}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <details className="rounded-md border border-zinc-200 px-3 py-2">
            <summary className="cursor-pointer text-sm font-medium text-zinc-800">Limits (optional)</summary>
            <p className="mt-1 text-xs text-zinc-500">
              Tighter than the organisation&apos;s own; empty means the organisation&apos;s.
            </p>
            <div className="mt-3">
              <LimitFields idPrefix="key" fallbackWord="organization's" />
            </div>
          </details>
          <Field id="key-expiry" label="Expires">
            <Select id="key-expiry" name="expiry" defaultValue="never">
              {expiryChoices.map(({ label, days }) => (
                <option key={label} value={days ?? "never"}>
                  {label}
                </option>
              ))}
            </Select>
          </Field>
        </SecretForm>
      </DialogContent>
    </Dialog>
  );
}
