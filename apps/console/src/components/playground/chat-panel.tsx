"use client";
import { useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { NumberField } from "@/components/ui/number-field.tsx";
import { cn } from "@/lib/cn.ts";
import { describeGatewayError, gatewayClient, withPlaygroundKey } from "./gateway-client.ts";
import type { PanelProps } from "./panel-props.ts";

interface Message {
  role: "user" | "assistant";
  content: string;
}
interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

const textareaClass =
  "min-h-24 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-200";

/**
 * Chat (the conversation so far is sent each turn) or plain completion (the
 * prompt alone), streamed: the answer appears as the tokens arrive.
 */
export function ChatPanel({ model, gatewayUrl, getKey, mode }: PanelProps & { mode: "chat" | "completion" }) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [draft, setDraft] = useState("");
  const [maxTokens, setMaxTokens] = useState(64);
  const [temperature, setTemperature] = useState(1);
  const [streaming, setStreaming] = useState<string | null>(null);
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const content = draft.trim();
    if (!content || streaming !== null) return;
    const conversation: Message[] =
      mode === "chat" ? [...messages, { role: "user", content }] : [{ role: "user", content }];
    setMessages(conversation);
    setDraft("");
    setError(null);
    setUsage(null);
    setStreaming("");
    const controller = new AbortController();
    abort.current = controller;
    let answer = "";
    try {
      await withPlaygroundKey(getKey, async (apiKey) => {
        const client = gatewayClient(gatewayUrl, apiKey);
        const options = { signal: controller.signal };
        const common = {
          model,
          max_tokens: maxTokens,
          temperature,
          stream: true,
          stream_options: { include_usage: true },
        } as const;
        if (mode === "chat") {
          const stream = await client.chat.completions.create({ ...common, messages: conversation }, options);
          for await (const chunk of stream) {
            answer += chunk.choices[0]?.delta.content ?? "";
            setStreaming(answer);
            if (chunk.usage) setUsage(chunk.usage);
          }
        } else {
          const stream = await client.completions.create({ ...common, prompt: content }, options);
          for await (const chunk of stream) {
            answer += chunk.choices[0]?.text ?? "";
            setStreaming(answer);
            if (chunk.usage) setUsage(chunk.usage);
          }
        }
      });
    } catch (caught) {
      setError(describeGatewayError(caught, gatewayUrl));
    } finally {
      abort.current = null;
      setStreaming(null);
      if (answer) setMessages((previous) => [...previous, { role: "assistant", content: answer }]);
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  };

  const shown = streaming !== null ? [...messages, { role: "assistant" as const, content: streaming }] : messages;
  return (
    <div className="space-y-4">
      {shown.length > 0 && (
        <div
          role="log"
          aria-label="Conversation"
          aria-busy={streaming !== null}
          className="max-h-[28rem] space-y-3 overflow-y-auto rounded-md border border-zinc-200 bg-zinc-50 p-3"
        >
          {shown.map((message, index) => (
            <div
              key={index}
              className={cn(
                "rounded-md px-3 py-2 text-sm",
                message.role === "user" ? "ml-8 bg-indigo-50" : "mr-8 border border-zinc-200 bg-white",
              )}
            >
              <p className="text-xs font-semibold text-zinc-500">{message.role === "user" ? "You" : "Assistant"}</p>
              <p className="whitespace-pre-wrap" data-role={message.role}>
                {message.content}
                {streaming !== null && index === shown.length - 1 && (
                  <span aria-hidden className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-zinc-400 align-middle" />
                )}
              </p>
            </div>
          ))}
        </div>
      )}
      {error && <Alert tone="error">{error}</Alert>}
      <form onSubmit={(event) => void send(event)} className="space-y-3">
        <Field
          id="playground-message"
          label={mode === "chat" ? "Message" : "Prompt"}
          hint="Enter sends; Shift+Enter adds a line."
        >
          <textarea
            id="playground-message"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={onKeyDown}
            placeholder="And God said,"
            className={textareaClass}
          />
        </Field>
        <div className="flex flex-wrap items-end gap-3">
          <div className="w-32">
            <NumberField
              id="playground-max-tokens"
              label="Max tokens"
              min={1}
              max={1024}
              value={maxTokens}
              onChange={setMaxTokens}
            />
          </div>
          <div className="w-32">
            <NumberField
              id="playground-temperature"
              label="Temperature"
              min={0}
              max={2}
              step={0.1}
              value={temperature}
              onChange={setTemperature}
            />
          </div>
          {streaming === null ? (
            <Button type="submit" disabled={!draft.trim()}>
              Send
            </Button>
          ) : (
            <Button type="button" variant="secondary" onClick={() => abort.current?.abort()}>
              Stop
            </Button>
          )}
          {mode === "chat" && messages.length > 0 && streaming === null && (
            <Button type="button" variant="ghost" onClick={() => (setMessages([]), setUsage(null), setError(null))}>
              Clear
            </Button>
          )}
          {usage && (
            <p className="text-xs text-zinc-500" aria-label="Token usage">
              {usage.prompt_tokens} tokens in, {usage.completion_tokens} out
            </p>
          )}
        </div>
      </form>
    </div>
  );
}
