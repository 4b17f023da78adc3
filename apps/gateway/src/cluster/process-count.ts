import { availableParallelism } from "node:os";

/** GATEWAY_PROCESSES as a count: `auto` is one per core but one, left to a worker (at least one process). */
export function gatewayProcessCount(setting: number | "auto", cores = availableParallelism()): number {
  return setting === "auto" ? Math.max(1, cores - 1) : setting;
}
