"use client";
import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { formText } from "@/lib/form-text.ts";

export function CreateTenantForm() {
  const trpc = useTRPC();
  const create = useMutation(
    trpc.tenant.create.mutationOptions({ onSuccess: () => window.location.assign("/dashboard") }),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ name: formText(new FormData(event.currentTarget), "name") });
  };
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <h1 className="text-xl font-semibold">Create an organisation</h1>
      <p className="text-sm text-zinc-600">Keys, usage and billing belong to an organisation. You will be its owner.</p>
      {create.error && <Alert tone="error">{create.error.message}</Alert>}
      <Field id="name" label="Organisation name">
        <Input id="name" name="name" required autoFocus />
      </Field>
      <Button type="submit" className="w-full" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create organisation"}
      </Button>
    </form>
  );
}
