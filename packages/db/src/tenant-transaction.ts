import type { Db, Tx } from "./client.ts";

/** The database role a tenant's transaction runs as (migration 20261205101500_database_roles_and_rls). */
export const TENANT_ROLE = "aiaas_tenant";

export interface TenantTransactionOptions {
  /** Milliseconds the transaction may run: 30 s unless given (Prisma's own default, 5 s, would cut long reads). */
  timeout?: number;
  /** Milliseconds to wait for a pooled connection: 10 s unless given (a burst queues, as plain queries do). */
  maxWait?: number;
}

const defaults = { timeout: 30_000, maxWait: 10_000 } satisfies TenantTransactionOptions;

/**
 * Runs `work` in a transaction bound to one tenant: as the role
 * `aiaas_tenant`, with `app.tenant_id` set for the transaction only, so
 * row-level security shows and accepts that tenant's rows alone, whatever
 * a query forgets to filter. Both revert when the transaction ends; the
 * connection goes back to the pool as it came.
 */
export function withTenant<T>(
  db: Db,
  tenantId: string,
  work: (tx: Tx) => Promise<T>,
  options?: TenantTransactionOptions,
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      // One round trip: `role` is the setting SET LOCAL ROLE sets, with the same membership check.
      await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true), set_config('role', ${TENANT_ROLE}, true)`;
      return work(tx);
    },
    { ...defaults, ...options },
  );
}
