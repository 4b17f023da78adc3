import type { DbOrTx } from "@aiaas/db";
import { notFound } from "../errors.ts";

/** A plan by slug or id, or a not_found error naming what was asked for. */
export async function findPlanOrThrow(slugOrId: string, db: DbOrTx) {
  const plan = await db.plan.findFirst({ where: { OR: [{ slug: slugOrId }, { id: slugOrId }] } });
  if (!plan) throw notFound(`plan "${slugOrId}"`);
  return plan;
}
