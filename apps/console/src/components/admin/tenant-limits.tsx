"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { utcDayKey } from "@aiaas/core";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { EditLimitsDialog } from "@/components/quotas/edit-limits-dialog.tsx";
import { LimitMeterList } from "@/components/quotas/limit-meter-list.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";

/** A tenant's effective limits with their live use, its plan's defaults, and the operator's override. */
export function TenantLimits({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const quota = useQuery({ ...trpc.admin.tenantQuota.queryOptions({ tenantId }), refetchInterval: 5000 });
  const setQuota = useMutation(
    trpc.admin.setTenantQuota.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.tenantQuota.queryKey({ tenantId }) }),
    }),
  );
  if (quota.error) return <Alert tone="error">{quota.error.message}</Alert>;
  if (!quota.data) return null;
  const { data } = quota;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Limits</CardTitle>
        <div className="flex items-center gap-2">
          <Badge tone="indigo">plan {data.plan?.slug ?? "none"}</Badge>
          {data.override && <Badge>overridden</Badge>}
          <EditLimitsDialog
            title="Override the plan's limits"
            trigger="Override limits"
            description="Empty means the plan's limit. Gateways apply the change within 10 seconds."
            values={data.override?.limits}
            fallback={data.plan?.limits}
            fallbackWord="plan's: none"
            extraFields={
              <Field id="override-reason" label="Reason (recorded in the audit log)">
                <Input id="override-reason" name="reason" defaultValue={data.override?.reason ?? ""} maxLength={500} />
              </Field>
            }
            save={(limits, form) =>
              setQuota.mutateAsync({ tenantId, limits, reason: formText(form, "reason").trim() || undefined })
            }
          />
        </div>
      </CardHeader>
      <CardBody className="space-y-4">
        {!data.live && <Alert tone="error">Live use is unavailable: Redis does not answer.</Alert>}
        <LimitMeterList meters={data.tenant.meters} />
        {data.override && (
          <p className="text-xs text-zinc-500">
            Overridden{data.override.setBy ? ` by ${data.override.setBy}` : ""} on {utcDayKey(data.override.updatedAt)}
            {data.override.reason ? `: ${data.override.reason}` : ""}.
          </p>
        )}
      </CardBody>
    </Card>
  );
}
