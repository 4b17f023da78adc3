"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogContent } from "@/components/ui/dialog.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { useCurrentTenant } from "@/lib/use-current-tenant.ts";
import { formatCount, formatMs, toneOf } from "./format.ts";

/** Stored bodies can be large (an OCR image): show the start only. */
const SHOWN_CHARS = 20_000;

function StoredJson({ label, value }: { label: string; value: unknown }) {
  const text = value === null ? "not stored" : JSON.stringify(value, null, 2);
  return (
    <div className="space-y-1">
      <h4 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{label}</h4>
      <pre
        aria-label={label}
        className="max-h-72 overflow-auto rounded bg-zinc-900 p-3 font-mono text-xs whitespace-pre-wrap text-zinc-100"
      >
        {text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}\n… (${formatCount(text.length)} characters)` : text}
      </pre>
    </div>
  );
}

/** A request's metadata; its stored prompt and response, decrypted on demand for those allowed (audited). */
export function RequestDetailDialog({ requestId, onClose }: { requestId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const { current, can } = useCurrentTenant();
  const detail = useQuery(trpc.usage.request.queryOptions({ requestId }));
  const read = useMutation(trpc.usage.readStored.mutationOptions());
  const request = detail.data;
  const rows: { label: string; value: ReactNode }[] = request
    ? [
        { label: "Request", value: <code className="font-mono text-xs">{request.id}</code> },
        { label: "Time", value: request.createdAt.toLocaleString() },
        { label: "Model", value: request.model },
        { label: "Endpoint", value: `${request.endpoint}${request.stream ? " (stream)" : ""}` },
        { label: "Key", value: request.key ? `${request.key.name} (${request.key.display})` : "deleted key" },
        ...(request.endUser
          ? [{ label: "End user", value: <code className="font-mono text-xs">{request.endUser}</code> }]
          : []),
        {
          label: "Status",
          value: (
            <>
              <Badge tone={toneOf(request.status)}>{request.status}</Badge>
              {request.errorCode && <code className="ml-2 font-mono text-xs text-red-700">{request.errorCode}</code>}
            </>
          ),
        },
        { label: "Tokens", value: `${formatCount(request.inputTokens)} in, ${formatCount(request.outputTokens)} out` },
        ...(request.images > 0 ? [{ label: "Images", value: formatCount(request.images) }] : []),
        {
          label: "Latency",
          value: `queue ${formatMs(request.queueMs)}, inference ${formatMs(request.inferenceMs)}, total ${formatMs(request.totalMs)}`,
        },
      ]
    : [];
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title="Request" className="max-w-2xl">
        {detail.error && <Alert tone="error">{detail.error.message}</Alert>}
        {detail.isPending && <p className="text-sm text-zinc-500">Loading…</p>}
        {request && (
          <div className="space-y-4">
            <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1.5 text-sm">
              {rows.map(({ label, value }) => (
                <div key={label} className="contents">
                  <dt className="text-zinc-500">{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
            <section className="space-y-2 border-t border-zinc-100 pt-4">
              <h3 className="text-sm font-semibold">Prompt and response</h3>
              <p className="text-sm text-zinc-700">
                {request.storage.note}
                {request.storage.state === "stored" && request.storage.until && (
                  <span className="text-zinc-500"> Purged on {request.storage.until.toLocaleString()}.</span>
                )}
              </p>
              {request.storage.state === "stored" && !can("prompts:read") && current.data && (
                <p className="text-sm text-zinc-600">
                  Your role ({current.data.role}) cannot read stored prompts; owners and admins can.
                </p>
              )}
              {request.storage.state === "stored" && can("prompts:read") && !read.data && (
                <div className="space-y-2">
                  <p className="text-xs text-zinc-500">Decrypting them is recorded in the audit log.</p>
                  <Button
                    variant="secondary"
                    size="sm"
                    disabled={read.isPending}
                    onClick={() => read.mutate({ requestId })}
                  >
                    {read.isPending ? "Decrypting…" : "Decrypt prompt and response"}
                  </Button>
                </div>
              )}
              {read.error && <Alert tone="error">{read.error.message}</Alert>}
              {read.data && (
                <div className="space-y-3">
                  <StoredJson label="Prompt" value={read.data.prompt} />
                  <StoredJson label="Response" value={read.data.response} />
                </div>
              )}
            </section>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
