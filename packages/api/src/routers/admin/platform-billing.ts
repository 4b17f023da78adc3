import { platformBilling } from "@aiaas/core/billing";
import { operatorProcedure } from "../../trpc.ts";

/** Revenue per period, each tenant's balance and what is unpaid, from the ledger. */
export const billing = operatorProcedure.query(({ ctx }) => platformBilling(ctx.db));
