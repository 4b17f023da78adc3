import { resolve } from "node:path";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { modelTasks, pullModel, readModelFolder, type ModelTask } from "@aiaas/inference/model-store";
import { modelFoldersIn, modelZooFolders } from "@aiaas/model-zoo";
import { UsageError } from "../cli-error.ts";
import { loadModelsEnv } from "../env.ts";
import { printResult, printRows, type OutputOptions } from "../output.ts";

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function registerModelCommands(program: Command) {
  const models = program.command("models").description("the model folders workers can serve, and pulling new ones");
  const output = (command: Command) => command.optsWithGlobals<OutputOptions>();

  models
    .command("list")
    .description("list the shipped models and those in the model store")
    .action(async (_options: unknown, command: Command) => {
      const env = loadModelsEnv();
      const sources = [
        ...Object.values(modelZooFolders()).map((dir) => ({ dir, source: "zoo" })),
        ...Object.values(modelFoldersIn(env.MODEL_STORE)).map((dir) => ({ dir, source: "store" })),
      ];
      const rows = await Promise.all(
        sources.map(async ({ dir, source }) => {
          try {
            const { manifest } = await readModelFolder(dir);
            const { id, task, contextLength, license } = manifest;
            return { id, task, source, contextLength: contextLength ?? null, license, problem: null, dir };
          } catch (error) {
            return {
              id: null,
              task: null,
              source,
              contextLength: null,
              license: null,
              problem: (error as Error).message,
              dir,
            };
          }
        }),
      );
      printRows(rows, output(command), "No models.");
    });

  models
    .command("pull")
    .description("download a model folder (Hugging Face layout with an ONNX export) into the model store")
    .argument("<hub-id>", "owner/name on the hub, e.g. Xenova/all-MiniLM-L6-v2")
    .option("--revision <revision>", "branch, tag or commit", "main")
    .option("--task <task>", `override the task read from config.json (${modelTasks.join(", ")})`)
    .action(async (hubId: string, options: { revision: string; task?: string }, command: Command) => {
      const env = loadModelsEnv();
      if (options.task && !modelTasks.includes(options.task as ModelTask)) {
        throw new UsageError(`--task: "${options.task}" is not one of ${modelTasks.join(", ")}`);
      }
      const out = output(command);
      // A progress bar for people at a terminal; scripts (--json, pipes) get none.
      const bar =
        !out.json && process.stderr.isTTY
          ? new SingleBar({
              format: "{file} [{bar}] {percentage}% {done} of {size}",
              hideCursor: true,
              stream: process.stderr,
            })
          : undefined;
      const received = new Map<string, number>();
      const pulled = await pullModel({
        hubId,
        store: resolve(env.MODEL_STORE),
        endpoint: env.HF_ENDPOINT,
        token: env.HF_TOKEN,
        revision: options.revision,
        task: options.task as ModelTask | undefined,
        onStart: (files) => {
          const total = files.reduce((sum, file) => sum + file.size, 0);
          bar?.start(total, 0, { file: hubId, done: megabytes(0), size: megabytes(total) });
        },
        onProgress: (progress) => {
          received.set(progress.path, progress.received);
          const done = [...received.values()].reduce((sum, bytes) => sum + bytes, 0);
          bar?.update(done, { file: progress.path, done: megabytes(done) });
        },
      }).finally(() => bar?.stop());
      const size = pulled.files.reduce((sum, file) => sum + file.size, 0);
      printResult(
        `Pulled ${hubId} as ${pulled.id} (${pulled.folder.manifest.task}, ${megabytes(size)}) into ${pulled.dir}. Workers serve it after a restart (WORKER_MODELS=all or naming ${pulled.id}).`,
        { id: pulled.id, dir: pulled.dir, task: pulled.folder.manifest.task, bytes: size },
        out,
      );
    });
}
