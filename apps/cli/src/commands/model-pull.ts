import { SingleBar } from "cli-progress";
import type { ModelTask } from "@aiaas/inference/model-store";
import { pullAndRegister as pull, type PullBytes, type PulledModel } from "@aiaas/model-registry";
import type { CliContext } from "../context.ts";
import type { ModelsEnv } from "../env.ts";
import { usdFlag } from "../money-flag.ts";
import type { OutputOptions } from "../output.ts";

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
  return {
    onStart: (total: number) => bar?.start(total, 0, { file: what, done: megabytes(0), size: megabytes(total) }),
    onProgress: ({ received, file }: PullBytes) => bar?.update(received, { file, done: megabytes(received) }),
    onCheck: () => bar?.stop(),
    stop: () => bar?.stop(),
  };
}

/**
 * `models pull` on this machine: a hub id, a hub page's URL or a folder
 * here, fetched into the store, run once and registered (@aiaas/model-registry).
 */
export async function pullAndRegister(
  source: string,
  options: PullOptions,
  env: ModelsEnv,
  ctx: CliContext,
  out: OutputOptions,
): Promise<PulledModel> {
  // Price flags are checked before any download; a new model without them takes its manifest's, else 0.
  const flag = (value: string | undefined, name: string) =>
    value === undefined ? undefined : usdFlag(value, name, { allowZero: true });
  const prices = {
    input: flag(options.inputPer1k, "input-per-1k"),
    output: flag(options.outputPer1k, "output-per-1k"),
    image: flag(options.image, "image"),
  };
  const bar = progressBar(out, source);
  const { revision, task, id, version } = options;
  return pull({ source, revision, task, id, version, prices }, env, ctx, bar, { local: true }).finally(bar.stop);
}
