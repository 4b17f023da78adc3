import { z } from "zod";
import { grantCredits as applyGrant, usdToMicros } from "@aiaas/core/billing";
import { operatorProcedure } from "../../trpc.ts";

/** Grants a tenant credit (or records a refund), taken against its next charges; audited. */
export const grantCredits = operatorProcedure
  .input(
    z.object({
      tenantId: z.string().min(1),
      amountUsd: z.number().positive("The amount must be more than 0.").max(1_000_000, "At most $1,000,000 at once."),
      kind: z.enum(["credit_grant", "refund"]).default("credit_grant"),
      reason: z.string().trim().min(1, "Say why: it is on the tenant's invoice and in the audit log.").max(500),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { entry } = await ctx.db.$transaction((tx) =>
      applyGrant(
        {
          tenant: input.tenantId,
          amountMicros: usdToMicros(input.amountUsd),
          kind: input.kind,
          reason: input.reason,
          createdById: ctx.session.userId,
        },
        ctx.change,
        tx,
      ),
    );
    return { id: entry.id };
  });
