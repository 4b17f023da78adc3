"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatUsd, type LimitMeter } from "@aiaas/core";
import { Alert } from "@/components/ui/alert.tsx";
import { Card } from "@/components/ui/card.tsx";
import { SearchField } from "@/components/ui/search-field.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { formatCount } from "@/components/usage/format.ts";
import { useTRPC } from "@/lib/trpc.ts";

const columns = [
  { name: "rpm", label: "Requests this minute" },
  { name: "tpm", label: "Tokens this minute" },
  { name: "rpd", label: "Requests today" },
  { name: "concurrent", label: "In flight" },
  { name: "budget", label: "Budget used" },
] as const;

function cell(meters: LimitMeter[], name: LimitMeter["name"]) {
  const meter = meters.find((m) => m.name === name);
  if (!meter || meter.used === null) return "—";
  const show = (value: number) => (meter.unit === "micros" ? formatUsd(BigInt(value)) : formatCount(value));
  const share = meter.limit ? Math.round((meter.used / meter.limit) * 100) : null;
  return `${show(meter.used)}${meter.limit === null ? "" : ` / ${show(meter.limit)}`}${share === null ? "" : ` (${share}%)`}`;
}

/** Every active tenant's use now against its limits, busiest first, refreshed every 3 s. */
export function LiveUsage() {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const usage = useQuery({
    ...trpc.admin.liveUsage.queryOptions({ search: search || undefined }),
    refetchInterval: 3000,
  });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Live usage</h1>
        <p className="mt-1 text-sm text-zinc-600">
          What each tenant uses now of its limits, as the gateways count it; busiest first. Tenants whose keys were used
          in the last 10 minutes, or those a search finds.
        </p>
      </div>
      <SearchField id="live-search" label="Search by name or slug" value={search} onChange={setSearch} />
      {usage.error && <Alert tone="error">{usage.error.message}</Alert>}
      {usage.data && !usage.data.live && <Alert tone="error">Redis does not answer: no live figures.</Alert>}
      <Card>
        <Table aria-label="Live usage">
          <thead>
            <tr>
              <Th>Tenant</Th>
              <Th>Plan</Th>
              {columns.map((column) => (
                <Th key={column.name} className="text-right">
                  {column.label}
                </Th>
              ))}
            </tr>
          </thead>
          <tbody>
            {usage.data?.tenants.length === 0 && (
              <tr>
                <Td colSpan={2 + columns.length} className="text-center text-zinc-500">
                  {search ? "No active tenant matches." : "No tenant has used the API in the last 10 minutes."}
                </Td>
              </tr>
            )}
            {usage.data?.tenants.map((tenant) => (
              <tr key={tenant.id}>
                <Td>
                  <Link href={`/admin/tenants/${tenant.id}`} className="text-indigo-600 hover:underline">
                    {tenant.name}
                  </Link>
                </Td>
                <Td className="font-mono text-xs">
                  {tenant.plan ?? "none"}
                  {tenant.overridden ? " *" : ""}
                </Td>
                {columns.map((column) => (
                  <Td key={column.name} className="text-right font-mono text-xs">
                    {cell(tenant.meters, column.name)}
                  </Td>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
        {usage.data?.tenants.some((tenant) => tenant.overridden) && (
          <p className="px-5 py-3 text-xs text-zinc-500">* limits overridden for this tenant.</p>
        )}
      </Card>
    </div>
  );
}
