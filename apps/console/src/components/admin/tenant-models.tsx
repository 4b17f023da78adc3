"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";

interface RestrictedModel {
  slug: string;
  displayName: string;
  task: string;
  enabled: boolean;
}

/** The restricted models (the echo model, say) and whether this tenant may call them; operators grant each. */
export function TenantModels({ tenantId, models }: { tenantId: string; models: RestrictedModel[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setAccess = useMutation(
    trpc.admin.setModelAccess.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.tenant.queryKey({ tenantId }) }),
    }),
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Restricted models</CardTitle>
      </CardHeader>
      <CardBody className="space-y-3">
        <p className="text-sm text-zinc-600">
          Models only granted tenants may call. The echo model answers instantly at price 0, for load tests. A change
          reaches the gateways within 10 seconds.
        </p>
        {setAccess.error && <Alert tone="error">{setAccess.error.message}</Alert>}
      </CardBody>
      {models.length === 0 ? (
        <p className="px-5 pb-6 text-sm text-zinc-600">No restricted models.</p>
      ) : (
        <Table aria-label="Restricted models">
          <thead>
            <tr>
              <Th>Model</Th>
              <Th>Task</Th>
              <Th>Access</Th>
              <Th>
                <span className="sr-only">Change</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {models.map((model) => (
              <tr key={model.slug}>
                <Td>
                  <span className="font-medium">{model.displayName}</span>{" "}
                  <span className="font-mono text-xs text-zinc-500">{model.slug}</span>
                </Td>
                <Td>{model.task}</Td>
                <Td>{model.enabled ? "Granted" : "Not granted"}</Td>
                <Td>
                  <Button
                    size="sm"
                    variant={model.enabled ? "secondary" : "primary"}
                    disabled={setAccess.isPending}
                    onClick={() => setAccess.mutate({ tenantId, model: model.slug, enabled: !model.enabled })}
                  >
                    {model.enabled ? `Revoke ${model.slug}` : `Grant ${model.slug}`}
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
