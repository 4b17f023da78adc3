"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatUsd } from "@aiaas/core";
import type { LimitSet } from "@aiaas/core/quota";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { EditLimitsDialog } from "@/components/quotas/edit-limits-dialog.tsx";
import { formatCount } from "@/components/usage/format.ts";
import { useTRPC } from "@/lib/trpc.ts";
import { NewPlanDialog } from "./new-plan-dialog.tsx";
import { PlanTermsDialog } from "./plan-terms-dialog.tsx";

const count = (value: number | null) => (value === null ? "—" : formatCount(value));
const budget = (limits: LimitSet) =>
  limits.budgetMicros === null ? "—" : `${formatUsd(limits.budgetMicros)} / ${limits.budgetPeriod}`;

/** Every plan with its terms and default limits; operators change both here (audited, applied within 10 s). */
export function PlansTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const plans = useQuery(trpc.admin.plans.queryOptions());
  const setLimits = useMutation(
    trpc.admin.setPlanLimits.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.plans.queryKey() }),
    }),
  );
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Plans</h1>
        <p className="mt-1 text-sm text-zinc-600">
          Each tenant gets its plan&apos;s limits unless an operator overrides them on the tenant&apos;s page.
        </p>
      </div>
      <NewPlanDialog />
      {plans.error && <Alert tone="error">{plans.error.message}</Alert>}
      <Card>
        <Table aria-label="Plans">
          <thead>
            <tr>
              <Th>Plan</Th>
              <Th className="text-right">Tenants</Th>
              <Th className="text-right">Price / month</Th>
              <Th className="text-right">Included</Th>
              <Th className="text-right">Req / min</Th>
              <Th className="text-right">Tokens / min</Th>
              <Th className="text-right">Req / day</Th>
              <Th className="text-right">Concurrent</Th>
              <Th className="text-right">Budget</Th>
              <Th />
            </tr>
          </thead>
          <tbody>
            {plans.data?.map((plan) => (
              <tr key={plan.id}>
                <Td>
                  <div className="font-medium">{plan.name}</div>
                  <div className="flex gap-1 font-mono text-xs text-zinc-500">
                    {plan.slug}
                    {plan.isDefault && <Badge tone="indigo">default</Badge>}
                    {!plan.active && <Badge>inactive</Badge>}
                  </div>
                </Td>
                <Td className="text-right">{formatCount(plan.tenants)}</Td>
                <Td className="text-right">{formatUsd(plan.priceMonthlyMicros)}</Td>
                <Td className="text-right">
                  {formatUsd(plan.includedUsageMicros)}
                  <span className="block text-xs text-zinc-500">{plan.prepaid ? "prepaid" : "invoiced"}</span>
                </Td>
                <Td className="text-right">{count(plan.limits.rpm)}</Td>
                <Td className="text-right">{count(plan.limits.tpm)}</Td>
                <Td className="text-right">{count(plan.limits.rpd)}</Td>
                <Td className="text-right">{count(plan.limits.concurrent)}</Td>
                <Td className="text-right">{budget(plan.limits)}</Td>
                <Td className="space-x-1 text-right whitespace-nowrap">
                  <PlanTermsDialog plan={plan} />
                  <EditLimitsDialog
                    title={`Default limits of ${plan.name}`}
                    trigger="Limits"
                    description={`Applies to the ${plan.tenants} tenant(s) on this plan within 10 seconds, except where overridden. Empty means no limit.`}
                    values={plan.limits}
                    save={(limits) => setLimits.mutateAsync({ planId: plan.id, limits })}
                  />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
