"use client";
import { useQuery } from "@tanstack/react-query";
import type { UsageRow } from "@aiaas/core/usage";
import { Alert } from "@/components/ui/alert.tsx";
import { Card, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { formatCount, formatDay, formatMicros, plural } from "./format.ts";

const DAYS = 30;

interface Group {
  label: string;
  requests: number;
  tokens: number;
  images: number;
  costMicros: bigint;
}

/** Rows summed by a label (the key's name, or the model). */
function groupBy(rows: readonly UsageRow[], label: (row: UsageRow) => string): Group[] {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const name = label(row);
    const group = groups.get(name) ?? { label: name, requests: 0, tokens: 0, images: 0, costMicros: 0n };
    group.requests += row.requests;
    group.tokens += row.inputTokens + row.outputTokens;
    group.images += row.images;
    group.costMicros += row.costMicros;
    groups.set(name, group);
  }
  return [...groups.values()].sort((a, b) => b.requests - a.requests);
}

function GroupTable({ title, groups }: { title: string; groups: Group[] }) {
  const most = Math.max(1, ...groups.map((group) => group.requests));
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
      </CardHeader>
      <Table aria-label={title}>
        <thead>
          <tr>
            <Th>{title.replace(/^By /, "")}</Th>
            <Th>Requests</Th>
            <Th className="text-right">Tokens</Th>
            <Th className="text-right">Images</Th>
            <Th className="text-right">Cost</Th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr key={group.label}>
              <Td className="font-mono text-xs">{group.label}</Td>
              <Td className="w-1/3">
                <div className="flex items-center gap-2">
                  <div className="h-2 rounded bg-indigo-500" style={{ width: `${(group.requests / most) * 100}%` }} />
                  <span className="text-xs">{formatCount(group.requests)}</span>
                </div>
              </Td>
              <Td className="text-right text-xs">{formatCount(group.tokens)}</Td>
              <Td className="text-right text-xs">{formatCount(group.images)}</Td>
              <Td className="text-right text-xs">{formatMicros(group.costMicros)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

/** The usage page: the last 30 days by key and by model, every day's rows, totals, and the CSV of the same. */
export function UsageBreakdown() {
  const trpc = useTRPC();
  const usage = useQuery(trpc.usage.breakdown.queryOptions({ days: DAYS }));
  const rows = usage.data ?? [];
  const total = groupBy(rows, () => "total")[0];
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold">Usage</h1>
          <p className="text-sm text-zinc-600">The last {DAYS} days (UTC), per key and model, from the usage ledger.</p>
        </div>
        <a
          href={`/api/usage/export?days=${DAYS}`}
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-50"
        >
          Export CSV
        </a>
      </header>
      {usage.error && <Alert tone="error">{usage.error.message}</Alert>}
      {usage.isPending && <p className="text-sm text-zinc-500">Loading usage…</p>}
      {usage.data?.length === 0 && <EmptyState>No usage in the last {DAYS} days.</EmptyState>}
      {rows.length > 0 && (
        <>
          <p aria-label="Usage totals" className="text-sm">
            {plural(total?.requests ?? 0, "request")} · {plural(total?.tokens ?? 0, "token")} ·{" "}
            {plural(total?.images ?? 0, "image")} · {formatMicros(total?.costMicros ?? 0n)}
          </p>
          <div className="grid gap-4 lg:grid-cols-2">
            <GroupTable title="By key" groups={groupBy(rows, (row) => row.keyName)} />
            <GroupTable title="By model" groups={groupBy(rows, (row) => row.model)} />
          </div>
          <Card>
            <CardHeader>
              <CardTitle>By day, key and model</CardTitle>
            </CardHeader>
            <Table aria-label="By day, key and model">
              <thead>
                <tr>
                  <Th>Day</Th>
                  <Th>Key</Th>
                  <Th>Model</Th>
                  <Th className="text-right">Requests</Th>
                  <Th className="text-right">Errors</Th>
                  <Th className="text-right">Tokens in / out</Th>
                  <Th className="text-right">Cost</Th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.day}|${row.keyId}|${row.model}`}>
                    <Td className="text-xs">{formatDay(row.day)}</Td>
                    <Td className="text-xs">{row.keyName}</Td>
                    <Td className="font-mono text-xs">{row.model}</Td>
                    <Td className="text-right text-xs">{formatCount(row.requests)}</Td>
                    <Td className="text-right text-xs">{formatCount(row.errors)}</Td>
                    <Td className="text-right text-xs">
                      {formatCount(row.inputTokens)} / {formatCount(row.outputTokens)}
                    </Td>
                    <Td className="text-right text-xs">{formatMicros(row.costMicros)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Card>
        </>
      )}
    </div>
  );
}
