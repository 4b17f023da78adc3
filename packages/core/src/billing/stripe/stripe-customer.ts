import type { Db } from "@aiaas/db";
import { newId } from "../../ids.ts";
import type { StripeClient } from "./stripe-client.ts";

/** The tenant's Stripe customer, created on first need (one per tenant: Stripe's idempotency key says so). */
export async function ensureStripeCustomer(db: Db, stripe: StripeClient, tenantId: string): Promise<string> {
  const account = await db.billingAccount.findUnique({ where: { tenantId } });
  if (account?.stripeCustomerId) return account.stripeCustomerId;
  const tenant = await db.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: {
      name: true,
      memberships: { where: { role: "owner" }, take: 1, orderBy: { createdAt: "asc" }, select: { user: true } },
    },
  });
  const email = account?.billingEmail ?? tenant.memberships[0]?.user.email;
  const customer = await stripe.customers.create(
    { name: tenant.name, ...(email && { email }), metadata: { tenantId } },
    { idempotencyKey: `customer-${tenantId}` },
  );
  await db.billingAccount.upsert({
    where: { tenantId },
    create: { id: newId("billingAccount"), tenantId, stripeCustomerId: customer.id, billingEmail: email ?? null },
    update: { stripeCustomerId: customer.id },
  });
  return customer.id;
}

/** The tenant a Stripe customer belongs to, or null for a customer we did not make. */
export async function tenantOfCustomer(db: Pick<Db, "billingAccount">, customerId: string | null | undefined) {
  if (!customerId) return null;
  const account = await db.billingAccount.findUnique({ where: { stripeCustomerId: customerId } });
  return account?.tenantId ?? null;
}
