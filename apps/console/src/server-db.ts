import "server-only";
import { createPrismaClient, type Db } from "@aiaas/db";
import { consoleEnv } from "./env.ts";

const globalForDb = globalThis as unknown as { aiaasDb?: Db };

/** One Prisma client per server process (kept across hot reloads in dev). */
export function db(): Db {
  globalForDb.aiaasDb ??= createPrismaClient({ databaseUrl: consoleEnv().DATABASE_URL, maxConnections: 5 });
  return globalForDb.aiaasDb;
}
