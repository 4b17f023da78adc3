import { Worker } from "node:worker_threads";
import { InferenceInputError } from "../errors.ts";
import type { EmbeddingResult } from "../tasks/embedding-model.ts";
import type { GenerationCallbacks, GenerationRequest, GenerationResult } from "../tasks/generation/decoder-model.ts";
import type { OcrResult } from "../tasks/ocr/ocr-model.ts";
import type { EngineCall, EngineReply, SerializedError } from "./engine-messages.ts";
import type { EngineDescription, EngineOptions, EngineStats, InferenceEngine } from "./inference-engine.ts";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onText?: (delta: string) => void;
}

const revive = (error: SerializedError): Error =>
  error.code
    ? new InferenceInputError(error.code, error.message, error.param)
    : Object.assign(new Error(error.message), { name: error.name });

/**
 * The engine in a worker thread of its own. Calls and results cross as
 * messages; streamed text arrives as it is generated; a cancelled signal
 * stops the generation in the thread. If the thread dies, every call fails
 * and `onFailure` is told, so the worker can stop and let another take over.
 */
export class ThreadedEngine implements InferenceEngine {
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: Error | undefined;

  private constructor(
    private readonly thread: Worker,
    private readonly description: EngineDescription,
    onFailure: (error: Error) => void,
  ) {
    thread.on("message", (reply: EngineReply) => this.#receive(reply));
    const fail = (error: Error) => {
      if (this.#failure) return;
      this.#failure = error;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
      onFailure(error);
    };
    thread.on("error", fail);
    thread.on("exit", (code) => fail(new Error(`the inference thread exited (${code})`)));
  }

  static async create(options: EngineOptions, onFailure: (error: Error) => void = () => {}): Promise<ThreadedEngine> {
    const thread = new Worker(new URL("./engine-thread-bootstrap.mjs", import.meta.url), { workerData: options });
    const listeners: {
      message?: (reply: EngineReply) => void;
      error?: (error: Error) => void;
      exit?: (code: number) => void;
    } = {};
    const description = await new Promise<EngineDescription>((resolve, reject) => {
      listeners.message = (reply) => {
        if (reply.kind === "ready") resolve(reply.description);
        if (reply.kind === "failed") reject(revive(reply.error));
      };
      listeners.error = reject;
      listeners.exit = (code) => reject(new Error(`the inference thread exited (${code}) before it was ready`));
      thread.on("message", listeners.message).on("error", listeners.error).on("exit", listeners.exit);
    })
      .catch(async (error: unknown) => {
        await thread.terminate();
        throw error;
      })
      .finally(() => {
        if (listeners.message) thread.off("message", listeners.message);
        if (listeners.error) thread.off("error", listeners.error);
        if (listeners.exit) thread.off("exit", listeners.exit);
      });
    return new ThreadedEngine(thread, description, onFailure);
  }

  #receive(reply: EngineReply) {
    if (reply.kind === "ready" || reply.kind === "failed") return;
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    if (reply.kind === "text") {
      pending.onText?.(reply.delta);
      return;
    }
    this.#pending.delete(reply.id);
    if (reply.kind === "done") pending.resolve(reply.value);
    else pending.reject(revive(reply.error));
  }

  #call<T>(
    call: DistributiveOmit<EngineCall, "id">,
    extra: Omit<Pending, "resolve" | "reject"> = {},
    signal?: AbortSignal,
  ) {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, ...extra });
      this.thread.postMessage({ ...call, id });
      // A signal aborted already travels with the call itself (`cancelled`); a later abort, as a message.
      if (signal && !signal.aborted) {
        const cancel = () => this.thread.postMessage({ kind: "cancel", id } satisfies EngineCall);
        signal.addEventListener("abort", cancel, { once: true });
      }
    });
  }

  describe() {
    return this.description;
  }

  embed(model: string, inputs: string[]) {
    return this.#call<EmbeddingResult>({ kind: "embed", model, inputs });
  }

  generate(model: string, request: GenerationRequest, callbacks: GenerationCallbacks = {}) {
    return this.#call<GenerationResult>(
      {
        kind: "generate",
        model,
        request,
        stream: Boolean(callbacks.onText),
        cancelled: Boolean(callbacks.signal?.aborted),
      },
      { onText: callbacks.onText },
      callbacks.signal,
    );
  }

  ocr(model: string, image: Uint8Array) {
    return this.#call<OcrResult>({ kind: "ocr", model, image });
  }

  stats() {
    return this.#call<EngineStats>({ kind: "stats" });
  }

  async close() {
    if (!this.#failure) await this.#call({ kind: "close" });
    this.#failure ??= new Error("the engine is closed");
    await this.thread.terminate();
  }
}
