"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { GrantCreditsDialog } from "./grant-credits-dialog.tsx";
import { PersonStatusButton } from "./person-status-button.tsx";
import { TenantLimits } from "./tenant-limits.tsx";
import { TenantModels } from "./tenant-models.tsx";

export function TenantDetail({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const tenant = useQuery(trpc.admin.tenant.queryOptions({ tenantId }));
  const setStatus = useMutation(
    trpc.admin.setStatus.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.tenant.queryKey({ tenantId }) }),
    }),
  );
  if (tenant.error) return <Alert tone="error">{tenant.error.message}</Alert>;
  if (!tenant.data) return <p className="text-sm text-zinc-500">Loading…</p>;
  const { data } = tenant;
  const suspended = data.status === "suspended";

  return (
    <div className="space-y-6">
      <Link href="/admin" className="text-sm text-indigo-600 hover:underline">
        ← All tenants
      </Link>
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{data.name}</h1>
        <Badge tone={suspended ? "red" : "green"}>{data.status}</Badge>
        <span className="font-mono text-xs text-zinc-500">{data.slug}</span>
        <GrantCreditsDialog tenantId={tenantId} tenantName={data.name} />
      </header>
      <Card>
        <CardHeader>
          <CardTitle>{suspended ? "Resume" : "Suspend"}</CardTitle>
        </CardHeader>
        <CardBody className="space-y-3">
          <p className="text-sm text-zinc-600">
            {suspended
              ? `Suspended${data.suspendedReason ? `: ${data.suspendedReason}` : ""}. Its API keys are refused.`
              : `Plan ${data.plan?.name ?? "none"}. Suspending refuses every API key of this tenant within a second.`}
          </p>
          {setStatus.error && <Alert tone="error">{setStatus.error.message}</Alert>}
          {!suspended && (
            <Field id="suspend-reason" label="Reason (recorded in the audit log)">
              <Input id="suspend-reason" value={reason} onChange={(event) => setReason(event.target.value)} />
            </Field>
          )}
          <Button
            variant={suspended ? "primary" : "danger"}
            disabled={setStatus.isPending}
            onClick={() =>
              setStatus.mutate({ tenantId, status: suspended ? "active" : "suspended", reason: reason || undefined })
            }
          >
            {suspended ? "Resume tenant" : "Suspend tenant"}
          </Button>
        </CardBody>
      </Card>
      <TenantLimits tenantId={tenantId} />
      <TenantModels tenantId={tenantId} models={data.models} />
      <Card>
        <CardHeader>
          <CardTitle>Members</CardTitle>
        </CardHeader>
        <Table>
          <thead>
            <tr>
              <Th>Email</Th>
              <Th>Role</Th>
              <Th>Person</Th>
            </tr>
          </thead>
          <tbody>
            {data.members.map((member) => (
              <tr key={member.id}>
                <Td>{member.email}</Td>
                <Td>{member.role}</Td>
                <Td className="text-right">
                  {member.suspended && <Badge tone="red">suspended</Badge>}
                  <PersonStatusButton
                    tenantId={tenantId}
                    userId={member.userId}
                    email={member.email}
                    suspended={member.suspended}
                  />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>API keys</CardTitle>
        </CardHeader>
        {data.keys.length === 0 ? (
          <p className="px-5 py-6 text-sm text-zinc-600">No keys.</p>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Key</Th>
                <Th>Status</Th>
              </tr>
            </thead>
            <tbody>
              {data.keys.map((key) => (
                <tr key={key.id}>
                  <Td>{key.name}</Td>
                  <Td className="font-mono text-xs">{key.display}</Td>
                  <Td>{key.status}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
