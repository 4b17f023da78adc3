import type { Command } from "commander";
import { DEFAULT_QUEUE_PREFIX, listLiveWorkers } from "@aiaas/core/server";
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
      const live = new Map((await listLiveWorkers(redis, options.prefix)).map((status) => [status.id, status]));
      const recent = await ctx.db.workerHeartbeat.findMany({
        where: { lastSeenAt: { gte: new Date(Date.now() - 24 * 3600 * 1000) } },
        orderBy: { lastSeenAt: "desc" },
      });
      const ids = [...new Set([...live.keys(), ...recent.map((row) => row.id)])];
      const rows = ids.map((id) => {
        const now = live.get(id);
        const row = recent.find((r) => r.id === id);
        const state = now ? "live" : row?.stoppedAt ? "stopped" : "lost";
        return {
          id,
          state,
          host: now?.hostname ?? row?.hostname ?? null,
          provider: now?.provider ?? row?.provider ?? null,
          models: now?.models ?? row?.models ?? [],
          concurrency: now?.concurrency ?? row?.concurrency ?? null,
          inFlight: now?.inFlight ?? 0,
          jobsDone: now?.jobsDone ?? row?.jobsDone ?? 0,
          jobsFailed: now?.jobsFailed ?? row?.jobsFailed ?? 0,
          lastSeen: now ? new Date(now.lastSeenAt) : (row?.lastSeenAt ?? null),
        };
      });
      printRows(rows, command.optsWithGlobals<OutputOptions>(), "No workers have been seen in the last day.");
    });
}
