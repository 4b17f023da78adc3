import { modelUnit, readModelFolder } from "../read-model-folder.ts";
import type { EngineOptions, EngineStats, InferenceEngine } from "./inference-engine.ts";
import type { GenerationCallbacks, GenerationRequest } from "../tasks/generation/decoder-model.ts";
import { LocalEngine } from "./local-engine.ts";
import { ThreadedEngine } from "./threaded-engine.ts";

/** Several engines as one, each model answered by the engine that loaded it. */
class CombinedEngine implements InferenceEngine {
  readonly #byModel = new Map<string, InferenceEngine>();

  constructor(private readonly engines: [InferenceEngine, ...InferenceEngine[]]) {
    for (const engine of engines) for (const model of engine.describe().models) this.#byModel.set(model.id, engine);
  }

  /** An unknown model goes to the first engine, which says so in its words. */
  #engine(model: string) {
    return this.#byModel.get(model) ?? this.engines[0];
  }

  describe() {
    const { provider, providerNote } = this.engines[0].describe();
    return { provider, providerNote, models: this.engines.flatMap((engine) => engine.describe().models) };
  }

  embed(model: string, inputs: string[]) {
    return this.#engine(model).embed(model, inputs);
  }

  generate(model: string, request: GenerationRequest, callbacks?: GenerationCallbacks) {
    return this.#engine(model).generate(model, request, callbacks);
  }

  ocr(model: string, image: Uint8Array) {
    return this.#engine(model).ocr(model, image);
  }

  async stats(): Promise<EngineStats> {
    const all = await Promise.all(this.engines.map((engine) => engine.stats()));
    return all.reduce<EngineStats>((merged, stats) => ({ ...merged, ...stats }), {});
  }

  async close() {
    await Promise.all(this.engines.map((engine) => engine.close()));
  }
}

/**
 * The worker's engine: models with a graph run in a thread of their own (so
 * inference never blocks the queue's event loop); graph-less ones (echo)
 * answer on the calling thread, sparing them two thread hops.
 */
export async function createServingEngine(
  options: EngineOptions,
  onThreadFailure: (error: Error) => void,
): Promise<InferenceEngine> {
  const tasks = await Promise.all(
    options.modelDirs.map(async (source) => (await readModelFolder(modelUnit(source).dir)).manifest.task),
  );
  const inline = options.modelDirs.filter((_source, index) => tasks[index] === "echo");
  const threaded = options.modelDirs.filter((_source, index) => tasks[index] !== "echo");
  const engines: InferenceEngine[] = [];
  if (threaded.length > 0)
    engines.push(await ThreadedEngine.create({ ...options, modelDirs: threaded }, onThreadFailure));
  if (inline.length > 0) engines.push(await LocalEngine.create({ ...options, modelDirs: inline }));
  const [first, ...rest] = engines;
  if (!first) throw new Error("there are no models to serve");
  return rest.length === 0 ? first : new CombinedEngine([first, ...rest]);
}
