import { randomBytes } from "node:crypto";
import { createPrismaClient, type Db } from "@aiaas/db";
import { testDatabaseUrl, testOwnerDatabaseUrl } from "@aiaas/db/testing";
import { systemActor } from "../actor.ts";
import { newId } from "../ids.ts";
import { createTenant } from "../tenants/create-tenant.ts";

let shared: Db | undefined;

/**
 * One Prisma client per test file, on the database `npm test` prepared, as
 * the platform role (every tenant's rows: tests set up and check any
 * tenant's data). The apps' own wiring of roles is what their processes,
 * started by the int and e2e tests, use.
 */
export function testDb(): Db {
  shared ??= createPrismaClient({ databaseUrl: testDatabaseUrl(), maxConnections: 4, role: "platform" });
  return shared;
}

let application: Db | undefined;

/** The same database as the application role: no tenant's rows outside that tenant's transaction. */
export function testApplicationDb(): Db {
  application ??= createPrismaClient({ databaseUrl: testDatabaseUrl(), maxConnections: 4 });
  return application;
}

let operator: Db | undefined;

/** The same database as the operator role (the operator area's and the CLI's client). */
export function testOperatorDb(): Db {
  operator ??= createPrismaClient({ databaseUrl: testDatabaseUrl(), maxConnections: 2, role: "operator" });
  return operator;
}

let owner: Db | undefined;

/** The same database as its owner (see testOwnerDatabaseUrl): only for playing an attacker with the owner's powers. */
export function testOwnerDb(): Db {
  owner ??= createPrismaClient({ databaseUrl: testOwnerDatabaseUrl(), maxConnections: 2 });
  return owner;
}

export const testContext = { actor: systemActor("test") };

/** A pepper for keys made in tests (never the installation's own). */
export const testPepper = "test-pepper-0123456789abcdef0123456789abcdef";

/** A fresh tenant with a unique slug, so tests never see each other's data. */
export async function createTestTenant(db: Db = testDb(), label = "t") {
  const slug = `${label}-${randomBytes(5).toString("hex")}`;
  return db.$transaction((tx) => createTenant({ name: `Test ${slug}`, slug }, testContext, tx));
}

/** A request row of `tenantId` holding a stored prompt (any bytes), for retention and key tests; returns its id. */
export async function createStoredRequest(
  db: Db,
  data: { tenantId: string; promptCiphertext: Uint8Array; purgeAfter: Date | null; dataKeyId?: string },
) {
  const model = await db.model.findFirstOrThrow({ select: { id: true } });
  const id = newId("request");
  await db.request.create({
    data: {
      id,
      modelId: model.id,
      endpoint: "/v1/chat/completions",
      ...data,
      promptCiphertext: new Uint8Array(data.promptCiphertext),
    },
  });
  return id;
}
