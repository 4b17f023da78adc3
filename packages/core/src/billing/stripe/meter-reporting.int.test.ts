import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../ids.ts";
import { createTestTenant, testDb } from "../../testing/fixtures.ts";
import { StripeFake } from "../../testing/stripe-fake.ts";
import { fakeStripeClient } from "../../testing/stripe-webhooks.ts";
import { reportUsageToStripe } from "./meter-reporting.ts";
import type { StripeClient } from "./stripe-client.ts";

const db = testDb();
const fake = new StripeFake();
let stripe: StripeClient;
beforeAll(async () => {
  stripe = fakeStripeClient(await fake.start());
});
afterAll(async () => {
  await fake.stop();
  await db.$disconnect();
});

/** `count` usage charges of random amounts; returns their total. */
async function charges(tenantId: string, count: number) {
  const rows = Array.from({ length: count }, () => ({
    id: newId("ledgerEntry"),
    tenantId,
    kind: "usage" as const,
    amountMicros: BigInt(1 + Math.floor(Math.random() * 5000)),
    requestId: newId("request"),
  }));
  await db.ledgerEntry.createMany({ data: rows });
  return rows.reduce((sum, row) => sum + row.amountMicros, 0n);
}

const reportedFor = (customer: string) =>
  [...fake.meterEvents.values()]
    .filter((event) => event.customer === customer)
    .reduce((sum, event) => sum + BigInt(event.value), 0n);

describe("usage reported to Stripe Billing Meters", () => {
  it("reports every unit exactly once across a crash halfway through and a restart", async () => {
    const tenant = await createTestTenant(db, "metered");
    const customer = `cus_${randomBytes(6).toString("hex")}`;
    await db.billingAccount.update({ where: { tenantId: tenant.id }, data: { stripeCustomerId: customer } });
    let total = await charges(tenant.id, 2500);

    // The second batch reaches Stripe but the answer is lost, as when the reporter dies mid-call.
    fake.meterEventFailure = { after: 1, mode: "lose-answer" };
    await expect(reportUsageToStripe(db, stripe, { batchSize: 1000 })).rejects.toThrow(/lost the answer/);
    fake.meterEventFailure = null;
    const resumed = await reportUsageToStripe(db, stripe, { batchSize: 1000 });
    expect(resumed.reports).toBe(2); // the unacknowledged batch again (refused by Stripe as a repeat), then the last
    expect(reportedFor(customer)).toBe(total);

    // A refused call keeps its batch for the next run; new usage joins later batches.
    total += await charges(tenant.id, 700);
    fake.meterEventFailure = { after: 0, mode: "refuse" };
    await expect(reportUsageToStripe(db, stripe, { batchSize: 1000 })).rejects.toThrow(/told to fail/);
    fake.meterEventFailure = null;
    await reportUsageToStripe(db, stripe, { batchSize: 1000 });
    expect(reportedFor(customer)).toBe(total);

    const reports = await db.meterReport.findMany({ where: { tenantId: tenant.id } });
    expect(reports.every((report) => report.reportedAt !== null)).toBe(true);
    expect(reports.reduce((sum, report) => sum + report.valueMicros, 0n)).toBe(total);
    expect(await db.ledgerEntry.count({ where: { tenantId: tenant.id, meterReportId: null } })).toBe(0);
    // Nothing is left to report: a further run sends nothing.
    expect(await reportUsageToStripe(db, stripe)).toMatchObject({ reports: 0 });
  });
});
