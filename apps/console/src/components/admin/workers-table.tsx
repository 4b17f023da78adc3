"use client";
import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Card } from "@/components/ui/card.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";

const stateTone = { live: "green", stopped: "grey", lost: "red" } as const;

/** The inference workers, refreshed every 5 s: what each serves, on which device, and how busy it is. */
export function WorkersTable() {
  const trpc = useTRPC();
  const workers = useQuery({ ...trpc.admin.workers.queryOptions(), refetchInterval: 5000 });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Workers</h1>
        <p className="mt-1 text-sm text-zinc-600">
          Live workers beat every few seconds; a lost one stopped beating without saying goodbye, and its jobs moved to
          the others.
        </p>
      </div>
      {workers.error && <Alert tone="error">{workers.error.message}</Alert>}
      <Card>
        {workers.data?.length === 0 && (
          <EmptyState>
            No worker has been seen in the last day. Start one with <code>npm start</code> or the worker image.
          </EmptyState>
        )}
        {workers.data && workers.data.length > 0 && (
          <Table>
            <thead>
              <tr>
                <Th>Worker</Th>
                <Th>State</Th>
                <Th>Device</Th>
                <Th>Models</Th>
                <Th>In flight</Th>
                <Th>Done</Th>
                <Th>Failed</Th>
                <Th>Last seen</Th>
              </tr>
            </thead>
            <tbody>
              {workers.data.map((worker) => (
                <tr key={worker.id}>
                  <Td>
                    <div className="font-mono text-xs">{worker.id}</div>
                    <div className="text-xs text-zinc-500">{worker.host}</div>
                  </Td>
                  <Td>
                    <Badge tone={stateTone[worker.state]}>{worker.state}</Badge>
                  </Td>
                  <Td title={worker.providerNote ?? undefined}>{worker.provider?.toUpperCase() ?? "—"}</Td>
                  <Td className="text-xs">{worker.models.join(", ") || "—"}</Td>
                  <Td>{worker.inFlight}</Td>
                  <Td>{worker.jobsDone}</Td>
                  <Td>{worker.jobsFailed}</Td>
                  <Td className="text-xs whitespace-nowrap text-zinc-600">
                    {worker.lastSeen?.toLocaleString() ?? "—"}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
