import type { FastifyInstance } from "fastify";
import { usdPerUnit } from "@aiaas/core/billing";
import { priceAt } from "../directory/model-directory.ts";
import { visibleModels } from "../directory/resolve-model.ts";
import { ApiError } from "../openai-error.ts";
import { callerOf } from "../auth/authenticate.ts";
import type { RouteContext } from "./route-context.ts";

const modelObject = ({ name, model, version }: Awaited<ReturnType<typeof visibleModels>>[number]) => {
  const price = priceAt(model, new Date(), version);
  return {
    id: name,
    object: "model" as const,
    created: model.created,
    owned_by: model.ownedBy,
    task: model.task,
    context_length: model.contextLength,
    version: version?.name ?? null,
    pricing: {
      prompt: usdPerUnit(price.inputMicrosPer1k, 1_000n),
      completion: usdPerUnit(price.outputMicrosPer1k, 1_000n),
      image: usdPerUnit(price.imageMicros, 1n),
    },
  };
};

/** GET /v1/models and /v1/models/{model}: what this key may use. */
export function registerModelRoutes(app: FastifyInstance, ctx: RouteContext) {
  app.get("/v1/models", { config: { scope: "models:read" } }, async (request) => {
    const caller = callerOf(request);
    return { object: "list", data: (await visibleModels(ctx.directory, caller)).map(modelObject) };
  });

  app.get<{ Params: { model: string } }>("/v1/models/:model", { config: { scope: "models:read" } }, async (request) => {
    const caller = callerOf(request);
    const model = (await visibleModels(ctx.directory, caller)).find((visible) => visible.name === request.params.model);
    if (!model) {
      throw new ApiError(
        404,
        `The model '${request.params.model}' does not exist or you do not have access to it.`,
        "model_not_found",
        "model",
      );
    }
    return modelObject(model);
  });
}
