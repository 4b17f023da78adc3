import { z } from "zod";
import { batchEndpoints } from "@aiaas/core/batches";

/** POST /v1/batches. */
export const createBatchRequest = z.strictObject({
  input_file_id: z.string().min(1).max(64),
  endpoint: z.enum(batchEndpoints, { error: `expected one of ${batchEndpoints.join(", ")}` }),
  completion_window: z.literal("24h", "only '24h' is supported"),
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((metadata) => Object.keys(metadata).length <= 16, "at most 16 keys")
    .nullish(),
});
