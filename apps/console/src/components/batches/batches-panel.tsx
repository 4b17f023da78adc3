"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { useCurrentTenant } from "@/lib/use-current-tenant.ts";
import { BatchDownloads } from "./batch-downloads.tsx";

const tone = (status: string) =>
  status === "completed"
    ? "green"
    : status === "failed" || status === "expired"
      ? "red"
      : status === "cancelled"
        ? "grey"
        : "indigo";

/** The organization's batches (the Batches API): status, a progress bar, downloads, and cancel while one runs. */
export function BatchesPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useCurrentTenant();
  const batches = useQuery({
    ...trpc.batches.list.queryOptions(),
    // Refreshed every 2 s while one runs.
    refetchInterval: (query) => (query.state.data?.some((batch) => batch.active) ? 2_000 : false),
  });
  const cancel = useMutation(
    trpc.batches.cancel.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.batches.list.queryKey() }),
    }),
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Batches</CardTitle>
        <p className="text-sm text-zinc-600">
          Files of requests run at half price within 24 hours, through <code>/v1/batches</code> (see the API docs).
        </p>
      </CardHeader>
      {batches.error && (
        <Alert tone="error" className="m-4">
          {batches.error.message}
        </Alert>
      )}
      {cancel.error && (
        <Alert tone="error" className="m-4">
          {cancel.error.message}
        </Alert>
      )}
      {batches.isPending && <p className="px-5 py-8 text-sm text-zinc-500">Loading batches…</p>}
      {batches.data?.length === 0 && (
        <EmptyState>
          No batches yet. Upload a JSONL file with <code>purpose=batch</code> and create one with the API.
        </EmptyState>
      )}
      {batches.data && batches.data.length > 0 && (
        <Table>
          <thead>
            <tr>
              <Th>Batch</Th>
              <Th>Endpoint</Th>
              <Th>Status</Th>
              <Th>Progress</Th>
              <Th>Files</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {batches.data.map((batch) => (
              <tr key={batch.id}>
                <Td>
                  <code className="font-mono text-xs">{batch.id}</code>
                  <span className="block text-xs text-zinc-500">{batch.createdAt.toLocaleString()}</span>
                </Td>
                <Td className="font-mono text-xs">{batch.endpoint}</Td>
                <Td>
                  <Badge tone={tone(batch.status)}>{batch.status}</Badge>
                </Td>
                <Td className="min-w-40">
                  <progress
                    className="h-2 w-full"
                    value={batch.done}
                    max={Math.max(batch.total, 1)}
                    aria-label={`Progress of ${batch.id}`}
                  />
                  <span className="block text-xs text-zinc-600 tabular-nums">
                    {batch.done} of {batch.total} lines
                    {batch.failed > 0 && <span className="text-red-700"> · {batch.failed} failed</span>}
                  </span>
                </Td>
                <Td>
                  {can("prompts:read") ? (
                    <BatchDownloads
                      files={[
                        { label: "Output", id: batch.outputFileId },
                        { label: "Errors", id: batch.errorFileId },
                        { label: "Input", id: batch.inputFileId },
                      ]}
                    />
                  ) : (
                    <span className="text-xs text-zinc-500">Owners and admins download</span>
                  )}
                </Td>
                <Td className="text-right">
                  {can("batches:manage") && (batch.status === "validating" || batch.status === "in_progress") && (
                    <Button
                      variant="ghost"
                      size="sm"
                      disabled={cancel.isPending}
                      aria-label={`Cancel ${batch.id}`}
                      onClick={() => cancel.mutate({ batchId: batch.id })}
                    >
                      Cancel
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
