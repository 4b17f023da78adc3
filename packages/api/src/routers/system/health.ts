import { z } from "zod";
import { pingDatabase } from "@aiaas/db";
import { checkReadiness } from "@aiaas/core/platform";
import { publicProcedure } from "../../trpc.ts";

export const healthOutput = z.object({ ready: z.boolean(), checks: z.record(z.string(), z.string()) });

/** Whether the control plane can reach its database. */
export const health = publicProcedure
  .output(healthOutput)
  .query(({ ctx }) => checkReadiness([{ name: "postgres", check: () => pingDatabase(ctx.db) }]));
