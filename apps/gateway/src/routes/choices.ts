import type { GeneratedChoice, InferenceOutput } from "@aiaas/core/queue";
import { finishReason } from "./openai-shapes.ts";

/** A generation's choices in order: one, or n. */
export const choicesOf = (output: InferenceOutput<"chat">): GeneratedChoice[] => output.choices ?? [output];

const bytes = (token: string) => [...Buffer.from(token, "utf8")];

/** Chat's `logprobs` for a choice: each token, its log probability and bytes, and the likeliest alternatives. */
export const chatLogprobs = (choice: GeneratedChoice) =>
  choice.logprobs
    ? {
        content: choice.logprobs.map(({ token, logprob, top }) => ({
          token,
          logprob,
          bytes: bytes(token),
          top_logprobs: top.map((alternative) => ({ ...alternative, bytes: bytes(alternative.token) })),
        })),
        refusal: null,
      }
    : null;

/** The legacy completions' `logprobs`: parallel lists, alternatives as token → log probability. */
export function completionLogprobs(choice: GeneratedChoice) {
  if (!choice.logprobs) return null;
  let offset = 0;
  const textOffset = choice.logprobs.map(({ token }) => {
    const at = offset;
    offset += token.length;
    return at;
  });
  return {
    tokens: choice.logprobs.map(({ token }) => token),
    token_logprobs: choice.logprobs.map(({ logprob }) => logprob),
    top_logprobs: choice.logprobs.map(({ top }) =>
      Object.fromEntries(top.map(({ token, logprob }) => [token, logprob])),
    ),
    text_offset: textOffset,
  };
}

export const choiceFinish = (choice: GeneratedChoice) => finishReason(choice.finishReason);
