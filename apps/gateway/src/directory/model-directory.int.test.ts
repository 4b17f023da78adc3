import { afterAll, describe, expect, it } from "vitest";
import { newId } from "@aiaas/core/platform";
import { createTestTenant, testDb } from "@aiaas/core/testing";
import { createPrismaClient, databaseConnectionProblem } from "@aiaas/db";
import { startPostgresOutage } from "@aiaas/db/testing";
import { ModelDirectory, priceAt } from "./model-directory.ts";

const db = testDb();
afterAll(() => db.$disconnect());

describe("the model directory", () => {
  it("knows a price announced ahead and applies it from its second", async () => {
    const model = await db.model.findUniqueOrThrow({ where: { slug: "kjv-embed-mini" } });
    const at = new Date(Date.now() + 3_600_000);
    const announced = await db.modelPrice.create({
      data: { id: newId("modelPrice"), modelId: model.id, inputMicrosPer1k: 999n, effectiveFrom: at },
    });
    try {
      const served = (await new ModelDirectory(db).models()).get("kjv-embed-mini");
      if (!served) throw new Error("kjv-embed-mini is in the catalogue");
      expect(priceAt(served, new Date(at.getTime() - 1)).id).not.toBe(announced.id);
      expect(priceAt(served, at)).toMatchObject({ id: announced.id, inputMicrosPer1k: 999n });
    } finally {
      await db.modelPrice.delete({ where: { id: announced.id } });
    }
  });

  it("holds a tenant whose payments failed twice to the default plan's limits, and a prepaid one to its credit", async () => {
    const tenant = await createTestTenant(db, "limited");
    const pro = await db.plan.findUniqueOrThrow({ where: { slug: "pro" } });
    await db.tenant.update({ where: { id: tenant.id }, data: { planId: pro.id } });
    await db.billingAccount.update({ where: { tenantId: tenant.id }, data: { paymentStatus: "limited" } });
    const limited = await new ModelDirectory(db).tenant(tenant.id);
    expect(limited).toMatchObject({ prepaid: false, limits: { rpm: 60, concurrent: 4 } });

    const prepaid = await createTestTenant(db, "prepaid"); // on the free plan: $5 included
    await db.ledgerEntry.create({
      data: { id: newId("ledgerEntry"), tenantId: prepaid.id, kind: "credit_grant", amountMicros: -7_000_000n },
    });
    expect(await new ModelDirectory(db).tenant(prepaid.id)).toMatchObject({
      prepaid: true,
      limits: { budgetMicros: 12_000_000n, budgetPeriod: "month" },
    });
    // Its creator's free allowance is held by another of their organisations: credit only.
    await db.tenant.update({ where: { id: prepaid.id }, data: { freeAllowance: false } });
    expect(await new ModelDirectory(db).tenant(prepaid.id)).toMatchObject({
      prepaid: true,
      limits: { budgetMicros: 7_000_000n, budgetPeriod: "month" },
    });
  });

  it("serves the last models and tenant settings it loaded while Postgres is out of reach, and fresh ones after", async () => {
    const outage = await startPostgresOutage();
    const proxied = createPrismaClient({ databaseUrl: outage.databaseUrl, maxConnections: 2 });
    try {
      const known = await createTestTenant(db, "outage");
      const unknown = await createTestTenant(db, "outage-new");
      const directory = new ModelDirectory(proxied, 1, 1);
      const models = await directory.models();
      const settings = await directory.tenant(known.id);
      outage.cut();
      await new Promise((resolve) => setTimeout(resolve, 5)); // past the cache's lifetime
      expect(await directory.models(Date.now())).toBe(models);
      expect(await directory.tenant(known.id)).toBe(settings);
      // Nothing to fall back on: the outage is the error, named as one.
      const error = await directory.tenant(unknown.id).catch((failure: unknown) => failure);
      expect(databaseConnectionProblem(error)).not.toBeNull();
      outage.restore();
      await db.tenant.update({ where: { id: known.id }, data: { retention: "days_30" } });
      await expect.poll(async () => (await directory.tenant(known.id)).retention).toBe("days_30");
    } finally {
      await proxied.$disconnect();
      await outage.close();
    }
  });
});
