import { z } from "zod";
import { envFields } from "@aiaas/config";
import type { InferenceDevice } from "@aiaas/inference";

/** `id=maxBatchSize/maxWaitMs` pairs, e.g. `kjv-embed-mini=64/2,paddleocr-v4=8/5`. */
const modelBatching = z
  .string()
  .trim()
  .default("")
  .transform((value, context) => {
    const byModel: Record<string, { maxBatchSize: number; maxWaitMs: number }> = {};
    for (const entry of value
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)) {
      const match = /^([a-z0-9][a-z0-9.-]+)=(\d+)\/(\d+(?:\.\d+)?)$/.exec(entry);
      if (!match) {
        context.addIssue({ code: "custom", message: `expected id=maxBatchSize/maxWaitMs, got "${entry}"` });
        return z.NEVER;
      }
      const [, id = "", size = "1", wait = "0"] = match;
      byModel[id] = { maxBatchSize: Math.max(1, Number(size)), maxWaitMs: Number(wait) };
    }
    return byModel;
  });

export const workerEnvSchema = z.object({
  NODE_ENV: envFields.nodeEnv,
  DATABASE_URL: envFields.databaseUrl,
  REDIS_URL: envFields.redisUrl,
  MASTER_KEYS: envFields.masterKeys,
  DATA_KEY_MAX_AGE_DAYS: envFields.dataKeyMaxAgeDays,
  DATA_KEY_MAX_SEALS: envFields.dataKeyMaxSeals,
  QUEUE_PREFIX: envFields.queuePrefix,
  WORKER_HOST: envFields.host,
  /** Health and metrics port of this worker process. */
  WORKER_PORT: envFields.port(8081),
  /** Stable id of this worker in worker_heartbeats; hostname-pid by default. */
  WORKER_ID: z.string().trim().min(1).optional(),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(1000).max(300_000).default(10_000),
  /** Models this worker serves: `all`, or ids separated by commas (so a pool can dedicate GPU workers). */
  WORKER_MODELS: z
    .string()
    .trim()
    .default("all")
    .transform((value) =>
      value === "all"
        ? "all"
        : value
            .split(",")
            .map((id) => id.trim())
            .filter(Boolean),
    ),
  /** Where `npm run aiaas -- models pull` puts downloaded model folders; pulls asked for in /admin/models go there too. */
  MODEL_STORE: z.string().trim().min(1).default(".data/models"),
  /** The hub pulls asked for in /admin/models come from (a hub id there, nothing else). */
  HF_ENDPOINT: envFields.hfEndpoint,
  HF_TOKEN: envFields.hfToken,
  MODEL_PULL_MAX_BYTES: envFields.modelPullMaxBytes,
  /** The DNS servers domain checks ask (`host[:port]`, comma separated); empty: the system's. */
  DNS_SERVERS: envFields.dnsServers,
  /** auto (CUDA when it loads, else CPU), cpu, cuda or cuda:N (the N-th GPU; no fallback). */
  INFERENCE_DEVICE: z
    .string()
    .trim()
    .regex(/^(auto|cpu|cuda(:\d{1,2})?)$/, "expected auto, cpu, cuda or cuda:N (a GPU's index)")
    .transform((device) => device as InferenceDevice)
    .default("auto"),
  /** ORT threads per session; all cores by default. */
  INFERENCE_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  /** Jobs in flight per model queue: what dynamic batching can group. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(32),
  /** Batching for every model, over each manifest's defaults; MODEL_BATCHING per model, over these. */
  BATCH_MAX_SIZE: z.coerce.number().int().min(1).max(1024).optional(),
  BATCH_MAX_WAIT_MS: z.coerce.number().min(0).max(1000).optional(),
  MODEL_BATCHING: modelBatching,
  /** A job whose worker stops renewing its lock this long is handed to another worker. */
  JOB_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /** How often stored prompts past their retention are purged (one worker of all runs each purge); hourly. */
  PURGE_EVERY_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(7 * 86_400_000)
    .default(3_600_000),
  /** With a Stripe secret key, usage is reported to Stripe Billing Meters; without, billing is ledger-only. */
  STRIPE_SECRET_KEY: z.string().startsWith("sk_", "must be a Stripe secret key (sk_…)").optional(),
  /** Another Stripe API base URL than api.stripe.com (tests: a local Stripe-compatible server). */
  STRIPE_API_BASE: z.url({ error: "expected a URL" }).optional(),
  /** How often usage is reported to Stripe; a minute. */
  METER_REPORT_EVERY_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  /** Where mail leaves: `smtp://user:pass@host:587` or `smtps://…`; without it mail stays in the outbox. */
  SMTP_URL: z
    .url({ error: "expected an smtp:// or smtps:// URL" })
    .refine((value) => /^smtps?:\/\//.test(value), "expected an smtp:// or smtps:// URL")
    .optional(),
  /** The From header of every mail. */
  MAIL_FROM: z.string().trim().min(3).default("aiaas <no-reply@localhost>"),
  /** How often each worker looks for mail to send; 2 s. */
  OUTBOX_SEND_EVERY_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  /** A mail a worker took and never marked (it died mid-send) is sent again by another after this; a minute. */
  OUTBOX_CLAIM_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
  /** Signs audit checkpoints; without it none are written (the worker says so at start). */
  AUDIT_SIGNING_KEY: envFields.auditSigningKey.optional(),
  AUDIT_CHECKPOINT_DIR: envFields.auditCheckpointDir,
  /** How often the heads of the audit chains that moved are signed and written; a minute. */
  AUDIT_CHECKPOINT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  LOG_LEVEL: envFields.logLevel,
  LOG_FORMAT: envFields.logFormat,
});
export type WorkerEnv = z.infer<typeof workerEnvSchema>;
