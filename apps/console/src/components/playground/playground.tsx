"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { EmptyState } from "@/components/ui/empty-state.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Select } from "@/components/ui/select.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { useCurrentTenant } from "@/lib/use-current-tenant.ts";
import { ChatPanel } from "./chat-panel.tsx";
import { EmbedPanel } from "./embed-panel.tsx";
import { OcrPanel } from "./ocr-panel.tsx";
import { usePlaygroundKey } from "./use-playground-key.ts";

/** What the playground can do with a model of each task (the echo test model answers chat). */
const panelOf = { chat: "chat", echo: "chat", completion: "completion", embedding: "embedding", ocr: "ocr" } as const;
const taskLabel = { chat: "Chat", completion: "Completion", embedding: "Embeddings", ocr: "OCR" } as const;

/** Try the organisation's models from the browser, against the public API, with a short-lived key. */
export function Playground({ gatewayUrl, sessionTag }: { gatewayUrl: string; sessionTag: string }) {
  const trpc = useTRPC();
  const { current, can } = useCurrentTenant();
  const models = useQuery(trpc.models.available.queryOptions());
  const [chosen, setChosen] = useState<string | null>(null);
  const { getKey, expiresAt, error: keyError } = usePlaygroundKey({ tenantId: current.data?.tenant.id, sessionTag });

  const usable = (models.data ?? []).filter((model) => model.task in panelOf);
  const model = usable.find((candidate) => candidate.slug === chosen) ?? usable[0];
  const panel = model ? panelOf[model.task] : null;
  const allowed = can("keys:create");
  const props = model ? { model: model.slug, gatewayUrl, getKey } : null;

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Playground</h1>
        <p className="text-sm text-zinc-600">
          Try a model against the API at <code className="font-mono text-xs">{gatewayUrl}/v1</code>. Calls use a key for
          this session that expires within an hour (not listed with your keys) and count towards usage.
        </p>
      </header>
      {current.data && !allowed && (
        <Alert tone="info">
          The playground calls the API with a short-lived key, and your role ({current.data.role}) cannot create keys.
          Ask an owner, admin or developer.
        </Alert>
      )}
      {keyError && <Alert tone="error">Could not get a playground key: {keyError.message}</Alert>}
      <Card>
        <CardHeader>
          <CardTitle>{panel ? taskLabel[panel] : "Model"}</CardTitle>
          {expiresAt && (
            <p className="text-xs text-zinc-500">
              Playground key valid until {expiresAt.toLocaleTimeString(undefined, { timeStyle: "short" })}
            </p>
          )}
        </CardHeader>
        {models.error && (
          <Alert tone="error" className="m-4">
            {models.error.message}
          </Alert>
        )}
        {models.isPending && <p className="px-5 py-8 text-sm text-zinc-500">Loading models…</p>}
        {models.data && usable.length === 0 && <EmptyState>No models are available to this organisation.</EmptyState>}
        {model && (
          <CardBody className="space-y-4">
            <div className="max-w-sm">
              <Field id="playground-model" label="Model">
                <Select id="playground-model" value={model.slug} onChange={(event) => setChosen(event.target.value)}>
                  {usable.map((option) => (
                    <option key={option.slug} value={option.slug}>
                      {option.displayName} ({option.slug}, {option.task})
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
            {allowed && props && (
              <>
                {(panel === "chat" || panel === "completion") && <ChatPanel key={model.slug} {...props} mode={panel} />}
                {panel === "embedding" && <EmbedPanel key={model.slug} {...props} />}
                {panel === "ocr" && <OcrPanel key={model.slug} {...props} />}
              </>
            )}
          </CardBody>
        )}
      </Card>
    </div>
  );
}
