import { z } from "zod";
import { listAuditEvents } from "@aiaas/core/audit";
import { scopedProcedure } from "../../trpc.ts";

export const listAuditEventsInput = z.object({
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(200).optional(),
  target: z.string().trim().max(200).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  cursor: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** The active tenant's audit log, newest first, filtered and paged by seq. */
export const list = scopedProcedure("audit:read")
  .input(listAuditEventsInput)
  .query(({ ctx, input }) => listAuditEvents({ tenantId: ctx.tenant.id, ...input }, ctx.db));
