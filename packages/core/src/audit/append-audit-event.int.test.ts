import { afterAll, describe, expect, it } from "vitest";
import { createTestTenant, testContext, testDb, testOwnerDb } from "../testing/index.ts";
import { appendAuditEvent } from "./append-audit-event.ts";
import { verifyAuditChain } from "./audit-chain.ts";

const db = testDb();
const owner = testOwnerDb();
afterAll(() => db.$disconnect());

describe("audit chain", () => {
  it("stays linear and gap-free under concurrent writers", async () => {
    const tenant = await createTestTenant(db, "audit");
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        db.$transaction((tx) =>
          appendAuditEvent({ tenantId: tenant.id, action: `test.write.${index}` }, testContext, tx),
        ),
      ),
    );
    const events = await db.auditEvent.findMany({ where: { tenantId: tenant.id }, orderBy: { seq: "asc" } });
    // tenant.create + 12 writes
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 13 }, (_, index) => index + 1));
    expect((await verifyAuditChain(tenant.id, db)).broken).toBeNull();
  });

  it("refuses UPDATE, DELETE and TRUNCATE: to the apps' login by privilege, to the owner by its trigger", async () => {
    const tenant = await createTestTenant(db, "readonly");
    for (const [client, refusal] of [
      [db, (op: string) => new RegExp(op === "TRUNCATE" ? "permission denied" : "permission denied|append-only")],
      [owner, (op: string) => new RegExp(`audit_events is append-only: ${op} is not allowed`)],
    ] as const) {
      await expect(
        client.auditEvent.updateMany({ where: { tenantId: tenant.id }, data: { action: "tenant.rename" } }),
      ).rejects.toThrow(refusal("UPDATE"));
      await expect(client.auditEvent.deleteMany({ where: { tenantId: tenant.id } })).rejects.toThrow(refusal("DELETE"));
      await expect(client.$executeRawUnsafe("TRUNCATE audit_events")).rejects.toThrow(refusal("TRUNCATE"));
    }
    expect(await db.auditEvent.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it("names the first event whose stored bytes were changed behind the trigger's back", async () => {
    const tenant = await createTestTenant(db, "tamper");
    await db.$transaction((tx) => appendAuditEvent({ tenantId: tenant.id, action: "test.second" }, testContext, tx));
    await db.$transaction((tx) => appendAuditEvent({ tenantId: tenant.id, action: "test.third" }, testContext, tx));
    expect((await verifyAuditChain(tenant.id, db)).broken).toBeNull();
    await owner.$transaction(async (tx) => {
      // The owner (a superuser here) can bypass triggers; the chain still gives it away.
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      await tx.$executeRaw`UPDATE audit_events SET action = 'test.secopd' WHERE tenant_id = ${tenant.id} AND seq = 2`;
    });
    expect((await verifyAuditChain(tenant.id, db)).broken?.seq).toBe(2);
  });

  it("is not written when the change rolls back", async () => {
    const tenant = await createTestTenant(db, "rollback");
    await expect(
      db.$transaction(async (tx) => {
        await appendAuditEvent({ tenantId: tenant.id, action: "test.doomed" }, testContext, tx);
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    expect(await db.auditEvent.count({ where: { tenantId: tenant.id, action: "test.doomed" } })).toBe(0);
  });
});
