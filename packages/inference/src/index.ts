export * from "./model-store/index.ts";
export { InferenceInputError, type InferenceInputErrorCode } from "./errors.ts";
export { DynamicBatcher, type BatchingOptions } from "./batching/dynamic-batcher.ts";
export {
  chooseExecutionProvider,
  ExecutionProviderError,
  type ExecutionProvider,
  type InferenceDevice,
} from "./runtime/execution-provider.ts";
export type {
  EngineDescription,
  EngineOptions,
  EngineStats,
  InferenceEngine,
  LoadedModel,
} from "./engine/inference-engine.ts";
export { LocalEngine } from "./engine/local-engine.ts";
export { ThreadedEngine } from "./engine/threaded-engine.ts";
export { createServingEngine } from "./engine/serving-engine.ts";
export type { EmbeddingResult } from "./tasks/embedding-model.ts";
export type {
  FinishReason,
  GenerationCallbacks,
  GenerationRequest,
  GenerationResult,
} from "./tasks/generation/decoder-model.ts";
export type { ChatMessage } from "./text/text-tokenizer.ts";
export type { OcrLine, OcrResult } from "./tasks/ocr/ocr-model.ts";
