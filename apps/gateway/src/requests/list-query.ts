import { z } from "zod";

/** `?limit=&after=` of OpenAI's lists (files: up to 10,000, batches: 100). */
export const listQuery = (maxLimit: number, defaultLimit: number) =>
  z.object({
    limit: z.coerce.number().int().min(1).max(maxLimit, `at most ${maxLimit}`).default(defaultLimit),
    after: z.string().max(64).optional(),
    order: z.enum(["asc", "desc"]).default("desc"),
    purpose: z.string().max(32).optional(),
  });
