import { z } from "zod";
import { envFields, loadEnvOrExit, withEnvFile } from "@aiaas/config";
import { paths } from "./paths.ts";

export const cliEnvSchema = z.object({
  DATABASE_URL: envFields.databaseUrl,
  /**
   * The database owner's URL: `migrate` applies migrations with it and makes
   * DATABASE_URL's user a login of the application role. Without it,
   * migrations run as DATABASE_URL's user.
   */
  DATABASE_OWNER_URL: envFields.databaseUrl.optional(),
  /** Only the commands that make or check keys need it; they say so. */
  API_KEY_PEPPER: envFields.apiKeyPepper.optional(),
  /** Needed by commands that must reach running gateways (revoke, suspend). */
  REDIS_URL: envFields.redisUrl.optional(),
  /** The gateways' QUEUE_PREFIX: `quotas show` reads current use under it. */
  QUEUE_PREFIX: envFields.queuePrefix,
  /** Only `keys rotate-master` needs it: the same MASTER_KEYS as the gateways and workers. */
  MASTER_KEYS: envFields.masterKeys.optional(),
  /** `audit verify` checks the chains against the checkpoints the workers signed with it. */
  AUDIT_SIGNING_KEY: envFields.auditSigningKey.optional(),
  AUDIT_CHECKPOINT_DIR: envFields.auditCheckpointDir.default(paths.auditCheckpoints),
});
export type CliEnv = z.infer<typeof cliEnvSchema>;

/** The real environment wins over `.data/local.env`, which `npm start` writes. */
export const loadCliEnv = (): CliEnv =>
  loadEnvOrExit("aiaas", cliEnvSchema, withEnvFile(process.env, process.env.AIAAS_ENV_FILE ?? paths.localEnv));

/** What `models pull` needs besides the database. */
export const modelsEnvSchema = z.object({
  /** Where pulled model folders go (the worker's MODEL_STORE). */
  MODEL_STORE: z.string().trim().min(1).default(paths.modelStore),
  HF_ENDPOINT: envFields.hfEndpoint,
  HF_TOKEN: envFields.hfToken,
  MODEL_PULL_MAX_BYTES: envFields.modelPullMaxBytes,
});
export type ModelsEnv = z.infer<typeof modelsEnvSchema>;

export const loadModelsEnv = (): ModelsEnv =>
  loadEnvOrExit("aiaas", modelsEnvSchema, withEnvFile(process.env, process.env.AIAAS_ENV_FILE ?? paths.localEnv));
