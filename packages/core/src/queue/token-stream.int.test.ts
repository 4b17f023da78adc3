import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createRedis } from "../redis/create-redis.ts";
import { testRedisUrl } from "../testing/test-redis-url.ts";
import { visibleSealer, visiblySealed } from "../testing/visible-sealer.ts";
import {
  parseTokenStreamEntry,
  tokenEndContext,
  tokenStreamKey,
  tokenTextContext,
  TokenStreamWriter,
} from "./token-stream.ts";

const redis = createRedis(testRedisUrl(), "client", "token-stream-test");
afterAll(() => redis.disconnect());

const entriesOf = async (prefix: string, requestId: string) =>
  (await redis.xrange(tokenStreamKey(prefix, requestId), "-", "+")).map(([, fields]) => parseTokenStreamEntry(fields));

describe("a request's token stream", () => {
  it("sends what one turn appends (tokens and the end) in one script call, each an entry of its own, in order", async () => {
    const prefix = `ts${randomBytes(4).toString("hex")}`;
    const calls = vi.spyOn(redis, "evalsha");
    const writer = new TokenStreamWriter(redis, prefix, "req_burst", 2, visibleSealer);
    for (const delta of ["a", "b", "c"]) writer.text(delta);
    await writer.end("stop");
    expect(calls).toHaveBeenCalledTimes(1);
    calls.mockRestore();
    // Each delta sealed for its place in the attempt; the end for the number of deltas before it.
    expect(await entriesOf(prefix, "req_burst")).toEqual([
      { type: "text", sealed: visiblySealed("a", tokenTextContext("req_burst", 2, 0)), seq: 0, attempt: 2 },
      { type: "text", sealed: visiblySealed("b", tokenTextContext("req_burst", 2, 1)), seq: 1, attempt: 2 },
      { type: "text", sealed: visiblySealed("c", tokenTextContext("req_burst", 2, 2)), seq: 2, attempt: 2 },
      { type: "end", sealed: visiblySealed("stop", tokenEndContext("req_burst", 2, 3)), count: 3, attempt: 2 },
    ]);
    expect(await redis.ttl(tokenStreamKey(prefix, "req_burst"))).toBeGreaterThan(0);
  });

  it("keeps appending, in order, after Redis has forgotten its scripts", async () => {
    const prefix = `ts${randomBytes(4).toString("hex")}`;
    const writer = new TokenStreamWriter(redis, prefix, "req_flushed", 1, visibleSealer);
    writer.text("before");
    await new Promise((resolve) => setTimeout(resolve, 10));
    await redis.script("FLUSH");
    writer.text("after");
    await writer.end("length");
    expect((await entriesOf(prefix, "req_flushed")).map((entry) => entry?.type)).toEqual(["text", "text", "end"]);
  });

  it("keeps tokens of later turns behind an earlier append that is still falling back to the script's text", async () => {
    const prefix = `ts${randomBytes(4).toString("hex")}`;
    const writer = new TokenStreamWriter(redis, prefix, "req_turns", 1, visibleSealer);
    await redis.script("FLUSH");
    // The first fallback (EVAL with the script's text) is slow; tokens keep coming meanwhile.
    const realEval = redis.eval.bind(redis);
    const slowFallback = vi
      .spyOn(redis, "eval")
      .mockImplementationOnce(async (...args: Parameters<typeof realEval>) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return realEval(...args);
      });
    const tokens = Array.from({ length: 20 }, (_, i) => `t${i}`);
    for (const token of tokens) {
      writer.text(token);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await writer.end("stop");
    slowFallback.mockRestore();
    const texts = (await entriesOf(prefix, "req_turns")).flatMap((entry) =>
      entry?.type === "text" ? [entry.sealed] : [],
    );
    expect(texts).toEqual(tokens.map((token, seq) => visiblySealed(token, tokenTextContext("req_turns", 1, seq))));
  });
});
