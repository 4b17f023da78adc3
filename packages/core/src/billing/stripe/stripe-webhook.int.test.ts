import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../ids.ts";
import { StripeFake } from "../../testing/stripe-fake.ts";
import { createTestTenant, testDb } from "../../testing/fixtures.ts";
import { deliver, fakeStripeClient, stripeEvent } from "../../testing/stripe-webhooks.ts";
import type { StripeClient } from "./stripe-client.ts";
import { startSubscriptionCheckout, startTopUpCheckout } from "./stripe-checkout.ts";

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

const consoleUrl = "http://console.test";

/** A plan sold online, of this test's own. */
async function planOnSale() {
  const suffix = randomBytes(3).toString("hex");
  return db.plan.create({
    data: {
      id: newId("plan"),
      slug: `pro-${suffix}`,
      name: `Pro ${suffix}`,
      priceMonthlyMicros: 20_000_000n,
      stripePriceId: `price_${suffix}`,
      limitRpm: 600,
    },
  });
}

/** What Stripe holds once the customer has paid: the session complete, the subscription active. */
function subscribed(sessionId: string, tenantId: string, customer: string, price: string, status = "active") {
  const subscription = fake.put({
    id: `sub_${randomBytes(6).toString("hex")}`,
    object: "subscription",
    customer,
    status,
    metadata: { tenantId },
    items: {
      object: "list",
      data: [
        { id: "si_1", price: { id: price }, current_period_start: 1_767_225_600, current_period_end: 1_769_904_000 },
      ],
    },
  });
  const session = fake.objects.get(sessionId);
  fake.put({ ...session, id: sessionId, status: "complete", payment_status: "paid", subscription: subscription.id });
  return subscription;
}

async function topUpSession(tenantId: string, dollars: number) {
  const { sessionId } = await startTopUpCheckout(db, stripe, {
    tenantId,
    amountMicros: BigInt(dollars * 1_000_000),
    consoleUrl,
  });
  const session = fake.objects.get(sessionId);
  return fake.put({
    ...session,
    id: sessionId,
    status: "complete",
    payment_status: "paid",
    amount_total: dollars * 100,
  });
}

const state = async (tenantId: string) => {
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, include: { billingAccount: true } });
  // Credits only: a worker's hourly run may charge these tenants' (paid) plans meanwhile.
  const credits = await db.ledgerEntry.aggregate({
    where: { tenantId, kind: { not: "subscription" } },
    _sum: { amountMicros: true },
    _count: true,
  });
  return {
    planId: tenant.planId,
    subscriptionStatus: tenant.billingAccount?.subscriptionStatus,
    paymentStatus: tenant.billingAccount?.paymentStatus,
    ledger: { sum: credits._sum.amountMicros, count: credits._count },
  };
};

