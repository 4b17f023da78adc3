import { rolePermissions } from "@aiaas/core/tenants";
import { tenantProcedure } from "../../trpc.ts";

/** The active organisation, the caller's role in it and what that role may do. */
export const current = tenantProcedure.query(({ ctx }) => ({
  tenant: ctx.tenant,
  role: ctx.role,
  permissions: [...rolePermissions[ctx.role]],
}));
