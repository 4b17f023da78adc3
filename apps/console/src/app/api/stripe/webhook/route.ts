import { receiveStripeWebhook } from "@aiaas/core/stripe";
import { consoleEnv } from "@/server/env.ts";
import { services } from "@/server/services.ts";

/** Stripe's webhooks: verified on the raw body, each event processed once (see receiveStripeWebhook). */
export async function POST(request: Request) {
  const { db, stripe } = services();
  const { status, body } = await receiveStripeWebhook(
    { db, stripe, secret: consoleEnv().STRIPE_WEBHOOK_SECRET },
    { body: await request.text(), signature: request.headers.get("stripe-signature") },
  );
  return Response.json(body, { status });
}
