/**
 * Key/value caches of a batch of sequences, one Float32Array per
 * `past_key_values.{layer}.{key|value}` input, each [batch, heads, width, headDim].
 * Sequences are right-aligned: a row holding `length` tokens has
 * `width - length` masked slots on its left.
 */
export interface KvBatch {
  data: Float32Array[];
  width: number;
}

/** One sequence's cache: a row of some batch. */
export interface KvRow {
  batch: KvBatch;
  row: number;
  length: number;
}

export interface KvShape {
  /** Number of past inputs: 2 per layer. */
  entries: number;
  heads: number;
  headDim: number;
}

/**
 * Copies rows (from any batches) into a new batch, right-aligned, as narrow
 * as the longest row. Used only when the batch's membership changes; in
 * between, each step's `present` outputs become the next `past` as they are.
 */
export function assembleKv(shape: KvShape, rows: readonly KvRow[]): KvBatch {
  const width = Math.max(0, ...rows.map((row) => row.length));
  const { heads, headDim } = shape;
  const data = Array.from({ length: shape.entries }, () => new Float32Array(rows.length * heads * width * headDim));
  rows.forEach((source, target) => {
    const span = source.length * headDim;
    for (let entry = 0; entry < shape.entries; entry++) {
      const from = source.batch.data[entry];
      const to = data[entry];
      if (!from || !to) throw new Error(`kv cache entry ${entry} is missing`);
      for (let head = 0; head < heads; head++) {
        const fromEnd = ((source.row * heads + head) * source.batch.width + source.batch.width) * headDim;
        const toEnd = ((target * heads + head) * width + width) * headDim;
        to.set(from.subarray(fromEnd - span, fromEnd), toEnd - span);
      }
    }
  });
  return { data, width };
}

/** attention_mask for the next step: each row's cached tokens plus the one being fed. */
export function stepAttentionMask(lengths: readonly number[], width: number): BigInt64Array {
  const mask = new BigInt64Array(lengths.length * (width + 1));
  lengths.forEach((length, row) => mask.fill(1n, row * (width + 1) + (width - length), (row + 1) * (width + 1)));
  return mask;
}
