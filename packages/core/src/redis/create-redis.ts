import { Redis } from "ioredis";

export type RedisRole = "producer" | "client" | "consumer";

/**
 * Redis connections by role. Producers (the gateway's hot path, readiness
 * checks) fail fast while Redis is down instead of queueing commands;
 * clients (console, CLI) queue commands while connecting and give up after
 * one retry; consumers (BullMQ workers, subscribers) wait and retry for ever,
 * as BullMQ requires (`maxRetriesPerRequest: null`).
 */
export function createRedis(
  url: string,
  role: RedisRole,
  connectionName: string,
  { autoPipelining = false }: { autoPipelining?: boolean } = {},
): Redis {
  return new Redis(url, {
    connectionName,
    lazyConnect: true,
    // Concurrent callers' commands leave in one write per tick. Not for a connection BullMQ defines its scripts on:
    // ioredis copies every defined script into each pipeline it makes.
    enableAutoPipelining: autoPipelining,
    // A restarted Redis answers LOADING while it reads its data back; ioredis waits for the server's own
    // estimate (up to 10 s, and early estimates run long) before asking again. Ask often instead.
    maxLoadingRetryTime: 250,
    ...{
      producer: { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 },
      client: { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2000 },
      consumer: { maxRetriesPerRequest: null, enableOfflineQueue: true },
    }[role],
  });
}
