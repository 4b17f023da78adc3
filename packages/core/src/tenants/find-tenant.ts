import type { DbOrTx } from "@aiaas/db";
import { notFound } from "../errors.ts";

/** A tenant by slug or id, or a not_found error naming what was asked for. */
export async function findTenantOrThrow(slugOrId: string, db: DbOrTx) {
  const tenant = await db.tenant.findFirst({ where: { OR: [{ slug: slugOrId }, { id: slugOrId }] } });
  if (!tenant) throw notFound(`tenant "${slugOrId}"`);
  return tenant;
}
