"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Select } from "@/components/ui/select.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";
import { SecretForm } from "./secret-form.tsx";

const graceChoices = [
  { hours: 0, label: "Stop the old secret now" },
  { hours: 1, label: "Keep the old secret 1 hour" },
  { hours: 4, label: "Keep the old secret 4 hours" },
  { hours: 24, label: "Keep the old secret 24 hours" },
] as const;

export function RollKeyDialog({ keyId, name }: { keyId: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const roll = useMutation(
    trpc.apiKeys.roll.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() }),
    }),
  );
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) roll.reset();
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    roll.mutate({ keyId, graceHours: Number(formText(new FormData(event.currentTarget), "grace")) });
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Roll ${name}`}>
          Roll
        </Button>
      </DialogTrigger>
      <DialogContent
        title={roll.data ? "Copy the new secret" : `Roll “${name}”`}
        description={
          roll.data ? undefined : "A new secret replaces this one; the key keeps its name, scopes and limits."
        }
      >
        <SecretForm
          mutation={roll}
          onSubmit={submit}
          onClose={() => onOpenChange(false)}
          label="Roll key"
          pendingLabel="Rolling…"
        >
          <Field id="roll-grace" label="Old secret">
            <Select id="roll-grace" name="grace" defaultValue="1">
              {graceChoices.map(({ hours, label }) => (
                <option key={hours} value={hours}>
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
