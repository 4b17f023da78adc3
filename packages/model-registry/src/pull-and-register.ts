import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  checkModelFolder,
  copyModelFolder,
  fileDigests,
  pullModel,
  readModelFolder,
  type DownloadProgress,
  type HubFile,
  type ModelTask,
} from "@aiaas/inference/model-store";
import type { RegisteredModel } from "@aiaas/core/models";
import { registerFolderVersions, type RegistryTarget } from "./register-folder-versions.ts";

/** What a pull asks for: where the model is, and what it becomes here. */
export interface PullRequest {
  /** A hub id (owner/name); where `local` allows, also a hub page's URL or a folder on this machine. */
  source: string;
  revision?: string;
  task?: ModelTask;
  id?: string;
  version?: string;
  /** The price of a model new to the catalogue (micro-units); else its manifest's, else 0. */
  prices?: { input?: bigint; output?: bigint; image?: bigint };
}

/** Where models come from and go (the CLI's and the workers' environment). */
export interface PullEnv {
  MODEL_STORE: string;
  HF_ENDPOINT: string;
  HF_TOKEN?: string;
  MODEL_PULL_MAX_BYTES: number;
}

/** How far a whole pull has come: bytes of all its files. */
export interface PullBytes {
  received: number;
  total: number;
  /** The file being downloaded. */
  file: string;
}

export interface PullProgress {
  /** The download begins: this many bytes in all. */
  onStart?: (total: number) => void;
  onProgress?: (progress: PullBytes) => void;
  /** After the download: the folder is being run once, then registered. */
  onCheck?: () => void;
}

export type PulledModel = RegisteredModel & { variants: RegisteredModel[]; dir: string; bytes: number };

/** A hub model named by its page's URL (https://huggingface.co/owner/name[/tree/revision]). */
function hubUrl(source: string) {
  const url = new URL(source);
  const [owner, name, tree, ...revision] = url.pathname.split("/").filter(Boolean);
  if (!owner) return undefined;
  return {
    endpoint: url.origin,
    hubId: name ? `${owner}/${name}` : owner,
    revision: tree === "tree" && revision.length ? revision.join("/") : undefined,
  };
}

/** The hub download's per-file callbacks, summed into the pull's bytes. */
function wholePull(progress: PullProgress) {
  let total = 0;
  const received = new Map<string, number>();
  return {
    onStart: (files: HubFile[]) => {
      total = files.reduce((sum, file) => sum + file.size, 0);
      progress.onStart?.(total);
    },
    onProgress: ({ path, received: bytes }: DownloadProgress) => {
      received.set(path, bytes);
      const done = [...received.values()].reduce((sum, value) => sum + value, 0);
      progress.onProgress?.({ received: done, total, file: path });
    },
  };
}

/**
 * Brings the folder into the store: from the hub by id, and where `local`
 * allows (the CLI, on the operator's own machine) also from a hub page's URL
 * or a folder here. A pull requested from the console is a hub id on the
 * workers' own hub, nothing else: no path on a server, no address of the
 * requester's choosing.
 */
async function fetchFolder(request: PullRequest, env: PullEnv, progress: PullProgress, local: boolean) {
  const store = resolve(env.MODEL_STORE);
  // Staged per request (the same one again resumes there), away from the folders workers load.
  const staging = createHash("sha256")
    .update(JSON.stringify([request.source, request.revision, request.id, request.task]))
    .digest("hex")
    .slice(0, 16);
  const into = join(store, ".pulls", staging);
  const common = { store, into, id: request.id, task: request.task, maxBytes: env.MODEL_PULL_MAX_BYTES };
  if (local && existsSync(request.source) && statSync(request.source).isDirectory()) {
    const copied = await copyModelFolder(request.source, common);
    return { ...copied, origin: `file:${resolve(request.source)}`, revision: undefined, owner: undefined };
  }
  const fromUrl = local && /^https?:\/\//.test(request.source) ? hubUrl(request.source) : undefined;
  const hubId = fromUrl?.hubId ?? request.source;
  const endpoint = fromUrl?.endpoint ?? env.HF_ENDPOINT;
  const revision = request.revision ?? fromUrl?.revision ?? "main";
  const pulled = await pullModel({ ...common, hubId, endpoint, token: env.HF_TOKEN, revision, ...wholePull(progress) });
  return {
    ...pulled,
    origin: `${endpoint.replace(/\/$/, "")}/${hubId}@${revision}`,
    revision,
    owner: hubId.split("/")[0],
  };
}

/**
 * `models pull`, wherever it runs: fetches a model folder into the store,
 * runs every graph in it once the way a worker would, and registers it
 * (model, versions with their file digests, price) in the catalogue, where
 * gateways find it within seconds.
 */
export async function pullAndRegister(
  request: PullRequest,
  env: PullEnv,
  target: RegistryTarget,
  progress: PullProgress = {},
  { local = false } = {},
): Promise<PulledModel> {
  const fetched = await fetchFolder(request, env, progress, local);
  progress.onCheck?.();
  const { manifest } = fetched.folder;
  await checkModelFolder(fetched.folder);
  for (const variant of Object.keys(manifest.variants))
    await checkModelFolder(await readModelFolder(fetched.dir, variant));
  const files = await fileDigests(fetched.dir);
  const { prices = {} } = request;
  const [registered, ...variants] = await registerFolderVersions(target, manifest, files, {
    source: fetched.origin,
    ownedBy: fetched.owner ?? "operator",
    // A named revision names the version; otherwise the files' digest does.
    version: request.version ?? (fetched.revision && fetched.revision !== "main" ? fetched.revision : undefined),
    price: {
      inputMicrosPer1k: prices.input ?? BigInt(manifest.price?.inputMicrosPer1k ?? 0),
      outputMicrosPer1k: prices.output ?? BigInt(manifest.price?.outputMicrosPer1k ?? 0),
      imageMicros: prices.image ?? BigInt(manifest.price?.imageMicros ?? 0),
    },
  });
  if (!registered) throw new Error("a folder has a main graph: it registers at least one version");
  const dir = await settle(fetched.dir, join(resolve(env.MODEL_STORE), `${registered.slug}@${registered.version}`));
  return { ...registered, variants, dir, bytes: files.reduce((sum, file) => sum + file.size, 0) };
}

/**
 * Moves a registered folder from its staging place to `<store>/<id>@<version>`,
 * beside the model's other versions (workers load them all), unless that
 * version is there already (the same files again).
 */
async function settle(staged: string, dir: string) {
  if (existsSync(dir)) await rm(staged, { recursive: true, force: true });
  else await rename(staged, dir);
  return dir;
}
