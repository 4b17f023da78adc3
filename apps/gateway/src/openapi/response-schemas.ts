import { z } from "zod";

const usage = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
});
const finishReason = z.enum(["stop", "length"]);
const tokenLogprob = z.object({ token: z.string(), logprob: z.number(), bytes: z.array(z.number().int()) });
/** With logprobs: true, each token of the choice, with top_logprobs alternatives. */
const chatLogprobs = z
  .object({ content: z.array(tokenLogprob.extend({ top_logprobs: z.array(tokenLogprob) })), refusal: z.null() })
  .nullable();
/** The legacy completions' logprobs (with logprobs: N). */
const completionLogprobs = z
  .object({
    tokens: z.array(z.string()),
    token_logprobs: z.array(z.number()),
    top_logprobs: z.array(z.record(z.string(), z.number())),
    text_offset: z.array(z.number().int()),
  })
  .nullable();

/** The shapes of the gateway's answers, for the OpenAPI description and the tests that check them. */
export const responseSchemas = {
  Error: z.object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().nullable(),
    }),
  }),
  Model: z.object({
    id: z.string(),
    object: z.literal("model"),
    created: z.number().int(),
    owned_by: z.string(),
    // Ours, beside OpenAI's fields (clients ignore what they do not know), as OpenRouter lists them.
    task: z.enum(["chat", "completion", "embedding", "ocr", "echo"]).describe("What the model does"),
    context_length: z.number().int().nullable().describe("Longest prompt plus answer, in tokens"),
    version: z.string().nullable().describe("The version this name answers with now"),
    pricing: z
      .object({
        prompt: z.string().describe("USD per input token, as a decimal string"),
        completion: z.string().describe("USD per output token"),
        image: z.string().describe("USD per image"),
      })
      .describe("The price in force now"),
  }),
  ModelList: z.object({
    object: z.literal("list"),
    data: z.array(
      z.object({ id: z.string(), object: z.literal("model"), created: z.number().int(), owned_by: z.string() }),
    ),
  }),
  ChatCompletion: z.object({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.number().int(),
    model: z.string(),
    system_fingerprint: z.null(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({ role: z.literal("assistant"), content: z.string(), refusal: z.null() }),
        logprobs: chatLogprobs,
        finish_reason: finishReason,
      }),
    ),
    usage,
  }),
  Completion: z.object({
    id: z.string(),
    object: z.literal("text_completion"),
    created: z.number().int(),
    model: z.string(),
    system_fingerprint: z.null(),
    choices: z.array(
      z.object({
        text: z.string(),
        index: z.number().int(),
        logprobs: completionLogprobs,
        finish_reason: finishReason,
      }),
    ),
    usage,
  }),
  File: z.object({
    id: z.string(),
    object: z.literal("file"),
    bytes: z.number().int(),
    created_at: z.number().int(),
    expires_at: z.number().int().nullable(),
    filename: z.string(),
    purpose: z.enum(["batch", "batch_output"]),
    status: z.literal("processed"),
    status_details: z.null(),
  }),
  FileList: z.object({
    object: z.literal("list"),
    data: z.array(z.object({ id: z.string(), object: z.literal("file") })),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
    has_more: z.boolean(),
  }),
  FileDeleted: z.object({ id: z.string(), object: z.literal("file"), deleted: z.literal(true) }),
  Batch: z.object({
    id: z.string(),
    object: z.literal("batch"),
    endpoint: z.string(),
    errors: z
      .object({
        object: z.literal("list"),
        data: z.array(
          z.object({
            code: z.string(),
            message: z.string(),
            param: z.string().nullable(),
            line: z.number().nullable(),
          }),
        ),
      })
      .nullable(),
    input_file_id: z.string(),
    completion_window: z.literal("24h"),
    status: z.enum([
      "validating",
      "failed",
      "in_progress",
      "finalizing",
      "completed",
      "expired",
      "cancelling",
      "cancelled",
    ]),
    output_file_id: z.string().nullable(),
    error_file_id: z.string().nullable(),
    created_at: z.number().int(),
    in_progress_at: z.number().int().nullable(),
    expires_at: z.number().int(),
    finalizing_at: z.number().int().nullable(),
    completed_at: z.number().int().nullable(),
    failed_at: z.number().int().nullable(),
    expired_at: z.number().int().nullable(),
    cancelling_at: z.number().int().nullable(),
    cancelled_at: z.number().int().nullable(),
    request_counts: z.object({ total: z.number().int(), completed: z.number().int(), failed: z.number().int() }),
    metadata: z.record(z.string(), z.string()).nullable(),
  }),
  BatchList: z.object({
    object: z.literal("list"),
    data: z.array(z.object({ id: z.string(), object: z.literal("batch") })),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
    has_more: z.boolean(),
  }),
  EmbeddingList: z.object({
    object: z.literal("list"),
    data: z.array(
      z.object({
        object: z.literal("embedding"),
        index: z.number().int(),
        embedding: z.union([z.array(z.number()), z.string().describe("base64 of little-endian float32")]),
      }),
    ),
    model: z.string(),
    usage: z.object({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }),
  }),
  Ocr: z.object({
    id: z.string(),
    object: z.literal("ocr"),
    created: z.number().int(),
    model: z.string(),
    text: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    lines: z.array(
      z.object({
        text: z.string(),
        confidence: z.number().min(0).max(1),
        box: z.array(z.tuple([z.number(), z.number()])).describe("corners, clockwise from top left, in pixels"),
      }),
    ),
    usage: z.object({ images: z.number().int() }),
  }),
  Generated: z.object({ id: z.string(), model: z.string(), text: z.string(), finish_reason: finishReason, usage }),
};
