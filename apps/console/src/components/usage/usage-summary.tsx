"use client";
import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { formatCount, formatMicros, plural } from "./format.ts";
import { UsageChart } from "./usage-chart.tsx";

const DAYS = 30;

/** Totals and the per-day chart of the last 30 days (usage_daily). */
export function UsageSummary() {
  const trpc = useTRPC();
  const usage = useQuery(trpc.usage.daily.queryOptions({ days: DAYS }));
  const totals = usage.data?.totals;
  const figures = totals
    ? [
        { label: "Requests", value: formatCount(totals.requests) },
        { label: "Errors", value: formatCount(totals.errors) },
        { label: "Input tokens", value: formatCount(totals.inputTokens) },
        { label: "Output tokens", value: formatCount(totals.outputTokens) },
        { label: "Images", value: formatCount(totals.images) },
        { label: "Cost", value: formatMicros(totals.costMicros) },
      ]
    : [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Usage, last {DAYS} days</CardTitle>
        <p className="text-xs text-zinc-500">UTC days; updated a few seconds after each call</p>
      </CardHeader>
      {usage.error && (
        <Alert tone="error" className="m-4">
          {usage.error.message}
        </Alert>
      )}
      {usage.isPending && <p className="px-5 py-8 text-sm text-zinc-500">Loading usage…</p>}
      {totals && usage.data && (
        <CardBody className="space-y-4">
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            {figures.map(({ label, value }) => (
              <div key={label} className="rounded-md bg-zinc-50 px-3 py-2">
                <dt className="text-xs text-zinc-500">{label}</dt>
                <dd className="text-lg font-semibold tabular-nums">{value}</dd>
              </div>
            ))}
          </dl>
          <figure aria-labelledby="usage-chart-caption">
            <figcaption id="usage-chart-caption" className="mb-2 text-sm text-zinc-600">
              Requests and tokens per day: {plural(totals.requests, "request")},{" "}
              {plural(totals.inputTokens + totals.outputTokens, "token")} ({formatCount(totals.inputTokens)} in,{" "}
              {formatCount(totals.outputTokens)} out), {plural(totals.errors, "error")}.
            </figcaption>
            <UsageChart days={usage.data.days} />
          </figure>
        </CardBody>
      )}
    </Card>
  );
}
