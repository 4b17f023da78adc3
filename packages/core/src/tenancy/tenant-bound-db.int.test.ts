import { describe, expect, it } from "vitest";
import { tenantBoundDb } from "@aiaas/db";
import { createApiKey } from "../keys/create-api-key.ts";
import { newId } from "../ids.ts";
import { createTestTenant, testContext, testDb, testPepper } from "../testing/fixtures.ts";

const db = testDb();

/** Two tenants, each with a key and a member of its own. */
async function twoTenants() {
  const tenants = [await createTestTenant(db, "bound"), await createTestTenant(db, "bound")] as const;
  const members: string[] = [];
  for (const tenant of tenants) {
    await db.$transaction((tx) =>
      createApiKey({ tenantId: tenant.id, name: "k" }, { ...testContext, pepper: testPepper }, tx),
    );
    const userId = newId("user");
    await db.user.create({ data: { id: userId, email: `${userId}@example.com`, name: "member" } });
    await db.membership.create({ data: { id: newId("membership"), tenantId: tenant.id, userId, role: "viewer" } });
    members.push(userId);
  }
  return { mine: tenants[0], theirs: tenants[1], members };
}

describe("a tenant-bound client", () => {
  it("answers unfiltered queries, raw ones too, with its tenant's rows only", async () => {
    const { mine, members } = await twoTenants();
    const bound = tenantBoundDb(db, mine.id);
    expect(await bound.apiKey.findMany({ select: { tenantId: true } })).toEqual([{ tenantId: mine.id }]);
    expect(await bound.tenant.count()).toBe(1);
    const audit = await bound.$queryRaw<{ tenant_id: string }[]>`SELECT DISTINCT tenant_id FROM audit_events`;
    expect(audit).toEqual([{ tenant_id: mine.id }]);
    // People: its own members, not another tenant's.
    expect((await bound.user.findMany({ select: { id: true } })).map((user) => user.id)).toEqual([members[0]]);
  });

  it("writes nothing of another tenant's, and its transactions commit when they return", async () => {
    const { mine, theirs } = await twoTenants();
    const bound = tenantBoundDb(db, mine.id);
    expect(await bound.apiKey.updateMany({ where: { tenantId: theirs.id }, data: { name: "taken" } })).toEqual({
      count: 0,
    });
    await expect(bound.$transaction((tx) => tx.apiKey.updateMany({ data: { tenantId: theirs.id } }))).rejects.toThrow(
      /row-level security/,
    );
    await bound.$transaction((tx) => tx.apiKey.updateMany({ data: { name: "renamed" } }));
    // Committed: another connection sees it as soon as the transaction has returned.
    const names = async (tenantId: string) =>
      (await db.apiKey.findMany({ where: { tenantId }, select: { name: true } })).map((key) => key.name);
    expect([await names(mine.id), await names(theirs.id)]).toEqual([["renamed"], ["k"]]);
  });

  it("refuses what it cannot bind to the tenant", async () => {
    const { mine } = await twoTenants();
    const bound = tenantBoundDb(db, mine.id);
    expect(() => bound.$transaction([] as never)).toThrow(/interactive transactions only/);
    expect(() => bound.$disconnect()).toThrow(/not available on a tenant-bound client/);
  });
});
