import { PrismaPg } from "@prisma/adapter-pg";
import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { databaseNameOf, quoteIdentifier, temporaryDatabaseName, withDatabaseName } from "../database-url.ts";
import { createMigrationPool } from "./pg-pool.ts";

export interface OwnedAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Ends every pool and drops any temporary database still around. Idempotent. */
  disposeAll(): Promise<void>;
}

/**
 * The driver-adapter factory handed to the wasm schema engine. Unlike a bare PrismaPg it
 * - reads `"char"` catalog columns (see pg-pool.ts),
 * - runs migration scripts whole (PrismaPg#executeScript splits on every ";", breaking e.g. DEFAULT 'a;b'),
 * - gives the engine its shadow database as `<db>_migration_tmp_<random>` on the same server and
 *   drops it afterwards (PrismaPg's own shadow database is never cleaned up reliably),
 * - owns its pools, so `disposeAll()` lets the process exit.
 */
export function createAdapterFactory(databaseUrl: string): OwnedAdapterFactory {
  const mainPool = createMigrationPool(databaseUrl);
  const pendingCleanups = new Set<() => Promise<void>>();
  let disposed = false;

  /** Registers a cleanup that runs at most once: when the engine disposes the adapter, or in disposeAll. */
  function track(cleanup: () => Promise<void>): () => Promise<void> {
    let done: Promise<void> | undefined;
    function once(): Promise<void> {
      pendingCleanups.delete(once);
      done ??= cleanup();
      return done;
    }
    pendingCleanups.add(once);
    return once;
  }

  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => wrapPool(mainPool, async () => undefined),
    async connectToShadowDb() {
      const name = temporaryDatabaseName(databaseNameOf(databaseUrl));
      await mainPool.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
      const shadowPool = createMigrationPool(withDatabaseName(databaseUrl, name));
      const cleanup = track(async () => {
        await shadowPool.end();
        await mainPool.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
      });
      return wrapPool(shadowPool, cleanup);
    },
    async disposeAll() {
      if (disposed) return;
      disposed = true;
      const results = await Promise.allSettled([...pendingCleanups].map((cleanup) => cleanup()));
      await mainPool.end();
      const failure = results.find((result) => result.status === "rejected");
      if (failure) throw failure.reason;
    },
  };
}

async function wrapPool(pool: pg.Pool, release: () => Promise<void>): Promise<SqlDriverAdapter> {
  const inner = await new PrismaPg(pool).connect();
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => inner.queryRaw(query),
    executeRaw: (query) => inner.executeRaw(query),
    startTransaction: (isolationLevel) => inner.startTransaction(isolationLevel),
    getConnectionInfo: () => inner.getConnectionInfo(),
    async executeScript(script) {
      // One simple-protocol query: Postgres runs it as a single implicit transaction, as with the native engine.
      try {
        await pool.query(script);
      } catch (error) {
        throw toDriverAdapterError(error);
      }
    },
    async dispose() {
      await inner.dispose();
      await release();
    },
  };
}

function toDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof pg.DatabaseError)) return error;
  return new DriverAdapterError({
    kind: "postgres",
    code: error.code ?? "",
    severity: error.severity ?? "ERROR",
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
  });
}
