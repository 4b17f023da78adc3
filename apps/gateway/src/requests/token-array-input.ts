import type { Tiktoken } from "js-tiktoken/lite";
import { ApiError } from "../openai-error.ts";

/** cl100k_base's ids: 100,256 ranks and its special tokens up to <|endofprompt|>. */
const CL100K_IDS = 100_277;

let encoding: Promise<Tiktoken> | undefined;

/** Loaded on first use: its ranks are 1.7 MB that most gateways never need. */
function cl100k(): Promise<Tiktoken> {
  encoding ??= Promise.all([import("js-tiktoken/lite"), import("js-tiktoken/ranks/cl100k_base")]).then(
    ([{ Tiktoken }, { default: ranks }]) => new Tiktoken(ranks),
  );
  return encoding;
}

/**
 * Token-array inputs, as clients send them: ids of cl100k_base, the tokenizer
 * of OpenAI's embedding models, which LangChain's OpenAIEmbeddings (and others
 * that count tokens before sending) encode with. They are decoded to text, and
 * the text is embedded with the model's own tokenizer: ids of our models'
 * vocabularies would mean nothing to a client that cannot know them.
 */
export async function decodeTokenArrays(arrays: number[][]): Promise<string[]> {
  const tiktoken = await cl100k();
  return arrays.map((tokens, index) => {
    const bad = tokens.find((token) => token >= CL100K_IDS);
    if (bad !== undefined) {
      throw new ApiError(
        400,
        `Invalid value for 'input': token ${bad} is not a cl100k_base token id (0 to ${CL100K_IDS - 1}); token arrays are read as cl100k_base.`,
        "invalid_value",
        arrays.length > 1 ? `input[${index}]` : "input",
      );
    }
    return tiktoken.decode(tokens);
  });
}
