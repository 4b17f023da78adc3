// @aiaas/core/stripe: Stripe: checkout, the billing portal, webhooks and meter reports. Only the console and the worker's maintenance load it.
export { createStripe, type StripeClient } from "../billing/stripe/stripe-client.ts";
export { startSubscriptionCheckout, startTopUpCheckout, openBillingPortal } from "../billing/stripe/stripe-checkout.ts";
export { handleStripeEvent, type EventOutcome } from "../billing/stripe/stripe-events.ts";
export { receiveStripeWebhook } from "../billing/stripe/stripe-webhook.ts";
export { reportUsageToStripe, USAGE_METER_EVENT } from "../billing/stripe/meter-reporting.ts";
