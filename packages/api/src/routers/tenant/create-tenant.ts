import { z } from "zod";
import { createTenant, mailableName } from "@aiaas/core/server";
import { authedProcedure, verifiedEmail } from "../../trpc.ts";

export const createTenantInput = z.object({ name: mailableName("Give your organisation a name.") });

/** A new organisation with the caller as owner; it becomes their active one. */
export const create = authedProcedure
  .use(verifiedEmail)
  .input(createTenantInput)
  .mutation(async ({ ctx, input }) => {
    const tenant = await ctx.db.$transaction(async (tx) => {
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
