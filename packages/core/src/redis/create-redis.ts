import { Redis } from "ioredis";

export type RedisRole = "producer" | "consumer";

/**
 * Redis connections by role. Producers (the gateway's hot path, readiness
 * checks) fail fast while Redis is down instead of queueing commands;
 * consumers (BullMQ workers, subscribers) wait and retry for ever, as BullMQ
 * requires (`maxRetriesPerRequest: null`).
 */
export function createRedis(url: string, role: RedisRole, connectionName: string): Redis {
  return new Redis(url, {
    connectionName,
    lazyConnect: true,
    ...(role === "producer"
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 }
      : { maxRetriesPerRequest: null, enableOfflineQueue: true }),
  });
}
