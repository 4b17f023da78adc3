import { receiveStripeWebhook } from "@aiaas/core/stripe";
import { consoleEnv } from "@/server/env.ts";
import { services } from "@/server/services.ts";

/** Stripe's webhooks: verified on the raw body, each event processed once (see receiveStripeWebhook); any tenant's, so the platform role. */
export async function POST(request: Request) {
  const { platformDb, stripe } = services();
  const { status, body } = await receiveStripeWebhook(
    { db: platformDb, stripe, secret: consoleEnv().STRIPE_WEBHOOK_SECRET },
    { body: await request.text(), signature: request.headers.get("stripe-signature") },
  );
  return Response.json(body, { status });
}
