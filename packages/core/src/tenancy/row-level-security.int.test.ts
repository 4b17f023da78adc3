import { describe, expect, it } from "vitest";
import { withTenant } from "@aiaas/db";
import { createApiKey } from "../keys/create-api-key.ts";
import {
  createTestTenant,
  testApplicationDb,
  testContext,
  testDb,
  testOperatorDb,
  testPepper,
} from "../testing/fixtures.ts";

/** The platform role: sets up and checks any tenant's rows. */
const db = testDb();
/** What the apps' login is without a role: the application. */
const application = testApplicationDb();

/** Tables with a tenant (and `tenants` itself), from the catalogue. */
const tenantTables = async () =>
  (
    await db.$queryRaw<{ table: string }[]>`
      SELECT c.relname AS table
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND (c.relname = 'tenants' OR EXISTS (
          SELECT 1 FROM information_schema.columns col
          WHERE col.table_schema = 'public' AND col.table_name = c.relname AND col.column_name = 'tenant_id'))
      ORDER BY 1`
  ).map((row) => row.table);

/** Two tenants, each with a key and its audit events (tenant.create, api_key.create). */
async function twoTenants() {
  const [mine, theirs] = [await createTestTenant(db, "rls"), await createTestTenant(db, "rls")];
  for (const tenant of [mine, theirs]) {
    await db.$transaction((tx) =>
      createApiKey({ tenantId: tenant.id, name: "k" }, { ...testContext, pepper: testPepper }, tx),
    );
  }
  return { mine, theirs };
}

