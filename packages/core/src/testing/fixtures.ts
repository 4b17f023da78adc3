import { randomBytes } from "node:crypto";
import { createPrismaClient, type Db } from "@aiaas/db";
import { testDatabaseUrl } from "@aiaas/db/testing";
import { systemActor } from "../actor.ts";
import { createTenant } from "../tenants/create-tenant.ts";

let shared: Db | undefined;

/** One Prisma client per test file, on the database `npm test` prepared. */
export function testDb(): Db {
  shared ??= createPrismaClient({ databaseUrl: testDatabaseUrl(), maxConnections: 4 });
  return shared;
}

export const testContext = { actor: systemActor("test") };

/** A pepper for keys made in tests (never the installation's own). */
export const testPepper = "test-pepper-0123456789abcdef0123456789abcdef";

/** A fresh tenant with a unique slug, so tests never see each other's data. */
export async function createTestTenant(db: Db = testDb(), label = "t") {
  const slug = `${label}-${randomBytes(5).toString("hex")}`;
  return db.$transaction((tx) => createTenant({ name: `Test ${slug}`, slug }, testContext, tx));
}
