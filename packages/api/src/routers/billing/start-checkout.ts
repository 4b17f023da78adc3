import { z } from "zod";
import { appendAuditEvent } from "@aiaas/core/audit";
import { usdToMicros } from "@aiaas/core/billing";
import { startSubscriptionCheckout, startTopUpCheckout } from "@aiaas/core/stripe";
import { scopedProcedure, verifiedEmail } from "../../trpc.ts";
import { requireStripe } from "./require-stripe.ts";

/** A Stripe Checkout page to subscribe to a plan, or to buy prepaid credit; the webhook applies it once paid. */
export const checkout = scopedProcedure("billing:manage")
  .use(verifiedEmail)
  .input(
    z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("subscription"), plan: z.string().trim().min(1) }),
      z.object({
        kind: z.literal("top_up"),
        amountUsd: z.number().min(5, "A top-up is at least $5.").max(10_000, "A top-up is at most $10,000."),
      }),
    ]),
  )
  .mutation(async ({ ctx, input }) => {
    const stripe = requireStripe(ctx.stripe);
    const common = { tenantId: ctx.tenant.id, consoleUrl: ctx.consoleUrl };
    const session =
      input.kind === "subscription"
        ? await startSubscriptionCheckout(ctx.db, stripe, { ...common, plan: input.plan })
        : await startTopUpCheckout(ctx.db, stripe, { ...common, amountMicros: usdToMicros(input.amountUsd) });
    await ctx.db.$transaction((tx) =>
      appendAuditEvent(
        {
          tenantId: ctx.tenant.id,
          action: "billing.checkout.start",
          targetType: "checkout_session",
          targetId: session.sessionId,
          metadata: input.kind === "subscription" ? { plan: input.plan } : { amountUsd: input.amountUsd },
        },
        ctx.change,
        tx,
      ),
    );
    return { url: session.url };
  });
