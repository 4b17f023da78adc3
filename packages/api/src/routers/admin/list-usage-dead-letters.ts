import { listUsageDeadLetters } from "@aiaas/core/usage";
import { operatorProcedure } from "../../trpc.ts";

/** Usage records the gateways could not write (a tenant deleted mid-request, a broken constraint), newest first. */
export const usageDeadLetters = operatorProcedure.query(({ ctx }) => listUsageDeadLetters(ctx.db));
