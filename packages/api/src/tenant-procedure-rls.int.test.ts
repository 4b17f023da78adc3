import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@aiaas/core/keys";
import { createRedis } from "@aiaas/core/platform";
import { createTestTenant, testContext, testDb, testPepper, testRedisUrl } from "@aiaas/core/testing";
import { callerFor } from "./testing/api-caller.ts";
import { createCallerFactory, router, tenantProcedure } from "./trpc.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "tenant-procedure-rls-test");
beforeAll(() => redis.connect());
afterAll(() => redis.disconnect());

/** A procedure that forgets its tenant filter, as a bug would. */
const careless = router({
  keys: tenantProcedure.query(({ ctx }) => ctx.db.apiKey.findMany({ select: { tenantId: true } })),
  people: tenantProcedure.query(({ ctx }) => ctx.db.user.findMany({ select: { id: true } })),
  rename: tenantProcedure.mutation(({ ctx }) => ctx.db.apiKey.updateMany({ data: { name: "renamed" } })),
});

describe("tenant procedures", () => {
  it("run every query under row-level security: a query without its tenant filter sees its own tenant alone", async () => {
    const [mine, theirs] = [await createTestTenant(db, "careless"), await createTestTenant(db, "careless")];
    for (const tenant of [mine, theirs])
      await db.$transaction((tx) =>
        createApiKey({ tenantId: tenant.id, name: "k" }, { ...testContext, pepper: testPepper }, tx),
      );
    const me = await callerFor(redis, { tenantId: mine.id, role: "owner" });
    const them = await callerFor(redis, { tenantId: theirs.id, role: "owner" });
    const caller = createCallerFactory(careless)(me.context);

    expect(await caller.keys()).toEqual([{ tenantId: mine.id }]);
    expect(await caller.people()).toEqual([{ id: me.user.id }]);
    expect(await caller.rename()).toEqual({ count: 1 });
    const theirKeys = await db.apiKey.findMany({ where: { tenantId: theirs.id }, select: { name: true } });
    expect(theirKeys).toEqual([{ name: "k" }]);
    expect(them.user.id).not.toBe(me.user.id);
  });
});
