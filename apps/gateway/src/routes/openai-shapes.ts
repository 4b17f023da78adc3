import type { InferenceResult } from "@aiaas/core/queue";

/** OpenAI's `usage` object for generated text. */
export const tokenUsage = (result: InferenceResult) => ({
  prompt_tokens: result.usage.promptTokens,
  completion_tokens: result.usage.completionTokens,
  total_tokens: result.usage.promptTokens + result.usage.completionTokens,
});

/** The worker's finish reasons in OpenAI's words (a cancelled stream has no reader left to tell). */
export const finishReason = (reason: string): "stop" | "length" => (reason === "length" ? "length" : "stop");

/**
 * A response's id in OpenAI's form (`chatcmpl-…`, `cmpl-…`), from our request
 * id, which stays in `x-request-id` (the official clients read it there as
 * `_request_id`) and in usage.
 */
export const responseId = (prefix: "chatcmpl" | "cmpl", requestId: string) =>
  `${prefix}-${requestId.replace(/^req_/, "")}`;
