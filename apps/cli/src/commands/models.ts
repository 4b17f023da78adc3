import type { Command } from "commander";
import { modelTasks } from "@aiaas/inference/model-store";
import {
  liveVersions,
  listRegisteredModels,
  parseModelName,
  promoteModelVersion,
  setModelStatus,
} from "@aiaas/core/models";
import type { CliContext } from "../context.ts";
import { UsageError } from "../cli-error.ts";
import { loadModelsEnv } from "../env.ts";
import { printJson, printResult, printRows, type OutputOptions } from "../output.ts";
import { megabytes, pullAndRegister, type PullOptions } from "./model-pull.ts";

/** The registry the installation's workers report to. */
async function workerRegistry(ctx: CliContext) {
  const redis = ctx.requireRedis();
  if (redis.status === "wait") await redis.connect();
  return redis;
}

/** The catalogue, with the live workers from the workers' registry. */
async function catalogue(ctx: CliContext, slug?: string) {
  return listRegisteredModels(ctx.db, await workerRegistry(ctx), ctx.env.QUEUE_PREFIX, slug);
}

/** `id` or `id@version`, as retire and restore take them. */
function modelOrVersion(name: string) {
  const parsed = parseModelName(name);
  if (!parsed || (parsed.alias !== undefined && parsed.alias !== "default"))
    throw new UsageError(`"${name}" is neither a model id nor id@version (an alias moves: name the version)`);
  return { slug: parsed.slug, version: parsed.version };
}

export function registerModelCommands(program: Command, context: () => CliContext) {
  const models = program.command("models").description("the model catalogue: pulling, versions, retiring");
  const output = (command: Command) => command.optsWithGlobals<OutputOptions>();

  models
    .command("list")
    .description("every model in the catalogue: task, status, its names and their versions, live workers serving it")
    .action(async (_options: unknown, command: Command) => {
      const rows = (await catalogue(context())).map((model) => ({
        id: model.slug,
        task: model.task,
        status: model.status,
        names: model.aliases.map((alias) => `${alias.name} → ${alias.version}`).join(", "),
        versions: model.versions.length,
        workers: model.workers,
      }));
      printRows(rows, output(command), "No models.");
    });

  models
    .command("show")
    .description("one model's versions, their names, prices, sources and file digests, and the workers holding each")
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
        model.versions.map((version) => ({
          version: version.version,
          status: version.status,
          names: version.aliases.join(", "),
          price: version.price ? "own" : "the model's",
          workers: version.workers.join(", "),
          source: version.source,
          sha256: version.sha256,
        })),
        out,
        "No versions registered (a shipped model seeded before versions were recorded).",
      );
      printRows(
        model.versions.flatMap((version) =>
          version.files.map((file) => ({
            version: version.version,
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
        "new-model": "a new model, answering its id",
        "new-version": result.aliases.includes("default")
          ? "a new version, answering its id"
          : `a new version, callable as ${result.slug}@${result.version}; models promote ${result.slug} ${result.version} moves ${result.slug} to it`,
        unchanged: "already registered with these files",
      }[result.outcome];
      const variants = result.variants.map(
        (variant) =>
          `${variant.version} (${variant.aliases.map((alias) => `${result.slug}:${alias}`).join(", ") || "no alias"})`,
      );
      printResult(
        `Registered ${result.slug} version ${result.version} (${what}; ${megabytes(result.bytes)} in ${result.dir})${variants.length > 0 ? `, and its variants ${variants.join(", ")}` : ""}. Gateways list it within seconds; workers serve it once they load it (WORKER_MODELS=all or naming ${result.slug}).`,
        result,
        out,
      );
    });

  models
    .command("promote")
    .description(
      "point a model's id (or --alias) at one of its versions: traffic moves within seconds; promoting the version before rolls back",
    )
    .argument("<id>", "the model id")
    .argument("<version>", "the version (models show <id> lists them)")
    .option("--alias <alias>", "the alias to move, e.g. int8 for <id>:int8 (default: the bare id)")
    .option("--force", "even though a live worker of the model does not hold the version (its share of requests fails)")
    .action(async (id: string, version: string, options: { alias?: string; force?: boolean }, command: Command) => {
      const ctx = context();
      const live = liveVersions(await workerRegistry(ctx), ctx.env.QUEUE_PREFIX);
      const result = await ctx.db.$transaction((tx) =>
        promoteModelVersion({ slug: id, version, alias: options.alias, force: options.force }, live, ctx.change, tx),
      );
      printResult(
        result.changed
          ? `${result.name} now answers with version ${result.to} (was ${result.from ?? "none"}); gateways follow within seconds.`
          : `${result.name} already answers with version ${result.to}.`,
        result,
        output(command),
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
          ? "stop offering a model, or one version (id@version): gateways drop it within seconds; its history stays"
          : "offer a retired model, or version, again",
      )
      .argument("<id>", "the model id, or id@version")
      .action(async (id: string, _options: unknown, command: Command) => {
        const ctx = context();
        const target = modelOrVersion(id);
        const { changed } = await ctx.db.$transaction((tx) => setModelStatus({ ...target, status }, ctx.change, tx));
        printResult(
          changed ? `${verb} ${id}.` : `${id} was already ${status}.`,
          { id, status, changed },
          output(command),
        );
      });
  }
}
