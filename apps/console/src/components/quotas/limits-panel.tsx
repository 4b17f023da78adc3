"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { useCurrentTenant } from "@/lib/use-current-tenant.ts";
import { useTRPC } from "@/lib/trpc.ts";
import { EditLimitsDialog } from "./edit-limits-dialog.tsx";
import { LimitMeterList } from "./limit-meter-list.tsx";

/** The organization's limits and each key's, with what is used of each now (refreshed every 5 s). */
export function LimitsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useCurrentTenant();
  const overview = useQuery({ ...trpc.quotas.overview.queryOptions(), refetchInterval: 5000 });
  const setKeyLimits = useMutation(
    trpc.quotas.setKeyLimits.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.quotas.overview.queryKey() }),
    }),
  );
  const { data } = overview;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Limits</h1>
        <p className="mt-1 text-sm text-zinc-600">
          Every API request counts against the organization&apos;s limits and its key&apos;s own. Over a rate limit the
          API answers 429 with <code>retry-after</code>; over a budget, 402.
        </p>
      </div>
      {overview.error && <Alert tone="error">{overview.error.message}</Alert>}
      {data && !data.live && (
        <Alert tone="error">
          Current use cannot be read right now (the rate limiter is unreachable); the limits are.
        </Alert>
      )}
      {data && (
        <Card>
          <CardHeader>
            <CardTitle>Organization</CardTitle>
            <div className="flex items-center gap-2 text-sm text-zinc-600">
              Plan <Badge tone="indigo">{data.plan?.name ?? "none"}</Badge>
              {data.override && <Badge>raised by an operator</Badge>}
            </div>
          </CardHeader>
          <CardBody className="space-y-4">
            <LimitMeterList meters={data.tenant.meters} />
            <p className="text-xs text-zinc-500">
              Limits come from your plan{data.override ? " and an operator's override" : ""}. To raise them, change your
              plan or ask support.
            </p>
          </CardBody>
        </Card>
      )}
      {data && (
        <Card>
          <CardHeader>
            <CardTitle>API keys</CardTitle>
            <p className="text-sm text-zinc-600">
              A key can be held tighter than the organization, e.g. a budget for a test key.
            </p>
          </CardHeader>
          {data.keys.length === 0 && (
            <EmptyState>
              No active keys. <Link href="/keys">Create one</Link> to call the API.
            </EmptyState>
          )}
          <ul className="divide-y divide-zinc-100">
            {data.keys.map((key) => (
              <li key={key.id} aria-label={`Key ${key.name}`} className="space-y-3 px-5 py-4">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <div>
                    <span className="font-medium">{key.name}</span>{" "}
                    <span className="font-mono text-xs text-zinc-500">{key.display}</span>
                  </div>
                  {can("limits:manage") && (
                    <EditLimitsDialog
                      title={`Limits of ${key.name}`}
                      trigger="Edit limits"
                      description="Empty means the organization's limit applies. Each must be at most the organization's."
                      values={key.limits}
                      fallback={data.tenant.limits}
                      fallbackWord="organization's"
                      save={(limits) => setKeyLimits.mutateAsync({ keyId: key.id, limits })}
                    />
                  )}
                </div>
                <LimitMeterList meters={key.meters} onlySet />
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
