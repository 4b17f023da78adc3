import { z } from "zod";
import { envFields } from "@aiaas/config";
import { defaultHttpLimits } from "./http-limits.ts";

const milliseconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export const gatewayEnvSchema = z.object({
  NODE_ENV: envFields.nodeEnv,
  DATABASE_URL: envFields.databaseUrl,
  REDIS_URL: envFields.redisUrl,
  API_KEY_PEPPER: envFields.apiKeyPepper,
  MASTER_KEYS: envFields.masterKeys,
  DATA_KEY_MAX_AGE_DAYS: envFields.dataKeyMaxAgeDays,
  DATA_KEY_MAX_SEALS: envFields.dataKeyMaxSeals,
  /** The workers' QUEUE_PREFIX: both sides must name the same queues. */
  QUEUE_PREFIX: envFields.queuePrefix,
  GATEWAY_HOST: envFields.host,
  GATEWAY_PORT: envFields.port(8080),
  /** `/readyz` and `/metrics` (and `/healthz`): for probes and Prometheus, never the internet. */
  GATEWAY_INTERNAL_HOST: envFields.host,
  GATEWAY_INTERNAL_PORT: envFields.port(9080),
  /** Key lookups that reach Postgres (no cache knows the key), per client address and minute; then 429. */
  GATEWAY_KEY_LOOKUPS_PER_MINUTE: z.coerce.number().int().min(1).default(100),
  /** A request's headers and body must have arrived within this, its headers within the next. */
  GATEWAY_BODY_TIMEOUT_MS: milliseconds(defaultHttpLimits.requestTimeoutMs),
  GATEWAY_HEADERS_TIMEOUT_MS: milliseconds(defaultHttpLimits.headersTimeoutMs),
  /** Idle keep-alive connections close after this (above load balancers' usual 60 s). */
  GATEWAY_KEEP_ALIVE_TIMEOUT_MS: milliseconds(defaultHttpLimits.keepAliveTimeoutMs),
  /** Connections one gateway holds at once, and requests one connection may carry. */
  GATEWAY_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(defaultHttpLimits.maxConnections),
  GATEWAY_MAX_REQUESTS_PER_CONNECTION: z.coerce.number().int().min(1).default(defaultHttpLimits.maxRequestsPerSocket),
  /** Proxies whose X-Forwarded-For names the client (CIDRs; empty: the connecting peer is the client). */
  TRUSTED_PROXIES: envFields.trustedProxies,
  /** How long a non-streaming request waits for its answer before a 504. */
  GATEWAY_REQUEST_TIMEOUT_MS: milliseconds(60_000),
  /** A streamed answer still waiting sends an SSE comment this often: proxies drop silent connections. */
  GATEWAY_STREAM_KEEPALIVE_MS: milliseconds(15_000),
  /**
   * Gateway processes sharing the port (node:cluster), each with its own caches and subscriptions; `auto`:
   * one per core but one (left to a worker on the same machine). In Kubernetes, one per pod: scale pods.
   */
  GATEWAY_PROCESSES: z.union([z.literal("auto"), z.coerce.number().int().min(1).max(64)]).default(1),
  /** The most requests that travel as one job while their model is busy (decision 0019); 1: every request alone. */
  GATEWAY_COALESCE_MAX: z.coerce.number().int().min(1).max(256).default(32),
  /** How long a group forms at most (ms; a few at most in production); 0: until the end of the event loop's turn. */
  GATEWAY_COALESCE_WINDOW_MS: z.coerce.number().min(0).max(1_000).default(0),
  /** Lines of a batch (the Batches API) this gateway runs at once; 0: this gateway runs no batches. */
  GATEWAY_BATCH_CONCURRENCY: z.coerce.number().int().min(0).max(256).default(8),
  /** A batch's claim lasts this long unrenewed: a dead gateway's batch resumes on another after it. */
  GATEWAY_BATCH_LEASE_MS: milliseconds(30_000),
  /** The largest upload to /v1/files (64 MiB). */
  GATEWAY_FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(64 * 1024 * 1024),
  /** Files an organization keeps at once. */
  GATEWAY_FILES_PER_TENANT: z.coerce.number().int().min(1).default(1_000),
  /** Usage and request rows are written in batches at most this far apart. */
  USAGE_FLUSH_MS: milliseconds(250),
  /** A usage log entry older than this was left by a gateway that died: the log's sweep writes it. */
  USAGE_ORPHAN_MS: milliseconds(10_000),
  /** After Redis lost its data, budget-bound requests are refused this long, while usage reaches the ledger. */
  LIMITS_REBUILD_MS: milliseconds(3_000),
  /** Budgets in use are reconciled with the ledger this often. */
  BUDGET_RECONCILE_MS: milliseconds(60_000),
  LOG_LEVEL: envFields.logLevel,
  LOG_FORMAT: envFields.logFormat,
});
export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
