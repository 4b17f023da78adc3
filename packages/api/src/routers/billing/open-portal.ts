import { appendAuditEvent } from "@aiaas/core/audit";
import { openBillingPortal } from "@aiaas/core/stripe";
import { scopedProcedure } from "../../trpc.ts";
import { requireStripe } from "./require-stripe.ts";

/** Stripe's customer portal for this organization: payment methods, invoices, cancelling. */
export const portal = scopedProcedure("billing:manage").mutation(async ({ ctx }) => {
  const { url } = await openBillingPortal(ctx.db, requireStripe(ctx.stripe), {
    tenantId: ctx.tenant.id,
    consoleUrl: ctx.consoleUrl,
  });
  await ctx.db.$transaction((tx) =>
    appendAuditEvent(
      { tenantId: ctx.tenant.id, action: "billing.portal.open", targetType: "tenant", targetId: ctx.tenant.id },
      ctx.change,
      tx,
    ),
  );
  return { url };
});
