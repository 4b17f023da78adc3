import type { FastifyInstance } from "fastify";
import { resolveModel } from "../directory/resolve-model.ts";
import { DEFAULT_COMPLETION_TOKENS } from "../requests/completion-request.ts";
import { generateRequest } from "../requests/generate-request.ts";
import { parseRequest } from "../requests/parse-request.ts";
import { promptTokenBound } from "../requests/token-estimate.ts";
import { finishReason, tokenUsage } from "./openai-shapes.ts";
import { callerOf } from "../auth/authenticate.ts";
import type { RouteContext } from "./route-context.ts";

/**
 * POST /v1/generate: the plain form for simple scripts. `model`, `prompt`
 * and `max_tokens` come from the query string or a JSON body (the body wins);
 * the answer is `{text, usage}` and a little more.
 */
export function registerGenerateRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.post("/v1/generate", { config: { scope: "completions:write" } }, async (request, reply) => {
    const caller = callerOf(request);
    const { body, model } = await ctx.validate(request, caller, async () => {
      const fromBody =
        request.body && typeof request.body === "object" && !Array.isArray(request.body) ? request.body : {};
      const body = parseRequest(generateRequest, { ...(request.query as object), ...fromBody });
      return { body, model: await resolveModel(ctx.directory, caller, body.model, "completions") };
    });
    const maxTokens = body.max_tokens ?? DEFAULT_COMPLETION_TOKENS;
    const { meta, completed } = await ctx.inference.answer(request, reply, {
      caller,
      endpoint: "/v1/generate",
      model,
      task: "completion",
      input: { prompt: body.prompt, maxTokens, temperature: body.temperature, seed: body.seed },
      body,
      promptTokens: promptTokenBound([body.prompt]),
      maxOutputTokens: maxTokens,
      images: 0,
    });
    return {
      id: meta.requestId,
      model: meta.model,
      text: completed.output.text,
      finish_reason: finishReason(completed.output.finishReason),
      usage: tokenUsage(completed.result),
    };
  });
}
