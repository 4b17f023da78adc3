"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { microsToUsd } from "@aiaas/core";
import { Field } from "@/components/ui/field.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { Input } from "@/components/ui/input.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";

interface PlanTerms {
  id: string;
  name: string;
  priceMonthlyMicros: bigint;
  includedUsageMicros: bigint;
  prepaid: boolean;
  active: boolean;
  stripePriceId: string | null;
  stripeMeteredPriceId: string | null;
}

const dollars = (micros: bigint) => String(microsToUsd(micros));

/** A plan's commercial terms: monthly price, included usage, prepaid or invoiced, on sale, Stripe prices. */
export function PlanTermsDialog({ plan }: { plan: PlanTerms }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(
    trpc.admin.setPlanTerms.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.plans.queryKey() }),
    }),
  );
  const submit = (form: FormData) => {
    const priceId = (name: string) => formText(form, name).trim() || null;
    return save.mutateAsync({
      planId: plan.id,
      priceMonthlyUsd: Number(formText(form, "price")),
      includedUsageUsd: Number(formText(form, "included")),
      prepaid: form.get("prepaid") === "on",
      active: form.get("active") === "on",
      stripePriceId: priceId("stripePrice"),
      stripeMeteredPriceId: priceId("stripeMeteredPrice"),
    });
  };
  return (
    <FormDialog
      trigger="Terms"
      title={`Terms of ${plan.name}`}
      description="Applies from the next request; audited."
      submitLabel="Save terms"
      submit={submit}
    >
      <div className="grid grid-cols-2 gap-3">
        <Field id="terms-price" label="Price per month (USD)">
          <Input
            id="terms-price"
            name="price"
            type="number"
            min={0}
            step="any"
            defaultValue={dollars(plan.priceMonthlyMicros)}
          />
        </Field>
        <Field id="terms-included" label="Included usage per month (USD)">
          <Input
            id="terms-included"
            name="included"
            type="number"
            min={0}
            step="any"
            defaultValue={dollars(plan.includedUsageMicros)}
          />
        </Field>
        <Field id="terms-stripe-price" label="Stripe price (subscription)">
          <Input
            id="terms-stripe-price"
            name="stripePrice"
            placeholder="price_…"
            defaultValue={plan.stripePriceId ?? ""}
          />
        </Field>
        <Field id="terms-stripe-metered" label="Stripe price (metered usage)">
          <Input
            id="terms-stripe-metered"
            name="stripeMeteredPrice"
            placeholder="price_…"
            defaultValue={plan.stripeMeteredPriceId ?? ""}
          />
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="prepaid" defaultChecked={plan.prepaid} className="h-4 w-4" />
        Prepaid: usage beyond the included amount is paid from credit, never owed
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="active" defaultChecked={plan.active} className="h-4 w-4" />
        On sale
      </label>
    </FormDialog>
  );
}
