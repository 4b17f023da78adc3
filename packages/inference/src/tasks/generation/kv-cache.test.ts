import { describe, expect, it } from "vitest";
import { assembleKv, stepAttentionMask, type KvBatch } from "./kv-cache.ts";

// One entry, one head, headDim 1: a row is just its values.
const shape = { entries: 1, heads: 1, headDim: 1 };
const batch = (rows: number[][], width: number): KvBatch => ({ data: [Float32Array.from(rows.flat())], width });

describe("assembleKv", () => {
  it("right-aligns rows of different batches into the narrowest batch", () => {
    const a = batch(
      [
        [0, 1, 2],
        [0, 0, 3],
      ],
      3,
    );
    const b = batch([[7, 8]], 2);
    const merged = assembleKv(shape, [
      { batch: a, row: 1, length: 1 },
      { batch: b, row: 0, length: 2 },
    ]);
    expect(merged.width).toBe(2);
    expect([...(merged.data[0] ?? [])]).toEqual([0, 3, 7, 8]);
  });

  it("keeps heads and head dimensions apart", () => {
    const twoHeads = { entries: 2, heads: 2, headDim: 2 };
    // row 0, width 2: head 0 = [[1,2],[3,4]], head 1 = [[5,6],[7,8]]
    const source: KvBatch = {
      data: [Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), Float32Array.from([9, 9, 9, 9, 9, 9, 9, 9])],
      width: 2,
    };
    const merged = assembleKv(twoHeads, [{ batch: source, row: 0, length: 1 }]);
    expect([...(merged.data[0] ?? [])]).toEqual([3, 4, 7, 8]);
    expect(merged.data[1]?.length).toBe(4);
  });
});

describe("stepAttentionMask", () => {
  it("masks each row's left padding and covers the fed token", () => {
    expect([...stepAttentionMask([2, 0], 2)]).toEqual([1n, 1n, 1n, 0n, 0n, 1n]);
  });
});
