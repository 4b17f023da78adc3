import { afterAll, describe, expect, it } from "vitest";
import { createTestTenant, testContext, testDb } from "../testing/index.ts";
import { appendAuditEvent } from "./append-audit-event.ts";
import { findBrokenAuditLink } from "./audit-chain.ts";

const db = testDb();
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
    expect(await findBrokenAuditLink(tenant.id, db)).toBeNull();
  });

  it("detects an edited event", async () => {
    const tenant = await createTestTenant(db, "tamper");
    await db.$transaction((tx) => appendAuditEvent({ tenantId: tenant.id, action: "test.second" }, testContext, tx));
    await db.auditEvent.updateMany({ where: { tenantId: tenant.id, seq: 1 }, data: { action: "tenant.rename" } });
    expect(await findBrokenAuditLink(tenant.id, db)).toBe(1);
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
