import type { FastifyInstance } from "fastify";
import { base64ToFloat32 } from "@aiaas/core/queue";
import { resolveModel } from "../directory/resolve-model.ts";
import { ApiError } from "../openai-error.ts";
import { embeddingInputs, embeddingRequest } from "../requests/embedding-request.ts";
import { parseRequest } from "../requests/parse-request.ts";
import { promptTokenBound } from "../requests/token-estimate.ts";
import { callerOf, type Caller } from "../auth/authenticate.ts";
import type { ModelDirectory } from "../directory/model-directory.ts";
import type { Answer, InferenceCall } from "../pipeline/request-lifecycle.ts";
import type { RouteContext } from "./route-context.ts";

/** An embeddings request as a call to its model, and how its answer reads (the route's and a batch line's). */
export async function embeddingCall(directory: ModelDirectory, caller: Caller, raw: unknown) {
  const body = parseRequest(embeddingRequest, raw);
  const model = await resolveModel(directory, caller, body.model, "embeddings");
  const input = await embeddingInputs(body);
  const call: InferenceCall<"embedding"> = {
    caller,
    endpoint: "/v1/embeddings",
    model,
    task: "embedding",
    input: { input },
    body,
    promptTokens: promptTokenBound(input),
    maxOutputTokens: 0,
    images: 0,
    // A model makes vectors of one size: another is refused, uncharged (the size is known once it has run).
    accept: ({ output }) => {
      const size = output.embeddings[0] === undefined ? undefined : base64ToFloat32(output.embeddings[0]).length;
      if (body.dimensions === undefined || size === undefined || body.dimensions === size) return;
      throw new ApiError(
        400,
        `The model '${model.slug}' makes ${size}-dimensional embeddings; 'dimensions' must be ${size} or omitted.`,
        "invalid_value",
        "dimensions",
      );
    },
  };
  const render = ({ meta, completed }: Answer<"embedding">) => {
    const base64 = body.encoding_format === "base64";
    const data = completed.output.embeddings.map((encoded, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? encoded : Array.from(base64ToFloat32(encoded)),
    }));
    const tokens = completed.result.usage.promptTokens;
    return { object: "list", data, model: meta.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  };
  return { body, call, render };
}

/** POST /v1/embeddings: float arrays, or base64 of little-endian float32 (what the openai client asks for). */
export function registerEmbeddingRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.post("/v1/embeddings", { config: { scope: "embeddings:write" } }, async (request, reply) => {
    const caller = callerOf(request);
    const { call, render } = await ctx.validate(request, caller, () =>
      embeddingCall(ctx.directory, caller, request.body),
    );
    return render(await ctx.inference.answer(request, reply, call));
  });
}
