import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { slugify, tenantSlug } from "./tenant-slug.ts";

export const createTenantInput = z.object({
  name: z.string().trim().min(1, "name is required").max(100, "name must be at most 100 characters"),
  slug: tenantSlug.optional(),
  /** The user who becomes the tenant's owner. */
  ownerUserId: z.string().optional(),
  /** Plan slug; the default plan when omitted. */
  plan: z.string().optional(),
});
export type CreateTenantInput = z.input<typeof createTenantInput>;

export async function createTenant(rawInput: CreateTenantInput, ctx: ChangeContext, tx: Tx) {
  const input = createTenantInput.parse(rawInput);
  const slug = input.slug ?? tenantSlug.parse(slugify(input.name));
  if (await tx.tenant.findUnique({ where: { slug }, select: { id: true } })) {
    throw new DomainError("conflict", `a tenant with slug "${slug}" already exists`);
  }
  const plan = await tx.plan.findFirst({
    where: input.plan ? { slug: input.plan } : { isDefault: true },
    select: { id: true, slug: true },
  });
  if (input.plan && !plan) throw new DomainError("invalid_input", `unknown plan "${input.plan}"`);

  const tenant = await tx.tenant.create({
    data: {
      id: newId("tenant"),
      name: input.name,
      slug,
      planId: plan?.id ?? null,
      billingAccount: { create: { id: newId("billingAccount"), planId: plan?.id ?? null } },
      ...(input.ownerUserId && {
        memberships: { create: { id: newId("membership"), userId: input.ownerUserId, role: "owner" } },
      }),
    },
  });
  await appendAuditEvent(
    {
      tenantId: tenant.id,
      action: "tenant.create",
      targetType: "tenant",
      targetId: tenant.id,
      metadata: { slug, plan: plan?.slug ?? null, ownerUserId: input.ownerUserId ?? null },
    },
    ctx,
    tx,
  );
  return tenant;
}
