"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { utcDayKey } from "@aiaas/core";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { formatCount, formatMicros } from "@/components/usage/format.ts";
import { useTRPC } from "@/lib/trpc.ts";

/** One period's invoice as a printable page (the browser's print saves it as a PDF). */
export function InvoiceDocument({ period }: { period: string }) {
  const trpc = useTRPC();
  const invoice = useQuery(trpc.billing.invoice.queryOptions({ period }));
  if (invoice.error) return <Alert tone="error">{invoice.error.message}</Alert>;
  if (!invoice.data) return <p className="text-sm text-zinc-500">Loading the invoice…</p>;
  const data = invoice.data;
  const lastDay = new Date(data.period.end.getTime() - 1);
  return (
    <article className="space-y-6 rounded-lg border border-zinc-200 bg-white p-8 print:border-0 print:p-0">
      <div className="flex items-center justify-between gap-3 print:hidden">
        <Link href="/billing" className="text-sm text-indigo-600 hover:underline">
          ← Billing
        </Link>
        <Button size="sm" variant="secondary" onClick={() => window.print()}>
          Print or save as PDF
        </Button>
      </div>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{data.final ? "Invoice" : "Invoice preview"}</h1>
          <p className="text-sm text-zinc-600">{data.tenantName}</p>
        </div>
        <p className="text-right text-sm text-zinc-600">
          Period {utcDayKey(data.period.start)} to {utcDayKey(lastDay)} (UTC)
          {!data.final && (
            <>
              <br />
              Can still change until the period ends.
            </>
          )}
        </p>
      </header>
      <Table aria-label="Invoice lines">
        <thead>
          <tr>
            <Th>Item</Th>
            <Th className="text-right">Requests</Th>
            <Th className="text-right">Tokens in / out</Th>
            <Th className="text-right">Images</Th>
            <Th className="text-right">Amount</Th>
          </tr>
        </thead>
        <tbody>
          {data.lines.length === 0 && (
            <tr>
              <Td colSpan={5} className="text-center text-zinc-500">
                Nothing charged in this period.
              </Td>
            </tr>
          )}
          {data.lines.map((line, index) => (
            <tr key={`${line.kind}-${line.description}-${index}`}>
              <Td>
                <span className={line.model ? "font-mono text-xs" : undefined}>{line.description}</span>
                {line.priceFrom && line.priceFrom.getTime() > 0 && (
                  <span className="block text-xs text-zinc-500">price from {utcDayKey(line.priceFrom)}</span>
                )}
              </Td>
              <Td className="text-right">{line.kind === "usage" ? formatCount(line.requests) : ""}</Td>
              <Td className="text-right font-mono text-xs">
                {line.kind === "usage" ? `${formatCount(line.inputTokens)} / ${formatCount(line.outputTokens)}` : ""}
              </Td>
              <Td className="text-right">{line.kind === "usage" ? formatCount(line.images) : ""}</Td>
              <Td className="text-right font-mono text-xs">{formatMicros(line.amountMicros)}</Td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <Td colSpan={4} className="text-right font-medium">
              Subtotal
            </Td>
            <Td className="text-right font-mono text-xs">{formatMicros(data.subtotalMicros)}</Td>
          </tr>
          <tr>
            <Td colSpan={4} className="text-right font-semibold">
              Total due
            </Td>
            <Td className="text-right font-mono text-sm font-semibold" aria-label="Total due">
              {formatMicros(data.totalMicros)}
            </Td>
          </tr>
        </tfoot>
      </Table>
    </article>
  );
}
