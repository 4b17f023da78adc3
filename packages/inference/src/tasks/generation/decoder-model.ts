import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import type { BatchingOptions } from "../../batching/dynamic-batcher.ts";
import { InferenceInputError } from "../../errors.ts";
import type { ModelFolder } from "../../read-model-folder.ts";
import { loadTextTokenizer, type ChatMessage, type TextTokenizer } from "../../text/text-tokenizer.ts";
import { floatData, int64Rows } from "../ort-tensors.ts";
import { decoderShape } from "./decoder-shape.ts";
import { assembleKv, stepAttentionMask, type KvBatch, type KvRow } from "./kv-cache.ts";
import { StopSequences } from "./stop-sequences.ts";
import { TokenSampler } from "./token-sampler.ts";
import { UnsupportedSchemaError, startState, type GrammarState } from "@aiaas/json-grammar";
import { GrammarVocabulary, type ResponseFormat } from "./grammar-vocabulary.ts";
import { tokenLogprob, type TokenLogprob } from "./token-logprobs.ts";
import { BatchStats } from "../../batching/batch-stats.ts";

export interface GenerationRequest {
  /** A completion prompt, or chat messages rendered by the model's chat template. */
  prompt?: string;
  messages?: ChatMessage[];
  /** Tokens to generate at most; by default, what the context leaves. */
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Token id → bias added to its logit (OpenAI's `logit_bias`); ids past the vocabulary change nothing. */
  logitBias?: Record<string, number>;
  /** Report each generated token's log probability, with this many of the likeliest tokens at its step (0–20). */
  logprobs?: { top: number };
  /** Constrain the output to JSON (any object, or a document of a schema): see grammar-vocabulary.ts. */
  responseFormat?: ResponseFormat;
}

export type FinishReason = "stop" | "length" | "cancelled";

export interface GenerationResult {
  text: string;
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  /** With `logprobs` asked: one entry per token of `text`. */
  logprobs?: TokenLogprob[];
}

export interface GenerationCallbacks {
  /** Called with each new piece of text, in order, as soon as it is final. */
  onText?: (delta: string) => void;
  signal?: AbortSignal;
}

interface Sequence {
  promptIds: number[];
  generated: number[];
  maxTokens: number;
  sampler: TokenSampler;
  stops: StopSequences;
  text: string;
  emitted: number;
  /** The sampled token not yet in the cache: the next step feeds it. */
  pending: number;
  kv?: KvRow;
  finish?: FinishReason;
  /** Structured output: where the document is (null once whole). */
  grammar?: { state: GrammarState };
  logprobs?: { top: number; tokens: TokenLogprob[] };
  callbacks: GenerationCallbacks;
  resolve: (result: GenerationResult) => void;
  reject: (error: unknown) => void;
}

/** The tokens that made `length` characters of text (a stop sequence may have cut the text short). */
function withinText(tokens: TokenLogprob[], length: number) {
  let written = 0;
  return tokens.filter((token) => {
    const kept = written < length || token.token.length === 0;
    written += token.token.length;
    return kept;
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A decoder-only language model in Optimum's export signature (input_ids,
 * attention_mask, position_ids, past_key_values.* -> logits, present.*),
 * with continuous batching: every step runs all active sequences in one
 * session.run; new requests join between steps, finished ones leave.
 */
export class DecoderModel {
  readonly task = "generation" as const;
  readonly #waiting: Sequence[] = [];
  #active: Sequence[] = [];
  #running = false;
  /** Steps run and sequences they carried: for metrics and tests. */
  /** Decode steps run, each a batch of sequences. */
  readonly stats = new BatchStats();
  #grammarVocabulary?: GrammarVocabulary;

  private constructor(
    readonly folder: ModelFolder,
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: TextTokenizer,
    private readonly layout: ReturnType<typeof decoderShape>,
    private readonly bosTokenId: number,
    private readonly batching: BatchingOptions,
  ) {}

  static async load(folder: ModelFolder, options: ort.InferenceSession.SessionOptions, batching: BatchingOptions) {
    const session = await ort.InferenceSession.create(folder.files.onnx ?? "", options);
    const config = JSON.parse(await readFile(folder.files.config ?? "", "utf8")) as Record<string, unknown>;
    const tokenizer = await loadTextTokenizer(folder.dir);
    const layout = decoderShape(config, session.inputNames);
    const bos = typeof config.bos_token_id === "number" ? config.bos_token_id : [...tokenizer.eosTokenIds][0];
    return new DecoderModel(folder, session, tokenizer, layout, bos ?? 0, batching);
  }

  get contextLength() {
    return Math.min(this.layout.context, this.folder.manifest.contextLength ?? Infinity);
  }

  generate(request: GenerationRequest, callbacks: GenerationCallbacks = {}): Promise<GenerationResult> {
    const promptText = request.messages ? this.tokenizer.renderChat(request.messages) : (request.prompt ?? "");
    const encoded = this.tokenizer.encode(promptText);
    // An empty prompt starts from the beginning-of-text token, as GPT-2 does.
    const promptIds = encoded.length > 0 ? encoded : [this.bosTokenId];
    const context = this.contextLength;
    const room = context - promptIds.length;
    const maxTokens = request.maxTokens ?? room;
    const param = request.messages ? "messages" : "prompt";
    if (room < 1) {
      return Promise.reject(
        new InferenceInputError(
          "context_length_exceeded",
          `This model's maximum context length is ${context} tokens, and your ${param} alone is ${promptIds.length} tokens, which leaves no room for a completion. Please shorten the ${param}.`,
          param,
        ),
      );
    }
    if (maxTokens > room) {
      return Promise.reject(
        new InferenceInputError(
          "context_length_exceeded",
          `This model's maximum context length is ${context} tokens. However, you requested ${promptIds.length + maxTokens} tokens (${promptIds.length} in the ${param}, ${maxTokens} in the completion). Please reduce the length of the ${param} or of max_tokens.`,
          "max_tokens",
        ),
      );
    }
    let grammar: Sequence["grammar"];
    if (request.responseFormat) {
      this.#grammarVocabulary ??= new GrammarVocabulary(this.tokenizer, this.tokenizer.vocabularySize);
      try {
        const root = this.#grammarVocabulary.grammar(request.responseFormat);
        if (root.min > maxTokens) {
          return Promise.reject(
            new InferenceInputError(
              "invalid_input",
              `max_tokens is ${maxTokens}, and the shortest document of this response format takes ${root.min} tokens. Raise max_tokens (or shorten the ${param}).`,
              "max_tokens",
            ),
          );
        }
        grammar = { state: startState(root) };
      } catch (error) {
        if (!(error instanceof UnsupportedSchemaError)) throw error;
        return Promise.reject(new InferenceInputError("invalid_input", error.message, "response_format"));
      }
    }
    return new Promise<GenerationResult>((resolve, reject) => {
      this.#waiting.push({
        grammar,
        logprobs: request.logprobs && { top: request.logprobs.top, tokens: [] },
        promptIds,
        generated: [],
        maxTokens,
        sampler: new TokenSampler({
          temperature: request.temperature ?? 1,
          topP: request.topP ?? 1,
          seed: request.seed,
          presencePenalty: request.presencePenalty,
          frequencyPenalty: request.frequencyPenalty,
          logitBias:
            request.logitBias && new Map(Object.entries(request.logitBias).map(([id, bias]) => [Number(id), bias])),
        }),
        stops: new StopSequences(request.stop ?? []),
        text: "",
        emitted: 0,
        pending: 0,
        callbacks,
        resolve,
        reject,
      });
      if (!this.#running) {
        this.#running = true;
        void this.#run();
      }
    });
  }

  /** The scheduling loop; it stops (in the same tick as it finds no work) when nothing is left. */
  async #run() {
    for (;;) {
      if (this.#active.length === 0 && this.#waiting.length === 0) {
        this.#running = false;
        return;
      }
      try {
        const room = this.batching.maxBatchSize - this.#active.length;
        let changed = false;
        if (this.#waiting.length > 0 && room > 0) {
          // Alone, wait a moment for company so that prompts prefill together.
          if (this.#active.length === 0 && this.#waiting.length < room && this.batching.maxWaitMs > 0) {
            await sleep(this.batching.maxWaitMs);
          }
          const admitted = this.#waiting.splice(0, room);
          for (const sequence of admitted.filter((s) => s.callbacks.signal?.aborted)) {
            sequence.finish = "cancelled";
            this.#settle(sequence);
          }
          const starting = admitted.filter((s) => !s.finish);
          // Active before the prefill, so that a failure rejects them too.
          this.#active.push(...starting);
          if (starting.length > 0) await this.#prefill(starting);
          changed = true;
        }
        for (const sequence of this.#active) {
          if (!sequence.finish && sequence.callbacks.signal?.aborted) sequence.finish = "cancelled";
        }
        const finished = this.#active.filter((sequence) => sequence.finish);
        if (finished.length > 0) {
          this.#active = this.#active.filter((sequence) => !sequence.finish);
          finished.forEach((sequence) => this.#settle(sequence));
          changed = true;
        }
        if (this.#active.length === 0) continue;
        if (changed) this.#regroup();
        await this.#step();
      } catch (error) {
        for (const sequence of [...this.#active, ...this.#waiting.splice(0)]) sequence.reject(error);
        this.#active = [];
      }
    }
  }

  /** Runs the prompts of newly admitted sequences together, left-padded, and samples their first tokens. */
  async #prefill(sequences: Sequence[]) {
    const width = Math.max(...sequences.map((s) => s.promptIds.length));
    const padded = sequences.map((s) => [...Array<number>(width - s.promptIds.length).fill(-1), ...s.promptIds]);
    const pad = this.tokenizer.padTokenId;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Rows(
        padded.map((row) => row.map((id) => (id < 0 ? pad : id))),
        width,
        pad,
      ),
      attention_mask: int64Rows(
        padded.map((row) => row.map((id) => (id < 0 ? 0 : 1))),
        width,
        0,
      ),
    };
    if (this.layout.hasPositionIds) {
      feeds.position_ids = int64Rows(
        sequences.map((s) => [...Array<number>(width - s.promptIds.length).fill(0), ...s.promptIds.map((_, i) => i)]),
        width,
        0,
      );
    }
    const empty = new Float32Array(0);
    for (const name of this.layout.pastNames) {
      feeds[name] = new ort.Tensor("float32", empty, [
        sequences.length,
        this.layout.shape.heads,
        0,
        this.layout.shape.headDim,
      ]);
    }
    const { logits, batch } = await this.#runGraph(feeds, width);
    sequences.forEach((sequence, row) => {
      sequence.kv = { batch, row, length: sequence.promptIds.length };
      this.#accept(sequence, this.#sample(sequence, logits, row, width, width - 1));
    });
  }

  /** One decoding step for every active sequence. */
  async #step() {
    const sequences = this.#active;
    const first = sequences[0]?.kv;
    if (!first) throw new Error("active sequence without a cache");
    const width = first.batch.width;
    const lengths = sequences.map((s) => s.kv?.length ?? 0);
    const { shape } = this.layout;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Rows(
        sequences.map((s) => [s.pending]),
        1,
        0,
      ),
      attention_mask: new ort.Tensor("int64", stepAttentionMask(lengths, width), [sequences.length, width + 1]),
    };
    if (this.layout.hasPositionIds)
      feeds.position_ids = int64Rows(
        lengths.map((length) => [length]),
        1,
        0,
      );
    this.layout.pastNames.forEach((name, entry) => {
      const data = first.batch.data[entry] ?? new Float32Array(0);
      feeds[name] = new ort.Tensor("float32", data, [sequences.length, shape.heads, width, shape.headDim]);
    });
    const { logits, batch } = await this.#runGraph(feeds, 1);
    this.stats.record(sequences.length);
    sequences.forEach((sequence, row) => {
      sequence.kv = { batch, row, length: (sequence.kv?.length ?? 0) + 1 };
      this.#accept(sequence, this.#sample(sequence, logits, row, 1, 0));
    });
  }

