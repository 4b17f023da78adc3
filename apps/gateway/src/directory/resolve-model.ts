import type { ModelTask } from "@aiaas/db";
import { aliasedName, DEFAULT_ALIAS, parseModelName } from "@aiaas/core/models";
import type { Caller } from "../auth/authenticate.ts";
import { ApiError } from "../openai-error.ts";
import {
  priceAt,
  type ModelDirectory,
  type PricedModel,
  type ServedModel,
  type ServedVersion,
} from "./model-directory.ts";

/**
 * The names this caller may use, each with its model: every alias (the bare
 * id first) of the models that are active, granted if restricted, and
 * within the key's model list (which names models, so all their aliases).
 */
export async function visibleModels(
  directory: ModelDirectory,
  caller: Caller,
): Promise<{ name: string; model: ServedModel; version: ServedVersion | null }[]> {
  const [models, tenant] = await Promise.all([directory.models(), directory.tenant(caller.tenantId)]);
  return [...models.values()]
    .filter(
      (model) =>
        (!model.restricted || tenant.granted.has(model.slug)) &&
        (caller.key.models.length === 0 || caller.key.models.includes(model.slug)),
    )
    .flatMap((model) => {
      const aliases = [...model.aliases.keys()].sort((a, b) =>
        a === DEFAULT_ALIAS ? -1 : b === DEFAULT_ALIAS ? 1 : a.localeCompare(b),
      );
      // A model registered before versions answers its bare id alone.
      if (!model.aliases.has(DEFAULT_ALIAS)) aliases.unshift(DEFAULT_ALIAS);
      return aliases.map((alias) => ({
        name: aliasedName(model.slug, alias),
        model,
        version: model.aliases.get(alias) ?? null,
      }));
    });
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

const notFound = (name: string) =>
  new ApiError(
    404,
    `The model '${name}' does not exist or you do not have access to it. GET /v1/models lists the models you can use.`,
    "model_not_found",
    "model",
  );

/**
 * The model a request names (`id`, `id:alias` or `id@version`), if this
 * caller may use it on this endpoint (else OpenAI's 404, or 403 for the
 * key's list), on the version the name points at now, at the price in
 * force now.
 */
export async function resolveModel(
  directory: ModelDirectory,
  caller: Caller,
  name: string,
  endpoint: ModelEndpoint,
): Promise<PricedModel> {
  const [models, tenant] = await Promise.all([directory.models(), directory.tenant(caller.tenantId)]);
  const parsed = parseModelName(name);
  const slug = parsed?.slug ?? name;
  const model = parsed && models.get(slug);
  if (!parsed || !model || (model.restricted && !tenant.granted.has(slug))) throw notFound(name);
  const version =
    parsed.version !== undefined ? model.versions.get(parsed.version) : (model.aliases.get(parsed.alias) ?? null);
  // Only a model registered before versions answers without one, and only to its bare id.
  if (version === undefined || (version === null && (parsed.alias !== DEFAULT_ALIAS || model.aliases.size > 0)))
    throw notFound(name);
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
      `The model '${name}' is ${/^[aeiou]/.test(model.task) ? "an" : "a"} ${model.task} model and is not supported in the ${endpointPaths[endpoint]} endpoint.` +
        (better ? ` Did you mean to use ${endpointPaths[better]}?` : ""),
      "model_not_supported",
      "model",
    );
  }
  const pricedAt = new Date();
  return { ...model, name, version, price: priceAt(model, pricedAt, version), pricedAt };
}
