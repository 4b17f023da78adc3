import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { readModelFolder } from "../../read-model-folder.ts";
import { loadTextTokenizer } from "../../text/text-tokenizer.ts";
import { testSessionOptions } from "../../testing/zoo.ts";
import { floatData, int64Rows } from "../ort-tensors.ts";
import { DecoderModel } from "./decoder-model.ts";
import { decoderShape } from "./decoder-shape.ts";

/**
 * Real Hugging Face architectures, exported by `transformers` itself with
 * random weights (test-fixtures/hf-tiny/README.md): our loader must give
 * what PyTorch and onnxruntime gave when each fixture was made.
 */
const fixture = (name: string) => fileURLToPath(new URL(`../../../test-fixtures/hf-tiny/${name}`, import.meta.url));

interface DecoderReference {
  prompt: string;
  prompt_ids: number[];
  first_step_top5: number[];
  first_step_last_logits_head: number[];
  greedy_16_ids: number[];
  greedy_16_text: string;
  num_key_value_heads: number;
  head_dim: number;
}

const reference = async (name: string) =>
  JSON.parse(await readFile(`${fixture(name)}/reference.json`, "utf8")) as DecoderReference;

const topIds = (logits: Float32Array, count: number) =>
  [...logits.keys()].sort((a, b) => (logits[b] ?? 0) - (logits[a] ?? 0)).slice(0, count);

describe("decoderShape", () => {
  const past = ["past_key_values.0.key", "past_key_values.0.value"];

  it("sizes the cache of a grouped-query decoder without head_dim by its attention heads, not its key/value heads", () => {
    // Llama 2/3, TinyLlama, Qwen2, Mistral: hidden 64 over 4 attention heads is 16 wide; 2 heads are cached.
    const qwen2 = { hidden_size: 64, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 256 };
    expect(decoderShape(qwen2, past).shape).toEqual({ entries: 2, heads: 2, headDim: 16 });
  });

  it("takes head_dim when the config gives it, and GPT-2's names", () => {
    const llama = {
      hidden_size: 64,
      num_attention_heads: 4,
      num_key_value_heads: 1,
      head_dim: 8,
      max_position_embeddings: 128,
    };
    expect(decoderShape(llama, past).shape).toEqual({ entries: 2, heads: 1, headDim: 8 });
    const gpt2 = { n_embd: 64, n_head: 4, n_positions: 128 };
    expect(decoderShape(gpt2, past)).toMatchObject({ shape: { entries: 2, heads: 4, headDim: 16 }, context: 128 });
  });
});

describe("tiny-qwen2 (grouped-query attention, byte-level BPE, ChatML)", () => {
  it("tokenizes the prompt as the Hugging Face tokenizer did", async () => {
    const { prompt, prompt_ids } = await reference("tiny-qwen2");
    const tokenizer = await loadTextTokenizer(fixture("tiny-qwen2"));
    expect(tokenizer.encode(prompt)).toEqual(prompt_ids);
    expect(tokenizer.renderChat([{ role: "user", content: "Hi" }])).toBe(
      "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
    );
    expect(tokenizer.eosTokenIds.has(tokenizer.encode("<|im_end|>")[0] ?? -1)).toBe(true);
  });

  it("gives the reference logits at the first step, with an empty cache of the shape the config implies", async () => {
    const ref = await reference("tiny-qwen2");
    const folder = await readModelFolder(fixture("tiny-qwen2"));
    const session = await ort.InferenceSession.create(folder.files.onnx ?? "", testSessionOptions);
    const config = JSON.parse(await readFile(folder.files.config ?? "", "utf8")) as Record<string, unknown>;
    const { shape, pastNames } = decoderShape(config, session.inputNames);
    expect(shape).toMatchObject({ heads: ref.num_key_value_heads, headDim: ref.head_dim });
    const ids = ref.prompt_ids;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Rows([ids], ids.length, 0),
      attention_mask: int64Rows([ids.map(() => 1)], ids.length, 0),
      position_ids: int64Rows([ids.map((_, i) => i)], ids.length, 0),
    };
    for (const name of pastNames) {
      feeds[name] = new ort.Tensor("float32", new Float32Array(0), [1, shape.heads, 0, shape.headDim]);
    }
    const logits = floatData((await session.run(feeds)).logits, "logits");
    const vocabulary = logits.length / ids.length;
    const last = logits.subarray((ids.length - 1) * vocabulary);
    expect(topIds(last, 5)).toEqual(ref.first_step_top5);
    const head = [...last.subarray(0, ref.first_step_last_logits_head.length)];
    head.forEach((value, i) =>
      expect(Math.abs(value - (ref.first_step_last_logits_head[i] ?? NaN))).toBeLessThan(1e-4),
    );
  });

  it("generates the reference greedy tokens through its own cache", async () => {
    const ref = await reference("tiny-qwen2");
    const model = await DecoderModel.load(await readModelFolder(fixture("tiny-qwen2")), testSessionOptions, {
      maxBatchSize: 1,
      maxWaitMs: 0,
    });
    const result = await model.generate({ prompt: ref.prompt, maxTokens: ref.greedy_16_ids.length, temperature: 0 });
    expect(result).toMatchObject({
      text: ref.greedy_16_text,
      promptTokens: ref.prompt_ids.length,
      completionTokens: ref.greedy_16_ids.length,
      finishReason: "length",
    });
  });
});
