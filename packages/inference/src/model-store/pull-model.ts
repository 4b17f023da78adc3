import { join, resolve } from "node:path";
import type { ModelTask } from "../model-manifest.ts";
import { readModelFolder } from "../read-model-folder.ts";
import { downloadFile, type DownloadProgress } from "./download-file.ts";
import { fileUrl, hubLicense, listHubFiles, parseHubId, type HubFile, type HubLocation } from "./hub-api.ts";
import { writeManifest } from "./folder-manifest.ts";
import { ModelPullError } from "./model-pull-error.ts";

export const DEFAULT_HUB_ENDPOINT = "https://huggingface.co";

/** What a model folder needs from the hub; the graph is required, the rest when present. */
const REQUIRED = ["config.json", "tokenizer.json", "onnx/model.onnx"];
const OPTIONAL = ["tokenizer_config.json", "generation_config.json", "special_tokens_map.json", "onnx/model.onnx_data"];

export interface PullModelOptions {
  hubId: string;
  /** The model store; the folder is `<store>/<model id>`. */
  store: string;
  /** Another folder to write into (a staging folder, moved into the store once registered). */
  into?: string;
  endpoint?: string;
  revision?: string;
  token?: string;
  /** Overrides the task read from config.json. */
  task?: ModelTask;
  /** The model id here; by default the hub name's (`localModelId`). */
  id?: string;
  /** Refuse a model whose files add up to more (MODEL_PULL_MAX_BYTES). */
  maxBytes?: number;
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
  refuseOversize(files, options.maxBytes, location.id);
  const id = options.id ?? localModelId(location.id);
  const dir = resolve(options.into ?? join(options.store, id));
  options.onStart?.(files);
  for (const file of files) {
    await downloadFile(fileUrl(location, file.path), file, join(dir, file.path), {
      token: location.token,
      endpoint: location.endpoint,
      onProgress: options.onProgress,
    });
  }
  await writeManifest(dir, {
    id,
    displayName: location.id,
    description: `Pulled from ${new URL(location.endpoint).host}/${location.id} at ${location.revision}.`,
    license: (await hubLicense(location)) ?? "see the model card",
    task: options.task,
  });
  return { id, dir, folder: await readModelFolder(dir), files };
}

/** The files of a model, refused before any byte is fetched when they add up to more than `maxBytes`. */
export function refuseOversize(files: readonly { size: number }[], maxBytes: number | undefined, what: string) {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (maxBytes !== undefined && total > maxBytes) {
    throw new ModelPullError(
      `${what} is ${(total / 1e9).toFixed(2)} GB, more than this installation takes (MODEL_PULL_MAX_BYTES, ${(maxBytes / 1e9).toFixed(2)} GB)`,
    );
  }
}
