import { z } from "zod";
import { modelField } from "./generation-fields.ts";

/** Query-string values arrive as text: numbers are accepted either way. */
const count = z.coerce.number<unknown>({ error: "expected an integer" }).int("expected an integer");

export const generateRequest = z.strictObject({
  model: modelField,
  prompt: z.string({ error: "expected a string" }),
  max_tokens: count.min(1, "must be at least 1").max(100_000, "must be at most 100000").optional(),
  temperature: z.coerce
    .number<unknown>({ error: "expected a number" })
    .min(0, "must be between 0 and 2")
    .max(2, "must be between 0 and 2")
    .optional(),
  seed: count.optional(),
});
export type GenerateRequest = z.infer<typeof generateRequest>;
