import Stripe from "stripe";

export type StripeClient = Stripe;

/**
 * The official Stripe SDK, or null without a secret key (ledger-only mode).
 * `apiBase` points it elsewhere than api.stripe.com: tests use a local
 * Stripe-compatible server at this, the SDK's HTTP boundary.
 */
export function createStripe(options: { secretKey?: string; apiBase?: string }): StripeClient | null {
  if (!options.secretKey) return null;
  const base = options.apiBase ? new URL(options.apiBase) : null;
  return new Stripe(options.secretKey, {
    telemetry: false,
    maxNetworkRetries: base ? 0 : 2,
    ...(base && {
      host: base.hostname,
      port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
      protocol: base.protocol === "https:" ? "https" : "http",
    }),
  });
}
