import type { FastifyInstance } from "fastify";
import { resolveModel } from "../directory/resolve-model.ts";
import type { StreamRenderer } from "../pipeline/inference-http.ts";
import type { Answer, CallMeta, InferenceCall } from "../pipeline/request-lifecycle.ts";
import { chatCompletionRequest, chatMessages } from "../requests/chat-completion-request.ts";
import { DEFAULT_COMPLETION_TOKENS } from "../requests/completion-request.ts";
import { generationOptions } from "../requests/generation-fields.ts";
import { promptTokenBound } from "../requests/token-estimate.ts";
import { parseRequest } from "../requests/parse-request.ts";
import { finishReason, responseId, tokenUsage } from "./openai-shapes.ts";
import { chatLogprobs, choiceFinish, choicesOf } from "./choices.ts";
import { jobResponseFormat } from "../requests/response-format.ts";
import { callerOf, type Caller } from "../auth/authenticate.ts";
import type { ModelDirectory } from "../directory/model-directory.ts";
import type { RouteContext } from "./route-context.ts";

const chunk = (meta: CallMeta, delta: Record<string, string>, finish: string | null) => ({
  id: responseId("chatcmpl", meta.requestId),
  object: "chat.completion.chunk",
  created: meta.created,
  model: meta.model,
  system_fingerprint: null,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
});

const chatRenderer = (includeUsage: boolean): StreamRenderer => ({
  start: (meta) => chunk(meta, { role: "assistant", content: "" }, null),
  delta: (meta, text) => chunk(meta, { content: text }, null),
  finish: (meta, reason, result) => [
    chunk(meta, {}, finishReason(reason)),
    ...(includeUsage && result ? [{ ...chunk(meta, {}, null), choices: [], usage: tokenUsage(result) }] : []),
  ],
});

/** A chat completion request as a call to its model, and how its answer reads (the route's and a batch line's). */
export async function chatCompletionCall(directory: ModelDirectory, caller: Caller, raw: unknown) {
  const body = parseRequest(chatCompletionRequest, raw);
  const model = await resolveModel(directory, caller, body.model, "chat.completions");
  const messages = chatMessages(body);
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  const call: InferenceCall<"chat"> = {
    caller,
    endpoint: "/v1/chat/completions",
    model,
    task: "chat",
    input: {
      messages,
      ...generationOptions(body, maxTokens),
      responseFormat: jobResponseFormat(body.response_format),
      logprobs: body.logprobs ? { top: body.top_logprobs ?? 0 } : undefined,
    },
    body,
    promptTokens: promptTokenBound(messages.map((message) => message.content)),
    maxOutputTokens: (maxTokens ?? model.contextLength ?? DEFAULT_COMPLETION_TOKENS) * (body.n ?? 1),
    images: 0,
  };
  const render = ({ meta, completed }: Answer<"chat">) => ({
    id: responseId("chatcmpl", meta.requestId),
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    system_fingerprint: null,
    choices: choicesOf(completed.output).map((choice, index) => ({
      index,
      message: { role: "assistant", content: choice.text, refusal: null },
      logprobs: chatLogprobs(choice),
      finish_reason: choiceFinish(choice),
    })),
    usage: tokenUsage(completed.result),
  });
  return { body, call, render };
}

/** POST /v1/chat/completions, waiting or streamed (SSE). */
export function registerChatCompletionRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.post("/v1/chat/completions", { config: { scope: "chat:write" } }, async (request, reply) => {
    const caller = callerOf(request);
    const { body, call, render } = await ctx.validate(request, caller, () =>
      chatCompletionCall(ctx.directory, caller, request.body),
    );
    if (body.stream) {
      await ctx.inference.stream(request, reply, call, chatRenderer(body.stream_options?.include_usage === true));
      return reply;
    }
    return render(await ctx.inference.answer(request, reply, call));
  });
}
