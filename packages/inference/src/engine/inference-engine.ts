import type { InferenceDevice } from "../runtime/execution-provider.ts";
import type { BatchingOptions } from "../batching/dynamic-batcher.ts";
import type { ModelTask } from "../model-manifest.ts";
import type { EmbeddingResult } from "../tasks/embedding-model.ts";
import type { GenerationCallbacks, GenerationRequest, GenerationResult } from "../tasks/generation/decoder-model.ts";
import type { OcrResult } from "../tasks/ocr/ocr-model.ts";
import type { BatchTotals } from "../batching/batch-stats.ts";
import type { ModelSource } from "../read-model-folder.ts";

export interface EngineOptions {
  /** Model folders to serve (each with an aiaas.json manifest), or a variant of one under a name of its own. */
  modelDirs: ModelSource[];
  device: InferenceDevice;
  /** ORT intra-op threads per session; all cores when unset. */
  threads?: number;
  /** Batching for every model, over each manifest's own defaults. */
  batching?: Partial<BatchingOptions>;
  /** Batching per model id, over everything else. */
  batchingByModel?: Record<string, Partial<BatchingOptions>>;
}

export interface LoadedModel {
  /** What calls name it by: the manifest's id, or the name it was given. */
  id: string;
  /** The model's id (its manifest's). */
  model: string;
  task: ModelTask;
  contextLength?: number;
  batching: BatchingOptions;
}

export interface EngineDescription {
  provider: "cuda" | "cpu";
  providerNote: string;
  models: LoadedModel[];
}

/** Batches run, items they carried and their sizes, per model. */
export type EngineStats = Record<string, BatchTotals>;

/**
 * What the worker asks of inference, wherever it runs: in this thread
 * (LocalEngine, for benchmarks and tests) or in a worker thread beside the
 * BullMQ event loop (ThreadedEngine, in production).
 */
export interface InferenceEngine {
  describe(): EngineDescription;
  embed(model: string, inputs: string[]): Promise<EmbeddingResult>;
  generate(model: string, request: GenerationRequest, callbacks?: GenerationCallbacks): Promise<GenerationResult>;
  ocr(model: string, image: Uint8Array): Promise<OcrResult>;
  stats(): Promise<EngineStats>;
  close(): Promise<void>;
}
