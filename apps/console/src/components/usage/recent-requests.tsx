"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { formatCount, formatMs, toneOf } from "./format.ts";
import { RequestDetailDialog } from "./request-detail-dialog.tsx";

/** The latest API calls of the organisation: metadata only; the detail tells what is stored. */
export function RecentRequests() {
  const trpc = useTRPC();
  const requests = useQuery(trpc.usage.recent.queryOptions({ limit: 20 }));
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Recent requests</CardTitle>
      </CardHeader>
      {requests.error && (
        <Alert tone="error" className="m-4">
          {requests.error.message}
        </Alert>
      )}
      {requests.isPending && <p className="px-5 py-8 text-sm text-zinc-500">Loading requests…</p>}
      {requests.data?.length === 0 && (
        <EmptyState>No requests yet. Call the API with a key, or try a model in the playground.</EmptyState>
      )}
      {requests.data && requests.data.length > 0 && (
        <Table>
          <thead>
            <tr>
              <Th>Time</Th>
              <Th>Model</Th>
              <Th>Endpoint</Th>
              <Th>Key</Th>
              <Th>Status</Th>
              <Th className="text-right">Tokens in / out</Th>
              <Th className="text-right">Queue / inference / total</Th>
              <Th>
                <span className="sr-only">Details</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {requests.data.map((request) => (
              <tr key={request.id}>
                <Td className="text-xs whitespace-nowrap text-zinc-600">{request.createdAt.toLocaleString()}</Td>
                <Td className="font-mono text-xs">{request.model}</Td>
                <Td className="font-mono text-xs">
                  {request.endpoint}
                  {request.stream && <span className="ml-1 text-zinc-500">(stream)</span>}
                </Td>
                <Td className="text-xs">{request.key?.name ?? "deleted key"}</Td>
                <Td>
                  <Badge tone={toneOf(request.status)}>{request.status}</Badge>
                  {request.errorCode && (
                    <code className="mt-1 block font-mono text-xs text-red-700">{request.errorCode}</code>
                  )}
                </Td>
                <Td className="text-right text-xs whitespace-nowrap tabular-nums">
                  {formatCount(request.inputTokens)} / {formatCount(request.outputTokens)}
                  {request.images > 0 && <span className="block text-zinc-500">{request.images} img</span>}
                </Td>
                <Td className="text-right text-xs whitespace-nowrap text-zinc-600 tabular-nums">
                  {formatMs(request.queueMs)} / {formatMs(request.inferenceMs)} / {formatMs(request.totalMs)}
                </Td>
                <Td className="text-right">
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Details of ${request.id}`}
                    onClick={() => setOpenId(request.id)}
                  >
                    Details
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {openId && <RequestDetailDialog requestId={openId} onClose={() => setOpenId(null)} />}
    </Card>
  );
}
