import type { Db, Tx } from "./client.ts";
import { withTenant, type TenantTransactionOptions } from "./tenant-transaction.ts";

const rawQueries = new Set(["$queryRaw", "$executeRaw", "$queryRawUnsafe", "$executeRawUnsafe"]);

/**
 * A client bound to one tenant, shaped like the plain one: every query it
 * runs, and every transaction it opens, runs through `withTenant`, so
 * row-level security stands under each of them. It commits as the plain
 * client does: `$transaction(work)` commits when `work` returns (what a caller
 * does after it, such as publishing an invalidation, sees the change
 * committed), and a query outside a transaction is a transaction of its own.
 * What has no tenant-bound meaning (`$connect`, `$extends`, batch
 * transactions) throws.
 */
export function tenantBoundDb(db: Db, tenantId: string): Db {
  const inTenant = <T>(work: (tx: Tx) => Promise<T>, options?: TenantTransactionOptions) =>
    withTenant(db, tenantId, work, options);
  const delegates = new Map<string, unknown>();
  const delegate = (model: string) =>
    new Proxy(
      {},
      {
        get: (_, method) =>
          typeof method === "string"
            ? (...args: unknown[]) => inTenant((tx) => call(tx, model, method, args))
            : undefined,
      },
    );
  return new Proxy(db, {
    get(_, property) {
      if (typeof property !== "string" || property === "then") return undefined;
      if (property === "$transaction") {
        return (work: unknown, options?: TenantTransactionOptions) => {
          if (typeof work !== "function") throw new Error("A tenant-bound client runs interactive transactions only.");
          return inTenant(work as (tx: Tx) => Promise<unknown>, options);
        };
      }
      if (rawQueries.has(property)) return (...args: unknown[]) => inTenant((tx) => call(tx, property, null, args));
      if (property.startsWith("$")) throw new Error(`${property} is not available on a tenant-bound client.`);
      if (!delegates.has(property)) delegates.set(property, delegate(property));
      return delegates.get(property);
    },
  });
}

/** `tx[member](...args)`, or `tx[member][method](...args)`: a Prisma call by name. */
function call(tx: Tx, member: string, method: string | null, args: unknown[]): Promise<unknown> {
  const target = (tx as unknown as Record<string, unknown>)[member];
  if (method === null) return (target as (...a: unknown[]) => Promise<unknown>).apply(tx, args);
  const operation = (target as Record<string, unknown> | undefined)?.[method];
  if (typeof operation !== "function") throw new Error(`${member}.${method} is not a Prisma operation.`);
  return (operation as (...a: unknown[]) => Promise<unknown>).apply(target, args);
}
