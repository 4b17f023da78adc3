import { listWorkers } from "@aiaas/core/queue";
import { operatorProcedure } from "../../trpc.ts";

/** The inference workers: live, stopped or lost, with what they serve and do. */
export const workers = operatorProcedure.query(({ ctx }) => listWorkers(ctx.db, ctx.redis, ctx.queuePrefix));
