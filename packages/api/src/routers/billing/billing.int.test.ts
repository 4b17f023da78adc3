import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingPeriodOf } from "@aiaas/core/billing";
import { createRedis, newId } from "@aiaas/core/platform";
import { StripeFake, fakeStripeClient, testDb, testRedisUrl } from "@aiaas/core/testing";
import { callerFor } from "../../testing/api-caller.ts";

const db = testDb();
const redis = createRedis(testRedisUrl(), "producer", "billing-api-test");
beforeAll(() => redis.connect());
afterAll(async () => {
  redis.disconnect();
  await db.$disconnect();
});

const usd = (dollars: number) => BigInt(Math.round(dollars * 1_000_000));

/** A usage charge in the ledger, as the gateway writes one per request. */
async function charge(tenantId: string, dollars: number, occurredAt = new Date()) {
  await db.ledgerEntry.create({
    data: {
      id: newId("ledgerEntry"),
      tenantId,
      kind: "usage",
      amountMicros: usd(dollars),
      requestId: newId("request"),
      occurredAt,
    },
  });
}

async function freeTenant(name: string) {
  const { caller: owner } = await callerFor(redis);
  const tenant = await owner.tenant.create({ name });
  return { owner, tenant };
}

describe("billing from the ledger", () => {
  it("shows usage against the free allowance, cost to date, a forecast and a preview invoice that owes nothing", async () => {
    const { owner } = await freeTenant("Thrifty");
    const tenantId = (await owner.tenant.current()).tenant.id;
    await charge(tenantId, 1.25);
    await charge(tenantId, 1.75);

    const overview = await owner.billing.overview();
    expect(overview).toMatchObject({
      mode: "ledger",
      plan: { slug: "free", prepaid: true },
      usageMicros: usd(3),
      includedMicros: usd(5),
      costToDateMicros: usd(3),
      dueToDateMicros: 0n,
      creditBalanceMicros: 0n,
    });
    expect(overview.forecastMicros).toBeGreaterThanOrEqual(usd(3));
    expect(overview.periods[0]).toMatchObject({ key: billingPeriodOf(new Date()).key, preview: true });

    const invoice = await owner.billing.invoice({});
    expect(invoice.final).toBe(false);
    expect(invoice.lines.map((line) => [line.kind, line.amountMicros])).toEqual([
      ["usage", usd(3)],
      ["included", -usd(3)],
    ]);
    expect(invoice).toMatchObject({ subtotalMicros: usd(3), totalMicros: 0n });
  });

  it("bills usage beyond the allowance, less credit granted by an operator (audited), carried over across periods", async () => {
    const { owner, tenant } = await freeTenant("Heavy");
    const { caller: operator, user } = await callerFor(redis, { platformRole: "operator" });
    const lastMonth = new Date(billingPeriodOf(new Date()).start.getTime() - 86_400_000);
    await charge(tenant.id, 4, lastMonth); // within last month's allowance
    await operator.admin.grantCredits({ tenantId: tenant.id, amountUsd: 2, reason: "outage on the 3rd" });
    await charge(tenant.id, 8);

    const invoice = await owner.billing.invoice({});
    expect(invoice.lines.map((line) => [line.kind, line.amountMicros])).toEqual([
      ["usage", usd(8)],
      ["included", -usd(5)],
      ["credit", -usd(2)],
    ]);
    expect(invoice.totalMicros).toBe(usd(1));
    const previous = await owner.billing.invoice({ period: billingPeriodOf(lastMonth).key });
    expect(previous).toMatchObject({ final: true, subtotalMicros: usd(4), totalMicros: 0n });

    const event = await db.auditEvent.findFirstOrThrow({ where: { chain: tenant.id, action: "billing.credit.grant" } });
    expect(event).toMatchObject({
      actorId: user.id,
      metadata: { amountMicros: "2000000", reason: "outage on the 3rd" },
    });

    // A credit larger than the charges stays on the balance for the next period.
    await operator.admin.grantCredits({ tenantId: tenant.id, amountUsd: 10, reason: "goodwill" });
    const overview = await owner.billing.overview();
    expect(overview).toMatchObject({ dueToDateMicros: 0n, creditBalanceMicros: usd(9) });

    const platform = await operator.admin.billing();
    const account = platform.accounts.find((row) => row.id === tenant.id);
    expect(account).toMatchObject({ periodChargesMicros: usd(8), creditBalanceMicros: usd(9), unpaid: [] });
    expect(
      platform.revenue.find((row) => row.period === billingPeriodOf(new Date()).key)?.chargesMicros,
    ).toBeGreaterThanOrEqual(usd(8));
  });

  it("grants the free plan's allowance once per person, not per organisation, account or +tag", async () => {
    const address = `p-${newId("user").slice(-8).toLowerCase()}@example.com`;
    const { caller: person } = await callerFor(redis, { email: address });
    const attempts = await Promise.all(["First", "Second"].map((name) => person.tenant.create({ name })));
    const holders = await db.tenant.findMany({
      where: { id: { in: attempts.map((tenant) => tenant.id) }, freeAllowance: true },
    });
    expect(holders).toHaveLength(1);
    const [holder] = holders;
    const other = attempts.find((tenant) => tenant.id !== holder?.id);
    if (!holder || !other) throw new Error("two organisations were created");

    await person.tenant.switchTo({ tenantId: other.id });
    await charge(other.id, 1.5);
    expect(await person.billing.overview()).toMatchObject({
      includedMicros: 0n,
      freeAllowanceElsewhere: true,
      dueToDateMicros: usd(1.5),
    });
    await person.tenant.switchTo({ tenantId: holder.id });
    await charge(holder.id, 1.5);
    expect(await person.billing.overview()).toMatchObject({
      includedMicros: usd(5),
      freeAllowanceElsewhere: false,
      dueToDateMicros: 0n,
    });
    const audit = await db.auditEvent.findMany({
      where: { action: "tenant.create", targetId: { in: [holder.id, other.id] } },
    });
    expect(audit.map((event) => (event.metadata as { freeAllowance: boolean }).freeAllowance).sort()).toEqual([
      false,
      true,
    ]);

    // A second account on the same mailbox, and the same address after deleting the account, claim nothing.
    const tagged = await callerFor(redis, { email: address.replace("@", "+again@").toUpperCase() });
    const taggedTenant = await tagged.caller.tenant.create({ name: "Tagged" });
    await db.user.delete({
      where: { id: (await db.membership.findFirstOrThrow({ where: { tenantId: holder.id } })).userId },
    });
    const again = await callerFor(redis, { email: address });
    const againTenant = await again.caller.tenant.create({ name: "Again" });
    expect(
      await db.tenant.findMany({
        where: { id: { in: [taggedTenant.id, againTenant.id] } },
        select: { freeAllowance: true },
      }),
    ).toEqual([{ freeAllowance: false }, { freeAllowance: false }]);
    expect(await db.freeAllowanceClaim.findUnique({ where: { personKey: address } })).toMatchObject({
      userId: null,
      tenantId: holder.id,
    });
  });

  it("lists a closed period with something due as unpaid for operators", async () => {
    const { tenant } = await freeTenant("Late payer");
    const lastMonth = new Date(billingPeriodOf(new Date()).start.getTime() - 86_400_000);
    await charge(tenant.id, 7.5, lastMonth);
    const { caller: operator } = await callerFor(redis, { platformRole: "operator" });
    const account = (await operator.admin.billing()).accounts.find((row) => row.id === tenant.id);
    expect(account?.unpaid).toEqual([{ period: billingPeriodOf(lastMonth).key, dueMicros: usd(2.5) }]);
  });

  it("is for owners and billing members only, and explains a bad period or grant", async () => {
    const { owner, tenant } = await freeTenant("Roles");
    const { caller: developer } = await callerFor(redis, { tenantId: tenant.id, role: "developer" });
    await expect(developer.billing.overview()).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Your role (developer) does not allow billing:read.",
    });
    const { caller: billing } = await callerFor(redis, { tenantId: tenant.id, role: "billing" });
    expect((await billing.billing.overview()).plan?.slug).toBe("free");
    await expect(owner.billing.invoice({ period: "2026-13" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: '"2026-13" is not a period; use YYYY-MM.',
    });
    const { caller: operator } = await callerFor(redis, { platformRole: "operator" });
    await expect(
      operator.admin.grantCredits({ tenantId: tenant.id, amountUsd: -5, reason: "oops" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.ledgerEntry.count({ where: { tenantId: tenant.id } })).toBe(0);
    // The domain's own validation is the caller's error too: a 400 with its sentence, never a 500.
    await expect(operator.admin.createPlan({ slug: "Not A Slug", name: "x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^slug must be 3-40 characters/) as unknown,
    });
  });

  it("pays online only with Stripe configured: ledger-only says so; with Stripe, Checkout and the portal open", async () => {
    const { owner } = await freeTenant("Ledger only");
    await expect(owner.billing.checkout({ kind: "top_up", amountUsd: 20 })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "Billing runs ledger-only here: paying online needs the operator to configure Stripe.",
    });

    const fake = new StripeFake();
    const stripe = fakeStripeClient(await fake.start());
    try {
      const { caller: payer } = await callerFor(redis, { stripe });
      const tenant = await payer.tenant.create({ name: "Pays online" });
      expect((await payer.billing.overview()).mode).toBe("stripe");
      const { url } = await payer.billing.checkout({ kind: "top_up", amountUsd: 20 });
      expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
      expect((await payer.billing.portal()).url).toBe("https://billing.stripe.test/p/session");
      await expect(payer.billing.checkout({ kind: "subscription", plan: "enterprise" })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: "The Enterprise plan is not sold online; contact us to subscribe.",
      });
      await expect(payer.billing.checkout({ kind: "top_up", amountUsd: 2 })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
      // One customer for the tenant, however many sessions.
      expect(fake.callsTo("POST", "/v1/customers")).toHaveLength(1);
      const actions = await db.auditEvent.findMany({ where: { chain: tenant.id, action: { startsWith: "billing." } } });
      expect(actions.map((event) => event.action).sort()).toEqual(["billing.checkout.start", "billing.portal.open"]);
    } finally {
      await fake.stop();
    }
  });
});