describe("Stripe webhooks", () => {
  it("subscribes through Checkout: the completed session's webhook makes the plan active, audited", async () => {
    const tenant = await createTestTenant(db, "subscribe");
    const plan = await planOnSale();
    const { url, sessionId } = await startSubscriptionCheckout(db, stripe, {
      tenantId: tenant.id,
      plan: plan.slug,
      consoleUrl,
    });
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const [created] = fake.callsTo("POST", "/v1/checkout/sessions").slice(-1);
    expect(created?.body).toMatchObject({
      mode: "subscription",
      line_items: { "0": { price: plan.stripePriceId, quantity: "1" } },
      metadata: { tenantId: tenant.id, kind: "subscription" },
      success_url: `${consoleUrl}/billing?checkout=success`,
    });
    const account = await db.billingAccount.findUniqueOrThrow({ where: { tenantId: tenant.id } });
    expect(account.stripeCustomerId).toMatch(/^cus_/);

    const subscription = subscribed(sessionId, tenant.id, account.stripeCustomerId ?? "", plan.stripePriceId ?? "");
    const response = await deliver(
      db,
      stripe,
      stripeEvent("checkout.session.completed", { id: sessionId, object: "checkout.session" }),
    );
    expect(response).toEqual({ status: 200, body: { received: true, outcome: "processed" } });
    expect(await state(tenant.id)).toMatchObject({
      planId: plan.id,
      subscriptionStatus: "active",
      paymentStatus: "ok",
    });
    expect(await db.billingAccount.findUniqueOrThrow({ where: { tenantId: tenant.id } })).toMatchObject({
      stripeSubscriptionId: subscription.id,
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { chain: tenant.id, action: "billing.plan.change" } });
    expect(event).toMatchObject({ actorType: "system", metadata: { to: plan.id } });

    // Cancelled: back to the default plan.
    fake.put({ ...subscription, status: "canceled" });
    await deliver(
      db,
      stripe,
      stripeEvent("customer.subscription.deleted", { id: subscription.id, object: "subscription" }),
    );
    const free = await db.plan.findFirstOrThrow({ where: { isDefault: true } });
    expect(await state(tenant.id)).toMatchObject({ planId: free.id, subscriptionStatus: "canceled" });
  });

  it("credits a paid top-up once, whichever event of its session says so", async () => {
    const tenant = await createTestTenant(db, "topup");
    const session = await topUpSession(tenant.id, 25);
    const [created] = fake.callsTo("POST", "/v1/checkout/sessions").slice(-1);
    expect(created?.body).toMatchObject({
      mode: "payment",
      line_items: { "0": { price_data: { currency: "usd", unit_amount: "2500" } } },
    });
    const completed = stripeEvent("checkout.session.completed", { id: session.id, object: "checkout.session" });
    expect((await deliver(db, stripe, completed)).body).toMatchObject({ outcome: "processed" });
    expect((await deliver(db, stripe, completed)).body).toMatchObject({ outcome: "duplicate" });
    await deliver(
      db,
      stripe,
      stripeEvent("checkout.session.async_payment_succeeded", { id: session.id, object: "checkout.session" }),
    );
    const entries = await db.ledgerEntry.findMany({ where: { tenantId: tenant.id } });
    expect(entries).toMatchObject([
      { kind: "credit_purchase", amountMicros: -25_000_000n, externalRef: `checkout:${session.id}` },
    ]);
    expect(await db.auditEvent.count({ where: { chain: tenant.id, action: "billing.credit.purchase" } })).toBe(1);
  });

  it("warns on a failed payment, limits on the second, and clears both when the invoice is paid", async () => {
    const tenant = await createTestTenant(db, "dunning");
    const email = `owner-${randomBytes(4).toString("hex")}@example.com`;
    const owner = await db.user.create({ data: { id: newId("user"), email, name: "Owner" } });
    await db.membership.create({
      data: { id: newId("membership"), tenantId: tenant.id, userId: owner.id, role: "owner" },
    });
    const { url } = await startTopUpCheckout(db, stripe, { tenantId: tenant.id, amountMicros: 5_000_000n, consoleUrl });
    expect(url).toBeTruthy();
    const customer = (await db.billingAccount.findUniqueOrThrow({ where: { tenantId: tenant.id } })).stripeCustomerId;
    const invoice = fake.put({
      id: `in_${randomBytes(6).toString("hex")}`,
      object: "invoice",
      customer,
      status: "open",
      attempt_count: 1,
      amount_due: 2000,
    });
    const failed = () =>
      deliver(db, stripe, stripeEvent("invoice.payment_failed", { id: invoice.id, object: "invoice" }));

    await failed();
    expect((await state(tenant.id)).paymentStatus).toBe("past_due");
    fake.put({ ...invoice, attempt_count: 2 });
    await failed();
    expect((await state(tenant.id)).paymentStatus).toBe("limited");
    const mails = await db.outboxEmail.findMany({
      where: { tenantId: tenant.id, kind: "payment-failed" },
      orderBy: { createdAt: "asc" },
    });
    expect(mails.map((mail) => mail.subject)).toEqual([
      `${tenant.name}: a payment failed`,
      `${tenant.name}: payment failed again, limits reduced`,
    ]);
    expect(mails[0]).toMatchObject({ toAddress: email });
    expect(mails[0]?.textBody).toContain("$20.00");

    fake.put({ ...invoice, status: "paid", attempt_count: 3 });
    await deliver(db, stripe, stripeEvent("invoice.paid", { id: invoice.id, object: "invoice" }));
    expect((await state(tenant.id)).paymentStatus).toBe("ok");
    const audited = await db.auditEvent.findMany({
      where: { chain: tenant.id, action: { startsWith: "billing.payment." } },
      orderBy: { seq: "asc" },
    });
    expect(audited.map((event) => event.action)).toEqual([
      "billing.payment.past_due",
      "billing.payment.limited",
      "billing.payment.ok",
    ]);
  });

  it("refuses a bad signature, a modified body and a stale timestamp with 400, changing nothing", async () => {
    const tenant = await createTestTenant(db, "forged");
    const session = await topUpSession(tenant.id, 50);
    const event = stripeEvent("checkout.session.completed", { id: session.id, object: "checkout.session" });
    const attempts = await Promise.all([
      deliver(db, stripe, event, { secret: "whsec_someone_else" }),
      deliver(db, stripe, event, {
        body: (body) => body.replace("checkout.session.completed", "checkout.session.expired"),
      }),
      deliver(db, stripe, event, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
    ]);
    for (const attempt of attempts) expect(attempt.status).toBe(400);
    expect(attempts[2]?.body.error).toMatch(/Timestamp outside the tolerance zone/);
    expect(await db.stripeEvent.count({ where: { id: event.id } })).toBe(0);
    expect(await db.ledgerEntry.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("applies an event delivered 10 times at once exactly once", async () => {
    const tenant = await createTestTenant(db, "repeat");
    const session = await topUpSession(tenant.id, 10);
    const event = stripeEvent("checkout.session.completed", { id: session.id, object: "checkout.session" });
    const responses = await Promise.all(Array.from({ length: 10 }, () => deliver(db, stripe, event)));
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 10 }, () => 200));
    const outcomes = responses.map((response) => response.body.outcome).sort();
    expect(outcomes).toEqual([
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "processed",
    ]);
    expect(await db.ledgerEntry.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it("ends in the same state whatever order the events arrive in", async () => {
    const plan = await planOnSale();
    const orders = [
      [0, 1, 2, 3, 4, 5],
      [5, 4, 3, 2, 1, 0],
      [2, 5, 0, 3, 1, 4],
      [3, 0, 4, 1, 5, 2],
    ];
    const finals = [];
    for (const order of orders) {
      const tenant = await createTestTenant(db, "shuffled");
      const { sessionId } = await startSubscriptionCheckout(db, stripe, {
        tenantId: tenant.id,
        plan: plan.slug,
        consoleUrl,
      });
      const customer =
        (await db.billingAccount.findUniqueOrThrow({ where: { tenantId: tenant.id } })).stripeCustomerId ?? "";
      const subscription = subscribed(sessionId, tenant.id, customer, plan.stripePriceId ?? "");
      const topUp = await topUpSession(tenant.id, 15);
      // Stripe's final word: the subscription active, the invoice paid after one failed attempt.
      const invoice = fake.put({
        id: `in_${randomBytes(6).toString("hex")}`,
        object: "invoice",
        customer,
        status: "paid",
        attempt_count: 2,
        amount_due: 2000,
      });
      const events = [
        stripeEvent("customer.subscription.created", { id: subscription.id, object: "subscription" }),
        stripeEvent("checkout.session.completed", { id: sessionId, object: "checkout.session" }),
        stripeEvent("invoice.payment_failed", { id: invoice.id, object: "invoice" }),
        stripeEvent("customer.subscription.updated", { id: subscription.id, object: "subscription" }),
        stripeEvent("invoice.paid", { id: invoice.id, object: "invoice" }),
        stripeEvent("checkout.session.completed", { id: topUp.id, object: "checkout.session" }),
      ];
      for (const index of order) {
        const event = events[index];
        if (event) expect((await deliver(db, stripe, event)).status).toBe(200);
      }
      finals.push(await state(tenant.id));
    }
    expect(finals[0]).toEqual({
      planId: plan.id,
      subscriptionStatus: "active",
      paymentStatus: "ok",
      ledger: { sum: -15_000_000n, count: 1 },
    });
    for (const final of finals) expect(final).toEqual(finals[0]);
  });
});
