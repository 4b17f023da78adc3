import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { claimFreeAllowance } from "../billing/free-allowance.ts";
import { newId } from "../ids.ts";
import { mailableName } from "../text/mailable-name.ts";
import { slugify, tenantSlug } from "./tenant-slug.ts";

export const createTenantInput = z.object({
  /** It goes into invitation mail: plain text, no links. */
  name: mailableName("Give the organisation a name."),
  slug: tenantSlug.optional(),
  /** The user who becomes the tenant's owner. */
  ownerUserId: z.string().optional(),
  /** Plan slug; the default plan when omitted. */
  plan: z.string().optional(),
  /** When the slug derived from the name is taken, add a short random suffix instead of failing. */
  uniqueSlug: z.boolean().default(false),
});
export type CreateTenantInput = z.input<typeof createTenantInput>;

export async function createTenant(rawInput: CreateTenantInput, ctx: ChangeContext, tx: Tx) {
  const input = createTenantInput.parse(rawInput);
  let slug = input.slug ?? derivedSlug(input.name);
  if (await tx.tenant.findUnique({ where: { slug }, select: { id: true } })) {
    if (!input.uniqueSlug || input.slug)
      throw new DomainError("conflict", `a tenant with slug "${slug}" already exists`);
    slug = `${slug.slice(0, 33)}-${randomBytes(3).toString("hex")}`;
  }
  const plan = await tx.plan.findFirst({
    where: input.plan ? { slug: input.plan } : { isDefault: true },
    select: { id: true, slug: true },
  });
  if (input.plan && !plan) throw new DomainError("invalid_input", `unknown plan "${input.plan}"`);

  const created = await tx.tenant.create({
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
  const freeAllowance = await freeAllowanceFor(tx, created.id, input.ownerUserId);
  const tenant = freeAllowance
    ? await tx.tenant.update({ where: { id: created.id }, data: { freeAllowance } })
    : created;
  await appendAuditEvent(
    {
      tenantId: tenant.id,
      action: "tenant.create",
      targetType: "tenant",
      targetId: tenant.id,
      metadata: { slug, plan: plan?.slug ?? null, ownerUserId: input.ownerUserId ?? null, freeAllowance },
    },
    ctx,
    tx,
  );
  return tenant;
}

/**
 * Whether the new tenant gets a fee-less plan's included usage: its owner's
 * free allowance when they have not claimed it yet; always when an operator
 * creates it without an owner.
 */
async function freeAllowanceFor(tx: Tx, tenantId: string, ownerUserId: string | undefined): Promise<boolean> {
  if (!ownerUserId) return true;
  const owner = await tx.user.findUniqueOrThrow({ where: { id: ownerUserId }, select: { email: true } });
  return claimFreeAllowance(tx, { userId: ownerUserId, email: owner.email, tenantId });
}

/** The slug for a name, padded when the name is too short or has no letters. */
function derivedSlug(name: string): string {
  const base = slugify(name);
  return tenantSlug.safeParse(base).success
    ? base
    : tenantSlug.parse(`${base || "org"}-${randomBytes(3).toString("hex")}`.replace(/^-/, ""));
}
