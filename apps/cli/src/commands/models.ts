import type { Command } from "commander";
import { modelTasks } from "@aiaas/inference/model-store";
import { listRegisteredModels, setModelStatus } from "@aiaas/core/models";
import type { CliContext } from "../context.ts";
import { UsageError } from "../cli-error.ts";
import { loadModelsEnv } from "../env.ts";
import { printJson, printResult, printRows, type OutputOptions } from "../output.ts";
import { megabytes, pullAndRegister, type PullOptions } from "./model-pull.ts";

/** The catalogue, with the live workers from the registry the installation's workers report to. */
async function catalogue(ctx: CliContext, slug?: string) {
  const redis = ctx.requireRedis();
  if (redis.status === "wait") await redis.connect();
  return listRegisteredModels(ctx.db, redis, ctx.env.QUEUE_PREFIX, slug);
}

export function registerModelCommands(program: Command, context: () => CliContext) {
  const models = program.command("models").description("the model catalogue: pulling, versions, retiring");
  const output = (command: Command) => command.optsWithGlobals<OutputOptions>();

  models
    .command("list")
    .description("every model in the catalogue: task, status, current version, live workers serving it")
    .action(async (_options: unknown, command: Command) => {
      const rows = (await catalogue(context())).map((model) => ({
        id: model.slug,
        task: model.task,
        status: model.status,
        current: model.current,
        versions: model.versions.length,
        workers: model.workers,
      }));
      printRows(rows, output(command), "No models.");
    });

  models
    .command("show")
    .description("one model's versions, their sources and file digests, and the workers serving it")
    .argument("<id>", "the model id, e.g. kjv-gpt-mini")
    .action(async (id: string, _options: unknown, command: Command) => {
      const [model] = await catalogue(context(), id);
      if (!model) throw new UsageError(`no model "${id}" in the catalogue (models list shows them)`);
      const out = output(command);
      if (out.json) return printJson(model);
      process.stdout.write(
        `${model.slug}: ${model.task}, ${model.status}, owned by ${model.ownedBy}; served by ${model.workers.join(", ") || "no live worker"}\n`,
      );
      printRows(
        model.versions.flatMap((version) =>
          version.files.map((file) => ({
            version: version.version,
            current: version.current,
            source: version.source,
            file: file.path,
            size: megabytes(file.size),
            sha256: file.sha256,
          })),
        ),
        out,
        "No versions registered (a shipped model seeded before versions were recorded).",
      );
    });

  models
    .command("pull")
    .description("fetch a model (hub id, hub URL or a folder here), run it once, and register it in the catalogue")
    .argument("<source>", "owner/name on the hub, its https:// page, or a folder on this machine")
    .option("--revision <revision>", "branch, tag or commit on the hub (default main)")
    .option("--task <task>", `override the task read from config.json (${modelTasks.join(", ")})`)
    .option("--id <id>", "the model id here (default: the hub name, lowercased)")
    .option("--version <name>", "the version's name (default: the revision, else sha-<digest>)")
    .option(
      "--input-per-1k <usd>",
      "price of a new model: USD per 1,000 input tokens (default: its manifest's, else 0)",
    )
    .option("--output-per-1k <usd>", "price of a new model: USD per 1,000 output tokens")
    .option("--image <usd>", "price of a new model: USD per image")
    .action(async (source: string, options: PullOptions, command: Command) => {
      if (options.task && !modelTasks.includes(options.task)) {
        throw new UsageError(`--task: "${options.task}" is not one of ${modelTasks.join(", ")}`);
      }
      const out = output(command);
      const result = await pullAndRegister(source, options, loadModelsEnv(), context(), out);
      const what = {
        "new-model": "a new model, this version current",
        "new-version": result.current
          ? "a new version, current"
          : "a new version (not current: promote it to serve it)",
        unchanged: "already registered with these files",
      }[result.outcome];
      printResult(
        `Registered ${result.slug} version ${result.version} (${what}; ${megabytes(result.bytes)} in ${result.dir}). Gateways list it within seconds; workers serve it once they load it (WORKER_MODELS=all or naming ${result.slug}).`,
        result,
        out,
      );
    });

  for (const [name, status, verb] of [
    ["retire", "disabled", "Retired"],
    ["restore", "active", "Restored"],
  ] as const) {
    models
      .command(name)
      .description(
        status === "disabled"
          ? "stop offering a model: gateways drop it within seconds; its history stays"
          : "offer a retired model again",
      )
      .argument("<id>", "the model id")
      .action(async (id: string, _options: unknown, command: Command) => {
        const ctx = context();
        const { changed } = await ctx.db.$transaction((tx) => setModelStatus({ slug: id, status }, ctx.change, tx));
        printResult(
          changed ? `${verb} ${id}.` : `${id} was already ${status}.`,
          { id, status, changed },
          output(command),
        );
      });
  }
}
