import { listMembers, roleCan } from "@aiaas/core/tenants";
import { scopedProcedure } from "../../trpc.ts";

export const list = scopedProcedure("members:read").query(({ ctx }) =>
  listMembers({ tenantId: ctx.tenant.id, withInvitations: roleCan(ctx.role, "members:invite") }, ctx.db),
);
