import { describe, expect, it } from "vitest";
import { DynamicBatcher } from "./dynamic-batcher.ts";

const double = async (items: number[]) => items.map((n) => n * 2);

describe("DynamicBatcher", () => {
  it("groups items submitted together into one run, results in order", async () => {
    const runs: number[][] = [];
    const batcher = new DynamicBatcher<number, number>({ maxBatchSize: 8, maxWaitMs: 5 }, async (items) => {
      runs.push(items);
      return double(items);
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(runs).toEqual([[1, 2, 3, 4, 5]]);
    expect(batcher.stats.totals()).toEqual({ batches: 1, items: 5, largest: 5, sizes: { 5: 1 } });
  });

  it("never exceeds the maximum batch size and runs one batch at a time", async () => {
    let running = 0;
    let overlap = false;
    const sizes: number[] = [];
    const batcher = new DynamicBatcher<number, number>({ maxBatchSize: 3, maxWaitMs: 1 }, async (items) => {
      overlap ||= running > 0;
      running++;
      sizes.push(items.length);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return double(items);
    });
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => batcher.submit(n)));
    expect(results).toEqual(Array.from({ length: 10 }, (_, n) => n * 2));
    expect(Math.max(...sizes)).toBe(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(overlap).toBe(false);
  });

  it("runs a lone item after the wait, and each alone when batching is off", async () => {
    const sizes: number[] = [];
    const off = new DynamicBatcher<number, number>({ maxBatchSize: 1, maxWaitMs: 2 }, async (items) => {
      sizes.push(items.length);
      return double(items);
    });
    expect(await Promise.all([off.submit(1), off.submit(2), off.submit(3)])).toEqual([2, 4, 6]);
    expect(sizes).toEqual([1, 1, 1]);
  });

  it("with no wait, runs an item at once when idle and groups what arrives during the run", async () => {
    const runs: number[][] = [];
    const batcher = new DynamicBatcher<number, number>({ maxBatchSize: 8, maxWaitMs: 0 }, async (items) => {
      runs.push(items);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return double(items);
    });
    const first = batcher.submit(1);
    expect(runs).toEqual([[1]]);
    const rest = [2, 3, 4].map((n) => batcher.submit(n));
    expect(await Promise.all([first, ...rest])).toEqual([2, 4, 6, 8]);
    expect(runs).toEqual([[1], [2, 3, 4]]);
  });

  it("keeps items with different keys apart", async () => {
    const runs: string[][] = [];
    const batcher = new DynamicBatcher<string, string>(
      { maxBatchSize: 8, maxWaitMs: 2 },
      async (items) => {
        runs.push(items);
        return items;
      },
      (item) => item.slice(0, 1),
    );
    await Promise.all(["a1", "b1", "a2", "b2"].map((item) => batcher.submit(item)));
    expect(runs).toEqual([
      ["a1", "a2"],
      ["b1", "b2"],
    ]);
  });

  it("rejects every item of a failed batch and carries on with the next", async () => {
    let calls = 0;
    const batcher = new DynamicBatcher<number, number>({ maxBatchSize: 2, maxWaitMs: 1 }, async (items) => {
      calls++;
      if (calls === 1) throw new Error("boom");
      return double(items);
    });
    const first = [batcher.submit(1), batcher.submit(2)];
    const later = batcher.submit(3);
    await expect(Promise.all(first)).rejects.toThrow("boom");
    expect(await later).toBe(6);
  });

  it("fails a batch whose run returns the wrong number of results", async () => {
    const batcher = new DynamicBatcher<number, number>({ maxBatchSize: 2, maxWaitMs: 1 }, async () => [1]);
    await expect(Promise.all([batcher.submit(1), batcher.submit(2)])).rejects.toThrow(/1 results for 2 items/);
  });
});
