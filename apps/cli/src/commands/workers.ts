import type { Command } from "commander";
import { DEFAULT_QUEUE_PREFIX, listWorkers } from "@aiaas/core/queue";
import type { CliContext } from "../context.ts";
import { printRows, type OutputOptions } from "../output.ts";

export function registerWorkerCommands(program: Command, context: () => CliContext) {
  const workers = program.command("workers").description("the inference workers and what they are doing");
  workers
    .command("list")
    .description("list live workers (heartbeat in Redis) and those seen in the last day")
    .option("--prefix <prefix>", "queue prefix of the installation", DEFAULT_QUEUE_PREFIX)
    .action(async (options: { prefix: string }, command: Command) => {
      const ctx = context();
      const redis = ctx.requireRedis();
      if (redis.status === "wait") await redis.connect();
      const rows = (await listWorkers(ctx.db, redis, options.prefix)).map(({ providerNote: _note, ...row }) => row);
      printRows(rows, command.optsWithGlobals<OutputOptions>(), "No workers have been seen in the last day.");
    });
}
