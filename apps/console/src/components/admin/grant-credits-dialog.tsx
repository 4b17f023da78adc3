"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Field } from "@/components/ui/field.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { Input } from "@/components/ui/input.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";

/** A credit grant for one tenant, with the reason its invoice and audit log show. */
export function GrantCreditsDialog({ tenantId, tenantName }: { tenantId: string; tenantName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const grant = useMutation(
    trpc.admin.grantCredits.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.billing.queryKey() }),
    }),
  );
  return (
    <FormDialog
      trigger="Grant credit"
      title={`Grant credit to ${tenantName}`}
      description="Taken against its next charges."
      submitLabel="Grant"
      pendingLabel="Granting…"
      submit={(form) =>
        grant.mutateAsync({ tenantId, amountUsd: Number(formText(form, "amount")), reason: formText(form, "reason") })
      }
    >
      <Field id="grant-amount" label="Amount (USD)">
        <Input id="grant-amount" name="amount" type="number" min={0.01} step={0.01} inputMode="decimal" />
      </Field>
      <Field id="grant-reason" label="Reason (on the invoice and in the audit log)">
        <Input id="grant-reason" name="reason" maxLength={500} />
      </Field>
    </FormDialog>
  );
}
