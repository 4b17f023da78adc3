import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { readModelFolder } from "../../read-model-folder.ts";
import { loadTextTokenizer } from "../../text/text-tokenizer.ts";
import { testSessionOptions } from "../../testing/zoo.ts";
import { floatData, int64Rows } from "../ort-tensors.ts";
import { EmbeddingModel } from "../embedding-model.ts";
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
  greedy_16_text?: string;
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

const decoders = [
  {
    name: "tiny-qwen2",
    family: "Qwen2 from transformers: GQA without head_dim, biases, tied embeddings, byte-level BPE",
    chat: "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
  },
  {
    name: "tiny-llama",
    family: "Llama from PyTorch: GQA with its own head_dim, RoPE, RMSNorm, Metaspace BPE with byte fallback",
    chat: "<s>[INST] Hi [/INST]",
  },
  { name: "tiny-gpt2", family: "GPT-2 from PyTorch: learned positions, tied embeddings, byte-level BPE" },
];

describe.each(decoders)("$name ($family)", ({ name, chat }) => {
  it("tokenizes the prompt as its reference did, and renders its chat template", async () => {
    const { prompt, prompt_ids } = await reference(name);
    const tokenizer = await loadTextTokenizer(fixture(name));
    expect(tokenizer.encode(prompt)).toEqual(prompt_ids);
    if (chat) expect(tokenizer.renderChat([{ role: "user", content: "Hi" }])).toBe(chat);
  });

  it("gives the reference logits at the first step, with an empty cache of the shape the config implies", async () => {
    const ref = await reference(name);
    const folder = await readModelFolder(fixture(name));
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
    for (const pastName of pastNames) {
      feeds[pastName] = new ort.Tensor("float32", new Float32Array(0), [1, shape.heads, 0, shape.headDim]);
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
    const ref = await reference(name);
    const folder = await readModelFolder(fixture(name));
    const model = await DecoderModel.load(folder, testSessionOptions, { maxBatchSize: 1, maxWaitMs: 0 });
    const tokenizer = await loadTextTokenizer(folder.dir);
    // A generation ends at the model's end of text: the reference's tokens up to it.
    const end = ref.greedy_16_ids.findIndex((id) => tokenizer.eosTokenIds.has(id));
    const expected = end === -1 ? ref.greedy_16_ids : ref.greedy_16_ids.slice(0, end);
    const result = await model.generate({ prompt: ref.prompt, maxTokens: ref.greedy_16_ids.length, temperature: 0 });
    expect(result).toMatchObject({
      text: tokenizer.decode(expected),
      promptTokens: ref.prompt_ids.length,
      completionTokens: expected.length + (end === -1 ? 0 : 1),
      finishReason: end === -1 ? "length" : "stop",
    });
    // Where the reference decoded its tokens itself (transformers), the text matches that too.
    if (ref.greedy_16_text && name === "tiny-qwen2") expect(result.text).toBe(ref.greedy_16_text);
  });
});

describe("tiny-bert (BERT from PyTorch: WordPiece, token_type_ids, mean or CLS pooling)", () => {
  interface EncoderReference {
    sentences: string[];
    ids: number[][];
    embeddings: Record<"mean" | "cls", number[][]>;
  }
  const encoderReference = async () =>
    JSON.parse(await readFile(`${fixture("tiny-bert")}/reference.json`, "utf8")) as EncoderReference;

  it("tokenizes as WordPiece does, with [CLS] and [SEP]", async () => {
    const ref = await encoderReference();
    const tokenizer = await loadTextTokenizer(fixture("tiny-bert"));
    expect(ref.sentences.map((sentence) => tokenizer.encode(sentence))).toEqual(ref.ids);
  });

  it.each(["mean", "cls"] as const)("embeds as the PyTorch module did, pooled by %s", async (pooling) => {
    const ref = await encoderReference();
    const folder = await readModelFolder(fixture("tiny-bert"));
    const model = await EmbeddingModel.load(
      { ...folder, manifest: { ...folder.manifest, pooling } },
      testSessionOptions,
      { maxBatchSize: 8, maxWaitMs: 0 },
    );
    const { vectors } = await model.embed(ref.sentences);
    vectors.forEach((vector, row) =>
      vector.forEach((value, i) =>
        expect(Math.abs(value - (ref.embeddings[pooling][row]?.[i] ?? NaN))).toBeLessThan(1e-4),
      ),
    );
  });
});
