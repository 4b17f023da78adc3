import type { BatchingOptions } from "../batching/dynamic-batcher.ts";
import { InferenceInputError } from "../errors.ts";
import { modelUnit, readModelFolder, type ModelFolder } from "../read-model-folder.ts";
import { chooseExecutionProvider, type ExecutionProvider } from "../runtime/execution-provider.ts";
import { EchoModel } from "../tasks/echo-model.ts";
import { EmbeddingModel } from "../tasks/embedding-model.ts";
import { DecoderModel, type GenerationCallbacks, type GenerationRequest } from "../tasks/generation/decoder-model.ts";
import { OcrModel } from "../tasks/ocr/ocr-model.ts";
import type {
  EngineDescription,
  EngineOptions,
  EngineStats,
  InferenceEngine,
  LoadedModel,
} from "./inference-engine.ts";

type Model = EmbeddingModel | DecoderModel | OcrModel | EchoModel;

const DEFAULT_BATCHING: BatchingOptions = { maxBatchSize: 32, maxWaitMs: 0 };

function batchingFor(folder: ModelFolder, options: EngineOptions): BatchingOptions {
  const manifest = folder.manifest.batching;
  const perModel = options.batchingByModel?.[folder.manifest.id];
  const pick = <K extends keyof BatchingOptions>(key: K) =>
    perModel?.[key] ?? options.batching?.[key] ?? manifest[key] ?? DEFAULT_BATCHING[key];
  return { maxBatchSize: pick("maxBatchSize"), maxWaitMs: pick("maxWaitMs") };
}

async function loadModel(folder: ModelFolder, provider: ExecutionProvider, batching: BatchingOptions): Promise<Model> {
  switch (folder.manifest.task) {
    case "embedding":
      return EmbeddingModel.load(folder, provider.sessionOptions, batching);
    case "chat":
    case "completion":
      return DecoderModel.load(folder, provider.sessionOptions, batching);
    case "ocr":
      return OcrModel.load(folder, provider.sessionOptions, batching);
    case "echo":
      return new EchoModel();
  }
}

/** The engine in this thread: one ORT session set per model, created once. */
export class LocalEngine implements InferenceEngine {
  private constructor(
    private readonly provider: ExecutionProvider,
    private readonly loaded: Map<string, { model: Model; info: LoadedModel }>,
  ) {}

  static async create(options: EngineOptions): Promise<LocalEngine> {
    const folders = await Promise.all(
      options.modelDirs.map(modelUnit).map(async (unit) => {
        const folder = await readModelFolder(unit.dir, unit.variant);
        return { ...folder, key: unit.key ?? folder.manifest.id };
      }),
    );
    const keys = new Set<string>();
    for (const folder of folders) {
      if (keys.has(folder.key)) throw new Error(`model ${folder.key} is given twice (${folder.dir})`);
      keys.add(folder.key);
    }
    const provider = await chooseExecutionProvider(
      options.device,
      folders.find((folder) => folder.files.onnx)?.files.onnx,
      options.threads,
    );
    const loaded = new Map<string, { model: Model; info: LoadedModel }>();
    for (const folder of folders) {
      const batching = batchingFor(folder, options);
      const model = await loadModel(folder, provider, batching);
      const contextLength = model instanceof DecoderModel ? model.contextLength : folder.manifest.contextLength;
      loaded.set(folder.key, {
        model,
        info: { id: folder.key, model: folder.manifest.id, task: folder.manifest.task, contextLength, batching },
      });
    }
    return new LocalEngine(provider, loaded);
  }

  describe(): EngineDescription {
    return {
      provider: this.provider.provider,
      providerNote: this.provider.note,
      models: [...this.loaded.values()].map(({ info }) => info),
    };
  }

  /** The model `id`, if it serves `task` (the echo model serves every task). */
  #model<T extends Model["task"]>(id: string, task: T, what: string): Extract<Model, { task: T }> | EchoModel {
    const entry = this.loaded.get(id);
    if (!entry) {
      throw new InferenceInputError("model_not_found", `The model '${id}' is not served by this worker.`, "model");
    }
    if (entry.model.task !== task && entry.model.task !== "echo") {
      throw new InferenceInputError("unsupported_task", `The model '${id}' does not support ${what}.`, "model");
    }
    return entry.model as Extract<Model, { task: T }>;
  }

  async embed(model: string, inputs: string[]) {
    return this.#model(model, "embedding", "embeddings").embed(inputs);
  }

  async generate(model: string, request: GenerationRequest, callbacks?: GenerationCallbacks) {
    return this.#model(model, "generation", "text generation").generate(request, callbacks);
  }

  async ocr(model: string, image: Uint8Array) {
    return this.#model(model, "ocr", "OCR").read(image);
  }

  async stats(): Promise<EngineStats> {
    const stats: EngineStats = {};
    for (const [id, { model }] of this.loaded) {
      if (model instanceof EmbeddingModel) stats[id] = model.batcher.stats.totals();
      else if (model instanceof OcrModel) stats[id] = model.recognizer.batcher.stats.totals();
      else if (model instanceof EchoModel) {
        const { requests } = model.stats;
        stats[id] = { batches: requests, items: requests, largest: 1, sizes: requests ? { 1: requests } : {} };
      } else stats[id] = model.stats.totals();
    }
    return stats;
  }

  async close() {
    await Promise.all([...this.loaded.values()].map(({ model }) => model.release()));
    this.loaded.clear();
  }
}
