import type Stripe from "stripe";
import type { Db, PaymentStatus, Prisma, Tx } from "@aiaas/db";
import { systemActor, type ChangeContext } from "../../actor.ts";
import { appendAuditEvent } from "../../audit/append-audit-event.ts";
import { newId } from "../../ids.ts";
import { mailTenantRoles } from "../../outbox/mail-tenant-roles.ts";
import { formatUsd, MICROS_PER_CENT } from "../money.ts";
import type { StripeClient } from "./stripe-client.ts";
import { tenantOfCustomer } from "./stripe-customer.ts";

const stripeActor: ChangeContext = { actor: systemActor("stripe webhook") };
const customerId = (customer: string | { id: string } | null) =>
  typeof customer === "string" ? customer : (customer?.id ?? null);

export type EventOutcome = "processed" | "duplicate" | "ignored";

/**
 * Processes one verified Stripe event exactly once: its id is stored first,
 * then a row lock serializes concurrent deliveries and the second finds it
 * done. Each handler re-reads the object from Stripe rather than trusting
 * the event's copy, so events in any order end in the same state.
 */
export async function handleStripeEvent(db: Db, stripe: StripeClient, event: Stripe.Event): Promise<EventOutcome> {
  await db.stripeEvent.createMany({
    data: [{ id: event.id, type: event.type, payload: event as unknown as Prisma.InputJsonValue }],
    skipDuplicates: true,
  });
  try {
    return await db.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRaw<{ processed_at: Date | null }[]>`
          SELECT processed_at FROM stripe_events WHERE id = ${event.id} FOR UPDATE`;
        if (row?.processed_at) return "duplicate";
        const outcome = await apply(tx, stripe, event);
        await tx.stripeEvent.update({ where: { id: event.id }, data: { processedAt: new Date(), error: null } });
        return outcome;
      },
      { timeout: 30_000 },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Noting the error on the event's row is a courtesy to operators: the error itself is thrown (and Stripe retries).
    await db.stripeEvent.update({ where: { id: event.id }, data: { error: message.slice(0, 1000) } }).catch(() => {});
    throw error;
  }
}

type Handler = (tx: Tx, stripe: StripeClient, objectId: string) => Promise<EventOutcome>;

/** The events that change anything here, each by the object it is about; the rest are stored and ignored. */
const handlers: Partial<Record<Stripe.Event.Type, Handler>> = {
  "checkout.session.completed": (tx, stripe, id) => checkoutCompleted(tx, stripe, id),
  "checkout.session.async_payment_succeeded": (tx, stripe, id) => checkoutCompleted(tx, stripe, id),
  "customer.subscription.created": (tx, stripe, id) => syncSubscription(tx, stripe, id),
  "customer.subscription.updated": (tx, stripe, id) => syncSubscription(tx, stripe, id),
  "customer.subscription.deleted": (tx, stripe, id) => syncSubscription(tx, stripe, id),
  "invoice.paid": (tx, stripe, id) => syncInvoice(tx, stripe, id),
  "invoice.payment_succeeded": (tx, stripe, id) => syncInvoice(tx, stripe, id),
  "invoice.payment_failed": (tx, stripe, id) => syncInvoice(tx, stripe, id),
};

function apply(tx: Tx, stripe: StripeClient, event: Stripe.Event): Promise<EventOutcome> {
  const handler = handlers[event.type];
  const objectId = (event.data.object as { id?: string }).id;
  return handler && objectId ? handler(tx, stripe, objectId) : Promise.resolve("ignored");
}

/** A paid top-up becomes a credit in the ledger (once: the session id is its unique reference); a subscription is synced. */
async function checkoutCompleted(tx: Tx, stripe: StripeClient, sessionId: string): Promise<EventOutcome> {
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  const tenantId = session.metadata?.tenantId ?? (await tenantOfCustomer(tx, customerId(session.customer)));
  if (!tenantId || !(await tx.tenant.findUnique({ where: { id: tenantId }, select: { id: true } }))) return "ignored";
  if (session.mode === "subscription" && session.subscription) {
    return syncSubscription(tx, stripe, customerId(session.subscription) ?? "");
  }
  if (session.mode !== "payment" || session.metadata?.kind !== "top_up" || session.payment_status !== "paid") {
    return "ignored";
  }
  const amountMicros = BigInt(session.amount_total ?? 0) * MICROS_PER_CENT;
  const created = await tx.ledgerEntry.createMany({
    data: [
      {
        id: newId("ledgerEntry"),
        tenantId,
        kind: "credit_purchase",
        amountMicros: -amountMicros,
        description: "Prepaid credit (card)",
        externalRef: `checkout:${session.id}`,
      },
    ],
    skipDuplicates: true,
  });
  if (created.count === 1) {
    await appendAuditEvent(
      {
        tenantId,
        action: "billing.credit.purchase",
        targetType: "checkout_session",
        targetId: session.id,
        metadata: { amountMicros: amountMicros.toString() },
      },
      stripeActor,
      tx,
    );
  }
  return "processed";
}

