"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The model catalogue: what is offered, each version's files and digests, and who serves it. */
export function ModelCatalogue() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const models = useQuery({ ...trpc.admin.models.queryOptions(), refetchInterval: 10_000 });
  const setStatus = useMutation(
    trpc.admin.setModelStatus.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.models.queryKey() }),
    }),
  );
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Models</h1>
        <p className="mt-1 text-sm text-zinc-600">
          Bring a model with <code>npm run aiaas -- models pull &lt;hub id, URL or folder&gt;</code>: it is checked,
          registered here with its files&apos; digests, and offered by the gateways within seconds; workers serve it
          once started with it in <code>WORKER_MODELS</code>. A retired model is no longer offered; its usage stays.
        </p>
      </div>
      {models.error && <Alert tone="error">{models.error.message}</Alert>}
      {setStatus.error && <Alert tone="error">{setStatus.error.message}</Alert>}
      {models.data?.length === 0 && (
        <Card>
          <EmptyState>No models yet: run the seed, or pull one.</EmptyState>
        </Card>
      )}
      {models.data?.map((model) => (
        <Card key={model.slug}>
          <section aria-label={model.slug} className="space-y-3 p-4">
            <div className="flex flex-wrap items-center justify-between gap-3">
              <div className="flex items-center gap-3">
                <h2 className="font-mono text-base font-semibold">{model.slug}</h2>
                <Badge tone="indigo">{model.task}</Badge>
                <Badge tone={model.status === "active" ? "green" : "grey"}>
                  {model.status === "active" ? "offered" : "retired"}
                </Badge>
              </div>
              <Button
                size="sm"
                variant="secondary"
                disabled={setStatus.isPending}
                onClick={() =>
                  setStatus.mutate({ model: model.slug, status: model.status === "active" ? "disabled" : "active" })
                }
              >
                {model.status === "active" ? `Retire ${model.slug}` : `Restore ${model.slug}`}
              </Button>
            </div>
            <p className="text-sm text-zinc-600">
              Owned by {model.ownedBy}
              {model.contextLength ? ` · context ${model.contextLength} tokens` : ""} · served by{" "}
              {model.workers.length > 0 ? model.workers.join(", ") : "no live worker"}
            </p>
            {model.versions.length === 0 ? (
              <p className="text-sm text-zinc-500">No version registered.</p>
            ) : (
              <Table>
                <thead>
                  <tr>
                    <Th>Version</Th>
                    <Th>Source</Th>
                    <Th>Files</Th>
                  </tr>
                </thead>
                <tbody>
                  {model.versions.map((version) => (
                    <tr key={version.version}>
                      <Td>
                        <div className="font-mono text-xs">{version.version}</div>
                        {version.current && <Badge tone="green">current</Badge>}
                      </Td>
                      <Td className="text-xs break-all">{version.source}</Td>
                      <Td className="text-xs">
                        {version.files.map((file) => (
                          <div key={file.path} title={file.sha256}>
                            {file.path} · {megabytes(file.size)} ·{" "}
                            <span className="font-mono">{file.sha256.slice(0, 12)}</span>
                          </div>
                        ))}
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>
        </Card>
      ))}
    </div>
  );
}
