import type { Db, Tx } from "./client.ts";

/** The database role a tenant's transaction runs as (migration 20261205101500_database_roles_and_rls). */
export const TENANT_ROLE = "aiaas_tenant";

/**
 * Runs `work` in a transaction bound to one tenant: as the role
 * `aiaas_tenant`, with `app.tenant_id` set for the transaction only, so
 * row-level security shows and accepts that tenant's rows alone, whatever
 * a query forgets to filter. Both revert when the transaction ends; the
 * connection goes back to the pool as it came.
 */
export function withTenant<T>(db: Db, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
    await tx.$executeRawUnsafe(`SET LOCAL ROLE ${TENANT_ROLE}`);
    return work(tx);
  });
}
