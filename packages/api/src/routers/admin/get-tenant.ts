import { z } from "zod";
import { listApiKeys } from "@aiaas/core/keys";
import { findTenantOrThrow, listMembers, listModelAccess } from "@aiaas/core/tenants";
import { operatorProcedure } from "../../trpc.ts";

/** One tenant as operators see it: status, plan, members, keys and the restricted models it may use. */
export const tenant = operatorProcedure
  .input(z.object({ tenantId: z.string().min(1) }))
  .query(async ({ ctx, input }) => {
    const found = await findTenantOrThrow(input.tenantId, ctx.db);
    const [plan, members, keys, models] = await Promise.all([
      found.planId ? ctx.db.plan.findUnique({ where: { id: found.planId }, select: { name: true, slug: true } }) : null,
      listMembers({ tenantId: found.id, withInvitations: true }, ctx.db),
      listApiKeys({ tenantId: found.id }, ctx.db),
      listModelAccess(found.id, ctx.db),
    ]);
    return {
      id: found.id,
      name: found.name,
      slug: found.slug,
      status: found.status,
      suspendedReason: found.suspendedReason,
      createdAt: found.createdAt,
      plan,
      members: members.members,
      keys,
      models,
    };
  });