describe("row-level security", () => {
  it("shows a tenant's transaction its own rows only, whatever the query forgets to filter", async () => {
    const { mine, theirs } = await twoTenants();
    const seen = await withTenant(db, mine.id, async (tx) => ({
      keys: await tx.apiKey.findMany({ select: { tenantId: true } }),
      audit: await tx.$queryRaw<{ tenant_id: string }[]>`SELECT tenant_id FROM audit_events`,
      tenants: await tx.tenant.findMany({ select: { id: true } }),
      allowance: await tx.freeAllowanceClaim.count(),
    }));
    expect(seen.keys).toEqual([{ tenantId: mine.id }]);
    expect(new Set(seen.audit.map((row) => row.tenant_id))).toEqual(new Set([mine.id]));
    expect(seen.audit.length).toBeGreaterThanOrEqual(2);
    expect(seen.tenants).toEqual([{ id: mine.id }]);
    // The platform and operator roles see both tenants' keys; the application role may not look at all.
    expect(await db.apiKey.count({ where: { tenantId: { in: [mine.id, theirs.id] } } })).toBe(2);
    expect(await testOperatorDb().apiKey.count({ where: { tenantId: { in: [mine.id, theirs.id] } } })).toBe(2);
    await expect(application.apiKey.count()).rejects.toThrow(/permission denied/);
    // From the application's login, a tenant's transaction works as from any role.
    expect(
      await withTenant(application, theirs.id, (tx) => tx.apiKey.findMany({ select: { tenantId: true } })),
    ).toEqual([{ tenantId: theirs.id }]);
  });

  it("refuses to write another tenant's row from a tenant's transaction", async () => {
    const { mine, theirs } = await twoTenants();
    await expect(
      withTenant(db, mine.id, (tx) =>
        tx.apiKey.updateMany({ where: { tenantId: theirs.id }, data: { name: "taken" } }),
      ),
    ).resolves.toEqual({ count: 0 });
    await expect(
      withTenant(
        db,
        mine.id,
        (tx) => tx.$executeRaw`UPDATE api_keys SET tenant_id = ${theirs.id} WHERE tenant_id = ${mine.id}`,
      ),
    ).rejects.toThrow(/row-level security/);
    expect(await db.apiKey.count({ where: { tenantId: theirs.id, name: "taken" } })).toBe(0);
  });

  it("shows nothing to the tenant role when no tenant is set", async () => {
    await twoTenants();
    const count = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL ROLE aiaas_tenant");
      return tx.apiKey.count();
    });
    expect(count).toBe(0);
  });

  it("connects the apps as a login of the application role: not a superuser, no BYPASSRLS, no DDL", async () => {
    const [me] = await application.$queryRaw<{ superuser: boolean; bypass: boolean; app: boolean; ddl: boolean }[]>`
      SELECT r.rolsuper AS superuser, r.rolbypassrls AS bypass,
             pg_has_role(current_user, 'aiaas_app', 'member') AS app,
             has_schema_privilege('public', 'CREATE') AS ddl
      FROM pg_roles r WHERE r.rolname = current_user`;
    expect(me).toEqual({ superuser: false, bypass: false, app: true, ddl: false });
  });

  it("lets neither database role rewrite the audit log, bypass row-level security or change the schema", async () => {
    const { mine } = await twoTenants();
    const [roles] = await db.$queryRaw<{ superuser: boolean; bypass: boolean; ddl: boolean }[]>`
      SELECT bool_or(rolsuper) AS superuser, bool_or(rolbypassrls) AS bypass,
             bool_or(has_schema_privilege(rolname, 'public', 'CREATE')) AS ddl
      FROM pg_roles WHERE rolname IN ('aiaas_app', 'aiaas_tenant', 'aiaas_platform', 'aiaas_operator')`;
    expect(roles).toEqual({ superuser: false, bypass: false, ddl: false });
    const audit = await db.$queryRaw<{ role: string; insert: boolean; change: boolean }[]>`
      SELECT rolname AS role, has_table_privilege(rolname, 'audit_events', 'INSERT') AS insert,
             has_table_privilege(rolname, 'audit_events', 'UPDATE') OR has_table_privilege(rolname, 'audit_events', 'DELETE')
             OR has_table_privilege(rolname, 'audit_events', 'TRUNCATE') AS change
      FROM pg_roles WHERE rolname IN ('aiaas_tenant', 'aiaas_platform', 'aiaas_operator') ORDER BY 1`;
    expect(audit).toEqual([
      { role: "aiaas_operator", insert: true, change: false },
      { role: "aiaas_platform", insert: true, change: false },
      { role: "aiaas_tenant", insert: true, change: false },
    ]);
    for (const attempt of [
      "UPDATE audit_events SET ip = NULL",
      "DELETE FROM audit_events",
      "SET LOCAL session_replication_role = replica",
      "CREATE TABLE rls_probe (id int)",
    ]) {
      await expect(
        withTenant(db, mine.id, (tx) => tx.$executeRawUnsafe(attempt)),
        attempt,
      ).rejects.toThrow(/permission denied/);
    }
  });

  it("gives the application role no right on any table that has a tenant, nor the rights of the roles it may become", async () => {
    const granted = await db.$queryRaw<{ table: string }[]>`
      SELECT t AS table FROM unnest(${await tenantTables()}::text[]) AS t
      WHERE has_table_privilege('aiaas_app', t, 'SELECT') OR has_table_privilege('aiaas_app', t, 'INSERT')
         OR has_table_privilege('aiaas_app', t, 'UPDATE') OR has_table_privilege('aiaas_app', t, 'DELETE')`;
    expect(granted).toEqual([]);
    const [live] = await application.$queryRaw<{ platform: boolean; operator: boolean; mayBecomeEach: boolean }[]>`
      SELECT pg_has_role(current_user, 'aiaas_platform', 'USAGE') AS platform,
             pg_has_role(current_user, 'aiaas_operator', 'USAGE') AS operator,
             pg_has_role(current_user, 'aiaas_platform', 'MEMBER') AND pg_has_role(current_user, 'aiaas_operator', 'MEMBER')
               AND pg_has_role(current_user, 'aiaas_tenant', 'MEMBER') AS "mayBecomeEach"`;
    // It may become each role, and holds the rights (and policies) of neither without saying so.
    expect(live).toEqual({ platform: false, operator: false, mayBecomeEach: true });
    for (const table of ["api_keys", "requests", "audit_events", "tenant_data_keys", "tenants"]) {
      await expect(application.$queryRawUnsafe(`SELECT count(*) FROM ${table}`), table).rejects.toThrow(
        /permission denied/,
      );
    }
  });

  it("covers every table that has a tenant: row-level security on, and a policy for the tenant role", async () => {
    const uncovered = await db.$queryRaw<{ table: string }[]>`
      SELECT t AS table FROM unnest(${await tenantTables()}::text[]) AS t
      WHERE NOT ((SELECT relrowsecurity FROM pg_class WHERE oid = t::regclass) AND EXISTS (
        SELECT 1 FROM pg_policies p
        WHERE p.schemaname = 'public' AND p.tablename = t AND 'aiaas_tenant' = ANY (p.roles)))`;
    expect(await tenantTables()).toContain("api_keys");
    expect(uncovered).toEqual([]);
  });
});
