import { z } from "zod";
import { modelField } from "./generation-fields.ts";

const MAX_INPUTS = 2048;
const MAX_CHARS = 32_768;
const text = z
  .string()
  .min(1, "inputs must not be empty strings")
  .max(MAX_CHARS, `inputs are at most ${MAX_CHARS} characters`);

export const embeddingRequest = z.strictObject({
  model: modelField,
  input: z.union(
    [text, z.array(text).min(1, "must hold at least one input").max(MAX_INPUTS, `at most ${MAX_INPUTS} inputs`)],
    {
      error: "expected a string or an array of strings (token arrays are not supported)",
    },
  ),
  encoding_format: z.enum(["float", "base64"], { error: "expected 'float' or 'base64'" }).optional(),
  dimensions: z.number().int("expected an integer").min(1).optional(),
  user: z.string().max(256).optional(),
});
export type EmbeddingRequest = z.infer<typeof embeddingRequest>;

export const embeddingInputs = (body: EmbeddingRequest) => (typeof body.input === "string" ? [body.input] : body.input);
