import { describe, expect, it } from "vitest";
import { withKeepAlive } from "./keep-alive.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* slowly(items: { value: string; afterMs: number }[]) {
  for (const item of items) {
    await sleep(item.afterMs);
    yield item.value;
  }
}

describe("withKeepAlive", () => {
  it("passes every item through in order, with a null for each quiet interval, and loses no item to a tick", async () => {
    const seen: (string | null)[] = [];
    const source = slowly([
      { value: "a", afterMs: 5 },
      { value: "b", afterMs: 130 },
      { value: "c", afterMs: 0 },
    ]);
    for await (const item of withKeepAlive(source, 50)) seen.push(item);
    expect(seen.filter((item) => item !== null)).toEqual(["a", "b", "c"]);
    // Two ticks pass while "b" is on its way (at 50 and 100 ms of its 130).
    expect(seen.slice(0, seen.indexOf("b"))).toEqual(["a", null, null]);
  });

  it("says nothing extra when items come often enough, and stops the source when the reader does", async () => {
    let stopped = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) {
          await sleep(1);
          yield i;
        }
      } finally {
        stopped = true;
      }
    }
    const seen: (number | null)[] = [];
    for await (const item of withKeepAlive(endless(), 1_000)) {
      seen.push(item);
      if (seen.length === 5) break;
    }
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(stopped).toBe(true);
  });
});
