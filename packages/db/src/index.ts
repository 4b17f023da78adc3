export {
  createAuthPrismaClient,
  createPrismaClient,
  type Db,
  type DbOrTx,
  type Tx,
  type DatabaseOptions,
} from "./client.ts";
export { SESSION_ROLES, type DatabaseRole } from "./session-role.ts";
export { pingDatabase } from "./ping.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type * from "./generated/prisma/client.ts";
export * from "./generated/prisma/enums.ts";
export { databaseConnectionProblem } from "./database-errors.ts";
export { loadOrStale } from "./stale-while-down.ts";
export { loadOnce } from "./load-once.ts";
export { TENANT_ROLE, withTenant, type TenantTransactionOptions } from "./tenant-transaction.ts";
export { tenantBoundDb } from "./tenant-bound-db.ts";
