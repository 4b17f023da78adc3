/** What a model has run in batches since it loaded: for metrics (and tests). */
export interface BatchTotals {
  batches: number;
  items: number;
  largest: number;
  /** How many batches had each size: a histogram of batch sizes, exact. */
  sizes: Record<number, number>;
}

/** Counts batches as they run. */
export class BatchStats implements BatchTotals {
  batches = 0;
  items = 0;
  largest = 0;
  readonly sizes: Record<number, number> = {};

  record(size: number) {
    this.batches += 1;
    this.items += size;
    this.largest = Math.max(this.largest, size);
    this.sizes[size] = (this.sizes[size] ?? 0) + 1;
  }

  /** A copy that can cross to another thread. */
  totals(): BatchTotals {
    return { batches: this.batches, items: this.items, largest: this.largest, sizes: { ...this.sizes } };
  }
}
