import { z } from "zod";
import { modelField } from "./generation-fields.ts";
import { decodeTokenArrays } from "./token-array-input.ts";

const MAX_INPUTS = 2048;
const MAX_CHARS = 32_768;
const text = z
  .string()
  .min(1, "inputs must not be empty strings")
  .max(MAX_CHARS, `inputs are at most ${MAX_CHARS} characters`);

const tokens = z
  .array(z.number().int("token ids are integers").min(0, "token ids are not negative"))
  .min(1, "token arrays must not be empty")
  .max(MAX_CHARS, `token arrays are at most ${MAX_CHARS} tokens`);
const inputs = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, "must hold at least one input").max(MAX_INPUTS, `at most ${MAX_INPUTS} inputs`);

export const embeddingRequest = z.strictObject({
  model: modelField,
  input: z.union([text, inputs(text), tokens, inputs(tokens)], {
    error: "expected a string, an array of strings, a token array or an array of token arrays",
  }),
  encoding_format: z.enum(["float", "base64"], { error: "expected 'float' or 'base64'" }).optional(),
  dimensions: z.number().int("expected an integer").min(1).optional(),
  user: z.string().max(256).optional(),
});
export type EmbeddingRequest = z.infer<typeof embeddingRequest>;

/** The texts to embed: token arrays (cl100k_base, see token-array-input.ts) decoded. */
export async function embeddingInputs({ input }: EmbeddingRequest): Promise<string[]> {
  if (typeof input === "string") return [input];
  if (input.every((item) => typeof item === "string")) return input;
  if (input.every((item) => typeof item === "number")) return decodeTokenArrays([input]);
  return decodeTokenArrays(input.filter((item) => Array.isArray(item)));
}
