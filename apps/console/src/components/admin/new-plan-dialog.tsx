"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Field } from "@/components/ui/field.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { Input } from "@/components/ui/input.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";

/** A new plan, e.g. custom terms for one customer; its limits are set after, from its row. */
export function NewPlanDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.admin.createPlan.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.plans.queryKey() }),
    }),
  );
  return (
    <FormDialog
      trigger="New plan"
      title="New plan"
      description="No limits until you set them; not sold online until it has a Stripe price."
      submitLabel="Create plan"
      pendingLabel="Creating…"
      submit={(form) =>
        create.mutateAsync({
          slug: formText(form, "slug"),
          name: formText(form, "name"),
          priceMonthlyUsd: Number(formText(form, "price") || 0),
          includedUsageUsd: Number(formText(form, "included") || 0),
          prepaid: form.get("prepaid") === "on",
        })
      }
    >
      <div className="grid grid-cols-2 gap-3">
        <Field id="plan-slug" label="Slug" hint="e.g. acme-custom">
          <Input id="plan-slug" name="slug" />
        </Field>
        <Field id="plan-name" label="Name">
          <Input id="plan-name" name="name" maxLength={100} />
        </Field>
        <Field id="plan-price" label="Price per month (USD)">
          <Input id="plan-price" name="price" type="number" min={0} step="any" />
        </Field>
        <Field id="plan-included" label="Included usage per month (USD)">
          <Input id="plan-included" name="included" type="number" min={0} step="any" />
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="prepaid" className="h-4 w-4" />
        Prepaid: usage beyond the included amount is paid from credit
      </label>
    </FormDialog>
  );
}
