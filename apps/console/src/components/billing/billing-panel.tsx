"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { formatMicros } from "@/components/usage/format.ts";
import { useCurrentTenant } from "@/lib/use-current-tenant.ts";
import { useTRPC } from "@/lib/trpc.ts";
import { PaymentActions } from "./payment-actions.tsx";

const periodName = (key: string) =>
  new Date(`${key}-01T00:00:00Z`).toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

/** The plan, this period's usage against its allowance, cost, forecast, credit and the invoices. */
export function BillingPanel() {
  const trpc = useTRPC();
  const { can } = useCurrentTenant();
  const billing = useQuery(trpc.billing.overview.queryOptions());
  if (billing.error) return <Alert tone="error">{billing.error.message}</Alert>;
  if (!billing.data) return <p className="text-sm text-zinc-500">Loading billing…</p>;
  const data = billing.data;
  const allowanceShare =
    data.includedMicros > 0n ? Math.min(1, Number(data.usageMicros) / Number(data.includedMicros)) : null;
  const figures = [
    { label: "Cost to date", value: formatMicros(data.costToDateMicros) },
    { label: "Forecast for the period", value: formatMicros(data.forecastMicros) },
    { label: "Due so far", value: formatMicros(data.dueToDateMicros) },
    { label: "Credit balance", value: formatMicros(data.creditBalanceMicros) },
  ];

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Billing</h1>
        <p className="mt-1 text-sm text-zinc-600">
          {periodName(data.period.key)} so far, from the usage ledger (every request priced when it ends).
        </p>
      </div>
      {data.mode === "ledger" && (
        <Alert>
          Billing runs ledger-only: no payment provider is configured, so there is nothing to pay online. Usage is still
          priced and invoices are computed from the ledger; upgrading, top-ups and payment methods appear once the
          operator configures Stripe.
        </Alert>
      )}
      {data.paymentStatus !== "ok" && (
        <Alert tone="error">
          {data.paymentStatus === "past_due"
            ? "The last payment failed. Update the payment method, or the organization's limits will be reduced."
            : "Payments have failed: the organization is limited to the free plan's limits until an invoice is paid."}
        </Alert>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Plan</CardTitle>
          <Badge tone="indigo">{data.plan?.name ?? "none"}</Badge>
        </CardHeader>
        <CardBody className="space-y-4">
          <p className="text-sm text-zinc-600">
            {data.plan
              ? `${data.plan.priceMonthlyMicros > 0n ? `${formatMicros(data.plan.priceMonthlyMicros)} a month` : "No monthly fee"}, ${formatMicros(data.includedMicros)} of usage included each month${data.plan.prepaid ? "; usage beyond it is paid from prepaid credit" : "; usage beyond it is billed at the end of the month"}.`
              : "No plan: usage is billed as it comes."}
          </p>
          {data.freeAllowanceElsewhere && (
            <Alert>
              The free plan&apos;s included usage is given once per person, and this organization&apos;s creator already
              has it in their first organization. Usage here is paid from prepaid credit: top up, or upgrade to a paid
              plan.
            </Alert>
          )}
          {allowanceShare !== null && (
            <div className="space-y-1">
              <div className="flex justify-between text-sm">
                <span>Included usage</span>
                <span className="font-mono text-xs">
                  {formatMicros(data.usageMicros)} of {formatMicros(data.includedMicros)}
                </span>
              </div>
              <div
                role="meter"
                aria-label="Included usage"
                aria-valuemin={0}
                aria-valuemax={Number(data.includedMicros)}
                aria-valuenow={Number(data.usageMicros)}
                aria-valuetext={`${formatMicros(data.usageMicros)} of ${formatMicros(data.includedMicros)}`}
                className="h-2 overflow-hidden rounded bg-zinc-100"
              >
                <div
                  className={allowanceShare >= 1 ? "h-full bg-red-500" : "h-full bg-indigo-500"}
                  style={{ width: `${allowanceShare * 100}%` }}
                />
              </div>
            </div>
          )}
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {figures.map((figure) => (
              <div key={figure.label} className="rounded-md bg-zinc-50 px-3 py-2">
                <dt className="text-xs text-zinc-500">{figure.label}</dt>
                <dd className="font-mono text-sm">{figure.value}</dd>
              </div>
            ))}
          </dl>
        </CardBody>
      </Card>
      {data.mode === "stripe" && can("billing:manage") && (
        <PaymentActions plans={data.plans} currentPlan={data.plan?.slug ?? null} />
      )}
      <Card>
        <CardHeader>
          <CardTitle>Invoices</CardTitle>
        </CardHeader>
        <Table aria-label="Invoices">
          <thead>
            <tr>
              <Th>Period</Th>
              <Th className="text-right">Charges</Th>
              <Th className="text-right">Due</Th>
              <Th />
            </tr>
          </thead>
          <tbody>
            {data.periods.map((period) => (
              <tr key={period.key}>
                <Td>
                  {periodName(period.key)} {period.preview && <Badge>preview</Badge>}
                </Td>
                <Td className="text-right font-mono text-xs">{formatMicros(period.chargesMicros)}</Td>
                <Td className="text-right font-mono text-xs">{formatMicros(period.dueMicros)}</Td>
                <Td className="text-right">
                  <Link href={`/billing/invoices/${period.key}`} className="text-sm text-indigo-600 hover:underline">
                    {period.preview ? "Preview" : "View"}
                  </Link>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
