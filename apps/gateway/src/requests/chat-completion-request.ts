import { z } from "zod";
import { modelField, samplingFields, streamCarriesOneChoice, streamOptionsNeedStream } from "./generation-fields.ts";
import { responseFormatField } from "./response-format.ts";

const textPart = z.strictObject({ type: z.literal("text"), text: z.string() });
const content = z.union(
  [z.string(), z.array(textPart, { error: "only text content parts are supported by these models" })],
  { error: "expected a string or an array of text parts" },
);

const message = z.object({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"], {
    error: "expected one of system, developer, user, assistant, tool",
  }),
  content: content.nullish(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
});

export const chatCompletionRequest = z
  .strictObject({
    model: modelField,
    messages: z.array(message, { error: "expected an array of messages" }).min(1, "must hold at least one message"),
    ...samplingFields,
    max_completion_tokens: samplingFields.max_tokens,
    logprobs: z.boolean().nullish(),
    top_logprobs: z
      .number()
      .int("expected an integer")
      .min(0, "must be between 0 and 20")
      .max(20, "must be between 0 and 20")
      .nullish(),
    response_format: responseFormatField,
    tools: z.array(z.unknown()).max(0, "tools are not supported by these models").nullish(),
    tool_choice: z.literal("none", "tools are not supported by these models").nullish(),
    parallel_tool_calls: z.boolean().nullish(),
  })
  .refine(...streamOptionsNeedStream)
  .refine(...streamCarriesOneChoice)
  .refine((body) => body.top_logprobs == null || body.logprobs === true, {
    message: "logprobs must be set to true if top_logprobs is used",
    path: ["top_logprobs"],
  });
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

/** Messages as the worker takes them: text only, parts joined. */
export const chatMessages = (body: ChatCompletionRequest) =>
  body.messages.map(({ role, content }) => ({
    role,
    content: typeof content === "string" ? content : (content ?? []).map((part) => part.text).join(""),
  }));
