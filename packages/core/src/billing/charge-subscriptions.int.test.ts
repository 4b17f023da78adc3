import { afterAll, describe, expect, it } from "vitest";
import { createTestTenant, testDb } from "../testing/fixtures.ts";
import { billingPeriodOf } from "./billing-period.ts";
import { chargeSubscriptions } from "./charge-subscriptions.ts";
import { previewInvoice } from "./invoice-preview.ts";

const db = testDb();
afterAll(() => db.$disconnect());

describe("subscription charges", () => {
  it("charges a paid plan's fee once per period into the ledger, and the invoice shows it", async () => {
    const pro = await createTestTenant(db, "pro");
    await db.tenant.update({ where: { id: pro.id }, data: { plan: { connect: { slug: "pro" } } } });
    const free = await createTestTenant(db, "free");

    await chargeSubscriptions(db);
    await chargeSubscriptions(db); // the next hourly run, or another worker's
    const period = billingPeriodOf(new Date());
    expect(await db.ledgerEntry.findMany({ where: { tenantId: pro.id } })).toMatchObject([
      {
        kind: "subscription",
        amountMicros: 20_000_000n,
        occurredAt: period.start,
        description: `Pro plan, ${period.key}`,
      },
    ]);
    expect(await db.ledgerEntry.count({ where: { tenantId: free.id } })).toBe(0);

    const invoice = await previewInvoice(db, { tenantId: pro.id });
    expect(invoice.lines.map((line) => [line.kind, line.description, line.amountMicros])).toEqual([
      ["subscription", `Pro plan, ${period.key}`, 20_000_000n],
    ]);
    expect(invoice.totalMicros).toBe(20_000_000n);

    // Next month is charged again, once.
    const nextMonth = new Date(period.end.getTime() + 3_600_000);
    await chargeSubscriptions(db, nextMonth);
    expect(await db.ledgerEntry.count({ where: { tenantId: pro.id, kind: "subscription" } })).toBe(2);
  });
});
