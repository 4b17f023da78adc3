import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { billingPeriodNamed, previewInvoice } from "@aiaas/core/billing";
import { scopedProcedure } from "../../trpc.ts";

/** One period's invoice computed from the ledger (a preview until the period ends), with a line per model and price. */
export const invoice = scopedProcedure("billing:read")
  .input(z.object({ period: z.string().optional() }))
  .query(async ({ ctx, input }) => {
    const period = input.period ? billingPeriodNamed(input.period) : null;
    if (input.period && !period)
      throw new TRPCError({ code: "BAD_REQUEST", message: `"${input.period}" is not a period; use YYYY-MM.` });
    const invoice = await previewInvoice(ctx.db, { tenantId: ctx.tenant.id, at: period?.start });
    return { ...invoice, tenantName: ctx.tenant.name };
  });
