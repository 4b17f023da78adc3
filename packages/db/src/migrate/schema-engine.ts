import { dirname } from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DiffTarget, SchemaFilter } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { createAdapterFactory } from "./adapter-factory.ts";
import { readMigrationList } from "./migrations-dir.ts";
import { readSchemaFiles } from "./schema-files.ts";
import { loadSchemaEngineWasm } from "./wasm-engine.ts";

/** One side of a diff. */
export type DiffSide =
  | { kind: "empty" }
  /** A schema.prisma file (or multi-file schema folder). */
  | { kind: "schema"; schemaPath: string }
  /** The state after applying a migrations folder to a fresh temporary database on the same server. */
  | { kind: "migrations"; migrationsDir: string }
  /** The live database at `databaseUrl`. */
  | { kind: "database" };

export interface SchemaEngineHandle {
  /** Applies the not yet applied migrations, recording them in `_prisma_migrations`; returns their names. */
  applyMigrations(migrationsDir: string): Promise<string[]>;
  /** SQL that turns `from` into `to`; "" when they already match. */
  diffSchemaToSql(args: { from: DiffSide; to: DiffSide }): Promise<string>;
  /** SQL that would bring the live database to the schema; "" when in sync. */
  diffDatabaseToSchema(): Promise<string>;
  /** Frees the engine and ends every pg pool, so the process can exit. */
  close(): Promise<void>;
}

export interface OpenSchemaEngineOptions {
  databaseUrl: string;
  schemaPath: string;
}

const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

export async function openSchemaEngine({
  databaseUrl,
  schemaPath,
}: OpenSchemaEngineOptions): Promise<SchemaEngineHandle> {
  const [wasm, schemaFiles] = await Promise.all([loadSchemaEngineWasm(), readSchemaFiles(schemaPath)]);
  const adapters = createAdapterFactory(databaseUrl);
  const engine = await wasm.SchemaEngine.new(
    {
      datamodels: schemaFiles.map((file): [string, string] => [file.path, file.content]),
    },
    engineLogger(),
    bindMigrationAwareSqlAdapterFactory(adapters),
  ).catch(async (error: unknown) => {
    await adapters.disposeAll();
    throw error;
  });

  async function toTarget(side: DiffSide): Promise<DiffTarget> {
    switch (side.kind) {
      case "empty":
        return { tag: "empty" };
      case "schema":
        return {
          tag: "schemaDatamodel",
          files: await readSchemaFiles(side.schemaPath),
        };
      case "migrations":
        return {
          tag: "migrations",
          ...(await readMigrationList(side.migrationsDir)),
        };
      case "database":
        // The wasm engine rejects { tag: "url" } ("--from-url and --to-url flags are no longer supported");
        // a schema's datasource is read through the driver adapter, i.e. the database at databaseUrl.
        return {
          tag: "schemaDatasource",
          files: schemaFiles,
          configDir: dirname(schemaFiles[0]?.path ?? schemaPath),
        };
    }
  }

  async function diffSchemaToSql({ from, to }: { from: DiffSide; to: DiffSide }): Promise<string> {
    const result = await engine.diff({
      from: await toTarget(from),
      to: await toTarget(to),
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return isEmptyScript(result.stdout ?? "") ? "" : (result.stdout ?? "");
  }

  let closed: Promise<void> | undefined;
  return {
    async applyMigrations(migrationsDir) {
      const migrationsList = await readMigrationList(migrationsDir);
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList,
        filters: NO_FILTERS,
      });
      return appliedMigrationNames;
    },
    diffSchemaToSql,
    diffDatabaseToSchema: () =>
      diffSchemaToSql({
        from: { kind: "database" },
        to: { kind: "schema", schemaPath },
      }),
    close() {
      closed ??= (async () => {
        engine.free();
        await adapters.disposeAll();
      })();
      return closed;
    },
  };
}

/** An in-sync diff is "-- This is an empty migration." (or nothing): only comments and blank lines. */
function isEmptyScript(script: string): boolean {
  return script.split("\n").every((line) => line.trim() === "" || line.trim().startsWith("--"));
}

/** The engine's tracing output (JSON lines) goes to stderr only when PRISMA_ENGINE_LOG is set. */
function engineLogger(): (message: string) => void {
  return process.env["PRISMA_ENGINE_LOG"] ? (message) => console.error(message) : () => undefined;
}
