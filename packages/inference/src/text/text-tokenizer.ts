import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";
import { Tokenizer } from "@huggingface/tokenizers";

export interface ChatMessage {
  role: string;
  content: string;
}

/** Used when a model folder has no chat template of its own. */
const DEFAULT_CHAT_TEMPLATE =
  "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}" +
  "{% if add_generation_prompt %}assistant: {% endif %}";

/**
 * A Hugging Face tokenizer.json (with its tokenizer_config.json and the
 * model's config.json / generation_config.json), as the model's folder has it.
 */
export interface TextTokenizer {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** Token ids that end a generation. */
  eosTokenIds: ReadonlySet<number>;
  padTokenId: number;
  /** The id unknown characters encode to, if the vocabulary has one. */
  unkTokenId?: number;
  /** Token ids run from 0 to this, less one (added tokens included). */
  vocabularySize: number;
  /** A token's own text (empty for special tokens). */
  tokenText(id: number): string;
  renderChat(messages: readonly ChatMessage[]): string;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

const ids = (value: unknown): number[] =>
  typeof value === "number" ? [value] : Array.isArray(value) ? value.filter((v) => typeof v === "number") : [];

function chatTemplateOf(config: Record<string, unknown>): string {
  const template = config.chat_template;
  if (typeof template === "string") return template;
  if (Array.isArray(template)) {
    const named = template.find((t: { name?: string }) => t.name === "default") as { template?: string } | undefined;
    if (named?.template) return named.template;
  }
  return DEFAULT_CHAT_TEMPLATE;
}

export async function loadTextTokenizer(folder: string): Promise<TextTokenizer> {
  const tokenizerJson = await readJson(join(folder, "tokenizer.json"));
  if (!tokenizerJson) throw new Error(`${folder}: missing tokenizer.json`);
  const tokenizerConfig = (await readJson(join(folder, "tokenizer_config.json"))) ?? {};
  const modelConfig = (await readJson(join(folder, "config.json"))) ?? {};
  const generationConfig = (await readJson(join(folder, "generation_config.json"))) ?? {};
  const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
  const tokenId = (value: unknown) => (typeof value === "string" ? tokenizer.token_to_id(value) : undefined);

  const eos = new Set([
    ...ids(generationConfig.eos_token_id ?? modelConfig.eos_token_id),
    ...[tokenId(tokenizerConfig.eos_token)].filter((id): id is number => id !== undefined),
  ]);
  const padTokenId = ids(modelConfig.pad_token_id)[0] ?? tokenId(tokenizerConfig.pad_token) ?? [...eos][0] ?? 0;
  const template = new Template(chatTemplateOf(tokenizerConfig));
  const special = (name: string) => (typeof tokenizerConfig[name] === "string" ? tokenizerConfig[name] : "");

  const model = tokenizerJson.model as { unk_token?: unknown } | undefined;
  return {
    encode: (text) => tokenizer.encode(text).ids,
    unkTokenId: tokenId(model?.unk_token ?? tokenizerConfig.unk_token),
    vocabularySize: Math.max(...tokenizer.get_vocab(true).values()) + 1,
    tokenText: (id) => tokenizer.decode([id], { skip_special_tokens: true }),
    decode: (tokens) => tokenizer.decode([...tokens], { skip_special_tokens: true }),
    eosTokenIds: eos,
    padTokenId,
    renderChat: (messages) =>
      template.render({
        messages,
        add_generation_prompt: true,
        bos_token: special("bos_token"),
        eos_token: special("eos_token"),
      }),
  };
}
