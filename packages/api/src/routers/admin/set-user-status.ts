import { z } from "zod";
import { invalidateAuthCache } from "@aiaas/core/keys";
import { setUserStatus as setStatusOfUser } from "@aiaas/core/tenants";
import { operatorProcedure } from "../../trpc.ts";

/** Suspends or resumes a person: suspending signs them out everywhere and ends their playground keys at once. */
export const setUserStatus = operatorProcedure
  .input(
    z.object({
      userId: z.string().min(1),
      status: z.enum(["active", "suspended"]),
      reason: z.string().trim().max(500).optional(),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { revokedKeyHashes } = await ctx.db.$transaction((tx) => setStatusOfUser(input, ctx.change, tx));
    await Promise.all(revokedKeyHashes.map((keyHash) => invalidateAuthCache(ctx.redis, { keyHash, revoked: true })));
    return { userId: input.userId, status: input.status };
  });
