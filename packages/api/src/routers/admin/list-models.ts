import { listRegisteredModels } from "@aiaas/core/models";
import { operatorProcedure } from "../../trpc.ts";

/** The model catalogue: each model's status, versions with their file digests, and the live workers serving it. */
export const models = operatorProcedure.query(({ ctx }) => listRegisteredModels(ctx.db, ctx.redis, ctx.queuePrefix));
