import type { ModelTask } from "@aiaas/db";
import type { Caller } from "../auth/authenticate.ts";
import { ApiError } from "../openai-error.ts";
import { priceAt, type ModelDirectory, type PricedModel, type ServedModel } from "./model-directory.ts";

/** The models this caller may use: active, granted if restricted, and within the key's model list. */
export async function visibleModels(directory: ModelDirectory, caller: Caller): Promise<ServedModel[]> {
  const [models, tenant] = await Promise.all([directory.models(), directory.tenant(caller.tenantId)]);
  return [...models.values()].filter(
    (model) =>
      (!model.restricted || tenant.granted.has(model.slug)) &&
      (caller.key.models.length === 0 || caller.key.models.includes(model.slug)),
  );
}

/** Which model tasks can answer each endpoint. */
const endpointTasks = {
  "chat.completions": ["chat", "echo"],
  completions: ["chat", "completion", "echo"],
  embeddings: ["embedding", "echo"],
  ocr: ["ocr", "echo"],
} as const satisfies Record<string, readonly ModelTask[]>;
export type ModelEndpoint = keyof typeof endpointTasks;

const endpointPaths: Record<ModelEndpoint, string> = {
  "chat.completions": "v1/chat/completions",
  completions: "v1/completions",
  embeddings: "v1/embeddings",
  ocr: "v1/ocr",
};

/**
 * The model a request names, if this caller may use it on this endpoint (else
 * OpenAI's 404, or 403 for the key's list), at the price in force now.
 */
export async function resolveModel(
  directory: ModelDirectory,
  caller: Caller,
  slug: string,
  endpoint: ModelEndpoint,
): Promise<PricedModel> {
  const [models, tenant] = await Promise.all([directory.models(), directory.tenant(caller.tenantId)]);
  const model = models.get(slug);
  if (!model || (model.restricted && !tenant.granted.has(slug))) {
    throw new ApiError(
      404,
      `The model '${slug}' does not exist or you do not have access to it. GET /v1/models lists the models you can use.`,
      "model_not_found",
      "model",
    );
  }
  if (caller.key.models.length > 0 && !caller.key.models.includes(slug)) {
    throw new ApiError(
      403,
      `This API key may not use the model '${slug}'; it may use: ${caller.key.models.join(", ")}.`,
      "model_not_allowed",
      "model",
    );
  }
  const tasks: readonly ModelTask[] = endpointTasks[endpoint];
  if (!tasks.includes(model.task)) {
    const better = (Object.keys(endpointTasks) as ModelEndpoint[]).find((other) =>
      (endpointTasks[other] as readonly ModelTask[]).includes(model.task),
    );
    throw new ApiError(
      404,
      `The model '${slug}' is ${/^[aeiou]/.test(model.task) ? "an" : "a"} ${model.task} model and is not supported in the ${endpointPaths[endpoint]} endpoint.` +
        (better ? ` Did you mean to use ${endpointPaths[better]}?` : ""),
      "model_not_supported",
      "model",
    );
  }
  const pricedAt = new Date();
  return { ...model, price: priceAt(model, pricedAt), pricedAt };
}
