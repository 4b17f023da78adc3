"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "@/components/ui/alert.tsx";
import { Card, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { formatMicros } from "@/components/usage/format.ts";
import { useTRPC } from "@/lib/trpc.ts";
import { GrantCreditsDialog } from "./grant-credits-dialog.tsx";

/** Revenue per period, each tenant's charges, credit and unpaid periods, from the ledger. */
export function BillingOverview() {
  const trpc = useTRPC();
  const billing = useQuery(trpc.admin.billing.queryOptions());
  const deadLetters = useQuery(trpc.admin.usageDeadLetters.queryOptions());
  if (billing.error) return <Alert tone="error">{billing.error.message}</Alert>;
  if (!billing.data) return <p className="text-sm text-zinc-500">Loading billing…</p>;
  const { revenue, accounts, period } = billing.data;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Billing</h1>
      <Card>
        <CardHeader>
          <CardTitle>Revenue per period</CardTitle>
        </CardHeader>
        <Table aria-label="Revenue per period">
          <thead>
            <tr>
              <Th>Period</Th>
              <Th className="text-right">Charges</Th>
              <Th className="text-right">Due after allowances and credit</Th>
            </tr>
          </thead>
          <tbody>
            {revenue.map((row) => (
              <tr key={row.period}>
                <Td>
                  {row.period}
                  {row.period === period.key ? " (so far)" : ""}
                </Td>
                <Td className="text-right font-mono text-xs">{formatMicros(row.chargesMicros)}</Td>
                <Td className="text-right font-mono text-xs">{formatMicros(row.dueMicros)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Tenants</CardTitle>
        </CardHeader>
        <Table aria-label="Tenant balances">
          <thead>
            <tr>
              <Th>Tenant</Th>
              <Th>Plan</Th>
              <Th className="text-right">This period</Th>
              <Th className="text-right">Credit balance</Th>
              <Th>Unpaid</Th>
              <Th />
            </tr>
          </thead>
          <tbody>
            {accounts.map((account) => (
              <tr key={account.id}>
                <Td>
                  <Link href={`/admin/tenants/${account.id}`} className="text-indigo-600 hover:underline">
                    {account.name}
                  </Link>
                </Td>
                <Td className="font-mono text-xs">{account.plan ?? "none"}</Td>
                <Td className="text-right font-mono text-xs">{formatMicros(account.periodChargesMicros)}</Td>
                <Td className="text-right font-mono text-xs">{formatMicros(account.creditBalanceMicros)}</Td>
                <Td className="font-mono text-xs">
                  {account.unpaid.length === 0
                    ? "—"
                    : account.unpaid.map((month) => `${month.period}: ${formatMicros(month.dueMicros)}`).join(", ")}
                </Td>
                <Td className="text-right">
                  <GrantCreditsDialog tenantId={account.id} tenantName={account.name} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Usage not recorded</CardTitle>
        </CardHeader>
        {deadLetters.error ? (
          <Alert tone="error">{deadLetters.error.message}</Alert>
        ) : !deadLetters.data ? (
          <p className="text-sm text-zinc-500">Loading…</p>
        ) : deadLetters.data.total === 0 ? (
          <p className="text-sm text-zinc-500">Every answered request is in the ledger.</p>
        ) : (
          <>
            <p className="mb-3 text-sm text-zinc-600">
              {deadLetters.data.total} usage {deadLetters.data.total === 1 ? "record" : "records"} could not be written
              to the ledger (most often: the tenant was deleted while its requests ran). They are kept in
              usage_dead_letters with the reason; the newest are below.
            </p>
            <Table aria-label="Usage not recorded">
              <thead>
                <tr>
                  <Th>When</Th>
                  <Th>Tenant</Th>
                  <Th>Request</Th>
                  <Th className="text-right">Cost</Th>
                  <Th>Reason</Th>
                </tr>
              </thead>
              <tbody>
                {deadLetters.data.letters.map((letter) => (
                  <tr key={letter.id}>
                    <Td className="text-xs">{new Date(letter.createdAt).toLocaleString()}</Td>
                    <Td className="text-xs">{letter.tenantName ?? `${letter.tenantId} (deleted)`}</Td>
                    <Td className="font-mono text-xs">{letter.requestId}</Td>
                    <Td className="text-right font-mono text-xs">
                      {letter.costMicros === null ? "—" : formatMicros(letter.costMicros)}
                    </Td>
                    <Td className="text-xs">{letter.reason}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </>
        )}
      </Card>
    </div>
  );
}
