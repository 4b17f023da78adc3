"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { formatMicros } from "@/components/usage/format.ts";
import { useTRPC } from "@/lib/trpc.ts";

interface PlanOnSale {
  slug: string;
  name: string;
  description: string;
  priceMonthlyMicros: bigint;
  soldOnline: boolean;
}

/** Upgrade, top up and manage payment: each opens a Stripe page (Checkout or the customer portal). */
export function PaymentActions({ plans, currentPlan }: { plans: PlanOnSale[]; currentPlan: string | null }) {
  const trpc = useTRPC();
  const [amount, setAmount] = useState("20");
  const go = { onSuccess: ({ url }: { url: string | null }) => url && window.location.assign(url) };
  const checkout = useMutation(trpc.billing.checkout.mutationOptions(go));
  const portal = useMutation(trpc.billing.portal.mutationOptions(go));
  const error = checkout.error ?? portal.error;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Plan and payment</CardTitle>
        <Button size="sm" variant="secondary" disabled={portal.isPending} onClick={() => portal.mutate()}>
          Manage payment methods
        </Button>
      </CardHeader>
      <CardBody className="space-y-4">
        {error && <Alert tone="error">{error.message}</Alert>}
        <ul className="grid gap-3 sm:grid-cols-3">
          {plans
            .filter((plan) => plan.soldOnline || plan.slug === currentPlan)
            .map((plan) => (
              <li key={plan.slug} className="space-y-2 rounded-md border border-zinc-200 p-3">
                <p className="font-medium">{plan.name}</p>
                <p className="text-xs text-zinc-600">{plan.description}</p>
                <p className="font-mono text-sm">{formatMicros(plan.priceMonthlyMicros)} / month</p>
                {plan.slug === currentPlan ? (
                  <p className="text-xs text-zinc-500">Your plan</p>
                ) : (
                  <Button
                    size="sm"
                    disabled={checkout.isPending}
                    onClick={() => checkout.mutate({ kind: "subscription", plan: plan.slug })}
                  >
                    Subscribe to {plan.name}
                  </Button>
                )}
              </li>
            ))}
        </ul>
        <form
          className="flex items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            checkout.mutate({ kind: "top_up", amountUsd: Number(amount) });
          }}
        >
          <Field id="top-up-amount" label="Top up prepaid credit (USD)">
            <Input
              id="top-up-amount"
              type="number"
              min={5}
              max={10_000}
              step={1}
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
            />
          </Field>
          <Button type="submit" disabled={checkout.isPending}>
            Top up
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
