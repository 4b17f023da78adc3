/** What the gate allows (see BatchGate). */
export interface BatchGateOptions {
  /** Batch jobs of a model generating at once while no interactive one is about. */
  maxBatch: number;
  /** A model is quiet once no interactive job has run on it for this long. */
  quietMs: number;
  /** A batch job that has waited this long runs anyway, one at a time: batches never starve. */
  starvationMs: number;
  /** Batch jobs waiting at once, at most (half the worker's slots): past it they run, so that they never hold every slot. */
  maxWaiting: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Interactive work first, per model, inside a worker: a batch line (a job
 * marked `batch`) starts only while the model has been free of interactive
 * jobs for `quietMs`, up to `maxBatch` at once; under steady interactive
 * traffic one batch line runs after waiting `starvationMs`. The queue's
 * priority already puts interactive jobs first when both wait; this keeps
 * batch lines from sharing the decoder's steps and the CPU with them once
 * they run.
 */
export class BatchGate {
  readonly #interactive = new Map<string, number>();
  readonly #lastInteractive = new Map<string, number>();
  readonly #batches = new Map<string, number>();
  readonly #waiting = new Map<string, number>();

  constructor(private readonly options: BatchGateOptions) {}

  /** An interactive job runs: returns its end. */
  interactive(model: string): () => void {
    this.#add(this.#interactive, model, 1);
    return () => {
      this.#add(this.#interactive, model, -1);
      this.#lastInteractive.set(model, Date.now());
    };
  }

  /** Waits for the batch line's turn; returns its end. */
  async batch(model: string, signal?: AbortSignal): Promise<() => void> {
    const since = Date.now();
    const waiting = this.#waiting.get(model) ?? 0;
    if (waiting < this.options.maxWaiting) {
      this.#add(this.#waiting, model, 1);
      try {
        while (!signal?.aborted && !this.#mayStart(model, since)) await sleep(5);
      } finally {
        this.#add(this.#waiting, model, -1);
      }
    }
    this.#add(this.#batches, model, 1);
    return () => this.#add(this.#batches, model, -1);
  }

  #mayStart(model: string, since: number) {
    const now = Date.now();
    const running = this.#batches.get(model) ?? 0;
    const quiet =
      (this.#interactive.get(model) ?? 0) === 0 &&
      now - (this.#lastInteractive.get(model) ?? 0) >= this.options.quietMs;
    if (quiet) return running < this.options.maxBatch;
    return running === 0 && now - since >= this.options.starvationMs;
  }

  #add(counts: Map<string, number>, model: string, by: number) {
    counts.set(model, (counts.get(model) ?? 0) + by);
  }
}
