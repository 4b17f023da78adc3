"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { ModelPulls } from "./model-pulls.tsx";

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The model catalogue: what is offered under which names, each version's files and digests, and who serves it. */
export function ModelCatalogue() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const models = useQuery({ ...trpc.admin.models.queryOptions(), refetchInterval: 10_000 });
  const refresh = { onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.models.queryKey() }) };
  const setStatus = useMutation(trpc.admin.setModelStatus.mutationOptions(refresh));
  const promote = useMutation(trpc.admin.promoteModelVersion.mutationOptions(refresh));
  const busy = setStatus.isPending || promote.isPending;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Models</h1>
        <p className="mt-1 text-sm text-zinc-600">
          Bring a model with <strong>Pull a model</strong> below or{" "}
          <code>npm run aiaas -- models pull &lt;hub id, URL or folder&gt;</code>: it is checked, registered here with
          its files&apos; digests, and offered by the gateways within seconds; workers serve it once started with it in{" "}
          <code>WORKER_MODELS</code>. A model&apos;s id and its aliases (<code>id:int8</code>) each point at a version;{" "}
          <strong>Promote</strong> moves the id to another version within seconds (promote the one before to roll back),
          once every live worker of the model holds it. <code>id@version</code> reaches a version directly while it is
          kept. A retired model or version is no longer offered; its usage stays.
        </p>
      </div>
      <ModelPulls />
      {models.error && <Alert tone="error">{models.error.message}</Alert>}
      {setStatus.error && <Alert tone="error">{setStatus.error.message}</Alert>}
      {promote.error && <Alert tone="error">{promote.error.message}</Alert>}
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
                disabled={busy}
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
            {model.aliases.length > 0 && (
              <p className="text-sm">
                {model.aliases.map((alias) => (
                  <span key={alias.name} className="mr-4">
                    <code>{alias.name}</code> → <code className="text-xs">{alias.version}</code>
                  </span>
                ))}
              </p>
            )}
            {model.versions.length === 0 ? (
              <p className="text-sm text-zinc-500">No version registered.</p>
            ) : (
              <Table>
                <thead>
                  <tr>
                    <Th>Version</Th>
                    <Th>Held by</Th>
                    <Th>Source</Th>
                    <Th>Files</Th>
                    <Th>
                      <span className="sr-only">Actions</span>
                    </Th>
                  </tr>
                </thead>
                <tbody>
                  {model.versions.map((version) => (
                    <tr key={version.version}>
                      <Td>
                        <div className="font-mono text-xs">{version.version}</div>
                        {version.aliases.map((name) => (
                          <Badge key={name} tone="green">
                            {name}
                          </Badge>
                        ))}
                        {version.status !== "active" && <Badge tone="grey">retired</Badge>}
                        {version.price && <div className="text-xs text-zinc-500">priced on its own</div>}
                      </Td>
                      <Td className="text-xs">{version.workers.join(", ") || "no live worker"}</Td>
                      <Td className="text-xs break-all">{version.source}</Td>
                      <Td className="text-xs">
                        {version.files.map((file) => (
                          <div key={file.path} title={file.sha256}>
                            {file.path} · {megabytes(file.size)} ·{" "}
                            <span className="font-mono">{file.sha256.slice(0, 12)}</span>
                          </div>
                        ))}
                      </Td>
                      <Td className="space-y-1 text-right whitespace-nowrap">
                        {version.status === "active" && !version.aliases.includes(model.slug) && (
                          <Button
                            size="sm"
                            disabled={busy}
                            onClick={() => promote.mutate({ slug: model.slug, version: version.version })}
                          >
                            Promote {version.version}
                          </Button>
                        )}
                        {version.aliases.length === 0 && (
                          <Button
                            size="sm"
                            variant="secondary"
                            disabled={busy}
                            onClick={() =>
                              setStatus.mutate({
                                model: model.slug,
                                version: version.version,
                                status: version.status === "active" ? "disabled" : "active",
                              })
                            }
                          >
                            {version.status === "active" ? `Retire ${version.version}` : `Restore ${version.version}`}
                          </Button>
                        )}
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
