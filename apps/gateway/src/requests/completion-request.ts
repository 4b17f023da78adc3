import { z } from "zod";
import { modelField, samplingFields, streamCarriesOneChoice, streamOptionsNeedStream } from "./generation-fields.ts";

export const completionRequest = z
  .strictObject({
    model: modelField,
    prompt: z.union([z.string(), z.array(z.string()).length(1, "send one prompt per request")], {
      error: "expected a string (token arrays are not supported)",
    }),
    ...samplingFields,
    echo: z.literal(false, "echo is not supported").nullish(),
    logprobs: z
      .number()
      .int("expected an integer")
      .min(0, "must be between 0 and 5")
      .max(5, "must be between 0 and 5")
      .nullish(),
    suffix: z.null("suffix is not supported").optional(),
    best_of: z.literal(1, "only best_of = 1 is supported").nullish(),
  })
  .refine(...streamOptionsNeedStream)
  .refine(...streamCarriesOneChoice);
export type CompletionRequest = z.infer<typeof completionRequest>;

/** OpenAI's default for the legacy completions endpoint. */
export const DEFAULT_COMPLETION_TOKENS = 16;

export const completionPrompt = (body: CompletionRequest) =>
  typeof body.prompt === "string" ? body.prompt : (body.prompt[0] ?? "");
