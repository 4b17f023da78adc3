import { z } from "zod";
import { unrecoverable } from "@aiaas/core/queue";

/** What a schema found wrong with a payload, on one line (a job's failed reason). */
export const problemOf = (error: z.ZodError) => z.prettifyError(error).replaceAll("\n", "; ");

/** A job's payload as this worker reads it: one it cannot read fails for good (`invalid_payload`). */
export function readPayload<T>(schema: z.ZodType<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw unrecoverable("invalid_payload", problemOf(parsed.error));
  return parsed.data;
}
