import { BatchStats } from "./batch-stats.ts";
export interface BatchingOptions {
  /** Items per run; 1 turns batching off. */
  maxBatchSize: number;
  /**
   * How long the first waiting item may wait for company, in ms. 0: an idle
   * model runs it at once, and batches form from what arrives during a run.
   */
  maxWaitMs: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Groups items submitted close together into one call of `run`, which
 * returns one result per item, in order. A batch starts when it is full or
 * when its first item has waited `maxWaitMs`; one batch runs at a time, and
 * what arrives meanwhile forms the next. Items whose `key` differs (e.g. an
 * image size) never share a batch.
 */
export class DynamicBatcher<I, O> {
  readonly #queue: Pending<I, O>[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  /** Runs, items and batch sizes so far: for metrics and tests. */
  readonly stats = new BatchStats();

  constructor(
    private readonly options: BatchingOptions,
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly key: (item: I) => string = () => "",
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule() {
    if (this.#running || this.#queue.length === 0) return;
    if (this.#queue.length >= this.options.maxBatchSize || this.options.maxWaitMs <= 0) {
      this.#flush();
    } else {
      this.#timer ??= setTimeout(() => this.#flush(), this.options.maxWaitMs);
    }
  }

  #flush() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const first = this.#queue[0];
    if (this.#running || !first) return;
    const key = this.key(first.item);
    const batch: Pending<I, O>[] = [];
    for (let i = 0; i < this.#queue.length && batch.length < this.options.maxBatchSize;) {
      const pending = this.#queue[i];
      if (pending && this.key(pending.item) === key) {
        batch.push(pending);
        this.#queue.splice(i, 1);
      } else {
        i++;
      }
    }
    this.#running = true;
    this.stats.record(batch.length);
    this.run(batch.map((pending) => pending.item))
      .then(
        (results) => {
          if (results.length !== batch.length) {
            throw new Error(`batch run returned ${results.length} results for ${batch.length} items`);
          }
          batch.forEach((pending, i) => pending.resolve(results[i] as O));
        },
        (error: unknown) => {
          for (const pending of batch) pending.reject(error);
        },
      )
      .catch((error: unknown) => {
        for (const pending of batch) pending.reject(error);
      })
      .finally(() => {
        this.#running = false;
        // What queued during the run has already waited; it goes at once.
        if (this.#queue.length > 0) this.#flush();
      });
  }
}
