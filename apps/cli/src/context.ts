import { userInfo } from "node:os";
import type { Redis } from "ioredis";
import { createPrismaClient, type Db } from "@aiaas/db";
import { parseMasterKeys, type MasterKeys } from "@aiaas/core/crypto";
import { invalidateAuthCache, type AuthInvalidation } from "@aiaas/core/keys";
import { createRedis, type ChangeContext } from "@aiaas/core/platform";
import type { CliEnv } from "./env.ts";
import { UsageError } from "./cli-error.ts";

/** What commands share: the database (opened on first use) and the operator actor. */
export class CliContext {
  #db: Db | undefined;
  #redis: Redis | undefined;

  constructor(readonly env: CliEnv) {}

  /** As the operator role (docs/database.md): the CLI is the operator's tool, across tenants, each change audited. */
  get db(): Db {
    this.#db ??= createPrismaClient({ databaseUrl: this.env.DATABASE_URL, maxConnections: 2, role: "operator" });
    return this.#db;
  }

  /** Fails before any change is made when REDIS_URL is missing. */
  requireRedis(): Redis {
    if (!this.env.REDIS_URL) {
      throw new UsageError(
        "REDIS_URL is not set: it is needed to tell running gateways (npm start writes it to .data/local.env)",
      );
    }
    this.#redis ??= createRedis(this.env.REDIS_URL, "client", "aiaas-cli");
    return this.#redis;
  }

  /** After a committed change: make every gateway forget what it cached. */
  async invalidate(invalidation: AuthInvalidation) {
    const redis = this.requireRedis();
    try {
      if (redis.status === "wait") await redis.connect();
      await invalidateAuthCache(redis, invalidation);
    } catch (error) {
      throw new Error(
        `the change is saved, but running gateways could not be told (${(error as Error).message}): they pick it up within 6 minutes, when their caches expire`,
        { cause: error },
      );
    }
  }

  get change(): ChangeContext {
    return { actor: { type: "operator", id: null, label: `cli:${userInfo().username}` } };
  }

  get pepper(): string {
    if (!this.env.API_KEY_PEPPER) {
      throw new UsageError(
        "API_KEY_PEPPER is not set: it is needed to make keys (npm start writes one to .data/local.env)",
      );
    }
    return this.env.API_KEY_PEPPER;
  }

  get masterKeys(): MasterKeys {
    if (!this.env.MASTER_KEYS) {
      throw new UsageError(
        "MASTER_KEYS is not set: it is needed to wrap data keys (use the value the gateways and workers run with, new key first)",
      );
    }
    try {
      return parseMasterKeys(this.env.MASTER_KEYS);
    } catch (error) {
      throw new UsageError(`MASTER_KEYS: ${(error as Error).message}`);
    }
  }

  get databaseHost(): string | null {
    try {
      const url = new URL(this.env.DATABASE_URL);
      return `${url.hostname}:${url.port || "5432"}`;
    } catch {
      return null;
    }
  }

  async close() {
    this.#redis?.disconnect();
    await this.#db?.$disconnect();
  }
}
