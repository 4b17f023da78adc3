import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { connectingAs, type DatabaseRole } from "./session-role.ts";

/** Secret columns are left out of every query unless selected explicitly. */
const omitSecrets = {
  apiKey: { keyHash: true },
  account: { password: true, accessToken: true, refreshToken: true, idToken: true },
  twoFactor: { secret: true, backupCodes: true },
  tenantDataKey: { wrappedKey: true },
} as const;

export interface DatabaseOptions {
  databaseUrl: string;
  /** Pool size per process; keep it small, apps scale out instead. */
  maxConnections?: number;
  /**
   * What the client's connections act as (docs/database.md, "Roles and
   * row-level security"): the application (default) sees no tenant's rows
   * outside a tenant's transaction; `platform` (the system's cross-tenant
   * work) and `operator` (the operator area and the CLI) see every tenant's.
   */
  role?: DatabaseRole;
}

export function createPrismaClient({ databaseUrl, maxConnections = 10, role = "application" }: DatabaseOptions) {
  const adapter = new PrismaPg({ connectionString: connectingAs(databaseUrl, role), max: maxConnections });
  return new PrismaClient({ adapter, omit: omitSecrets });
}

/**
 * A client that reads secret columns, for the auth library alone (it must
 * read password hashes and tokens); everything else uses createPrismaClient.
 */
export function createAuthPrismaClient({ databaseUrl, maxConnections = 3 }: DatabaseOptions) {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: maxConnections }) });
}

export type Db = ReturnType<typeof createPrismaClient>;

/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Either a client or a transaction: server functions accept both. */
export type DbOrTx = Db | Tx;
