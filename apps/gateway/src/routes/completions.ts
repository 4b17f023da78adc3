import type { FastifyInstance } from "fastify";
import { resolveModel } from "../directory/resolve-model.ts";
import type { StreamRenderer } from "../pipeline/inference-http.ts";
import type { Answer, CallMeta, InferenceCall } from "../pipeline/request-lifecycle.ts";
import { completionPrompt, completionRequest, DEFAULT_COMPLETION_TOKENS } from "../requests/completion-request.ts";
import { generationOptions } from "../requests/generation-fields.ts";
import { parseRequest } from "../requests/parse-request.ts";
import { promptTokenBound } from "../requests/token-estimate.ts";
import { finishReason, responseId, tokenUsage } from "./openai-shapes.ts";
import { choiceFinish, choicesOf, completionLogprobs } from "./choices.ts";
import { callerOf, type Caller } from "../auth/authenticate.ts";
import type { ModelDirectory } from "../directory/model-directory.ts";
import type { RouteContext } from "./route-context.ts";

const completion = (meta: CallMeta, text: string, finish: string | null) => ({
  id: responseId("cmpl", meta.requestId),
  object: "text_completion",
  created: meta.created,
  model: meta.model,
  system_fingerprint: null,
  choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
});

const completionRenderer = (includeUsage: boolean): StreamRenderer => ({
  start: (meta) => completion(meta, "", null),
  delta: (meta, text) => completion(meta, text, null),
  finish: (meta, reason, result) => [
    completion(meta, "", finishReason(reason)),
    ...(includeUsage && result ? [{ ...completion(meta, "", null), choices: [], usage: tokenUsage(result) }] : []),
  ],
});

/** A legacy completion request as a call to its model, and how its answer reads (the route's and a batch line's). */
export async function completionCall(directory: ModelDirectory, caller: Caller, raw: unknown) {
  const body = parseRequest(completionRequest, raw);
  const model = await resolveModel(directory, caller, body.model, "completions");
  const prompt = completionPrompt(body);
  const maxTokens = body.max_tokens ?? DEFAULT_COMPLETION_TOKENS;
  const call: InferenceCall<"completion"> = {
    caller,
    endpoint: "/v1/completions",
    model,
    task: "completion",
    input: {
      prompt,
      ...generationOptions(body, maxTokens),
      logprobs: body.logprobs == null ? undefined : { top: body.logprobs },
    },
    body,
    promptTokens: promptTokenBound([prompt]),
    maxOutputTokens: maxTokens * (body.n ?? 1),
    images: 0,
  };
  const render = ({ meta, completed }: Answer<"completion">) => ({
    ...completion(meta, "", null),
    choices: choicesOf(completed.output).map((choice, index) => ({
      text: choice.text,
      index,
      logprobs: completionLogprobs(choice),
      finish_reason: choiceFinish(choice),
    })),
    usage: tokenUsage(completed.result),
  });
  return { body, call, render };
}

/** POST /v1/completions (the legacy text endpoint), waiting or streamed. */
export function registerCompletionRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.post("/v1/completions", { config: { scope: "completions:write" } }, async (request, reply) => {
    const caller = callerOf(request);
    const { body, call, render } = await ctx.validate(request, caller, () =>
      completionCall(ctx.directory, caller, request.body),
    );
    if (body.stream) {
      await ctx.inference.stream(request, reply, call, completionRenderer(body.stream_options?.include_usage === true));
      return reply;
    }
    return render(await ctx.inference.answer(request, reply, call));
  });
}
