import { listApiKeys } from "@aiaas/core/server";
import { scopedProcedure } from "../../trpc.ts";

export const list = scopedProcedure("keys:read").query(({ ctx }) => listApiKeys({ tenantId: ctx.tenant.id }, ctx.db));
