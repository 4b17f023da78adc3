"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";
import { useCurrentTenant } from "@/lib/use-current-tenant.ts";

const retentionChoices = [
  { value: "none", label: "Do not keep prompts or completions", hint: "Only token counts and timings are stored." },
  { value: "days_7", label: "Keep for 7 days", hint: "Encrypted with this organisation's key, then deleted." },
  { value: "days_30", label: "Keep for 30 days", hint: "Encrypted with this organisation's key, then deleted." },
] as const;

export function SettingsForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useCurrentTenant();
  const settings = useQuery(trpc.tenant.settings.queryOptions());
  const update = useMutation(
    trpc.tenant.update.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(),
    }),
  );
  const canEdit = can("tenant:update");

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    update.mutate({
      name: formText(form, "name"),
      retention: formText(form, "retention") as "none",
      requireMfa: form.get("requireMfa") === "on",
    });
  }

  if (!settings.data) return <p className="text-sm text-zinc-500">Loading…</p>;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <Card>
        <CardHeader>
          <CardTitle>Organisation</CardTitle>
        </CardHeader>
        <CardBody>
          <form onSubmit={submit} className="max-w-lg space-y-5" noValidate>
            {!canEdit && <Alert tone="info">Only owners and admins can change these settings.</Alert>}
            {update.error && <Alert tone="error">{update.error.message}</Alert>}
            {update.isSuccess && <Alert tone="success">Settings saved.</Alert>}
            <Field id="org-name" label="Name" hint={`Slug: ${settings.data.slug}`}>
              <Input
                id="org-name"
                name="name"
                defaultValue={settings.data.name}
                disabled={!canEdit}
                aria-describedby="org-name-hint"
              />
            </Field>
            <fieldset className="space-y-2" disabled={!canEdit}>
              <legend className="text-sm font-medium text-zinc-800">Prompt retention</legend>
              {retentionChoices.map((choice) => (
                <label key={choice.value} className="flex items-start gap-2 text-sm">
                  <input
                    type="radio"
                    name="retention"
                    value={choice.value}
                    defaultChecked={settings.data.retention === choice.value}
                    className="mt-0.5"
                  />
                  <span>
                    {choice.label}
                    <span className="block text-xs text-zinc-500">{choice.hint}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <label className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                name="requireMfa"
                defaultChecked={settings.data.requireMfa}
                disabled={!canEdit}
                className="mt-0.5"
              />
              <span>
                Require two-factor sign-in
                <span className="block text-xs text-zinc-500">
                  Members without it are asked to set it up before they can use this organisation.
                </span>
              </span>
            </label>
            {canEdit && (
              <Button type="submit" disabled={update.isPending}>
                {update.isPending ? "Saving…" : "Save settings"}
              </Button>
            )}
          </form>
        </CardBody>
      </Card>
    </div>
  );
}
