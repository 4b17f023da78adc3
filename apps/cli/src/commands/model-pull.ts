import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { SingleBar } from "cli-progress";
import {
  checkModelFolder,
  copyModelFolder,
  fileDigests,
  pullModel,
  readModelFolder,
  type ModelFolder,
  type ModelTask,
} from "@aiaas/inference/model-store";
import type { RegisteredModel } from "@aiaas/core/models";
import type { CliContext } from "../context.ts";
import type { ModelsEnv } from "../env.ts";
import { usdFlag } from "../money-flag.ts";
import type { OutputOptions } from "../output.ts";
import { registerFolderVersions } from "./model-registration.ts";

export interface PullOptions {
  revision?: string;
  task?: ModelTask;
  id?: string;
  version?: string;
  inputPer1k?: string;
  outputPer1k?: string;
  image?: string;
}

export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

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

/** A progress bar for people at a terminal; scripts (--json, pipes) get none. */
function progressBar(out: OutputOptions, what: string) {
  const bar =
    !out.json && process.stderr.isTTY
      ? new SingleBar({
          format: "{file} [{bar}] {percentage}% {done} of {size}",
          hideCursor: true,
          stream: process.stderr,
        })
      : undefined;
  const received = new Map<string, number>();
  return {
    onStart: (files: { size: number }[]) => {
      const total = files.reduce((sum, file) => sum + file.size, 0);
      bar?.start(total, 0, { file: what, done: megabytes(0), size: megabytes(total) });
    },
    onProgress: (progress: { path: string; received: number }) => {
      received.set(progress.path, progress.received);
      const done = [...received.values()].reduce((sum, bytes) => sum + bytes, 0);
      bar?.update(done, { file: progress.path, done: megabytes(done) });
    },
    stop: () => bar?.stop(),
  };
}

/** Brings the folder into the store: from a folder here, a hub page's URL, or a hub id. */
async function fetchFolder(source: string, options: PullOptions, env: ModelsEnv, out: OutputOptions) {
  const store = resolve(env.MODEL_STORE);
  const common = { store, id: options.id, task: options.task, maxBytes: env.MODEL_PULL_MAX_BYTES };
  if (existsSync(source) && statSync(source).isDirectory()) {
    return { ...(await copyModelFolder(source, common)), origin: `file:${resolve(source)}`, revision: undefined };
  }
  const fromUrl = /^https?:\/\//.test(source) ? hubUrl(source) : undefined;
  const hubId = fromUrl?.hubId ?? source;
  const endpoint = fromUrl?.endpoint ?? env.HF_ENDPOINT;
  const revision = options.revision ?? fromUrl?.revision ?? "main";
  const bar = progressBar(out, hubId);
  const pulled = await pullModel({ ...common, hubId, endpoint, token: env.HF_TOKEN, revision, ...bar }).finally(
    bar.stop,
  );
  return {
    ...pulled,
    origin: `${endpoint.replace(/\/$/, "")}/${hubId}@${revision}`,
    revision,
    owner: hubId.split("/")[0],
  };
}

/**
 * `models pull`: fetches a model folder into the store, runs it once the
 * way a worker would, and registers it (model, version with its file
 * digests, price) in the catalogue, where gateways find it within seconds.
 */
export async function pullAndRegister(
  source: string,
  options: PullOptions,
  env: ModelsEnv,
  ctx: CliContext,
  out: OutputOptions,
): Promise<RegisteredModel & { variants: RegisteredModel[]; dir: string; bytes: number }> {
  // Price flags are checked before any download; a new model without them takes its manifest's, else 0.
  const flag = (value: string | undefined, name: string) =>
    value === undefined ? undefined : usdFlag(value, name, { allowZero: true });
  const prices = {
    input: flag(options.inputPer1k, "input-per-1k"),
    output: flag(options.outputPer1k, "output-per-1k"),
    image: flag(options.image, "image"),
  };
  const fetched = await fetchFolder(source, options, env, out);
  const folder: ModelFolder = fetched.folder;
  const { manifest } = folder;
  // Every graph runs once, the way a worker would run it, before anything is registered.
  await checkModelFolder(folder);
  for (const variant of Object.keys(manifest.variants))
    await checkModelFolder(await readModelFolder(fetched.dir, variant));
  const files = await fileDigests(fetched.dir);
  const [registered, ...variants] = await registerFolderVersions(ctx, manifest, files, {
    source: fetched.origin,
    ownedBy: ("owner" in fetched && fetched.owner) || "operator",
    // A named revision names the version; otherwise the files' digest does.
    version: options.version ?? (fetched.revision && fetched.revision !== "main" ? fetched.revision : undefined),
    price: {
      inputMicrosPer1k: prices.input ?? BigInt(manifest.price?.inputMicrosPer1k ?? 0),
      outputMicrosPer1k: prices.output ?? BigInt(manifest.price?.outputMicrosPer1k ?? 0),
      imageMicros: prices.image ?? BigInt(manifest.price?.imageMicros ?? 0),
    },
  });
  if (!registered) throw new Error("a folder has a main graph: it registers at least one version");
  return { ...registered, variants, dir: fetched.dir, bytes: files.reduce((sum, file) => sum + file.size, 0) };
}
