import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { MANIFEST_FILE, type ModelManifest, type ModelTask } from "../model-manifest.ts";
import { readModelFolder } from "../read-model-folder.ts";
import { downloadFile, type DownloadProgress } from "./download-file.ts";
import { fileUrl, hubLicense, listHubFiles, parseHubId, type HubFile, type HubLocation } from "./hub-api.ts";
import { ModelPullError } from "./model-pull-error.ts";

export const DEFAULT_HUB_ENDPOINT = "https://huggingface.co";

/** What a model folder needs from the hub; the graph is required, the rest when present. */
const REQUIRED = ["config.json", "tokenizer.json", "onnx/model.onnx"];
const OPTIONAL = ["tokenizer_config.json", "generation_config.json", "special_tokens_map.json", "onnx/model.onnx_data"];

export interface PullModelOptions {
  hubId: string;
  /** The model store; the folder is `<store>/<model id>`. */
  store: string;
  endpoint?: string;
  revision?: string;
  token?: string;
  /** Overrides the task read from config.json. */
  task?: ModelTask;
  onStart?: (files: HubFile[]) => void;
  onProgress?: (progress: DownloadProgress) => void;
}

/** The model id a hub model gets here: its name, lowercased, in the characters ids allow. */
export function localModelId(hubId: string): string {
  const name = hubId.split("/").at(-1) ?? hubId;
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, 63);
}

function inferTask(config: Record<string, unknown>, tokenizerConfig: Record<string, unknown>): ModelTask {
  const architectures = Array.isArray(config.architectures) ? config.architectures.map(String) : [];
  if (architectures.some((name) => /(ForCausalLM|LMHeadModel)$/.test(name))) {
    return typeof tokenizerConfig.chat_template === "string" || Array.isArray(tokenizerConfig.chat_template)
      ? "chat"
      : "completion";
  }
  if (architectures.some((name) => /Model$/.test(name)) || /bert|mpnet|e5|bge/i.test(String(config.model_type))) {
    return "embedding";
  }
  throw new ModelPullError(
    "cannot tell the model's task from its config.json: pass --task chat|completion|embedding",
    true,
  );
}

async function readJsonIfThere(path: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * Downloads a model folder (Hugging Face layout with an Optimum ONNX export)
 * into the store, resumably and checksum-verified, and writes our manifest
 * beside it. Unreachable hubs fail at once with what to do instead.
 */
export async function pullModel(options: PullModelOptions) {
  const location: HubLocation = {
    endpoint: options.endpoint ?? DEFAULT_HUB_ENDPOINT,
    id: parseHubId(options.hubId),
    revision: options.revision ?? "main",
    token: options.token,
  };
  const available = await listHubFiles(location);
  const missing = REQUIRED.filter((path) => !available.some((file) => file.path === path));
  if (missing.length > 0) {
    throw new ModelPullError(
      `${location.id} has no ${missing.join(", ")}: pull a repository with an ONNX export (Optimum's layout, e.g. the Xenova/* ones)`,
    );
  }
  const files = available.filter((file) => REQUIRED.includes(file.path) || OPTIONAL.includes(file.path));
  const id = localModelId(location.id);
  const dir = resolve(options.store, id);
  options.onStart?.(files);
  for (const file of files) {
    await downloadFile(fileUrl(location, file.path), file, join(dir, file.path), {
      token: location.token,
      endpoint: location.endpoint,
      onProgress: options.onProgress,
    });
  }
  const config = await readJsonIfThere(join(dir, "config.json"));
  const tokenizerConfig = await readJsonIfThere(join(dir, "tokenizer_config.json"));
  const task = options.task ?? inferTask(config, tokenizerConfig);
  const context = [config.n_positions, config.max_position_embeddings].find((value) => typeof value === "number");
  const manifest: Partial<ModelManifest> & Pick<ModelManifest, "id" | "task" | "license"> = {
    id,
    task,
    displayName: location.id,
    description: `Pulled from ${new URL(location.endpoint).host}/${location.id} at ${location.revision}.`,
    license: (await hubLicense(location)) ?? "see the model card",
    ...(typeof context === "number" ? { contextLength: context } : {}),
  };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { id, dir, folder: await readModelFolder(dir), files };
}
