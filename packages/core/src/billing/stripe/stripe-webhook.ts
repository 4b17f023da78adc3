import type { Db } from "@aiaas/db";
import type { StripeClient } from "./stripe-client.ts";
import { handleStripeEvent } from "./stripe-events.ts";

/** How old a signed webhook may be: Stripe's own default tolerance. */
const TOLERANCE_SECONDS = 300;

/**
 * One delivery to /api/stripe/webhook: the signature checked on the raw
 * body (a modified body, a wrong secret or a stale timestamp is a 400 that
 * changes nothing), then the event processed once. A failure to process is
 * a 500, so Stripe delivers it again.
 */
export async function receiveStripeWebhook(
  deps: { db: Db; stripe: StripeClient | null; secret: string | undefined },
  delivery: { body: string; signature: string | null },
): Promise<{ status: number; body: Record<string, unknown> }> {
  if (!deps.stripe || !deps.secret) {
    return { status: 404, body: { error: "Stripe is not configured here: billing runs ledger-only." } };
  }
  if (!delivery.signature) return { status: 400, body: { error: "Missing the Stripe-Signature header." } };
  let event;
  try {
    event = deps.stripe.webhooks.constructEvent(delivery.body, delivery.signature, deps.secret, TOLERANCE_SECONDS);
  } catch (error) {
    return { status: 400, body: { error: `Signature refused: ${error instanceof Error ? error.message : "invalid"}` } };
  }
  try {
    const outcome = await handleStripeEvent(deps.db, deps.stripe, event);
    return { status: 200, body: { received: true, outcome } };
  } catch {
    return { status: 500, body: { error: "The event could not be processed; Stripe will deliver it again." } };
  }
}
