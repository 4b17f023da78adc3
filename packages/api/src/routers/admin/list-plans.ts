import { listPlans } from "@aiaas/core/quota";
import { operatorProcedure } from "../../trpc.ts";

/** The plans with their default limits and how many tenants each has. */
export const plans = operatorProcedure.query(({ ctx }) => listPlans(ctx.db));
