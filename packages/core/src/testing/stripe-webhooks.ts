import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import type { Db } from "@aiaas/db";
import { createStripe, type StripeClient } from "../billing/stripe/stripe-client.ts";
import { receiveStripeWebhook } from "../billing/stripe/stripe-webhook.ts";

export const WEBHOOK_SECRET = "whsec_test_0123456789abcdef";

/** The SDK pointed at a StripeFake. */
export function fakeStripeClient(apiBase: string): StripeClient {
  const stripe = createStripe({ secretKey: "sk_test_fake", apiBase });
  if (!stripe) throw new Error("a secret key makes a client");
  return stripe;
}

/** An event as Stripe sends it, about `object`. */
export function stripeEvent(type: string, object: Record<string, unknown>): Stripe.Event {
  return {
    id: `evt_${randomBytes(8).toString("hex")}`,
    object: "event",
    type,
    api_version: "2025-10-29.clover",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  } as unknown as Stripe.Event;
}

/** Delivers an event as Stripe would: signed with the SDK's test-header helper over the exact body. */
export function deliver(
  db: Db,
  stripe: StripeClient,
  event: Stripe.Event,
  tamper: { secret?: string; timestamp?: number; body?: (body: string) => string } = {},
) {
  const body = JSON.stringify(event);
  const signature = stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: tamper.secret ?? WEBHOOK_SECRET,
    ...(tamper.timestamp && { timestamp: tamper.timestamp }),
  });
  return receiveStripeWebhook(
    { db, stripe, secret: WEBHOOK_SECRET },
    { body: tamper.body ? tamper.body(body) : body, signature },
  );
}
