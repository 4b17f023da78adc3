import { TRPCError } from "@trpc/server";
import type { StripeClient } from "@aiaas/core/stripe";

/** Stripe's client, or the error a ledger-only platform gives for paying online. */
export function requireStripe(stripe: StripeClient | null): StripeClient {
  if (!stripe) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: "Billing runs ledger-only here: paying online needs the operator to configure Stripe.",
    });
  }
  return stripe;
}
