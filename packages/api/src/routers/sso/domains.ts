import { z } from "zod";
import { appendAuditEvent } from "@aiaas/core/audit";
import { addSsoDomain, removeSsoDomain, requestDomainCheck } from "@aiaas/core/sso";
import { TRPCError } from "@trpc/server";
import { scopedProcedure } from "../../trpc.ts";

const domainId = z.object({ domainId: z.string().min(1) });

/** Claims a domain; a worker looks for its TXT record (retrying for about two hours). */
export const addDomain = scopedProcedure("sso:manage")
  .input(z.object({ domain: z.string().min(1).max(300) }))
  .mutation(async ({ ctx, input }) => {
    const created = await ctx.db.$transaction((tx) =>
      addSsoDomain({ tenantId: ctx.tenant.id, ...input }, ctx.change, tx),
    );
    await requestDomainCheck(ctx.redis, ctx.queuePrefix, created.id);
    return { id: created.id, domain: created.domain };
  });

/** Looks for the domain's TXT record again (after the checks gave up, or once the record is in place). */
export const checkDomain = scopedProcedure("sso:manage")
  .input(domainId)
  .mutation(async ({ ctx, input }) => {
    const domain = await ctx.db.$transaction(async (tx) => {
      const found = await tx.ssoDomain.findFirst({ where: { id: input.domainId, tenantId: ctx.tenant.id } });
      if (!found) throw new TRPCError({ code: "NOT_FOUND", message: "That domain is not on your list." });
      await appendAuditEvent(
        {
          tenantId: ctx.tenant.id,
          action: "sso.domain_check",
          targetType: "sso_domain",
          targetId: found.id,
          metadata: { domain: found.domain },
        },
        ctx.change,
        tx,
      );
      return found;
    });
    if (!domain.verifiedAt) await requestDomainCheck(ctx.redis, ctx.queuePrefix, domain.id);
    return { id: domain.id, verified: Boolean(domain.verifiedAt) };
  });

/** Gives a domain up: its addresses no longer go to this organisation's IdP. */
export const removeDomain = scopedProcedure("sso:manage")
  .input(domainId)
  .mutation(async ({ ctx, input }) => {
    await ctx.db.$transaction((tx) => removeSsoDomain({ tenantId: ctx.tenant.id, ...input }, ctx.change, tx));
    return { removed: input.domainId };
  });
