import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { withTemporaryDatabase } from "../testing/index.ts";
import { applyPendingMigrations, checkDrift } from "./index.ts";

const schemaPath = fileURLToPath(new URL("../../../../prisma/schema.prisma", import.meta.url));
const migrationsDir = fileURLToPath(new URL("../../../../prisma/migrations", import.meta.url));

describe("migrations", () => {
  it("applied in order to an empty database, yield exactly the schema (no drift)", async () => {
    await withTemporaryDatabase(async (databaseUrl) => {
      const { applied } = await applyPendingMigrations({ databaseUrl, schemaPath, migrationsDir });
      expect(applied.length).toBeGreaterThan(0);
      expect(await checkDrift({ databaseUrl, schemaPath })).toBe("");

      const again = await applyPendingMigrations({ databaseUrl, schemaPath, migrationsDir });
      expect(again.applied).toEqual([]);
    });
  });

  it("reports drift when the database differs from the schema", async () => {
    await withTemporaryDatabase(async (databaseUrl) => {
      await applyPendingMigrations({ databaseUrl, schemaPath, migrationsDir });
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query("ALTER TABLE tenants ADD COLUMN stray_column integer");
      await client.end();
      expect(await checkDrift({ databaseUrl, schemaPath })).toMatch(/stray_column/);
    });
  });
});
