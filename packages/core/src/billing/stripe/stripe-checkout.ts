import type { Db } from "@aiaas/db";
import { DomainError } from "../../errors.ts";
import { MICROS_PER_CENT } from "../money.ts";
import { ensureStripeCustomer } from "./stripe-customer.ts";
import type { StripeClient } from "./stripe-client.ts";

const TOP_UP_MIN_MICROS = 5_000_000n;
const TOP_UP_MAX_MICROS = 10_000_000_000n;

const returnUrls = (consoleUrl: string) => ({
  success_url: `${consoleUrl}/billing?checkout=success`,
  cancel_url: `${consoleUrl}/billing?checkout=cancelled`,
});

/** A Checkout session subscribing the tenant to a plan; the webhook activates the plan once paid. */
export async function startSubscriptionCheckout(
  db: Db,
  stripe: StripeClient,
  input: { tenantId: string; plan: string; consoleUrl: string },
) {
  const plan = await db.plan.findFirst({ where: { slug: input.plan, active: true } });
  if (!plan) throw new DomainError("not_found", `There is no plan "${input.plan}" on sale.`);
  if (!plan.stripePriceId) {
    throw new DomainError("invalid_input", `The ${plan.name} plan is not sold online; contact us to subscribe.`);
  }
  const customer = await ensureStripeCustomer(db, stripe, input.tenantId);
  const metadata = { tenantId: input.tenantId, kind: "subscription", plan: plan.slug };
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: input.tenantId,
    line_items: [
      { price: plan.stripePriceId, quantity: 1 },
      ...(plan.stripeMeteredPriceId ? [{ price: plan.stripeMeteredPriceId }] : []),
    ],
    metadata,
    subscription_data: { metadata },
    ...returnUrls(input.consoleUrl),
  });
  return { url: session.url, sessionId: session.id };
}

/** A Checkout session for prepaid credit; the webhook adds it to the ledger once paid. */
export async function startTopUpCheckout(
  db: Db,
  stripe: StripeClient,
  input: { tenantId: string; amountMicros: bigint; consoleUrl: string },
) {
  if (input.amountMicros < TOP_UP_MIN_MICROS || input.amountMicros > TOP_UP_MAX_MICROS) {
    throw new DomainError("invalid_input", "A top-up is between $5 and $10,000.");
  }
  if (input.amountMicros % MICROS_PER_CENT !== 0n) {
    throw new DomainError("invalid_input", "A top-up is a whole number of cents.");
  }
  const customer = await ensureStripeCustomer(db, stripe, input.tenantId);
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    customer,
    client_reference_id: input.tenantId,
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: "usd",
          unit_amount: Number(input.amountMicros / MICROS_PER_CENT),
          product_data: { name: "Prepaid API credit" },
        },
      },
    ],
    metadata: { tenantId: input.tenantId, kind: "top_up", amountMicros: input.amountMicros.toString() },
    ...returnUrls(input.consoleUrl),
  });
  return { url: session.url, sessionId: session.id };
}

/** Stripe's customer portal, for payment methods, invoices and cancelling. */
export async function openBillingPortal(db: Db, stripe: StripeClient, input: { tenantId: string; consoleUrl: string }) {
  const customer = await ensureStripeCustomer(db, stripe, input.tenantId);
  const session = await stripe.billingPortal.sessions.create({ customer, return_url: `${input.consoleUrl}/billing` });
  return { url: session.url };
}
