import type { KvShape } from "./kv-cache.ts";

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;

const num = (config: Record<string, unknown>, ...names: string[]) => {
  for (const name of names) if (typeof config[name] === "number") return config[name];
  return undefined;
};

/**
 * The cache layout and context of an Optimum decoder export, from its
 * config.json (GPT-2 or Llama/Qwen2 naming, with or without `head_dim`)
 * and the graph's input names.
 */
export function decoderShape(config: Record<string, unknown>, inputNames: readonly string[]) {
  const pastNames = inputNames.filter((name) => PAST.test(name));
  if (pastNames.length === 0) {
    throw new Error("the graph has no past_key_values.* inputs: export it with past (Optimum's decoder-with-past)");
  }
  // A head's width is the hidden size over the attention heads; grouped-query attention
  // (Llama 2/3, Qwen2, Mistral) caches fewer heads of that same width.
  const attentionHeads = num(config, "n_head", "num_attention_heads");
  const heads = num(config, "num_key_value_heads") ?? attentionHeads;
  const hidden = num(config, "n_embd", "hidden_size");
  const headDim = num(config, "head_dim") ?? (attentionHeads && hidden ? hidden / attentionHeads : undefined);
  const context = num(config, "n_positions", "max_position_embeddings", "n_ctx");
  if (!heads || !headDim || !context) {
    throw new Error(
      "config.json must give the heads, hidden size and context (n_head/n_embd/n_positions or Llama's names)",
    );
  }
  const presentNames = pastNames.map((name) => name.replace("past_key_values", "present"));
  const shape: KvShape = { entries: pastNames.length, heads, headDim };
  return { shape, pastNames, presentNames, context, hasPositionIds: inputNames.includes("position_ids") };
}