  async #runGraph(feeds: Record<string, ort.Tensor>, length: number) {
    const outputs = await this.session.run(feeds);
    const logits = outputs.logits;
    const dims = logits?.dims ?? [];
    const present = this.layout.presentNames.map((name) => floatData(outputs[name], name));
    const width = Number(outputs[this.layout.presentNames[0] ?? ""]?.dims[2] ?? 0);
    if (Number(dims[1]) !== length) throw new Error(`logits cover ${String(dims[1])} positions, expected ${length}`);
    return {
      logits: { data: floatData(logits, "logits"), vocabulary: Number(dims[2]) },
      batch: { data: present, width },
    };
  }

  #sample(
    sequence: Sequence,
    logits: { data: Float32Array; vocabulary: number },
    row: number,
    length: number,
    position: number,
  ) {
    const offset = (row * length + position) * logits.vocabulary;
    const adjusted = sequence.sampler.adjust(
      logits.data.subarray(offset, offset + logits.vocabulary),
      sequence.generated,
    );
    let token: number;
    let piece: string | undefined;
    if (sequence.grammar) {
      const vocabulary = this.#grammarVocabulary;
      if (!vocabulary) throw new Error("structured output without its vocabulary");
      const budget = sequence.maxTokens - sequence.generated.length - 1;
      const allowed = vocabulary.trie.allowed(sequence.grammar.state, budget);
      if (allowed.size === 0) throw new Error("structured output: no token continues the document");
      const chosen = sequence.sampler.pick(vocabulary.logits(adjusted, new Set(allowed.keys())));
      sequence.grammar.state = allowed.get(chosen) ?? null;
      token = vocabulary.tokens[chosen] ?? 0;
      piece = vocabulary.texts[chosen] ?? "";
    } else {
      token = sequence.sampler.pick(adjusted);
    }
    const logprob =
      sequence.logprobs &&
      tokenLogprob(adjusted, token, sequence.logprobs.top, (id) => this.tokenizer.tokenText(id), piece);
    return { token, piece, logprob };
  }

  /**
   * Takes a sampled token: ends the sequence, or streams what is final and
   * feeds it next. Under a grammar the text is the pieces' own (a piece may
   * stand for the unknown token), and the sequence ends once the document is whole.
   */
  #accept(sequence: Sequence, { token, piece, logprob }: { token: number; piece?: string; logprob?: TokenLogprob }) {
    if (piece === undefined && this.tokenizer.eosTokenIds.has(token)) {
      sequence.finish = "stop";
      return;
    }
    sequence.generated.push(token);
    if (logprob) sequence.logprobs?.tokens.push(logprob);
    const text = piece === undefined ? this.tokenizer.decode(sequence.generated) : sequence.text + piece;
    const stopAt = sequence.stops.stopIndex(text);
    if (stopAt !== undefined) {
      sequence.text = text.slice(0, stopAt);
      sequence.finish = "stop";
      return;
    }
    sequence.text = text;
    if (sequence.grammar?.state === null) {
      sequence.finish = "stop";
      return;
    }
    const cached = (sequence.kv?.length ?? 0) + 1;
    if (sequence.generated.length >= sequence.maxTokens || cached > this.contextLength) {
      sequence.finish = "length";
      return;
    }
    sequence.pending = token;
    // Hold back a tail that may begin a stop sequence, or a split multi-byte character.
    let safe = sequence.stops.safeLength(text);
    while (safe > sequence.emitted && text[safe - 1] === "\uFFFD") safe--;
    this.#emit(sequence, safe);
  }

  #emit(sequence: Sequence, upTo: number) {
    if (upTo <= sequence.emitted) return;
    sequence.callbacks.onText?.(sequence.text.slice(sequence.emitted, upTo));
    sequence.emitted = upTo;
  }

  #settle(sequence: Sequence) {
    this.#emit(sequence, sequence.text.length);
    sequence.kv = undefined;
    sequence.resolve({
      text: sequence.text,
      finishReason: sequence.finish ?? "stop",
      promptTokens: sequence.promptIds.length,
      completionTokens: sequence.generated.length,
      ...(sequence.logprobs && { logprobs: withinText(sequence.logprobs.tokens, sequence.text.length) }),
    });
  }

  /** Rebuilds the batch cache after sequences joined or left. */
  #regroup() {
    const rows = this.#active.map((sequence) => {
      if (!sequence.kv) throw new Error("active sequence without a cache");
      return sequence.kv;
    });
    const batch: KvBatch = assembleKv(this.layout.shape, rows);
    this.#active.forEach((sequence, row) => {
      sequence.kv = { batch, row, length: rows[row]?.length ?? 0 };
    });
  }

  async release() {
    await this.session.release();
  }
}
