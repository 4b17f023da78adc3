import { userInfo } from "node:os";
import { createPrismaClient, type Db } from "@aiaas/db";
import type { ChangeContext } from "@aiaas/core/server";
import type { CliEnv } from "./env.ts";
import { UsageError } from "./cli-error.ts";

/** What commands share: the database (opened on first use) and the operator actor. */
export class CliContext {
  #db: Db | undefined;

  constructor(readonly env: CliEnv) {}

  get db(): Db {
    this.#db ??= createPrismaClient({ databaseUrl: this.env.DATABASE_URL, maxConnections: 2 });
    return this.#db;
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

  get databaseHost(): string | null {
    try {
      const url = new URL(this.env.DATABASE_URL);
      return `${url.hostname}:${url.port || "5432"}`;
    } catch {
      return null;
    }
  }

  async close() {
    await this.#db?.$disconnect();
  }
}
