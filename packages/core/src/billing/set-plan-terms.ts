import { z } from "zod";
import type { Tx } from "@aiaas/db";
import type { ChangeContext } from "../actor.ts";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { DomainError } from "../errors.ts";
import { newId } from "../ids.ts";
import { tenantSlug } from "../tenants/tenant-slug.ts";
import { findPlanOrThrow } from "../quota/find-plan.ts";

const micros = z.bigint().nonnegative("an amount cannot be negative").max(1_000_000_000_000n);

/** A change of a plan's commercial terms: a value sets it, absent leaves it (null clears a Stripe price). */
export const planTermsChange = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(500).optional(),
    priceMonthlyMicros: micros.optional(),
    includedUsageMicros: micros.optional(),
    prepaid: z.boolean().optional(),
    active: z.boolean().optional(),
    stripePriceId: z.string().trim().startsWith("price_", "a Stripe price id starts with price_").nullable().optional(),
    stripeMeteredPriceId: z
      .string()
      .trim()
      .startsWith("price_", "a Stripe price id starts with price_")
      .nullable()
      .optional(),
  })
  .strict();
export type PlanTermsChange = z.input<typeof planTermsChange>;

const auditable = (terms: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(terms).map(([key, value]) => [key, typeof value === "bigint" ? value.toString() : value]),
  );

/** An operator's change of a plan's price, included usage, payment mode or Stripe prices (audited, before and after). */
export async function setPlanTerms(input: { plan: string; change: PlanTermsChange }, ctx: ChangeContext, tx: Tx) {
  const change = planTermsChange.parse(input.change);
  const plan = await findPlanOrThrow(input.plan, tx);
  const before = Object.fromEntries(Object.keys(change).map((key) => [key, plan[key as keyof typeof plan]]));
  const updated = await tx.plan.update({ where: { id: plan.id }, data: change });
  await appendAuditEvent(
    {
      tenantId: null,
      action: "plan.terms.set",
      targetType: "plan",
      targetId: plan.id,
      metadata: { plan: plan.slug, before: auditable(before), after: auditable(change) },
    },
    ctx,
    tx,
  );
  return updated;
}

export const createPlanInput = z.object({
  /** The same URL-safe handle rules as a tenant's. */
  slug: tenantSlug,
  name: z.string().trim().min(1, "a plan needs a name").max(100),
  description: z.string().trim().max(500).default(""),
  priceMonthlyMicros: micros.default(0n),
  includedUsageMicros: micros.default(0n),
  prepaid: z.boolean().default(false),
});
export type CreatePlanInput = z.input<typeof createPlanInput>;

/** A new plan, e.g. custom terms for one customer; no limits until set (audited on the platform chain). */
export async function createPlan(rawInput: CreatePlanInput, ctx: ChangeContext, tx: Tx) {
  const input = createPlanInput.parse(rawInput);
  if (await tx.plan.findUnique({ where: { slug: input.slug } })) {
    throw new DomainError("conflict", `There is already a plan "${input.slug}".`);
  }
  const plan = await tx.plan.create({ data: { id: newId("plan"), ...input } });
  await appendAuditEvent(
    {
      tenantId: null,
      action: "plan.create",
      targetType: "plan",
      targetId: plan.id,
      metadata: auditable({ ...input }),
    },
    ctx,
    tx,
  );
  return plan;
}
