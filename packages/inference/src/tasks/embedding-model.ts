import * as ort from "onnxruntime-node";
import { DynamicBatcher, type BatchingOptions } from "../batching/dynamic-batcher.ts";
import { InferenceInputError } from "../errors.ts";
import type { ModelFolder } from "../read-model-folder.ts";
import { loadTextTokenizer, type TextTokenizer } from "../text/text-tokenizer.ts";
import { floatData, int64Rows } from "./ort-tensors.ts";
import { poolTokenStates } from "./pooling.ts";

export interface EmbeddingResult {
  vectors: Float32Array[];
  promptTokens: number;
}

/**
 * A sentence-transformers style encoder: (input_ids, attention_mask
 * [, token_type_ids]) -> token states, pooled and normalised as the manifest
 * says (or a graph that already outputs one vector per input). Sequences of
 * concurrent requests share one session.run.
 */
export class EmbeddingModel {
  readonly task = "embedding" as const;
  readonly batcher: DynamicBatcher<number[], Float32Array>;

  private constructor(
    readonly folder: ModelFolder,
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: TextTokenizer,
    readonly maxTokens: number,
    batching: BatchingOptions,
  ) {
    this.batcher = new DynamicBatcher(batching, (sequences) => this.#run(sequences));
  }

  static async load(folder: ModelFolder, options: ort.InferenceSession.SessionOptions, batching: BatchingOptions) {
    const session = await ort.InferenceSession.create(folder.files.onnx ?? "", options);
    const tokenizer = await loadTextTokenizer(folder.dir);
    return new EmbeddingModel(folder, session, tokenizer, folder.manifest.contextLength ?? 512, batching);
  }

  async embed(texts: readonly string[]): Promise<EmbeddingResult> {
    const sequences = texts.map((text, index) => {
      const ids = this.tokenizer.encode(text);
      if (ids.length > this.maxTokens) {
        throw new InferenceInputError(
          "context_length_exceeded",
          `This model's maximum context length is ${this.maxTokens} tokens, however input[${index}] has ${ids.length} tokens. Shorten the input.`,
          "input",
        );
      }
      // An input with no tokens (only spaces) still gets a vector, as elsewhere.
      return ids.length > 0 ? ids : [this.tokenizer.padTokenId];
    });
    const vectors = await Promise.all(sequences.map((ids) => this.batcher.submit(ids)));
    return { vectors, promptTokens: sequences.reduce((sum, ids) => sum + ids.length, 0) };
  }

  async #run(sequences: number[][]): Promise<Float32Array[]> {
    const width = Math.max(...sequences.map((ids) => ids.length));
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Rows(sequences, width, this.tokenizer.padTokenId),
      attention_mask: int64Rows(
        sequences.map((ids) => ids.map(() => 1)),
        width,
        0,
      ),
    };
    if (this.session.inputNames.includes("token_type_ids")) {
      feeds.token_type_ids = int64Rows(
        sequences.map(() => []),
        width,
        0,
      );
    }
    const outputName = this.session.outputNames[0] ?? "last_hidden_state";
    const output = (await this.session.run(feeds))[outputName];
    const data = floatData(output, outputName);
    const dims = output?.dims ?? [];
    const { pooling, normalize } = this.folder.manifest;
    if (dims.length === 2) {
      // Already one vector per input (e.g. a sentence_embedding output).
      const hidden = Number(dims[1]);
      return sequences.map((_, row) => Float32Array.from(data.subarray(row * hidden, (row + 1) * hidden)));
    }
    const hidden = Number(dims[2]);
    return sequences.map((ids, row) =>
      poolTokenStates(
        data.subarray(row * width * hidden, (row + 1) * width * hidden),
        hidden,
        ids.length,
        pooling,
        normalize,
      ),
    );
  }

  async release() {
    await this.session.release();
  }
}
