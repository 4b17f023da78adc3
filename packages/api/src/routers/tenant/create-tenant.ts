import { z } from "zod";
import { mailableName } from "@aiaas/core/platform";
import { createTenant } from "@aiaas/core/tenants";
import { TRPCError } from "@trpc/server";
import { defaultAbuseLimits } from "../../context.ts";
import { authedProcedure, verifiedEmail } from "../../trpc.ts";

export const createTenantInput = z.object({ name: mailableName("Give your organisation a name.") });

/** A new organisation with the caller as owner (at most MAX_TENANTS_PER_USER each); it becomes their active one. */
export const create = authedProcedure
  .use(verifiedEmail)
  .input(createTenantInput)
  .mutation(async ({ ctx, input }) => {
    const limit = ctx.abuseLimits?.tenantsPerUser ?? defaultAbuseLimits.tenantsPerUser;
    const tenant = await ctx.platformDb.$transaction(async (tx) => {
      // One creation at a time per person (their row locked), so parallel requests cannot pass the count together.
      await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${ctx.session.userId} FOR UPDATE`;
      const owned = await tx.membership.count({ where: { userId: ctx.session.userId, role: "owner" } });
      if (owned >= limit) {
        throw new TRPCError({
          code: "FORBIDDEN",
          message: `You own ${owned} organisations, the most one person may own here. Ask an operator if you need more.`,
        });
      }
      const created = await createTenant(
        { name: input.name, ownerUserId: ctx.session.userId, uniqueSlug: true },
        ctx.change,
        tx,
      );
      await tx.session.update({ where: { id: ctx.session.sessionId }, data: { activeTenantId: created.id } });
      return created;
    });
    return { id: tenant.id, slug: tenant.slug, name: tenant.name };
  });
