"use client";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { describeGatewayError, gatewayClient, withPlaygroundKey } from "./gateway-client.ts";
import type { PanelProps } from "./panel-props.ts";

const SHOWN = 8;

/** Embeds a text and shows the vector's size and first values. */
export function EmbedPanel({ model, gatewayUrl, getKey }: PanelProps) {
  const [text, setText] = useState("");
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ vector: number[]; tokens: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function embed(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    setPending(true);
    setError(null);
    try {
      const response = await withPlaygroundKey(getKey, (apiKey) =>
        gatewayClient(gatewayUrl, apiKey).embeddings.create({ model, input: text, encoding_format: "float" }),
      );
      setResult({ vector: response.data[0]?.embedding ?? [], tokens: response.usage.prompt_tokens });
    } catch (caught) {
      setResult(null);
      setError(describeGatewayError(caught, gatewayUrl));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={(event) => void embed(event)} className="space-y-3">
        <Field id="playground-embed-text" label="Text">
          <textarea
            id="playground-embed-text"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="In the beginning was the Word"
            className="min-h-24 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-200"
          />
        </Field>
        <Button type="submit" disabled={pending || !text.trim()}>
          {pending ? "Embedding…" : "Embed"}
        </Button>
      </form>
      {error && <Alert tone="error">{error}</Alert>}
      {result && (
        <section aria-label="Embedding" className="space-y-2 text-sm">
          <p>
            <span className="font-semibold">{result.vector.length} dimensions</span>
            <span className="text-zinc-500"> · {result.tokens} tokens</span>
          </p>
          <pre className="overflow-x-auto rounded bg-zinc-900 p-3 font-mono text-xs text-zinc-100">
            [
            {result.vector
              .slice(0, SHOWN)
              .map((value) => value.toFixed(4))
              .join(", ")}
            {result.vector.length > SHOWN ? `, … ${result.vector.length - SHOWN} more` : ""}]
          </pre>
        </section>
      )}
    </div>
  );
}
