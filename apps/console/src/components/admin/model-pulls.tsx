"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { usdToMicros } from "@aiaas/core";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
/** A USD amount typed in a field, as the micro-units the job carries; none when left empty. */
const micros = (usd: string) => (usd.trim() === "" ? undefined : String(usdToMicros(Number(usd))));

const fields = [
  { name: "hubId", label: "Hub id (owner/name)", placeholder: "onnx-community/Qwen2.5-0.5B-Instruct" },
  { name: "revision", label: "Revision (optional)", placeholder: "main" },
  { name: "id", label: "Model id here (optional)", placeholder: "the hub name, lowercased" },
  { name: "version", label: "Version name (optional)", placeholder: "the revision, else sha-…" },
  { name: "input", label: "USD / 1K input tokens (new models)", placeholder: "the model's own" },
  { name: "output", label: "USD / 1K output tokens (new models)", placeholder: "the model's own" },
];

const tones = { completed: "green", failed: "red", active: "indigo" } as const;

/** Pull a model from the workers' hub by its id, and follow each pull's download, check and registration. */
export function ModelPulls() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pulls = useQuery({ ...trpc.admin.modelPulls.queryOptions(), refetchInterval: 1_000 });
  const [problem, setProblem] = useState<string | null>(null);
  const pull = useMutation(
    trpc.admin.pullModel.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.modelPulls.queryKey() }),
    }),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const prices = { input: formText(form, "input"), output: formText(form, "output") };
    if (Object.values(prices).some((usd) => usd.trim() !== "" && !(Number(usd) >= 0))) {
      setProblem("Prices are amounts in USD, e.g. 0.0004, or empty for the model's own.");
      return;
    }
    setProblem(null);
    const optional = (name: string) => formText(form, name).trim() || undefined;
    pull.mutate({
      hubId: formText(form, "hubId").trim(),
      revision: optional("revision"),
      id: optional("id"),
      version: optional("version"),
      prices: { input: micros(prices.input), output: micros(prices.output) },
    });
  };
  return (
    <Card>
      <section aria-label="Pull a model" className="space-y-4 p-4">
        <h2 className="text-base font-semibold">Pull a model</h2>
        <p className="text-sm text-zinc-600">
          A worker downloads it from its hub (<code>HF_ENDPOINT</code>) into the model store, runs it once, and
          registers it here. Workers serve it once started with it in <code>WORKER_MODELS</code>.
        </p>
        <form onSubmit={submit} className="grid gap-3 sm:grid-cols-3" aria-label="Pull a model">
          {fields.map((field) => (
            <Field key={field.name} id={`pull-${field.name}`} label={field.label}>
              <Input
                id={`pull-${field.name}`}
                name={field.name}
                required={field.name === "hubId"}
                placeholder={field.placeholder}
              />
            </Field>
          ))}
          <div className="sm:col-span-3">
            <Button type="submit" disabled={pull.isPending}>
              Pull
            </Button>
          </div>
        </form>
        {problem && <Alert tone="error">{problem}</Alert>}
        {pull.error && <Alert tone="error">{pull.error.message}</Alert>}
        {pulls.error && <Alert tone="error">{pulls.error.message}</Alert>}
        <ul className="space-y-3" aria-label="Pulls">
          {pulls.data?.map((row) => {
            const progress = row.progress;
            const share = progress && progress.total > 0 ? progress.received / progress.total : 0;
            return (
              <li key={row.id} aria-label={`Pull of ${row.hubId}`} className="space-y-1 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-mono">
                    {row.hubId}@{row.revision}
                  </span>
                  <Badge tone={tones[row.state as keyof typeof tones] ?? "grey"}>{row.state}</Badge>
                  <span className="text-xs text-zinc-500">
                    asked by {row.requestedBy} at {row.requestedAt.toLocaleString()}
                  </span>
                </div>
                {row.state === "active" && progress && (
                  <div>
                    <progress className="h-2 w-full" max={1} value={share} aria-label={`Download of ${row.hubId}`} />
                    <p className="text-xs text-zinc-500">
                      {progress.stage === "check"
                        ? "Downloaded; running it once before registering"
                        : `${megabytes(progress.received)} of ${megabytes(progress.total)}${progress.file ? ` · ${progress.file}` : ""}`}
                    </p>
                  </div>
                )}
                {row.result && (
                  <p className="text-xs">
                    Registered <code>{row.result.slug}</code> version <code>{row.result.version}</code> (
                    {row.result.outcome}, {megabytes(row.result.bytes)})
                    {row.result.variants.map((variant) => `, ${variant.version}`).join("")}.
                  </p>
                )}
                {row.failure && <Alert tone="error">{row.failure}</Alert>}
              </li>
            );
          })}
        </ul>
      </section>
    </Card>
  );
}
