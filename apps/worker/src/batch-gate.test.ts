import { describe, expect, it } from "vitest";
import { BatchGate } from "./batch-gate.ts";

const gate = () => new BatchGate({ maxBatch: 2, quietMs: 40, starvationMs: 300, maxWaiting: 3 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("BatchGate", () => {
  it("lets batch lines run up to their limit on a quiet model", async () => {
    const g = gate();
    const first = await g.batch("m");
    await g.batch("m");
    let third = false;
    void g.batch("m").then(() => (third = true));
    await sleep(30);
    expect(third).toBe(false);
    first();
    await sleep(30);
    expect(third).toBe(true);
  });

  it("holds them while an interactive job runs and for a quiet moment after, then lets them go", async () => {
    const g = gate();
    const done = g.interactive("m");
    let started = 0;
    const batch = g.batch("m").then(() => (started = Date.now()));
    await sleep(100);
    expect(started).toBe(0);
    const ended = Date.now();
    done();
    await batch;
    expect(started - ended).toBeGreaterThanOrEqual(35);
    // Another model is not held by this one's traffic.
    const other = g.interactive("m");
    const at = Date.now();
    await g.batch("n");
    expect(Date.now() - at).toBeLessThan(30);
    other();
  });

  it("runs one batch line after waiting long enough under steady interactive traffic, and never holds every slot", async () => {
    const g = gate();
    const steady = g.interactive("m");
    const at = Date.now();
    const starved = await g.batch("m");
    expect(Date.now() - at).toBeGreaterThanOrEqual(290);
    const waiting = [g.batch("m"), g.batch("m"), g.batch("m")];
    const past = Date.now();
    const fourth = await g.batch("m"); // the fourth waiter would pass maxWaiting: it runs at once
    expect(Date.now() - past).toBeLessThan(30);
    steady();
    starved();
    fourth();
    await Promise.all(waiting.map(async (started) => (await started)()));
  });
});
