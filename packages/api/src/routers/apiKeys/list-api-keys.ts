import { listApiKeys } from "@aiaas/core/keys";
import { scopedProcedure } from "../../trpc.ts";

/** The tenant's keys; owners and admins also see the playground session keys still working. */
export const list = scopedProcedure("keys:read").query(({ ctx }) =>
  listApiKeys({ tenantId: ctx.tenant.id, withSessionKeys: ctx.role === "owner" || ctx.role === "admin" }, ctx.db),
);
