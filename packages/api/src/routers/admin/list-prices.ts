import { listModelPrices } from "@aiaas/core/billing";
import { operatorProcedure } from "../../trpc.ts";

/** Every model's price in force and the ones announced. */
export const prices = operatorProcedure.query(({ ctx }) => listModelPrices(ctx.db));