const activeStatuses = new Set(["active", "trialing", "past_due"]);

/** The tenant's plan and subscription as Stripe has them now: a live subscription's plan, else the default plan. */
async function syncSubscription(tx: Tx, stripe: StripeClient, subscriptionId: string): Promise<EventOutcome> {
  const subscription = await stripe.subscriptions.retrieve(subscriptionId);
  const tenantId = subscription.metadata.tenantId ?? (await tenantOfCustomer(tx, customerId(subscription.customer)));
  if (!tenantId) return "ignored";
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { id: true, planId: true } });
  if (!tenant) return "ignored";
  const priceIds = subscription.items.data.map((item) => item.price.id);
  const live = activeStatuses.has(subscription.status);
  const plan = live
    ? await tx.plan.findFirst({ where: { stripePriceId: { in: priceIds } } })
    : await tx.plan.findFirst({ where: { isDefault: true } });
  const item = subscription.items.data[0];
  const period = {
    currentPeriodStart: item ? new Date(item.current_period_start * 1000) : null,
    currentPeriodEnd: item ? new Date(item.current_period_end * 1000) : null,
  };
  await tx.billingAccount.upsert({
    where: { tenantId },
    create: {
      id: newId("billingAccount"),
      tenantId,
      stripeCustomerId: customerId(subscription.customer),
      stripeSubscriptionId: subscription.id,
      subscriptionStatus: subscription.status,
      ...period,
    },
    update: { stripeSubscriptionId: subscription.id, subscriptionStatus: subscription.status, ...period },
  });
  if (plan && plan.id !== tenant.planId) {
    await tx.tenant.update({ where: { id: tenantId }, data: { planId: plan.id } });
    await appendAuditEvent(
      {
        tenantId,
        action: "billing.plan.change",
        targetType: "tenant",
        targetId: tenantId,
        metadata: { from: tenant.planId, to: plan.id, subscription: subscription.id, status: subscription.status },
      },
      stripeActor,
      tx,
    );
  }
  return "processed";
}

/**
 * Payment state from the invoice as Stripe has it now: paid clears any
 * warning; a first failed attempt warns the owners (past_due), a second
 * limits the organization to the default plan's limits (limited).
 */
async function syncInvoice(tx: Tx, stripe: StripeClient, invoiceId: string): Promise<EventOutcome> {
  const invoice = await stripe.invoices.retrieve(invoiceId);
  const tenantId = await tenantOfCustomer(tx, customerId(invoice.customer));
  if (!tenantId) return "ignored";
  const account = await tx.billingAccount.findUniqueOrThrow({ where: { tenantId } });
  let next: PaymentStatus = account.paymentStatus;
  if (invoice.status === "paid") next = "ok";
  else if (invoice.status === "open" && invoice.attempt_count >= 2) next = "limited";
  else if (invoice.status === "open" && invoice.attempt_count >= 1 && next === "ok") next = "past_due";
  if (next === account.paymentStatus) return "processed";
  await tx.billingAccount.update({ where: { tenantId }, data: { paymentStatus: next } });
  await appendAuditEvent(
    {
      tenantId,
      action: `billing.payment.${next}`,
      targetType: "stripe_invoice",
      targetId: invoice.id ?? invoiceId,
      metadata: { from: account.paymentStatus, to: next, attempts: invoice.attempt_count },
    },
    stripeActor,
    tx,
  );
  if (next !== "ok") {
    const due = formatUsd(BigInt(invoice.amount_due) * MICROS_PER_CENT);
    await mailTenantRoles(tx, {
      tenantId,
      roles: ["owner", "billing"],
      kind: "payment-failed",
      compose: (tenantName) =>
        next === "limited"
          ? {
              subject: `${tenantName}: payment failed again, limits reduced`,
              text: `We could not collect ${due} (attempt ${invoice.attempt_count}). Until it is paid, the organization has the free plan's limits. Update the payment method from the billing page.`,
            }
          : {
              subject: `${tenantName}: a payment failed`,
              text: `We could not collect ${due}. Update the payment method from the billing page; if the next attempt fails too, the organization's limits are reduced.`,
            },
    });
  }
  return "processed";
}
